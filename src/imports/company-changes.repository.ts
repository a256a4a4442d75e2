import type { Queryable } from '../db/database.ts';

/**
 * One change an import made to a company or a contact (`import_company_changes`): what undo puts
 * back. `before`/`written` hold the columns as they were and as the import wrote them.
 */
export type CompanyChangeRecord = {
  rowNumber: number;
  action: string;
  companyId: number;
  customerId: number | null;
  before: unknown;
  written: unknown;
};

/** Stores an import's change records, any number in one INSERT. */
export async function recordCompanyChanges(
  db: Queryable,
  importId: number,
  records: readonly CompanyChangeRecord[],
): Promise<void> {
  if (records.length === 0) return;
  const json = (value: unknown) => (value === null ? null : JSON.stringify(value));
  await db.query(
    `INSERT INTO import_company_changes (import_id, row_number, action, company_id, customer_id, before, written)
     SELECT $1, t.row_number, t.action, t.company_id, t.customer_id, t.before, t.written
       FROM unnest($2::int[], $3::text[], $4::bigint[], $5::bigint[], $6::jsonb[], $7::jsonb[]) AS t(row_number, action, company_id, customer_id, before, written)`,
    [
      importId,
      records.map((item) => item.rowNumber),
      records.map((item) => item.action),
      records.map((item) => item.companyId),
      records.map((item) => item.customerId),
      records.map((item) => json(item.before)),
      records.map((item) => json(item.written)),
    ],
  );
}

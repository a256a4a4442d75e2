import type { Queryable } from '../db/database.ts';

/**
 * The import side of an erasure (erasure.ts): the person's rows in import reports, the change
 * records an undo would use, and the samples the checks keep (rows created, changed, rejected,
 * with warnings…). The rows of a report are known by the customer's change records and by the
 * cells that hold its e-mail address; a check's sample is dropped when it is one of those rows
 * or names the address, and any other mention of the address is blotted out.
 */

type RowsByImport = Map<number, Set<number>>;

const addRows = (rows: RowsByImport, found: ReadonlyArray<{ import_id: string; row_number: number }>) => {
  for (const row of found) {
    const importId = Number(row.import_id);
    rows.set(importId, (rows.get(importId) ?? new Set()).add(row.row_number));
  }
};

/** A copy of `value` without the samples of `rows` or naming `email` (lower case), and with every other mention of `email` blotted out. */
export function scrubSamples(value: unknown, email: string, rows: ReadonlySet<number>): unknown {
  const names = (item: unknown) => email !== '' && JSON.stringify(item).toLowerCase().includes(email);
  if (typeof value === 'string') return email !== '' && value.toLowerCase().includes(email) ? value.replace(new RegExp(email.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'gi'), '(erased)') : value;
  if (Array.isArray(value)) {
    return value
      .filter((item) => !(typeof item === 'object' && item !== null && ((typeof (item as { rowNumber?: unknown }).rowNumber === 'number' && rows.has((item as { rowNumber: number }).rowNumber)) || names(item))))
      .map((item) => scrubSamples(item, email, rows));
  }
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, scrubSamples(item, email, rows)]));
  return value;
}

/** Erases the customer's traces in imports; answers how many report rows and change records went. */
export async function eraseImportTraces(tx: Queryable, customerId: number, email: string): Promise<{ importRows: number; importChangeRecords: number }> {
  const rows: RowsByImport = new Map();
  const changes = await tx.query<{ import_id: string; row_number: number }>('DELETE FROM import_changes WHERE customer_id = $1 RETURNING import_id, row_number', [customerId]);
  addRows(rows, changes.rows);
  const addressChanges = await tx.query('DELETE FROM import_address_changes WHERE customer_id = $1', [customerId]);
  const mentions = 'EXISTS (SELECT 1 FROM unnest(cells) AS cell WHERE lower(btrim(cell)) = $1)';
  const person = `(import_id, row_number) IN (SELECT * FROM unnest($2::bigint[], $3::int[])) OR ($1 <> '' AND ${mentions})`;
  const pairs = [[...changes.rows.map((row) => row.import_id)], [...changes.rows.map((row) => row.row_number)]];
  const warned = await tx.query<{ import_id: string; row_number: number }>(`DELETE FROM import_warnings WHERE ${person} RETURNING import_id, row_number`, [email, ...pairs]);
  const rejected = await tx.query<{ import_id: string; row_number: number }>(`DELETE FROM import_rejections WHERE $1 <> '' AND ${mentions} RETURNING import_id, row_number`, [email]);
  addRows(rows, warned.rows);
  addRows(rows, rejected.rows);
  await tx.query(
    `DELETE FROM import_row_edits WHERE (import_id, row_number) IN (SELECT * FROM unnest($2::bigint[], $3::int[]))
        OR ($1 <> '' AND (lower(btrim(value)) = $1 OR lower(btrim(original)) = $1))`,
    [email, rejected.rows.map((row) => row.import_id), rejected.rows.map((row) => row.row_number)],
  );
  const { rows: imports } = await tx.query<{ id: string; check_result: unknown; analysis: unknown }>(
    `SELECT id, check_result, analysis FROM imports
      WHERE id = ANY($2::bigint[]) OR ($1 <> '' AND (strpos(lower(check_result::text), $1) > 0 OR strpos(lower(analysis::text), $1) > 0)) FOR UPDATE`,
    [email, [...rows.keys()]],
  );
  for (const record of imports) {
    const ofImport = rows.get(Number(record.id)) ?? new Set<number>();
    await tx.query('UPDATE imports SET check_result = $2, analysis = $3 WHERE id = $1', [
      record.id, JSON.stringify(scrubSamples(record.check_result, email, ofImport)), JSON.stringify(scrubSamples(record.analysis, email, ofImport)),
    ]);
  }
  return { importRows: warned.rows.length + rejected.rows.length, importChangeRecords: changes.rows.length + (addressChanges.rowCount ?? 0) };
}

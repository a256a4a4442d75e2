import type { Database, Queryable } from '../db/database.ts';
import { companySearchText } from '../companies/company.repository.ts';
import type { Result } from '../shared/result.ts';
import { addressPartsOfCompanyFile, type CompanyFileRow } from './company-file.ts';
import type { RowError } from './row-draft.ts';
import {
  cocHolder,
  findCompany,
  named,
  ownColumns,
  rowProblem,
  same,
  type Address,
  type StoredCompany,
} from './company-file-match.ts';
import { recordCompanyChanges } from './company-changes.repository.ts';

/**
 * The import type *Companies* against the database (company-file.ts reads the rows): each row
 * finds its company (Company ID, else CoC number, else VAT number, else normalised name) and
 * creates or updates it, and its default billing address. Every change is kept in
 * `import_company_changes` (migration 035): `company_created`, and `company_updated` with the
 * columns as they were (`before`) and as the import wrote them (`written`; the address under
 * `address`, null before: the import added it). `undoCompanyFile` puts back what still holds
 * what the import wrote (company-file-undo.ts). The check (`checkCompanyFile`) runs the same in a transaction it rolls back.
 */

export type CompanyFileOutcome =
  | { rowNumber: number; kind: 'create' | 'update' | 'unchanged'; companyId: number; warnings: RowError[] }
  | { rowNumber: number; kind: 'reject'; errors: RowError[] };

export type CompanyFileCounts = {
  created: number;
  updated: number;
  unchanged: number;
  rejected: number;
  warned: number;
};

/** One change record of a company-only file (no contact: `customer_id` stays empty). */
const record = (
  db: Queryable,
  importId: number,
  rowNumber: number,
  action: string,
  companyId: number,
  before: unknown,
  written: unknown,
) => recordCompanyChanges(db, importId, [{ rowNumber, action, companyId, customerId: null, before, written }]);

export const writeOwn = (
  db: Queryable,
  id: number,
  next: Omit<StoredCompany, 'id' | 'is_created_by_import'>,
  now: Date,
) =>
  db.query(
    'UPDATE companies SET name = $2, coc_country = $3, coc_number = $4, vat_number = $5, notes = $6, tags = $7, search_text = $8, updated_at = $9 WHERE id = $1',
    [
      id,
      next.name,
      next.coc_country,
      next.coc_number,
      next.vat_number,
      next.notes,
      next.tags,
      companySearchText({
        name: next.name,
        cocNumber: next.coc_number,
        vatNumber: next.vat_number,
      }),
      now,
    ],
  );

export async function defaultBilling(
  db: Queryable,
  companyId: number,
): Promise<(Address & { id: number }) | undefined> {
  const { rows } = await db.query<Address & { id: number }>(
    `SELECT id::int, ${addressPartsOfCompanyFile.join(', ')} FROM company_addresses WHERE company_id = $1 AND is_default_billing FOR UPDATE`,
    [companyId],
  );
  return rows[0];
}

async function insertAddress(
  db: Queryable,
  companyId: number,
  importId: number,
  address: Partial<Address>,
  now: Date,
) {
  const parts = addressPartsOfCompanyFile.filter((part) => address[part] !== undefined);
  await db.query(
    `INSERT INTO company_addresses (company_id, is_default_billing, import_id, created_at, updated_at${parts.map((part) => `, ${part}`).join('')})
     VALUES ($1, true, $2, $3, $3${parts.map((_, index) => `, $${index + 4}`).join('')})`,
    [companyId, importId, now, ...parts.map((part) => address[part])],
  );
}

export async function writeAddress(db: Queryable, id: number, address: Address, now: Date) {
  await db.query(
    `UPDATE company_addresses SET ${addressPartsOfCompanyFile.map((part, index) => `${part} = $${index + 2}`).join(', ')}, updated_at = $${addressPartsOfCompanyFile.length + 2} WHERE id = $1`,
    [id, ...addressPartsOfCompanyFile.map((part) => address[part]), now],
  );
}

/** One row: its company found and created or updated, every change recorded for undo. */
async function applyRow(
  db: Queryable,
  importId: number,
  defaultCountry: string,
  row: CompanyFileRow,
  now: Date,
): Promise<CompanyFileOutcome> {
  const found = await findCompany(db, importId, row);
  if (found && 'error' in found) return { rowNumber: row.rowNumber, kind: 'reject', errors: [found.error] };
  const warnings = [...row.warnings];
  if (!found) {
    if (row.name === undefined) {
      const value = row.cocNumber ?? row.vatNumber ?? '';
      return {
        rowNumber: row.rowNumber,
        kind: 'reject',
        errors: [
          ...warnings,
          rowProblem(
            row,
            'companyName',
            value,
            'company_file_name_missing',
            `No company has this number (“${value}”), and the row has no company name to create it with. Give the company name.`,
            {},
            false,
          ),
        ],
      };
    }
    let cocNumber = row.cocNumber ?? '';
    const holder = cocNumber === '' ? undefined : await cocHolder(db, row.cocCountry ?? '', cocNumber, 0);
    if (holder) {
      warnings.push(
        rowProblem(
          row,
          'cocNumber',
          cocNumber,
          'company_file_number_taken',
          `The CoC number “${cocNumber}” belongs to ${named(holder)} already; this row's company comes in without it.`,
          { company: named(holder) },
          true,
        ),
      );
      cocNumber = '';
    }
    const values = {
      name: row.name,
      coc_country: row.cocCountry ?? (cocNumber === '' ? '' : defaultCountry),
      coc_number: cocNumber,
      vat_number: row.vatNumber ?? '',
      notes: row.notes ?? '',
      tags: row.tags ?? [],
    };
    const { rows } = await db.query<{ id: number }>(
      `INSERT INTO companies (name, coc_country, coc_number, vat_number, notes, tags, search_text, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id::int`,
      [
        values.name,
        values.coc_country,
        values.coc_number,
        values.vat_number,
        values.notes,
        values.tags,
        companySearchText({
          name: values.name,
          cocNumber: values.coc_number,
          vatNumber: values.vat_number,
        }),
        now,
      ],
    );
    const id = rows[0]!.id;
    await record(db, importId, row.rowNumber, 'company_created', id, null, null);
    if (Object.keys(row.address).length > 0) await insertAddress(db, id, importId, row.address, now);
    return { rowNumber: row.rowNumber, kind: 'create', companyId: id, warnings };
  }
  const { company, by } = found;
  if (by === 'name' && !company.is_created_by_import) {
    warnings.push(
      rowProblem(
        row,
        'companyName',
        row.name ?? '',
        'company_matched_by_name',
        `Found by its name only: ${named(company)} (no Company ID, CoC or VAT number matched); this company was updated. Check that it is the same company.`,
        { company: named(company), source: 'file' },
        true,
      ),
    );
  }
  const wanted: Partial<Record<(typeof ownColumns)[number], unknown>> = {
    ...(row.name !== undefined && { name: row.name }),
    ...(row.cocCountry !== undefined && { coc_country: row.cocCountry }),
    ...(row.vatNumber !== undefined && { vat_number: row.vatNumber }),
    ...(row.notes !== undefined && { notes: row.notes }),
    ...(row.tags !== undefined && { tags: row.tags }),
  };
  // Found by its name: the name is the stored one in another spelling, which stays.
  if (by === 'name') delete wanted.name;
  if (row.cocNumber !== undefined && row.cocNumber !== company.coc_number) {
    const holder = await cocHolder(db, row.cocCountry ?? company.coc_country, row.cocNumber, company.id);
    if (holder)
      warnings.push(
        rowProblem(
          row,
          'cocNumber',
          row.cocNumber,
          'company_file_number_taken',
          `The CoC number “${row.cocNumber}” belongs to ${named(holder)} already; ${named(company)} keeps its own.`,
          { company: named(holder) },
          true,
        ),
      );
    else wanted.coc_number = row.cocNumber;
  }
  if (
    wanted.coc_country !== undefined &&
    wanted.coc_number === undefined &&
    company.coc_number !== '' &&
    wanted.coc_country !== company.coc_country
  )
    delete wanted.coc_country;
  const before: Record<string, unknown> = {};
  const written: Record<string, unknown> = {};
  for (const column of ownColumns) {
    if (wanted[column] === undefined || same(wanted[column], company[column])) continue;
    before[column] = company[column];
    written[column] = wanted[column];
  }
  if (Object.keys(written).length > 0)
    await writeOwn(db, company.id, { ...company, ...written } as StoredCompany, now);
  if (Object.keys(row.address).length > 0) {
    const stored = await defaultBilling(db, company.id);
    if (!stored) {
      await insertAddress(db, company.id, importId, row.address, now);
      before.address = null;
      written.address = {
        ...Object.fromEntries(addressPartsOfCompanyFile.map((part) => [part, ''])),
        ...row.address,
      };
    } else if (
      addressPartsOfCompanyFile.some(
        (part) => row.address[part] !== undefined && row.address[part] !== stored[part],
      )
    ) {
      const { id: _id, ...current } = stored;
      const next = { ...current, ...row.address } as Address;
      await writeAddress(db, stored.id, next, now);
      before.address = current;
      written.address = next;
    }
  }
  if (Object.keys(written).length === 0)
    return { rowNumber: row.rowNumber, kind: 'unchanged', companyId: company.id, warnings };
  await record(db, importId, row.rowNumber, 'company_updated', company.id, before, written);
  // A company this import created from an earlier row is one created company, not also an updated one.
  return {
    rowNumber: row.rowNumber,
    kind: company.is_created_by_import ? 'unchanged' : 'update',
    companyId: company.id,
    warnings,
  };
}

export const countsOfCompanyFile = (outcomes: readonly CompanyFileOutcome[]): CompanyFileCounts => ({
  created: outcomes.filter((outcome) => outcome.kind === 'create').length,
  updated: outcomes.filter((outcome) => outcome.kind === 'update').length,
  unchanged: outcomes.filter((outcome) => outcome.kind === 'unchanged').length,
  rejected: outcomes.filter((outcome) => outcome.kind === 'reject').length,
  warned: outcomes.filter((outcome) => outcome.kind !== 'reject' && outcome.warnings.length > 0).length,
});

/** The rows (as company-file.ts read them) written in file order, in the caller's transaction. */
export async function applyCompanyFile(
  db: Queryable,
  importId: number,
  rows: readonly Result<CompanyFileRow, RowError[]>[],
  options: { defaultCountry: string; now: Date },
): Promise<CompanyFileOutcome[]> {
  const outcomes: CompanyFileOutcome[] = [];
  for (const [index, row] of rows.entries()) {
    if (!row.ok)
      outcomes.push({ rowNumber: row.error[0]?.rowNumber ?? index + 1, kind: 'reject', errors: row.error });
    else outcomes.push(await applyRow(db, importId, options.defaultCountry, row.value, options.now));
  }
  return outcomes;
}

/** The dry run: what `applyCompanyFile` would do, in a transaction that is rolled back. */
export async function checkCompanyFile(
  db: Database,
  importId: number,
  rows: readonly Result<CompanyFileRow, RowError[]>[],
  options: { defaultCountry: string; now: Date },
): Promise<CompanyFileOutcome[]> {
  const client = await db.pool.connect();
  try {
    await client.query('BEGIN');
    return await applyCompanyFile(client, importId, rows, options);
  } finally {
    await client.query('ROLLBACK').catch(() => undefined);
    client.release();
  }
}

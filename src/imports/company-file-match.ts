import type { Queryable } from '../db/database.ts';
import { addressPartsOfCompanyFile, problem, type CompanyFileRow } from './company-file.ts';
import type { RowError } from './row-draft.ts';

/**
 * Which stored company a row of a Companies file is (company-file.repository.ts): by its Company
 * ID, else its CoC number, else its VAT number (a fiscal unity: the one with the row's name), else
 * its normalised name. A stored company whose number differs from the row's is never its company.
 */

export type StoredCompany = {
  id: number;
  name: string;
  coc_country: string;
  coc_number: string;
  vat_number: string;
  notes: string;
  tags: string[];
  is_created_by_import: boolean;
};
export type Address = Record<(typeof addressPartsOfCompanyFile)[number], string>;
export const ownColumns = ['name', 'coc_country', 'coc_number', 'vat_number', 'notes', 'tags'] as const;

/** A problem the match finds: the row's, on no one column (company-file.ts's `problem`). */
export const rowProblem = (
  row: CompanyFileRow,
  field: string,
  value: string,
  code: RowError['code'],
  message: string,
  params: Record<string, string | number>,
  isWarning: boolean,
): RowError => problem(row.rowNumber, undefined, field, value, code, message, params, isWarning);
export const named = (company: { id: number; name: string }) => `${company.name} (#${company.id})`;
export const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

export const selectCompanies = `SELECT co.id::int, co.name, co.coc_country, co.coc_number, co.vat_number, co.notes, co.tags,
  EXISTS (SELECT 1 FROM import_company_changes ch WHERE ch.import_id = $1 AND ch.company_id = co.id AND ch.action = 'company_created') AS is_created_by_import
  FROM companies co`;

/** Whether a stored company's number says it is another company than the row's. */
export const contradicts = (company: StoredCompany, row: CompanyFileRow) =>
  (row.cocNumber !== undefined &&
    company.coc_number !== '' &&
    (company.coc_number !== row.cocNumber || company.coc_country !== row.cocCountry)) ||
  (row.vatNumber !== undefined && company.vat_number !== '' && company.vat_number !== row.vatNumber);

export type Found =
  { company: StoredCompany; by: 'id' | 'coc' | 'vat' | 'name' } | { error: RowError } | undefined;

export async function findCompany(db: Queryable, importId: number, row: CompanyFileRow): Promise<Found> {
  const query = async (where: string, params: unknown[]) =>
    (
      await db.query<StoredCompany>(`${selectCompanies} WHERE ${where} ORDER BY co.id FOR UPDATE OF co`, [
        importId,
        ...params,
      ])
    ).rows;
  if (row.companyId !== undefined) {
    const [company] = await query('co.id = $2', [row.companyId]);
    if (company) return { company, by: 'id' };
    return {
      error: rowProblem(
        row,
        'companyId',
        String(row.companyId),
        'company_file_id_unknown',
        `No company has Company ID ${row.companyId}. Leave the cell empty to create the company or find it by its numbers or name.`,
        {},
        false,
      ),
    };
  }
  const ambiguous = (candidates: StoredCompany[]) => ({
    error: rowProblem(
      row,
      'companyName',
      row.name ?? '',
      'company_file_ambiguous',
      `Several companies fit this row (${candidates.map(named).join(', ')}); nothing was changed. Give the Company ID or the CoC number to say which.`,
      { companies: candidates.map(named).join(', ') },
      false,
    ),
  });
  if (row.cocNumber !== undefined) {
    const [company] = await query('co.coc_country = $2 AND co.coc_number = $3', [
      row.cocCountry ?? '',
      row.cocNumber,
    ]);
    if (company) return { company, by: 'coc' };
  }
  const nameKey =
    row.name === undefined
      ? ''
      : ((await db.query<{ key: string }>('SELECT clientele_company_name_key($1) AS key', [row.name])).rows[0]
          ?.key ?? '');
  if (row.vatNumber !== undefined) {
    const candidates = (await query('co.vat_number = $2', [row.vatNumber])).filter(
      (company) => !contradicts(company, row),
    );
    if (candidates.length === 1) return { company: candidates[0]!, by: 'vat' };
    // A VAT number may be shared (a Dutch fiscal unity): the one with the row's name.
    if (candidates.length > 1) {
      const withName = (
        await query('co.vat_number = $2 AND clientele_company_name_key(co.name) = $3', [
          row.vatNumber,
          nameKey,
        ])
      ).filter((company) => !contradicts(company, row));
      return withName.length === 1 ? { company: withName[0]!, by: 'vat' } : ambiguous(candidates);
    }
  }
  if (nameKey === '') return undefined;
  const candidates = (await query('clientele_company_name_key(co.name) = $2', [nameKey])).filter(
    (company) => !contradicts(company, row),
  );
  if (candidates.length === 1) return { company: candidates[0]!, by: 'name' };
  return candidates.length > 1 ? ambiguous(candidates) : undefined;
}

/** A CoC number another company holds already (the register number names one company). */
export async function cocHolder(db: Queryable, country: string, number: string, exceptId: number) {
  const { rows } = await db.query<{ id: number; name: string }>(
    'SELECT id::int, name FROM companies WHERE coc_country = $1 AND coc_number = $2 AND id <> $3',
    [country, number, exceptId],
  );
  return rows[0];
}

import { parseCocNumber, parseCompanyVatNumber } from '../companies/company-numbers.ts';
import { customerFieldLabels } from '../customers/field-labels.ts';
import { companyFileLabels } from '../exports/company-export-type.ts';
import { err, ok, type Result } from '../shared/result.ts';
import { addressPartsOfCompanyFile, companyFileCatalogue, type CompanyFileAddressPart } from './company-file-fields.ts';
import { parseListCell } from './cells.ts';
import { normalizeHeading, suggestMapping, type Mapping } from './mapping.ts';
import type { RowError } from './row-draft.ts';

/**
 * Issue #19, point 2: the import type *Companies* — a company-only file, one row per company, as
 * the Companies export writes it (company-export-type.ts). Pure: the catalogue, the mapping and
 * what one row says. Finding, writing and undoing the companies: company-file.repository.ts.
 *
 * - the key is the Company ID when the row has one; else the company is recognised by its CoC
 *   number, else its VAT number, else its normalised name (a warning, as in the customers import);
 * - a malformed CoC or VAT number is a warning: the company comes in without it (a company never
 *   holds a number its form would refuse), the row says where and what form was expected;
 * - a row without a name and without any number (and without a Company ID) is rejected;
 * - read-only columns of the export (Contacts, Primary contact e-mail, VIES result, VIES checked on)
 *   and *Reverse charge* (only staff set it) are left unmapped; *Customer groups* too (not yet).
 */

export * from './company-file-fields.ts';

/** Headings the Companies export writes that an import never reads (English and Dutch). */
const readOnlyHeadings = new Set(
  [
    companyFileLabels.contactCount,
    companyFileLabels.primaryContactEmail,
    companyFileLabels.vatCheckResult,
    companyFileLabels.vatCheckedAt,
    customerFieldLabels.companyReverseCharge,
    customerFieldLabels.groups,
  ]
    .flatMap((label) => [label.en, label.nl])
    .map(normalizeHeading),
);

const reverseChargeHeadings = new Set(
  [customerFieldLabels.companyReverseCharge.en, customerFieldLabels.companyReverseCharge.nl].map(normalizeHeading),
);

/** The file's columns mapped to the catalogue; the export's read-only columns (and Reverse charge) left unmapped, with a note. */
export function suggestCompanyFileMapping(headings: readonly string[]): Mapping {
  const mapping = suggestMapping(headings, companyFileCatalogue);
  return {
    ...mapping,
    columns: mapping.columns.map((column) =>
      readOnlyHeadings.has(normalizeHeading(column.heading))
        ? {
            ...column,
            field: null,
            confidence: 'none',
            score: 0,
            note: reverseChargeHeadings.has(normalizeHeading(column.heading))
              ? {
                  code: 'ignored_by_preset',
                  message: `“${column.heading}” is only written by the export; an import does not change it: reverse charge is set by staff only.`,
                  params: { heading: column.heading, reason: 'staff_only' },
                }
              : {
                  code: 'ignored_by_preset',
                  message: `“${column.heading}” is only written by the export; an import does not change it.`,
                  params: { heading: column.heading, reason: 'export_only' },
                },
          }
        : column,
    ),
  };
}

export type CompanyFileAddress = Partial<Record<CompanyFileAddressPart, string>>;

/** What a row says about its company: only the fields of mapped, non-empty cells (an empty cell keeps the stored value). */
export type CompanyFileRow = {
  rowNumber: number;
  companyId?: number;
  name?: string;
  cocCountry?: string;
  cocNumber?: string;
  vatNumber?: string;
  notes?: string;
  tags?: string[];
  address: CompanyFileAddress;
  warnings: RowError[];
};

/** A problem of a Companies file's row (rejection or warning), on its column when the row's cell is known. */
export const problem = (
  rowNumber: number,
  column: { heading: string; index: number } | undefined,
  fieldKey: string,
  value: string,
  code: RowError['code'],
  message: string,
  params: Record<string, string | number>,
  isWarning: boolean,
): RowError => ({
  rowNumber,
  column: column?.heading ?? null,
  columnIndex: column?.index ?? null,
  field: fieldKey,
  value,
  code,
  message,
  params: { ...params, value },
  ...(isWarning && { isWarning: true }),
});

/** One row of a Companies file, read: its company's values, warnings for what was left out; or why it is rejected. */
export function readCompanyFileRow(
  rowNumber: number,
  cells: readonly string[],
  mapping: Mapping,
  defaultCountry: string,
): Result<CompanyFileRow, RowError[]> {
  const columnOf = (key: string) => mapping.columns.find((column) => column.field === key);
  const cell = (key: string): string | undefined => {
    const column = columnOf(key);
    const value = column === undefined ? '' : (cells[column.index] ?? '').trim();
    return value === '' ? undefined : value;
  };
  const row: CompanyFileRow = { rowNumber, address: {}, warnings: [] };
  const errors: RowError[] = [];
  const id = cell('companyId');
  if (id !== undefined) {
    if (/^\d{1,15}$/.test(id) && Number(id) > 0) row.companyId = Number(id);
    else
      errors.push(
        problem(
          rowNumber,
          columnOf('companyId'),
          'companyId',
          id,
          'company_file_id_invalid',
          `“${id}” is not a Company ID: a Company ID is a whole number, as the Companies export writes it. Leave it empty to find the company by its numbers or name.`,
          {},
          false,
        ),
      );
  }
  const name = cell('companyName');
  if (name !== undefined) row.name = name.replace(/\s+/g, ' ').slice(0, 255);
  const country = cell('cocCountry');
  if (country !== undefined) {
    if (/^[A-Za-z]{2}$/.test(country)) row.cocCountry = country.toUpperCase();
    else
      row.warnings.push(
        problem(
          rowNumber,
          columnOf('cocCountry'),
          'cocCountry',
          country,
          'company_file_country_invalid',
          `“${country}” is not a country code: write the two letters of the country the company is registered in, like NL. The company comes in without it.`,
          {},
          true,
        ),
      );
  }
  const numberCountry = row.cocCountry ?? defaultCountry;
  const leftOut = (
    key: 'cocNumber' | 'vatNumber',
    value: string,
    expected: { code: string; message: { en: string }; params: Record<string, string | number> },
  ) =>
    row.warnings.push(
      problem(
        rowNumber,
        columnOf(key),
        key,
        value,
        'company_file_number_left_out',
        `“${value}”: ${expected.message.en} The company comes in without this number: a company cannot hold a malformed number. Correct it in the file and import it again, or fill it in on the company.`,
        { ...expected.params, form: expected.code },
        true,
      ),
    );
  const coc = cell('cocNumber');
  if (coc !== undefined) {
    const parsed = parseCocNumber(coc, numberCountry);
    if (parsed.ok) {
      row.cocNumber = parsed.value;
      row.cocCountry = numberCountry;
    } else leftOut('cocNumber', coc, parsed.error);
  }
  const vat = cell('vatNumber');
  if (vat !== undefined) {
    const parsed = parseCompanyVatNumber(vat, numberCountry);
    if (parsed.ok) row.vatNumber = parsed.value;
    else leftOut('vatNumber', vat, parsed.error);
  }
  const notes = cell('notes');
  if (notes !== undefined) row.notes = notes;
  const tags = cell('tags');
  if (tags !== undefined) {
    const parsed = parseListCell(tags);
    if (parsed.ok) row.tags = parsed.value;
    else
      row.warnings.push(
        problem(
          rowNumber,
          columnOf('tags'),
          'tags',
          tags,
          'company_file_tags_left_out',
          `${parsed.error.message} The company's tags are left as they are.`,
          {},
          true,
        ),
      );
  }
  for (const part of addressPartsOfCompanyFile) {
    const value = cell(`billing.${part}`);
    if (value !== undefined) row.address[part] = part === 'country' ? value.toUpperCase() : value;
  }
  // Nothing to recognise or create the company by: a company cannot exist without a name or number.
  const hasNumberCell = coc !== undefined || vat !== undefined;
  if (row.companyId === undefined && id === undefined && row.name === undefined && !hasNumberCell) {
    errors.push(
      problem(
        rowNumber,
        columnOf('companyName'),
        'companyName',
        '',
        'company_file_row_empty',
        'This row has no company name, no Chamber of Commerce or VAT number and no Company ID: a company cannot exist without a name. Give at least the company name.',
        {},
        false,
      ),
    );
  }
  return errors.length > 0 ? err(errors) : ok(row);
}

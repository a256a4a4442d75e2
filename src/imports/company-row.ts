import { parseCocNumber, parseCompanyVatNumber } from '../companies/company-numbers.ts';
import { warning, type CustomerRef, type RowCompany } from './company-links.ts';
import type { PlannedFlag, PlannedRow } from './plan.ts';
import type { CustomerDraft, RowError } from './row-draft.ts';

/** Pure: a customers file row's company columns, read for the company plan (company-links.ts). */

/** The customer a planned row is, for the company plan. */
export const customerRefOf = (row: PlannedRow): CustomerRef | undefined =>
  row.kind === 'create'
    ? -row.rowNumber
    : row.kind === 'update' || row.kind === 'unchanged'
      ? row.customerId
      : undefined;

/**
 * A row's company columns, with its numbers checked in the country they belong to (the
 * customer's billing country, else the shop's). Undefined when the row says nothing about a
 * company. Malformed numbers come back as warnings (and flags, unless the customer's own check
 * flagged the value already).
 *
 * `hasPrimaryColumn`: the file has a *Primary contact* column (Clientele's own customers export
 * writes yes/no for every contact and leaves it empty for a customer that is no company's
 * contact). In such a file only a row that fills it is about a link: an export of customers
 * whose own company fields were never linked to a company imports back unchanged.
 */
export function rowCompanyOf(
  draft: CustomerDraft,
  row: PlannedRow,
  defaultCountry: string,
  hasPrimaryColumn = false,
): { company?: RowCompany; warnings: RowError[]; flags: PlannedFlag[] } {
  const customer = customerRefOf(row);
  const { values } = draft;
  const text = (value: unknown) => (typeof value === 'string' ? value.trim() : '');
  const name = text(values.companyName);
  const cocTyped = text(values.cocNumber);
  const vatTyped = text(values.vatNumber);
  const role = draft.companyContact?.role;
  const isPrimary = draft.companyContact?.isPrimary;
  if (
    customer === undefined ||
    (hasPrimaryColumn && isPrimary === undefined) ||
    (name === '' && cocTyped === '' && vatTyped === '' && role === undefined && isPrimary === undefined)
  )
    return { warnings: [], flags: [] };
  const recordCountry =
    row.kind === 'create' || row.kind === 'update' ? row.record.billingAddress.country : '';
  const country = (recordCountry || text(values.billingAddress?.country) || defaultCountry).toUpperCase();
  const warnings: RowError[] = [];
  const flags: PlannedFlag[] = [];
  const checked = (field: 'cocNumber' | 'vatNumber', typed: string): string => {
    if (typed === '') return '';
    const parsed =
      field === 'cocNumber' ? parseCocNumber(typed, country) : parseCompanyVatNumber(typed, country);
    if (parsed.ok) return parsed.value;
    const what = field === 'cocNumber' ? 'CoC number' : 'VAT number';
    const message = `“${typed}”: ${parsed.error.message.en} The company is found or created without this ${what}; the customer keeps it as typed.`;
    const params = { value: typed, form: parsed.error.code, ...parsed.error.params };
    // Beside the customer's own warning on the cell (a VAT number it finds malformed too), this one
    // says what it means for the company: found or created without the number.
    warnings.push(warning(draft.rowNumber, field, typed, 'company_number_invalid', message, params));
    const isFlaggedAlready = draft.warnings.some((problem) => problem.field === field && problem.isFlagged);
    if (!isFlaggedAlready && draft.presentFields.includes(field))
      flags.push({
        field,
        value: typed,
        code: 'company_number_invalid',
        message,
        params,
        storedValue: typeof values[field] === 'string' ? values[field] : null,
      });
    return '';
  };
  const cocNumber = checked('cocNumber', cocTyped);
  const vatNumber = checked('vatNumber', vatTyped);
  return {
    company: {
      rowNumber: draft.rowNumber,
      customer,
      name,
      cocCountry: cocNumber === '' ? '' : country,
      cocNumber,
      vatNumber,
      ...(role !== undefined && { role }),
      ...(isPrimary !== undefined && { isPrimary }),
    },
    warnings,
    flags,
  };
}

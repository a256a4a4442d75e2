import type { FieldErrorCode } from '../customers/customer.rules.ts';
import { err, type Result } from '../shared/result.ts';

/** What every cell parser of the import returns (cells.ts, date-cells.ts, phone-postcode-cells.ts). */

export const importCellErrorCodes = [
  'boolean_invalid',
  'consent_invalid',
  'consent_kept_unsubscribed',
  'probable_duplicate',
  'date_ambiguous',
  'date_two_digit_year',
  'date_year_only',
  'excel_scientific_notation',
  'leading_zero_lost',
  'postcode_invalid',
  'integer_invalid',
  'password_hash_unknown',
  'letters_replaced',
  'extra_cells',
  'external_id_zeros_lost',
  'phone_unassigned',
  'postcode_not_issued',
  'coc_invalid',
] as const;
export type CellErrorCode = FieldErrorCode | (typeof importCellErrorCodes)[number];

export type CellError = {
  code: CellErrorCode;
  message: string;
  params: Record<string, string | number>;
  /** A value we think the cell had before a spreadsheet damaged it; applied only when accepted. */
  suggestion?: string;
};
export type CellResult<T> = Result<T, CellError>;

export const fail = (code: CellErrorCode, message: string, params: Record<string, string | number> = {}, suggestion?: string): CellResult<never> =>
  err(suggestion === undefined ? { code, message, params } : { code, message, params, suggestion });

export const isScientificNotation = (value: string): boolean => /^[+-]?\d+(?:[.,]\d+)?e[+-]?\d+$/i.test(value.trim());

export function scientificNotationError(value: string): CellResult<never> {
  return fail(
    'excel_scientific_notation',
    `“${value}” was turned into scientific notation by Excel, which loses digits. Format the column as Text in Excel and type the values again, or export the file from its source as CSV.`,
    { value },
  );
}

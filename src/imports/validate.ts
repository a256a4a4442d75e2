import { customerLanguages, parseBirthDate, parseCountry, parseVatNumber } from '../customers/customer.rules.ts';
import type { Address, ShippingAddress } from '../customers/customer.schemas.ts';
import { err, ok, type Result } from '../shared/result.ts';
import {
  cleanCell,
  hasReplacedLetters,
  isScientificNotation,
  kvkLeadingZerosLost,
  parseBooleanCell,
  parseDateCell,
  parseEmailCell,
  parseGenderCell,
  parseIntegerCell,
  parseLanguageCell,
  parseListCell,
  parsePasswordHashCell,
  parsePhoneCell,
  parsePostcodeCell,
  parseTextCell,
  replacedLetterFields,
  scientificNotationError,
  type CellError,
  type CellResult,
  type DateOrder,
  type PasswordAlgorithm,
  type SuggestedFixCode,
} from './cells.ts';
import { customerFieldByKey, customerFields } from './customer-fields.ts';
import { columnLabel, splitFullName, splitStreetWithNumber, type Catalogue, type ColumnMapping, type Mapping } from './mapping.ts';
import { badValuePolicies } from './import.schemas.ts';
import { createKeyIndex } from './key-index.ts';
import { customerCatalogue } from './presets.ts';
import type { RawRow } from './read.ts';

/**
 * Pure: one row of the file + the mapping + the import options → a customer draft, or every
 * problem of the row. A bad row never throws. The draft holds only the fields the row provides
 * (`presentFields`), so "blank cells keep the stored value" can leave the others alone; the plan
 * step (not here) compares it with the stored customer.
 */

export type ImportMode = 'create-update' | 'create' | 'update';
export type BlankPolicy = 'keep' | 'clear';
export type MatchOn = 'email' | 'id' | 'externalId';
/**
 * What a bad value that the customer can do without does to its row: the value is kept as typed
 * and flagged for review (default), left out, or (strict) the row is rejected as before.
 */
export type BadValuePolicy = (typeof badValuePolicies)[number];

export type ValidateOptions = {
  mode: ImportMode;
  blank: BlankPolicy;
  /** Today as YYYY-MM-DD (birth dates may not be later); passed in, so validation stays pure. */
  today: string;
  matchOn?: MatchOn;
  /** Default: the fields marked required in the catalogue (e-mail, first name, last name). */
  requiredForNew?: readonly string[];
  /** The shop's country: phone numbers without a country code and postcodes without a country. */
  defaultCountry?: string;
  /** The order of slash dates in this file, when the user chose it or the column proved it. */
  dateOrder?: DateOrder;
  /** Per field, the spreadsheet-damage fixes the user accepted in the check step. */
  acceptedFixes?: Readonly<Record<string, readonly SuggestedFixCode[]>>;
  /** Default `keep-flagged`. */
  badValues?: BadValuePolicy;
};

/** Problems only the plan step sees, against the stored customers. */
export const planErrorCodes = ['required', 'id_not_found', 'identity_conflict', 'exists_create_only', 'not_found_update_only', 'group_unknown'] as const;
export type PlanErrorCode = (typeof planErrorCodes)[number];

export type RowErrorCode = CellError['code'] | PlanErrorCode | 'cell_too_long' | 'extra_address_row' | 'duplicate_in_file';

export type RowError = {
  rowNumber: number;
  /** The heading as in the file (or "column C"); null when no column is involved (a missing field). */
  column: string | null;
  columnIndex: number | null;
  field: string;
  value: string;
  code: RowErrorCode;
  message: string;
  params: Record<string, string | number>;
  suggestion?: string;
  /** A problem the customer is imported with (its value kept as typed, left out, or not overwritten). */
  isWarning?: boolean;
  /** The value is stored as a flag on the customer for staff to review. */
  isFlagged?: boolean;
};

export type DraftValues = {
  id?: number;
  externalId?: string | null;
  email?: string;
  firstName?: string;
  nameInsertion?: string;
  lastName?: string;
  gender?: 'male' | 'female' | 'other' | null;
  birthDate?: string | null;
  phone?: string;
  mobile?: string;
  language?: string;
  isCompany?: boolean;
  companyName?: string;
  cocNumber?: string;
  vatNumber?: string;
  billingAddress?: Partial<Address>;
  shippingSameAsBilling?: boolean;
  shippingAddress?: Partial<ShippingAddress>;
  newsletter?: boolean;
  notes?: string;
  customerSince?: string | null;
  groups?: string[];
  password?: { hash: string; algorithm: PasswordAlgorithm };
};

export type CustomerDraft = {
  rowNumber: number;
  match: { on: MatchOn; value: string | number };
  values: DraftValues;
  /** Flattened keys (`billing.city`) of the values this row sets, including cleared ones. */
  presentFields: string[];
  /** Required fields this row lacks: fatal if the plan finds no stored customer to update. */
  missingForNew: string[];
  /** What the file said where the stored form differs (phones, postcodes, countries…). */
  originals: Record<string, string>;
  /** Problems the customer is imported with; `isFlagged` ones become flags on the customer. */
  warnings: RowError[];
};

/** `cellText`: the whole cell; for a part of a combined column (full name) it decides blankness. */
type Cell = { text: string; column: ColumnMapping; cellText: string };

const isAddressKey = (key: string) => key.startsWith('billing.') || key.startsWith('shipping.');
const labelOf = (field: string) => customerFieldByKey.get(field)?.headings.en ?? field;

/** Cell texts per field, with combined columns split into their parts. */
function collectCells(row: RawRow, mapping: Mapping): Map<string, Cell> {
  const cells = new Map<string, Cell>();
  for (const column of mapping.columns) {
    if (column.field === null) continue;
    const text = cleanCell(row.cells[column.index] ?? '');
    if (column.field === 'fullName') {
      const parts = splitFullName(text);
      for (const [key, value] of Object.entries(parts)) cells.set(key, { text: value, column, cellText: text });
    } else if (column.field.endsWith('.streetWithNumber')) {
      const kind = column.field.split('.')[0] ?? 'billing';
      const parts = splitStreetWithNumber(text);
      for (const [key, value] of Object.entries(parts)) {
        const existing = cells.get(`${kind}.${key}`);
        // A separately mapped "address line 2" column wins over extra street lines.
        if (key !== 'address2' || existing === undefined || existing.text === '') cells.set(`${kind}.${key}`, { text: value, column, cellText: text });
      }
    } else {
      const existing = cells.get(column.field);
      if (!(column.field.endsWith('.address2') && existing !== undefined && existing.text !== '')) cells.set(column.field, { text, column, cellText: text });
    }
  }
  // A middle name ("A.") joins the first name: "Jan" + "A." → "Jan A."; without a first name column it is not imported.
  const middle = cells.get('middleName');
  const first = cells.get('firstName');
  cells.delete('middleName');
  if (middle && first && middle.text !== '') cells.set('firstName', { ...first, text: [first.text, middle.text].filter(Boolean).join(' '), cellText: [first.cellText, middle.cellText].filter(Boolean).join(' ') });
  return cells;
}

function parseCountryCell(text: string): CellResult<string> {
  const country = parseCountry(text);
  return country.ok
    ? ok(country.value)
    : err({ code: 'country_unknown', message: `Unknown country “${text}”. Use a code such as NL or a name such as Netherlands.`, params: { value: text } });
}

function parseField(field: string, text: string, options: ValidateOptions, countries: { billing: string; shipping: string }): CellResult<unknown> {
  const definition = customerFieldByKey.get(field);
  const isFixAccepted = (options.acceptedFixes?.[field] ?? []).includes('leading_zero_lost');
  const country = field.startsWith('shipping.') ? countries.shipping || countries.billing : countries.billing;
  switch (definition?.type) {
    case 'email':
      return parseEmailCell(text);
    case 'phone':
      return parsePhoneCell(text, countries.billing || options.defaultCountry || 'NL', isFixAccepted);
    case 'postcode':
      return parsePostcodeCell(text, country, options.defaultCountry ?? 'NL', isFixAccepted);
    case 'country':
      return parseCountryCell(text);
    case 'boolean':
      return parseBooleanCell(text, field);
    case 'list':
      return parseListCell(text, definition.maxLength);
    case 'integer':
      return parseIntegerCell(text);
    case 'password_hash':
      return parsePasswordHashCell(text);
    case 'enum':
      return field === 'gender' ? parseGenderCell(text) : parseLanguageCell(text, customerLanguages);
    case 'date':
      return field === 'customerSince' ? parseCustomerSinceCell(text, options) : parseBirthDateCell(text, options);
    default:
      return parseTextField(field, text, definition?.maxLength);
  }
}

function parseBirthDateCell(text: string, options: ValidateOptions): CellResult<string | null> {
  const date = parseDateCell(text, options.dateOrder === undefined ? {} : { dateOrder: options.dateOrder });
  if (!date.ok || date.value === null) return date;
  const checked = parseBirthDate(date.value, options.today);
  if (checked.ok) return ok(checked.value);
  const message = checked.error === 'date_in_future' ? 'The date of birth is in the future.' : 'The date of birth is before 1900.';
  return err({ code: checked.error, message, params: { value: text, date: date.value } });
}

/** A registration date: platforms write a date and time (2021-04-01 12:00:00); the date is kept. */
function parseCustomerSinceCell(text: string, options: ValidateOptions): CellResult<string | null> {
  const date = parseDateCell(text, options.dateOrder === undefined ? {} : { dateOrder: options.dateOrder });
  if (!date.ok || date.value === null || date.value <= options.today) return date;
  return err({ code: 'date_in_future', message: 'The customer-since date is in the future.', params: { value: text, date: date.value } });
}

function parseTextField(field: string, text: string, maxLength: number | undefined): CellResult<string> {
  if (['cocNumber', 'vatNumber', 'externalId'].includes(field) && isScientificNotation(text)) return scientificNotationError(text);
  if (field === 'vatNumber' && text !== '') {
    const vat = parseVatNumber(text);
    if (!vat.ok) return err({ code: 'vat_invalid', message: `“${text}” is not a valid VAT number; start with the country code, e.g. NL123456789B01.`, params: { value: text } });
    return parseTextCell(vat.value, maxLength);
  }
  return parseTextCell(text, maxLength, field === 'notes');
}

/** The value a blank cell writes when blank cells clear: the same defaults as a new customer. */
function clearedValue(field: string): unknown {
  const type = customerFieldByKey.get(field)?.type;
  if (field === 'shippingSameAsBilling') return true;
  if (type === 'boolean') return false;
  if (type === 'list') return [];
  if (['gender', 'birthDate', 'externalId', 'customerSince'].includes(field)) return null;
  return '';
}

/** Fields a blank cell never clears: identity, and passwords (an import must not lock people out). */
const neverCleared = new Set(['id', 'email', 'passwordHash']);
const comparedForOriginals = new Set(['phone', 'postcode', 'country', 'email', 'text']);

function setValue(values: DraftValues, field: string, value: unknown) {
  const target = values as Record<string, unknown>;
  if (isAddressKey(field)) {
    const [kind, part] = field.split('.') as [string, string];
    const key = kind === 'billing' ? 'billingAddress' : 'shippingAddress';
    const address = (target[key] ??= {}) as Record<string, unknown>;
    address[part] = value;
  } else target[field === 'passwordHash' ? 'password' : field] = value;
}

function rowError(rowNumber: number, field: string, cell: Cell | undefined, error: Omit<RowError, 'rowNumber' | 'column' | 'columnIndex' | 'field' | 'value'>): RowError {
  return {
    rowNumber,
    column: cell ? columnLabel(cell.column).replace(/^“|”$/g, '') : null,
    columnIndex: cell ? cell.column.index : null,
    field,
    value: field === 'passwordHash' ? '(hidden)' : (cell?.text ?? ''),
    ...error,
  };
}

export function validateRow(row: RawRow, mapping: Mapping, options: ValidateOptions): Result<CustomerDraft, RowError[]> {
  const cells = collectCells(row, mapping);
  const policy = options.badValues ?? 'keep-flagged';
  const matchOn = options.matchOn ?? 'email';
  const required = options.requiredForNew ?? customerFields.filter((field) => field.isRequiredForNew).map((field) => field.key);
  // What the customer cannot exist without: its match key, its e-mail address, its id, the required names.
  const fatal = new Set([matchField(matchOn), 'email', 'id', ...required]);
  const warnings: RowError[] = extraCellsWarning(row, mapping);
  const errors: RowError[] = [];
  const values: DraftValues = {};
  const presentFields: string[] = [];
  const originals: Record<string, string> = {};
  const countries = { billing: '', shipping: '' };
  const tooLong = new Map((row.issues ?? []).map((issue) => [Number(issue.params.columnIndex), issue]));
  const order = [...cells.keys()].sort((a, b) => Number(!a.endsWith('.country')) - Number(!b.endsWith('.country')));
  for (const field of order) {
    const cell = cells.get(field);
    if (!cell) continue;
    // A filled "Jan Jansen" clears a stored insertion; only a blank cell may keep stored values.
    if (cell.cellText === '' && (options.blank === 'keep' || neverCleared.has(field))) continue;
    if (cell.text === '' && neverCleared.has(field)) continue;
    const issue = tooLong.get(cell.column.index);
    if (issue) {
      // One problem per cell: a combined column (full name) too long is reported once.
      if (policy === 'strict' || fatal.has(field)) errors.push(tooLongError(row.rowNumber, field, cell, issue, undefined));
      else {
        const kept = policy === 'keep-flagged' ? keptPartOf(field, cell.text) : undefined;
        warnings.push({ ...tooLongError(row.rowNumber, field, cell, issue, kept), isWarning: true, ...(kept !== undefined && { isFlagged: true }) });
        if (kept !== undefined) {
          setValue(values, field, kept);
          presentFields.push(field);
        }
      }
      tooLong.delete(cell.column.index);
      continue;
    }
    if (!tooLong.has(cell.column.index) && (row.issues ?? []).some((seen) => seen.params.columnIndex === cell.column.index)) continue;
    const parsed = cell.text === '' ? ok(clearedValue(field)) : parseField(field, cell.text, options, countries);
    if (!parsed.ok) {
      const error = rowError(row.rowNumber, field, cell, parsed.error.suggestion === undefined ? { code: parsed.error.code, message: parsed.error.message, params: parsed.error.params } : { ...parsed.error });
      if (policy === 'strict' || fatal.has(field)) errors.push(error);
      else if (keepBadValue(field, error, policy, warnings)) {
        setValue(values, field, cell.text);
        presentFields.push(field);
      }
      continue;
    }
    const damage = spreadsheetDamage(field, parsed.value, cell, options, countries);
    if (damage) {
      const warning = rowError(row.rowNumber, field, cell, damage);
      const isLeftOut = policy === 'leave-out' && !fatal.has(field);
      warnings.push({ ...warning, isWarning: true, ...(!isLeftOut && { isFlagged: true }) });
      if (isLeftOut) continue;
    }
    if (field === 'billing.country' || field === 'shipping.country') countries[field === 'billing.country' ? 'billing' : 'shipping'] = String(parsed.value);
    if (parsed.value === null && ['id', 'passwordHash'].includes(field)) continue;
    setValue(values, field, field === 'cocNumber' ? withAcceptedKvkFix(parsed.value, options, countries) : parsed.value);
    presentFields.push(field);
    const type = customerFieldByKey.get(field)?.type ?? 'text';
    if (comparedForOriginals.has(type) && typeof parsed.value === 'string' && parsed.value !== cell.text) originals[field] = cell.text;
  }
  deriveShippingSameAsBilling(values, presentFields);
  // A company name makes a business customer (WooCommerce billing_company…), unless a type column says otherwise.
  if (!presentFields.includes('isCompany') && typeof values.companyName === 'string' && values.companyName !== '') {
    values.isCompany = true;
    presentFields.push('isCompany');
  }
  const matchValue = matchOn === 'email' ? values.email : matchOn === 'id' ? values.id : (values.externalId ?? undefined);
  const missingForNew = required.filter(
    (field) => !presentFields.includes(field) || ['', null].includes(valueOf(values, field) as string | null),
  );
  if (matchValue === undefined || matchValue === '') {
    if (!errors.some((error) => error.field === matchField(matchOn))) errors.push(missingIdentity(row.rowNumber, matchOn, cells));
  }
  // Every problem at once: a row whose match key is wrong also hears about the names a new customer lacks.
  // (Only when the match key's column is mapped: without it the import cannot start anyway.)
  const isMatchKeyBad = cells.has(matchField(matchOn)) && errors.some((error) => error.field === matchField(matchOn) && error.code !== 'extra_address_row');
  if (options.mode === 'create' || (isMatchKeyBad && options.mode !== 'update')) {
    for (const field of missingForNew) {
      if (!errors.some((error) => error.field === field)) errors.push(rowError(row.rowNumber, field, cells.get(field), { code: 'required', message: `${labelOf(field)} is required for a new customer.`, params: { field: labelOf(field) } }));
    }
  }
  if (errors.length > 0) return err([...errors, ...warnings]);
  return ok({ rowNumber: row.rowNumber, match: { on: matchOn, value: matchValue ?? '' }, values, presentFields, missingForNew, originals, warnings });
}

/**
 * The part of a cell over the read cap (`cell_too_long`, already cut by the reader) that is kept:
 * the start, up to the field's own maximum, for fields stored as text; nothing for the others.
 */
function keptPartOf(field: string, text: string): string | undefined {
  const definition = customerFieldByKey.get(field);
  if (!keptAsTypedTypes.has(definition?.type ?? 'text') || field === 'externalId') return undefined;
  const normalized = field === 'notes' ? text.replace(/\r\n?/g, '\n') : text.replace(/\s+/g, ' ');
  return normalized.slice(0, definition?.maxLength ?? normalized.length);
}

function tooLongError(rowNumber: number, field: string, cell: Cell, issue: NonNullable<RawRow['issues']>[number], kept: string | undefined): RowError {
  const outcome = kept === undefined ? '' : ` Its first ${kept.length} characters are kept.`;
  const params = { ...issue.params, ...(kept !== undefined && { kept: kept.length }) };
  const error = rowError(rowNumber, field, cell, { code: issue.code, message: `${issue.message}${outcome}`, params });
  // The flag and the reports hold the start of the cell, not the whole (cut) cell.
  return { ...error, value: kept ?? cell.text.slice(0, 200) };
}

const matchField = (matchOn: MatchOn) => (matchOn === 'email' ? 'email' : matchOn);

/** Fields whose column holds text, so a bad value can be stored as typed (and found again by staff). */
const keptAsTypedTypes = new Set(['phone', 'postcode', 'country', 'text']);

/**
 * A bad value the customer can do without becomes a warning. Returns whether the value is stored
 * as typed: only with `keep-flagged`, for text columns, and when it fits (not for `too_long`, not
 * for the external id, which is an identity). Values that cannot be stored as typed (a date, a
 * gender, yes/no) are flagged with what the file said; a hash Clientele cannot verify is dropped
 * (the customer sets a new password).
 */
function keepBadValue(field: string, error: RowError, policy: BadValuePolicy, warnings: RowError[]): boolean {
  if (field === 'passwordHash') {
    warnings.push({ ...error, isWarning: true });
    return false;
  }
  const isFlagged = policy === 'keep-flagged';
  warnings.push({ ...error, isWarning: true, ...(isFlagged && { isFlagged }) });
  const type = customerFieldByKey.get(field)?.type ?? 'text';
  return isFlagged && keptAsTypedTypes.has(type) && field !== 'externalId' && error.code !== 'too_long';
}

type Damage = Omit<RowError, 'rowNumber' | 'column' | 'columnIndex' | 'field' | 'value'>;

/** Damage a spreadsheet did to a value that parses: a KvK number without its leading zeros, letters an ANSI save replaced by `?`. */
function spreadsheetDamage(field: string, value: unknown, cell: Cell, options: ValidateOptions, countries: { billing: string }): Damage | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  if (field === 'cocNumber') {
    const padded = kvkLeadingZerosLost(value, countries.billing || options.defaultCountry || 'NL');
    if (padded === undefined || (options.acceptedFixes?.cocNumber ?? []).includes('leading_zero_lost')) return undefined;
    return { code: 'leading_zero_lost', message: `“${value}” has ${value.length} digits; a Dutch Chamber of Commerce number has 8, so a spreadsheet probably removed the leading zeros of ${padded}.`, params: { value, suggestion: padded }, suggestion: padded };
  }
  if (replacedLetterFields.has(field) && hasReplacedLetters(cell.text)) {
    return { code: 'letters_replaced', message: `“${cell.text}” has a ? where a letter should be: the file was probably saved in a character set that lacks that letter (ANSI). Save it as CSV UTF-8 and import it again.`, params: { value: cell.text } };
  }
  return undefined;
}

/** A KvK number padded to 8 digits, when the user accepted the leading-zero fix for the column. */
function withAcceptedKvkFix(value: unknown, options: ValidateOptions, countries: { billing: string }): unknown {
  if (typeof value !== 'string' || !(options.acceptedFixes?.cocNumber ?? []).includes('leading_zero_lost')) return value;
  return kvkLeadingZerosLost(value, countries.billing || options.defaultCountry || 'NL') ?? value;
}

/** A row with more cells than the heading row has columns: the extra cells are named, never silently dropped. */
function extraCellsWarning(row: RawRow, mapping: Mapping): RowError[] {
  const width = mapping.columns.reduce((max, column) => Math.max(max, column.index + 1), 0);
  const extra = row.cells.slice(width).map((text, offset) => ({ text: text.trim(), column: width + offset + 1 })).filter((cell) => cell.text !== '');
  if (width === 0 || extra.length === 0) return [];
  const cells = extra.map((cell) => `column ${cell.column}: “${cell.text.length > 40 ? `${cell.text.slice(0, 40)}…` : cell.text}”`).join(', ');
  return [{
    rowNumber: row.rowNumber, column: null, columnIndex: null, field: '', value: extra.map((cell) => cell.text).join(' | '),
    code: 'extra_cells',
    message: `This row has ${extra.length} more cell${extra.length === 1 ? '' : 's'} than the heading row has columns (${cells}); ${extra.length === 1 ? 'it was' : 'they were'} not imported. A delimiter inside a value without quotes usually causes this.`,
    params: { count: extra.length, cells, rowNumber: row.rowNumber },
    isWarning: true,
  }];
}

function valueOf(values: DraftValues, field: string): unknown {
  if (!isAddressKey(field)) return (values as Record<string, unknown>)[field];
  const [kind, part] = field.split('.') as [string, string];
  return (values[kind === 'billing' ? 'billingAddress' : 'shippingAddress'] as Record<string, unknown> | undefined)?.[part];
}

/** Magento's extra address rows have no e-mail: say that, instead of "e-mail required". */
function missingIdentity(rowNumber: number, matchOn: MatchOn, cells: ReadonlyMap<string, Cell>): RowError {
  const field = matchField(matchOn);
  const filled = [...cells].filter(([, cell]) => cell.text !== '').map(([key]) => key);
  if (filled.length > 0 && filled.every((key) => isAddressKey(key) || ['phone', 'companyName', 'vatNumber'].includes(key))) {
    return rowError(rowNumber, field, cells.get(field), {
      code: 'extra_address_row',
      message: 'This row holds only an address, like the extra-address rows of a Magento export; Clientele keeps one billing address per customer, so it is skipped.',
      params: {},
    });
  }
  return rowError(rowNumber, field, cells.get(field), { code: 'required', message: `${labelOf(field)} is needed to match the customer; this row has none.`, params: { field: labelOf(field), reason: 'match' } });
}

/**
 * Files without a "shipping same as billing" column but with shipping columns (Lightspeed,
 * WooCommerce): a filled shipping address that differs from the billing address means false;
 * an identical one means true; an empty one says nothing.
 */
function deriveShippingSameAsBilling(values: DraftValues, presentFields: string[]) {
  if (presentFields.includes('shippingSameAsBilling')) return;
  const shipping = values.shippingAddress ?? {};
  const filled = Object.entries(shipping).filter(([, value]) => value !== '');
  if (filled.length === 0) return;
  const billing = (values.billingAddress ?? {}) as Record<string, string | undefined>;
  const isSame = Object.entries(shipping).every(([part, value]) => (part === 'company' ? value === '' : value === (billing[part] ?? '')));
  values.shippingSameAsBilling = isSame;
  presentFields.push('shippingSameAsBilling');
}

export type DuplicateDetector = {
  check: (row: RawRow) => RowError | undefined;
  /** The row's customer key (normalised e-mail, id or external id), or undefined when it has none. */
  keyOf: (row: RawRow) => string | undefined;
  /** Makes room for the keys of `rows` rows at once (see key-index.ts). */
  reserve: (rows: number) => void;
};

/**
 * The same customer twice in one file. Rule: the first row wins; every later row with the same
 * normalised e-mail (or id / external id, per `matchOn`) is rejected with "same e-mail address
 * as row 12", also when the first row was itself rejected for another reason, so the error file
 * holds both rows to merge. Streaming-friendly: nothing is buffered but a 64-bit hash and a row
 * number per customer (`key-index.ts`: about 16 MB for a million rows).
 */
export function createDuplicateDetector(mapping: Mapping, matchOn: MatchOn = 'email'): DuplicateDetector {
  const field = matchField(matchOn);
  const column = mapping.columns.find((candidate) => candidate.field === field);
  const firstRows = createKeyIndex();
  function keyOf(row: RawRow): string | undefined {
    if (!column) return undefined;
    const text = cleanCell(row.cells[column.index] ?? '');
    const parsed = field === 'email' ? parseEmailCell(text) : field === 'id' ? parseIntegerCell(text) : ok(text);
    return !parsed.ok || parsed.value === '' || parsed.value === null ? undefined : String(parsed.value);
  }
  return {
    keyOf,
    check(row: RawRow): RowError | undefined {
      const key = keyOf(row);
      if (!column || key === undefined) return undefined;
      const text = cleanCell(row.cells[column.index] ?? '');
      const firstRow = firstRows.firstRowOf(key, row.rowNumber);
      if (firstRow === undefined) return undefined;
      const what = field === 'email' ? 'e-mail address' : labelOf(field);
      return rowError(row.rowNumber, field, { text, column, cellText: text }, {
        code: 'duplicate_in_file',
        message: `Same ${what} as row ${firstRow}; only the first row of a customer is imported.`,
        params: { firstRow },
      });
    },
    reserve: (rows) => firstRows.reserve(rows),
  };
}

/**
 * What the pipeline (jobs, check, apply, report) needs to know about one kind of import. A
 * products import would be another value of this shape: its catalogue, its row validator, its
 * identity for duplicates (and, later, its writer); the pipeline itself stays the same.
 */
export type ImportType<Draft, Options> = {
  id: string;
  catalogue: Catalogue;
  validateRow: (row: RawRow, mapping: Mapping, options: Options) => Result<Draft, RowError[]>;
  createDuplicateDetector: (mapping: Mapping, matchOn?: MatchOn) => DuplicateDetector;
};

export const customerImport: ImportType<CustomerDraft, ValidateOptions> = {
  id: 'customers',
  catalogue: customerCatalogue,
  validateRow,
  createDuplicateDetector,
};

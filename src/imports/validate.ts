import { err, ok, type Result } from '../shared/result.ts';
import { cleanCell } from './cells.ts';
import { consentFieldKeys, customerFields } from './customer-fields.ts';
import { importFieldByKey } from './address-file.ts';
import { createDuplicateDetector, type DuplicateDetector } from './duplicate-detector.ts';
import { clearedValue, keptAsTypedTypes, keptPartOf, parseField, spreadsheetDamage, withAcceptedKvkFix } from './field-values.ts';
import { splitFullName, splitStreetWithNumber } from './combined-columns.ts';
import type { Catalogue, Mapping } from './mapping.ts';
import { customerCatalogue } from './presets.ts';
import type { RawRow } from './read.ts';
import { isAddressKey, labelOf, matchField, matchFields, phoneKey, rowError, type BadValuePolicy, type Cell, type CustomerDraft, type DraftValues, type MatchOn, type RowError, type ValidateOptions } from './row-draft.ts';

// The types of a validated row live in row-draft.ts; the modules of the pipeline import them from here.
export type { BadValuePolicy, BlankPolicy, CustomerDraft, DraftValues, ImportMode, MatchOn, PlanErrorCode, RowError, RowErrorCode, ValidateOptions } from './row-draft.ts';
export { planErrorCodes } from './row-draft.ts';
export { createDuplicateDetector, type DuplicateDetector } from './duplicate-detector.ts';

/**
 * Pure: one row of the file + the mapping + the import options → a customer draft, or every
 * problem of the row. A bad row never throws. The draft holds only the fields the row provides
 * (`presentFields`), so "blank cells keep the stored value" can leave the others alone; the plan
 * step (not here) compares it with the stored customer.
 */

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

/**
 * Fields a blank cell never clears: identity, passwords (an import must not lock people out) and
 * marketing consent (an empty cell is no evidence of anything).
 */
// The contact's role and primary flag too: an empty cell says nothing about a link (company-row.ts).
const neverCleared = new Set(['id', 'email', 'passwordHash', 'rowCommand', 'tagsCommand', 'companyRole', 'isPrimaryContact', ...consentFieldKeys]);
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

export function validateRow(row: RawRow, mapping: Mapping, options: ValidateOptions): Result<CustomerDraft, RowError[]> {
  const cells = collectCells(row, mapping);
  const policy = options.badValues ?? 'keep-flagged';
  const matchOn = options.matchOn ?? 'email';
  const required = options.requiredForNew ?? customerFields.filter((field) => field.isRequiredForNew).map((field) => field.key);
  // What the customer cannot exist without: its match key, its e-mail address, its id, the required names.
  // A command that cannot be read is fatal too: guessing could create or delete the wrong customer.
  const fatal = new Set([...matchFields(matchOn), 'email', 'id', 'rowCommand', ...required]);
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
    // "not set" / "unknown" consent says nothing, like an empty cell.
    if (parsed.value === null && ['id', 'passwordHash', ...consentFieldKeys].includes(field)) continue;
    setValue(values, field, field === 'cocNumber' ? withAcceptedKvkFix(parsed.value, options, countries) : parsed.value);
    presentFields.push(field);
    const type = importFieldByKey(field)?.type ?? 'text';
    if (comparedForOriginals.has(type) && typeof parsed.value === 'string' && parsed.value !== cell.text) originals[field] = cell.text;
  }
  deriveShippingSameAsBilling(values, presentFields);
  // A tags command that cannot be read leaves the row's tags out: guessing "add" could add what was meant to go.
  if (cells.get('tagsCommand')?.text && values.tagsCommand === undefined && values.tags !== undefined) {
    delete values.tags;
    presentFields.splice(presentFields.indexOf('tags'), 1);
  }
  // A company name makes a business customer (WooCommerce billing_company…), unless a type column says otherwise.
  if (!presentFields.includes('isCompany') && typeof values.companyName === 'string' && values.companyName !== '') {
    values.isCompany = true;
    presentFields.push('isCompany');
  }
  const match = matchOf(values, matchOn);
  // Mode "delete" (Magento's Delete Entities file): every row deletes its customer.
  if (options.mode === 'delete' && values.rowCommand === undefined) values.rowCommand = 'delete';
  // A row the file says to ignore is skipped whatever it holds; a row that deletes needs only its key.
  if (values.rowCommand === 'ignore') {
    return ok({ rowNumber: row.rowNumber, match: match ?? { on: matchField(matchOn), value: '' }, values: { rowCommand: 'ignore' }, presentFields: ['rowCommand'], missingForNew: [], originals: {}, warnings: [] });
  }
  if (values.rowCommand === 'delete') {
    const keyFields = new Set([...matchFields(matchOn), 'rowCommand']);
    errors.splice(0, errors.length, ...errors.filter((error) => keyFields.has(error.field)));
    warnings.splice(0, warnings.length);
  }
  const matchValue = match?.value;
  const missingForNew = required.filter(
    (field) => !presentFields.includes(field) || ['', null].includes(valueOf(values, field) as string | null),
  );
  if (matchValue === undefined || matchValue === '') {
    if (!errors.some((error) => error.field === matchField(matchOn))) errors.push(missingIdentity(row.rowNumber, matchOn, cells));
  }
  // Every problem at once: a row whose match key is wrong also hears about the names a new customer lacks.
  // (Only when the match key's column is mapped: without it the import cannot start anyway.)
  const isMatchKeyBad = cells.has(matchField(matchOn)) && errors.some((error) => error.field === matchField(matchOn) && error.code !== 'extra_address_row');
  if (values.rowCommand !== 'delete' && values.rowCommand !== 'update' && (options.mode === 'create' || values.rowCommand === 'new' || (isMatchKeyBad && options.mode !== 'update'))) {
    for (const field of missingForNew) {
      if (!errors.some((error) => error.field === field)) errors.push(rowError(row.rowNumber, field, cells.get(field), { code: 'required', message: `${labelOf(field)} is required for a new customer.`, params: { field: labelOf(field) } }));
    }
  }
  if (errors.length > 0) return err([...errors, ...warnings]);
  return ok({ rowNumber: row.rowNumber, match: match ?? { on: matchField(matchOn), value: '' }, values, presentFields, missingForNew, originals, warnings });
}

function tooLongError(rowNumber: number, field: string, cell: Cell, issue: NonNullable<RawRow['issues']>[number], kept: string | undefined): RowError {
  const outcome = kept === undefined ? '' : ` Its first ${kept.length} characters are kept.`;
  const params = { ...issue.params, ...(kept !== undefined && { kept: kept.length }) };
  const error = rowError(rowNumber, field, cell, { code: issue.code, message: `${issue.message}${outcome}`, params });
  // The flag and the reports hold the start of the cell, not the whole (cut) cell.
  return { ...error, value: kept ?? cell.text.slice(0, 200) };
}

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
  const type = importFieldByKey(field)?.type ?? 'text';
  return isFlagged && keptAsTypedTypes.has(type) && field !== 'externalId' && error.code !== 'too_long';
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

/**
 * The key a row is recognised by: the one chosen, or for the combination its external ID when
 * it has one (its e-mail address, if any, tried when no customer has that ID), else its e-mail address.
 */
function matchOf(values: DraftValues, matchOn: MatchOn): CustomerDraft['match'] | undefined {
  const filled = (value: string | number | null | undefined) => (value === undefined || value === null || value === '' ? undefined : value);
  if (matchOn === 'externalIdThenEmail') {
    const externalId = filled(values.externalId);
    const email = filled(values.email) as string | undefined;
    if (externalId !== undefined) return { on: 'externalId', value: externalId, ...(email !== undefined && { fallback: { on: 'email' as const, value: email } }) };
    return email === undefined ? undefined : { on: 'email', value: email };
  }
  if (matchOn === 'phone') {
    // The phone number, else the mobile number.
    const number = typeof values.phone === 'string' && values.phone !== '' ? values.phone : values.mobile;
    const phone = typeof number === 'string' ? phoneKey(number) : '';
    return phone === '' || phone === '+' ? undefined : { on: 'phone', value: phone };
  }
  const value = filled(matchOn === 'email' ? values.email : matchOn === 'id' ? values.id : values.externalId);
  return value === undefined ? undefined : { on: matchOn, value };
}

/** Magento's extra address rows have no e-mail: say that, instead of "e-mail required". */
function missingIdentity(rowNumber: number, matchOn: MatchOn, cells: ReadonlyMap<string, Cell>): RowError {
  const field = matchField(matchOn);
  const filled = [...cells].filter(([, cell]) => cell.text !== '').map(([key]) => key);
  if (filled.length > 0 && filled.every((key) => isAddressKey(key) || ['phone', 'companyName', 'vatNumber', 'isDefaultBilling', 'isDefaultShipping'].includes(key))) {
    return rowError(rowNumber, field, cells.get(field), {
      code: 'extra_address_row',
      message: 'This row holds only an address, like the extra-address rows of a Magento export. To add it to the address book of the customer in the row above, choose “Adds an address” for the same customer on several rows in step Check.',
      params: {},
    });
  }
  if (matchOn === 'externalIdThenEmail') {
    return rowError(rowNumber, field, cells.get(field), { code: 'required', message: `${labelOf('externalId')} or ${labelOf('email')} is needed to match the customer; this row has neither.`, params: { field: labelOf(field), reason: 'match_either' } });
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

import { err, type Result } from '../shared/result.ts';
import { importOptionsSchema, readSettingsSchema, type ImportOptions, type StoredReadSettings } from './import.schemas.ts';
import type { Mapping } from './mapping.ts';
import type { PlanOptions } from './plan.ts';
import { scanDuplicates, type DuplicateOutcome, type DuplicateScan } from './duplicate-rows.ts';
import { addressColumnIndexes, companionColumnIndexes, conflictingColumns, scanAddressRows, type AddressRowScan } from './address-rows.ts';
import type { DuplicateDetector } from './duplicate-detector.ts';
import { labelOf, rowError, type ExtraAddress } from './row-draft.ts';
import { readTable, type RawRow, type ReadSettings, type ReadSource } from './read.ts';
import { validatedBatchesInThread } from './validation-thread.ts';
import { toAddressRow, type ImportTypeId } from './address-file.ts';
import { customerImport, type CustomerDraft, type RowError, type ValidateOptions } from './validate.ts';

/**
 * The streaming front half of the pipeline, shared by preview, check and apply: file → rows →
 * mapped and validated rows, in batches, in file order. Memory holds one batch and the
 * duplicate detector's keys, whatever the size of the file.
 */

/**
 * A row and what validation made of it. `duplicate`: the row is not imported on its own under
 * the file's duplicate rule (last row wins, or combine); its `result` is then an empty error list.
 */
export type ValidatedRow = { row: RawRow; result: Result<CustomerDraft, RowError[]>; duplicate?: DuplicateOutcome };

export type PipelineInput = {
  /** What the file holds: customers, or addresses of customers that exist (address-file.ts). Default customers. */
  type?: ImportTypeId;
  file: ReadSource;
  settings: StoredReadSettings;
  mapping: Mapping;
  options: ImportOptions;
  /** Today as YYYY-MM-DD, for birth dates. */
  today: string;
  defaultCountry: string;
  /** The file's size, when known: large CSV files are validated on a thread of their own. */
  fileBytes?: number;
  /** The data rows the upload's analysis estimated (from the file's size and its first rows, or a workbook's dimension). */
  expectedRows?: number;
  /** The import this run is of: the source of the consent it sets. */
  importId?: number;
  /** Cells edited in the app before the run (row number → column index → value), laid over the file's rows as they are read. */
  edits?: RowEdits;
};

export type RowEdits = ReadonlyMap<number, ReadonlyMap<number, string>>;

/**
 * The rows with the edits made in the app laid over their cells (a row keeps what the file said
 * in `fileCells`), so every reader of the file in a run — the duplicate rules' scans too — sees
 * the fixed rows. An edited cell that was cut for being too long is no longer too long.
 */
export async function* withRowEdits(rows: AsyncIterable<RawRow>, edits: RowEdits | undefined): AsyncGenerator<RawRow> {
  for await (const row of rows) {
    const edited = edits?.get(row.rowNumber);
    if (!edited || edited.size === 0) {
      yield row;
      continue;
    }
    const cells = [...row.cells];
    for (const [columnIndex, value] of edited) {
      while (cells.length < columnIndex) cells.push('');
      cells[columnIndex] = value;
    }
    const issues = row.issues?.filter((issue) => !edited.has(Number(issue.params.columnIndex)));
    yield { rowNumber: row.rowNumber, cells, fileCells: row.cells, ...(issues && issues.length > 0 && { issues }) };
  }
}

export function toReadSettings(settings: StoredReadSettings): ReadSettings {
  return settings.format === 'csv'
    ? { format: 'csv', encoding: settings.encoding, delimiter: settings.delimiter, quote: settings.quote }
    : { format: 'xlsx', ...(settings.sheet !== null && { sheet: settings.sheet }) };
}

export function validateOptionsOf(input: Pick<PipelineInput, 'options' | 'today' | 'defaultCountry'>): ValidateOptions {
  const { options } = input;
  return {
    mode: options.mode,
    blank: options.blank,
    today: input.today,
    matchOn: options.matchOn,
    defaultCountry: options.phoneCountry ?? input.defaultCountry,
    ...(options.dateOrder && { dateOrder: options.dateOrder }),
    acceptedFixes: options.acceptedFixes,
    badValues: options.badValues,
  };
}

export function planOptionsOf(options: ImportOptions, context: { importId?: number; now?: Date } = {}): PlanOptions {
  return {
    mode: options.mode, matchOn: options.matchOn, groups: options.groups, protectedFields: options.protectedFields, unknownGroups: options.unknownGroups,
    newConsentEvidence: options.newConsentEvidence, ...context,
  };
}

/**
 * Validated rows in batches of `batchSize`, starting after spreadsheet row `afterRow` (the
 * checkpoint). Rows up to the checkpoint are still read so the duplicate rule ("the first row
 * of a customer wins") sees them, but they are not validated again.
 *
 * One batch is read and validated ahead: while the caller plans and writes a batch, the next
 * one is parsed — for a large CSV file on a thread of its own, so the two cores work at the
 * same time. Memory holds at most two batches.
 */
export function validatedBatches(input: PipelineInput, options: { afterRow?: number; batchSize: number; threadFromBytes?: number }): AsyncGenerator<ValidatedRow[]> {
  const { threadFromBytes = validationThreadFromBytes, ...batchOptions } = options;
  // The rules "last", "combine" and "address" read the file twice (duplicate-rows.ts, address-rows.ts): on this thread.
  const inThread = input.settings.format === 'csv' && input.options.duplicates === 'first' && input.fileBytes !== undefined && input.fileBytes >= threadFromBytes;
  return inThread ? validatedBatchesInThread(input, batchOptions) : oneAhead(batchesInFileOrder(input, batchOptions));
}

/**
 * CSV files from this size on are read and validated on a thread of their own
 * (validation-thread.ts); starting one costs ~0.1 s, more than a small file takes.
 */
export const validationThreadFromBytes = 2 * 1024 * 1024;

export async function* batchesInFileOrder(input: PipelineInput, options: { afterRow?: number; batchSize: number }): AsyncGenerator<ValidatedRow[]> {
  const detector = customerImport.createDuplicateDetector(input.mapping, input.options.matchOn);
  const rule = input.options.duplicates;
  const readSettings = toReadSettings(input.settings);
  const readRows = async () => withRowEdits((await readTable(input.file, readSettings, input.settings.headerRowNumber)).rows, input.edits);
  const scan = rule === 'first' || rule === 'address' ? undefined : await scanDuplicates(await readRows(), detector.keyOf, rule, input.expectedRows);
  const addressScan = rule === 'address' ? await scanAddressRows(await readRows(), detector.keyOf, detector.isKeyBlank, input.mapping) : undefined;
  const rows = await readRows();
  const validateOptions = validateOptionsOf(input);
  if (input.type === 'addresses') {
    yield* addressFileBatches(rows, input.mapping, validateOptions, options);
    return;
  }
  const afterRow = options.afterRow ?? 0;
  // A customers file's default flags (Magento's `_address_default_billing_`) belong to the row's address, not the customer.
  const validate = (raw: RawRow) => withContactApart(withAddressFlagsApart(customerImport.validateRow(raw, input.mapping, validateOptions)));
  const addressRule = addressScan && addressRuleOf(addressScan, detector, input.mapping, validate);
  // The duplicate check's table is reserved once for the rows the analysis expects, with a tenth
  // to spare: growing it means a copy, and at a million rows both copies would be in memory.
  if (input.expectedRows && !scan) detector.reserve(Math.ceil(input.expectedRows * 1.1));
  let batch: ValidatedRow[] = [];
  for await (const row of rows) {
    if (addressRule) {
      // A customer's first row is read also before the checkpoint: it decides its later rows.
      const validated = addressRule(row);
      if (row.rowNumber > afterRow) batch.push(validated);
    } else if (scan) {
      if (row.rowNumber > afterRow) batch.push(underRule(scan, detector.keyOf(row), row, validate));
    } else {
      const duplicate = detector.check(row);
      if (row.rowNumber <= afterRow) continue;
      const result = validate(row);
      batch.push({ row, result: duplicate ? err([duplicate, ...(result.ok ? [] : result.error)]) : result });
    }
    if (batch.length >= options.batchSize) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

/**
 * Rows validated each on its own, by the rules the check validates them with (the import's
 * mapping and options; no duplicate rule: each row as if it were alone in the file). Fixing
 * rejected rows in the app checks an edited row again with this, then plans it like a batch.
 */
export function validatedRowsAlone(input: PipelineInput, rows: readonly RawRow[]): ValidatedRow[] {
  const validateOptions = validateOptionsOf(input);
  if (input.type === 'addresses') {
    const addressOptions: ValidateOptions = { ...validateOptions, mode: 'update', requiredForNew: [] };
    return rows.map((row) => {
      const result = customerImport.validateRow(row, input.mapping, addressOptions);
      return { row, result: result.ok ? toAddressRow(row, result.value, input.mapping) : result };
    });
  }
  return rows.map((row) => ({ row, result: withContactApart(withAddressFlagsApart(customerImport.validateRow(row, input.mapping, validateOptions))) }));
}

/**
 * An address file (address-file.ts): every row is an address of the customer its key names,
 * however often that customer occurs; the customer must exist (mode "update only"), and none of
 * its own fields is required or changed.
 */
async function* addressFileBatches(rows: AsyncIterable<RawRow>, mapping: Mapping, validateOptions: ValidateOptions, options: { afterRow?: number; batchSize: number }): AsyncGenerator<ValidatedRow[]> {
  const addressOptions: ValidateOptions = { ...validateOptions, mode: 'update', requiredForNew: [] };
  let batch: ValidatedRow[] = [];
  for await (const row of rows) {
    if (row.rowNumber <= (options.afterRow ?? 0)) continue;
    const result = customerImport.validateRow(row, mapping, addressOptions);
    batch.push({ row, result: result.ok ? toAddressRow(row, result.value, mapping) : result });
    if (batch.length >= options.batchSize) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

/**
 * The rule "adds an address" (address-rows.ts), row by row in file order: a customer's first row
 * is validated as usual and carries the addresses of its later rows (`extraAddresses`); each later
 * row was decided at the first row: its address added (`duplicate: address`), or rejected when it
 * says something else about the customer, or when its address does not read.
 */
function addressRuleOf(scan: AddressRowScan, detector: DuplicateDetector, mapping: Mapping, validate: (row: RawRow) => ValidatedRow['result']) {
  const addressColumns = addressColumnIndexes(mapping);
  const companions = companionColumnIndexes(mapping);
  const mapped = new Set(mapping.columns.filter((column) => column.field !== null).map((column) => column.index));
  const keyField = mapping.columns.find((column) => column.index === detector.keyColumn)?.field ?? 'email';
  const decided = new Map<number, ValidatedRow>();
  return (row: RawRow): ValidatedRow => {
    const early = decided.get(row.rowNumber);
    if (early) {
      decided.delete(row.rowNumber);
      return early;
    }
    if (scan.isOrphan(row.rowNumber)) {
      return { row, result: err([rowError(row.rowNumber, keyField, undefined, {
        code: 'address_row_without_customer',
        message: `This row holds only an address, but no customer row comes before it to add it to. Put it right below its customer's row, or give it the customer's ${labelOf(keyField)}.`,
        params: { field: labelOf(keyField) },
      })]) };
    }
    const result = validate(row);
    const key = detector.keyOf(row);
    const laterRows = key === undefined ? [] : scan.laterRowsOf(key, row.rowNumber);
    const extras: ExtraAddress[] = [];
    for (const later of laterRows) {
      const laterRow: RawRow = { rowNumber: later.rowNumber, cells: later.cells };
      const conflicts = later.isContinuation ? [] : conflictingColumns(row.cells, later.cells, new Set([...addressColumns, ...companions]), detector.keyColumn, mapped);
      if (conflicts.length > 0) {
        const field = mapping.columns.find((column) => column.index === conflicts[0])?.field ?? keyField;
        const columns = conflicts.map((index) => mapping.columns.find((column) => column.index === index)?.heading ?? '').join(', ');
        decided.set(later.rowNumber, { row: laterRow, result: err([rowError(later.rowNumber, field, undefined, {
          code: 'duplicate_in_file',
          message: `Same customer as row ${row.rowNumber}, but this row says something else about them (${columns}); only addresses are added from a customer's later rows.`,
          params: { firstRow: row.rowNumber, reason: 'conflict', columns },
        })]) });
        continue;
      }
      if (!result.ok) {
        decided.set(later.rowNumber, { row: laterRow, result: err([rowError(later.rowNumber, keyField, undefined, {
          code: 'duplicate_in_file',
          message: `This row is another address of the customer of row ${row.rowNumber}, which was rejected; fix that row and import both again.`,
          params: { firstRow: row.rowNumber, reason: 'rejected_first' },
        })]) });
        continue;
      }
      // The later row's address read as an address of this customer: the first row's key, its own address cells.
      const cells = later.cells.map((cell, index) => (index === detector.keyColumn ? (row.cells[index] ?? '') : addressColumns.has(index) || companions.has(index) ? cell : ''));
      const parsed = validate({ rowNumber: later.rowNumber, cells });
      if (!parsed.ok) {
        decided.set(later.rowNumber, { row: laterRow, result: parsed });
        continue;
      }
      extras.push(...extraAddressesOf(parsed.value, later.rowNumber, later.cells, later.isContinuation));
      decided.set(later.rowNumber, { row: laterRow, result: err([]), duplicate: { action: 'address', intoRow: row.rowNumber } });
    }
    if (result.ok && extras.length > 0) result.value.extraAddresses = extras;
    return { row, result };
  };
}

/**
 * A customers file's row with default flags (Magento's composite file: `_address_default_billing_`,
 * `_address_default_shipping_`): the flags leave the customer's values (they are no column of the
 * customer) and stay with the draft, for the address of a later or continuation row.
 */
function withAddressFlagsApart(result: ValidatedRow['result']): ValidatedRow['result'] {
  if (!result.ok) return result;
  const values = result.value.values as Record<string, unknown>;
  if (values.isDefaultBilling === undefined && values.isDefaultShipping === undefined) return result;
  const flags = { billing: values.isDefaultBilling === true, shipping: values.isDefaultShipping === true };
  const { isDefaultBilling: _billing, isDefaultShipping: _shipping, ...rest } = values;
  return { ok: true, value: { ...result.value, values: rest as CustomerDraft['values'], presentFields: result.value.presentFields.filter((field) => field !== 'isDefaultBilling' && field !== 'isDefaultShipping'), addressFlags: flags } };
}

/**
 * A customers file's contact role and primary flag (#19): no columns of the customer; they stay
 * with the draft for the company its company columns find (company-links.ts).
 */
function withContactApart(result: ValidatedRow['result']): ValidatedRow['result'] {
  if (!result.ok) return result;
  const { companyRole, isPrimaryContact, ...rest } = result.value.values;
  if (companyRole === undefined && isPrimaryContact === undefined) return result;
  const companyContact = { ...(companyRole !== undefined && { role: companyRole }), ...(isPrimaryContact !== undefined && { isPrimary: isPrimaryContact }) };
  const presentFields = result.value.presentFields.filter((field) => field !== 'companyRole' && field !== 'isPrimaryContact');
  return { ok: true, value: { ...result.value, values: rest, presentFields, companyContact } };
}

/** The billing (and a separate shipping) address a later row gives; a continuation row's phone and company go with it, and its default flags. */
function extraAddressesOf(draft: CustomerDraft, rowNumber: number, cells: string[], isContinuation: boolean): ExtraAddress[] {
  const { values } = draft;
  const base = { label: '', attention: '', company: '', street: '', number: '', extension: '', address2: '', postcode: '', city: '', region: '', country: '', phone: '' };
  const found: ExtraAddress[] = [];
  const billing = { ...base, ...values.billingAddress, ...(isContinuation && { phone: values.phone ?? '', company: values.companyName ?? '' }) };
  const flags = draft.addressFlags ? { isDefaultBilling: draft.addressFlags.billing, isDefaultShipping: draft.addressFlags.shipping, command: 'merge' as const } : {};
  if (Object.entries(billing).some(([part, value]) => part !== 'label' && value !== '')) found.push({ rowNumber, cells, address: billing, ...flags });
  if (values.shippingSameAsBilling !== true && values.shippingAddress) {
    const shipping = { ...base, ...values.shippingAddress };
    if (Object.values(shipping).some((value) => value !== '')) found.push({ rowNumber, cells, address: shipping });
  }
  return found;
}

/** A row under the rule "last" or "combine": not imported on its own, or imported with its cells combined. */
function underRule(scan: DuplicateScan, key: string | undefined, row: RawRow, validate: (row: RawRow) => ValidatedRow['result']): ValidatedRow {
  const duplicate = scan.outcomeOf(row, key);
  if (duplicate) return { row, result: err([]), duplicate };
  const cells = scan.cellsOf(row, key);
  const imported = cells === row.cells ? row : { ...row, cells };
  return { row: imported, result: validate(imported) };
}

/**
 * The items of `source`, with the next one already being produced while the caller works on
 * the current one. An error of the source reaches the caller when it asks for that item;
 * stopping early closes the source (its file is closed).
 */
export async function* oneAhead<T>(source: AsyncGenerator<T>): AsyncGenerator<T> {
  let next = source.next();
  // The caller may stop before it asks again: the read-ahead's failure must not go unhandled.
  next.catch(() => {});
  try {
    for (;;) {
      const item = await next;
      if (item.done) return;
      next = source.next();
      next.catch(() => {});
      yield item.value;
    }
  } finally {
    await source.return(undefined).catch(() => {});
  }
}

/** The pipeline input of a stored import (its file, settings, mapping and options). */
export function pipelineInputOf(
  record: { type?: string; settings: unknown; mapping: unknown; options: unknown },
  context: { file: ReadSource; today: string; defaultCountry: string; fileBytes?: number; expectedRows?: number; importId?: number },
): PipelineInput {
  return {
    ...context,
    type: record.type === 'addresses' || record.type === 'companies' ? record.type : 'customers',
    settings: readSettingsSchema.parse(record.settings),
    mapping: record.mapping as Mapping,
    options: importOptionsSchema.parse(record.options ?? {}),
  };
}

/** Whether any column feeds customer groups (only then are stored groups looked up). */
export const mapsGroups = (mapping: Mapping): boolean => mapping.columns.some((column) => column.field === 'groups');

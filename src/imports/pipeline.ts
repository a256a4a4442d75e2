import { err, type Result } from '../shared/result.ts';
import { importOptionsSchema, readSettingsSchema, type ImportOptions, type StoredReadSettings } from './import.schemas.ts';
import type { Mapping } from './mapping.ts';
import type { PlanOptions } from './plan.ts';
import { scanDuplicates, type DuplicateOutcome, type DuplicateScan } from './duplicate-rows.ts';
import { readTable, type RawRow, type ReadSettings, type ReadSource } from './read.ts';
import { validatedBatchesInThread } from './validation-thread.ts';
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
};

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

export function planOptionsOf(options: ImportOptions): PlanOptions {
  return { mode: options.mode, matchOn: options.matchOn, groups: options.groups, protectedFields: options.protectedFields, unknownGroups: options.unknownGroups };
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
  // The rules "last" and "combine" read the file twice (duplicate-rows.ts): on this thread.
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
  const scan = rule === 'first' ? undefined : await scanDuplicates((await readTable(input.file, readSettings, input.settings.headerRowNumber)).rows, detector.keyOf, rule, input.expectedRows);
  const table = await readTable(input.file, readSettings, input.settings.headerRowNumber);
  const validateOptions = validateOptionsOf(input);
  const afterRow = options.afterRow ?? 0;
  // The duplicate check's table is reserved once for the rows the analysis expects, with a tenth
  // to spare: growing it means a copy, and at a million rows both copies would be in memory.
  if (input.expectedRows && !scan) detector.reserve(Math.ceil(input.expectedRows * 1.1));
  let batch: ValidatedRow[] = [];
  for await (const row of table.rows) {
    if (scan) {
      if (row.rowNumber > afterRow) batch.push(underRule(scan, detector.keyOf(row), row, (merged) => customerImport.validateRow(merged, input.mapping, validateOptions)));
    } else {
      const duplicate = detector.check(row);
      if (row.rowNumber <= afterRow) continue;
      const result = customerImport.validateRow(row, input.mapping, validateOptions);
      batch.push({ row, result: duplicate ? err([duplicate, ...(result.ok ? [] : result.error)]) : result });
    }
    if (batch.length >= options.batchSize) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
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
  record: { settings: unknown; mapping: unknown; options: unknown },
  context: { file: ReadSource; today: string; defaultCountry: string; fileBytes?: number; expectedRows?: number },
): PipelineInput {
  return {
    ...context,
    settings: readSettingsSchema.parse(record.settings),
    mapping: record.mapping as Mapping,
    options: importOptionsSchema.parse(record.options ?? {}),
  };
}

/** Whether any column feeds customer groups (only then are stored groups looked up). */
export const mapsGroups = (mapping: Mapping): boolean => mapping.columns.some((column) => column.field === 'groups');

import { randomUUID } from 'node:crypto';
import type { Readable, Writable } from 'node:stream';
import { foldForSearch } from '../customers/customer.rules.ts';
import type { Queryable } from '../db/database.ts';
import { FileTooLargeError } from '../files/file-store.ts';
import type { Queue } from '../jobs/queue.ts';
import { AppError, notFound } from '../shared/errors.ts';
import { parseOrThrow } from '../shared/validation.ts';
import type { StaffLanguage } from '../staff/staff.schemas.ts';
import { inputOf, runApply, type RunDeps } from './apply.ts';
import { runCheck } from './dry-run.ts';
import { previewRows, rejectedErrorHeadings, rejectedFileName, writeRejectedRows } from './import-report.ts';
import { importWarningsRepository } from './import-warnings.repository.ts';
import { fixRowsRepository } from './fix-rows.repository.ts';
import { customerFieldByKey } from './customer-fields.ts';
import { toDetail, toListItem, type StoredAnalysis } from './import-detail.ts';
import type { ImportJobs } from './import.jobs.ts';
import { importRepository as repo, type ImportChanges, type ImportRow, type NewImport } from './import.repository.ts';
import type { StoredCheck } from './import-check.repository.ts';
import {
  editableStatuses,
  finishedStatuses,
  importListQuerySchema,
  importOptionsSchema,
  importTypeInputSchema,
  mappingInputSchema,
  settingsInputSchema,
  type ImportDetail,
  type ImportListQuery,
  type StoredReadSettings,
} from './import.schemas.ts';
import { refuseDeletedFile, refuseMatchOnOfType, refuseRunningCheck, refuseUnchecked, refuseUnconfirmedDeletions, refuseWaitingRun } from './import-refusals.ts';
import { confirmColumn, remapColumn, suggestMapping, toSavedMapping, type Mapping, type SavedMapping } from './mapping.ts';
import { localized, localizeMessage } from './messages.ts';
import { catalogueOf, detectImportType, suggestCompanyFileMapping, type ImportTypeId } from './address-file.ts';
import { findSavedMappingFor } from './saved-mapping.service.ts';
import { listSheets } from './read.ts';
import { sniffFile, type SniffOverrides } from './sniff.ts';
import { sweepExpiredImportFiles } from './import-file-retention.ts';
import { analyse, cleanFileName, readHead, refused, refuseFileError, withReadSource } from './import-file-reading.ts';

/**
 * The import tool's use cases: upload and analyse a file, change how it is read and mapped,
 * check it, start, cancel and undo the background job, list imports. Transactions and job
 * enqueueing happen here; the pipeline itself is in pipeline/apply/dry-run/undo.
 */

export type ImportServiceDeps = RunDeps & { queue: Queue; jobs: ImportJobs; maxFileBytes: number; fileRetentionDays?: number };

/**
 * `isInline`: the caller runs the job itself in this process (the CLI, which shows a progress
 * bar) instead of queueing it. An inline run that dies is picked up by `recoverInterrupted`.
 */
/** `isApprovedRun`: a recurring import's run that waited for approval starts its import (sources). */
export type RunOptions = { isInline?: boolean; isApprovedRun?: boolean };

/** Who uploads: a staff user, or the command line (no id). */
export type Uploader = { id: number | null; name: string; language: StaffLanguage };
export type ImportCreatedHook = (tx: Queryable, importId: number) => Promise<void>;
export type ImportService = ReturnType<typeof createImportService>;

const typeOf = (record: { type: string }): ImportTypeId => (record.type === 'addresses' || record.type === 'companies' ? record.type : 'customers');

export function createImportService(deps: ImportServiceDeps) {
  const { db, clock, fileStore } = deps;

  async function find(id: number, tx: Queryable = db.pool, forUpdate = false): Promise<ImportRow> {
    const record = await repo.findById(tx, id, { forUpdate });
    if (!record) throw notFound(`Import #${id}`);
    return record;
  }

  const detail = async (id: number, language: StaffLanguage): Promise<ImportDetail> => {
    const record = await find(id);
    const rows = record.duplicate_count > 0 ? await repo.listDuplicateRows(db.pool, id, 100) : [];
    const hasCreated = record.created_count > 0 && (finishedStatuses as readonly string[]).includes(record.status);
    const newCustomerPasswords = hasCreated ? await repo.createdPasswordStates(db.pool, id) : null;
    const followUpImports = await fixRowsRepository.followUps(db.pool, id);
    const shown = toDetail(record, language, clock.now());
    // Rows fixed in the app since the check: its counts do not show them yet.
    const check = shown.check && record.status === 'checked' ? { ...shown.check, rowsEditedSince: await fixRowsRepository.countEdited(db.pool, id) } : shown.check;
    return { ...shown, check, duplicates: { count: record.duplicate_count, rows }, newCustomerPasswords, followUpImports };
  };

  /** The suggested mapping; a saved mapping whose headings are exactly the file's headings is applied (and named). */
  async function mappingFor(headings: readonly string[], profiles: StoredAnalysis['profiles'], type: ImportTypeId = 'customers'): Promise<Mapping> {
    // Saved mappings are customer files' (import_mappings.type); address and company files are mapped by their headings.
    if (type === 'companies') return suggestCompanyFileMapping(headings);
    const matching = type === 'customers' ? await findSavedMappingFor(db.pool, headings) : undefined;
    const mapping = suggestMapping(headings, catalogueOf(type), { ...(profiles && { profiles }), ...(matching && { saved: matching.columns }) });
    return matching ? { ...mapping, savedMapping: { id: matching.id, name: matching.name } } : mapping;
  }

  /** The file stored, sniffed and mapped; refusals leave no file or import. `onCreated` runs in the import's transaction. */
  async function createFromStream(source: Readable, fileName: string, staff: Uploader, onCreated?: ImportCreatedHook): Promise<number> {
    const name = cleanFileName(fileName);
    const extension = /\.([a-z0-9]{1,5})$/i.exec(name)?.[1]?.toLowerCase();
    let stored;
    try {
      stored = await fileStore.save(source, { prefix: 'imports', ...(extension && { extension }), maxBytes: deps.maxFileBytes });
    } catch (error) {
      if (error instanceof FileTooLargeError) {
        const maxMb = Math.round(deps.maxFileBytes / 1024 / 1024);
        throw new AppError('payload_too_large', localizeMessage({ code: 'too_large', message: `The file is larger than ${maxMb} MB, the most an import takes. Split it into smaller files.`, params: { maxMb } }, staff.language), undefined, { reason: 'too_large', maxBytes: deps.maxFileBytes });
      }
      throw new AppError('unavailable', 'The file could not be stored. Try again later; if it keeps happening, the server may be out of disk space.', undefined, { reason: 'file_store' });
    }
    try {
      const sniff = sniffFile(await readHead(fileStore, stored.key, stored.sizeBytes), name, stored.sizeBytes);
      if (sniff.refused) throw refused(sniff.refused.code, sniff.refused.message, staff.language);
      const format = sniff.format === 'xlsx' ? 'xlsx' : 'csv';
      const { sheets, base, headings, headerRowNumber, profiles } = await withReadSource(fileStore, stored.key, format, async (source) => {
        const sheets = format === 'xlsx' && typeof source === 'string' ? await listSheets(source) : [];
        const base = format === 'xlsx' ? { format, sheet: sheets.find((sheet) => sheet.state === 'visible')?.name ?? null } : { format, encoding: sniff.encoding, delimiter: sniff.delimiter, quote: sniff.quote };
        return { sheets, base, ...(await analyse(source, base as StoredReadSettings, false)) };
      });
      const settings = { ...base, headerRowNumber } as StoredReadSettings;
      const estimatedRows = format === 'xlsx' ? (sheets.find((sheet) => sheet.name === (settings as { sheet: string | null }).sheet)?.estimatedRows ?? null) : sniff.estimatedRows;
      const analysis: StoredAnalysis = { warnings: sniff.warnings, sheets, estimatedRows: estimatedRows === null ? null : Math.max(0, estimatedRows - (format === 'xlsx' ? headerRowNumber : 0)), headings, profiles };
      const type = detectImportType(headings);
      const record: NewImport = {
        type, file_name: name, file_name_search: foldForSearch(name), file_key: stored.key, file_size_bytes: stored.sizeBytes, file_sha256: stored.sha256,
        format, created_by: staff.id, created_by_name: staff.name, settings, analysis, mapping: await mappingFor(headings, profiles, type), total_rows: analysis.estimatedRows,
      };
      if (!onCreated) return await repo.insert(db.pool, record, clock.now());
      return await db.transaction(async (tx) => { const id = await repo.insert(tx, record, clock.now()); await onCreated(tx, id); return id; });
    } catch (error) {
      await fileStore.delete(stored.key);
      return refuseFileError(staff.language)(error);
    }
  }

  /**
   * Changes an import that has not started; `work` returns the columns to set. It goes back to
   * waiting for its mapping and loses its check, unless `work` sets those columns itself.
   */
  async function edit(id: number, work: (record: ImportRow, tx: Queryable) => Promise<ImportChanges>, language?: StaffLanguage): Promise<void> {
    await db.transaction(async (tx) => {
      const record = await find(id, tx, true);
      if (!(editableStatuses as readonly string[]).includes(record.status) && record.status !== 'checking') {
        throw new AppError('conflict', 'This import has already started; its file and mapping can no longer change.', undefined, { status: record.status });
      }
      refuseDeletedFile(record, language);
      await repo.update(tx, id, { status: 'mapping', check_result: null, checked_options: null, ...(await work(record, tx)) }, clock.now());
    });
  }

  return {
    detail,

    /**
     * A new import of an uploaded file. With `basedOnImportId` ("Import the corrected file" of
     * an earlier import's report) it starts with that import's mapping (by heading), options and
     * accepted fixes; the rejected-rows file's error column is not imported.
     */
    async upload(source: Readable, fileName: string, staff: Uploader, basedOnImportId?: number, onCreated?: ImportCreatedHook): Promise<ImportDetail> {
      const base = basedOnImportId === undefined ? undefined : await find(basedOnImportId);
      const id = await createFromStream(source, fileName, staff, onCreated);
      if (base) {
        await edit(id, async (record) => {
          const saved: SavedMapping = { ...toSavedMapping(base.mapping as Mapping), [rejectedErrorHeadings.en]: null, [rejectedErrorHeadings.nl]: null };
          return { type: base.type, mapping: suggestMapping((record.analysis as StoredAnalysis).headings, catalogueOf(base.type), { saved }), options: base.options, based_on_import_id: base.id };
        }, staff.language);
      }
      return detail(id, staff.language);
    },

    sweepExpiredFiles: () => sweepExpiredImportFiles(deps),

    async list(query: ImportListQuery) {
      await sweepExpiredImportFiles(deps);
      const parsed = parseOrThrow(importListQuerySchema, query);
      const before = parsed.cursor ? decodeCursor(parsed.cursor) : undefined;
      const rows = await repo.list(db.pool, { ...parsed, ...(parsed.q && { q: foldForSearch(parsed.q) }), ...(before && { before }), limit: parsed.limit + 1 });
      const items = rows.slice(0, parsed.limit);
      const last = items.at(-1);
      return { items: items.map((row) => toListItem(row, clock.now())), nextCursor: rows.length > parsed.limit && last ? encodeCursor(last) : null };
    },

    async updateSettings(id: number, input: unknown, language: StaffLanguage): Promise<ImportDetail> {
      const changes = parseOrThrow(settingsInputSchema, input);
      await edit(id, async (record, tx) => {
        const current = record.settings as StoredReadSettings;
        const analysisBefore = record.analysis as StoredAnalysis;
        let settings: StoredReadSettings;
        if (current.format === 'csv') {
          const overrides: SniffOverrides = { encoding: changes.encoding ?? current.encoding, delimiter: changes.delimiter ?? current.delimiter, quote: changes.quote ?? current.quote };
          const sniff = sniffFile(await readHead(fileStore, record.file_key, record.file_size_bytes), record.file_name, record.file_size_bytes, overrides);
          settings = { format: 'csv', encoding: sniff.encoding, delimiter: sniff.delimiter, quote: sniff.quote, headerRowNumber: changes.headerRowNumber ?? current.headerRowNumber };
        } else {
          if (changes.sheet !== undefined && !analysisBefore.sheets.some((sheet) => sheet.name === changes.sheet)) throw new AppError('invalid_input', `The workbook has no sheet “${changes.sheet}”.`, { sheet: { code: 'invalid_choice', message: 'Choose one of the sheets of the workbook.' } });
          settings = { format: 'xlsx', sheet: changes.sheet ?? current.sheet, headerRowNumber: changes.headerRowNumber ?? current.headerRowNumber };
        }
        const isSheetChanged = settings.format === 'xlsx' && current.format === 'xlsx' && settings.sheet !== current.sheet;
        // Cells fixed in the app name a row and column of the file as it was read.
        const isReadDifferently = ['encoding', 'delimiter', 'quote', 'sheet', 'headerRowNumber'].some((key) => (settings as Record<string, unknown>)[key] !== (current as Record<string, unknown>)[key]);
        if (isReadDifferently) await fixRowsRepository.dropEdits(tx, id);
        const read = await withReadSource(fileStore, record.file_key, settings.format, (source) => analyse(source, settings, !isSheetChanged || changes.headerRowNumber !== undefined)).catch(refuseFileError(language));
        const isSameHeadings = read.headings.join('\u0000') === analysisBefore.headings.join('\u0000');
        // A workbook's row estimate is per sheet (its dimension): follow the sheet and heading row now read.
        const sheetRows = settings.format === 'xlsx' ? analysisBefore.sheets.find((sheet) => sheet.name === settings.sheet)?.estimatedRows : undefined;
        const estimatedRows = sheetRows === undefined ? analysisBefore.estimatedRows : sheetRows === null ? null : Math.max(0, sheetRows - read.headerRowNumber);
        return {
          settings: { ...settings, headerRowNumber: read.headerRowNumber },
          analysis: { ...analysisBefore, headings: read.headings, estimatedRows, profiles: read.profiles },
          total_rows: estimatedRows,
          ...(!isSameHeadings && { mapping: await mappingFor(read.headings, read.profiles, typeOf(record)) }),
        };
      }, language);
      return detail(id, language);
    },

    async updateMapping(id: number, input: unknown, saved: { id: number; name: string; columns: SavedMapping } | undefined, language: StaffLanguage): Promise<ImportDetail> {
      const { columns } = parseOrThrow(mappingInputSchema, input);
      await edit(id, async (record) => {
        const catalogue = catalogueOf(record.type);
        for (const column of columns) {
          if (column.field !== null && !catalogue.fields.some((field) => field.key === column.field)) {
            throw new AppError('invalid_input', `There is no field “${column.field}”.`, { [`columns.${column.index}`]: { code: 'invalid_choice', message: `There is no field “${column.field}”.` } });
          }
        }
        const { headings, profiles } = record.analysis as StoredAnalysis;
        // A saved mapping applied is named in the import's mapping (Saved mappings lists the imports that used it).
        let mapping: Mapping = saved
          ? { ...suggestMapping(headings, catalogue, { saved: saved.columns, ...(profiles && { profiles }) }), savedMapping: { id: saved.id, name: saved.name } }
          : (record.mapping as Mapping);
        for (const column of columns) {
          if (column.index >= headings.length) throw new AppError('invalid_input', `The file has no column ${column.index + 1}.`);
          if (mapping.columns.find((candidate) => candidate.index === column.index)?.field !== column.field) mapping = remapColumn(mapping, column.index, column.field, catalogue);
          else if (column.isConfirmed !== undefined) mapping = confirmColumn(mapping, column.index, column.isConfirmed);
        }
        return { mapping };
      }, language);
      return detail(id, language);
    },

    /**
     * What the file holds (step Type): customers, or addresses of customers that exist. The
     * columns are mapped again for the type's fields, and the check starts over.
     */
    async setType(id: number, input: unknown, language: StaffLanguage): Promise<ImportDetail> {
      const { type } = parseOrThrow(importTypeInputSchema, input);
      if ((await find(id)).type === type) return detail(id, language);
      await edit(id, async (record) => {
        const { headings, profiles } = record.analysis as StoredAnalysis;
        return { type, mapping: await mappingFor(headings, profiles, type) };
      }, language);
      return detail(id, language);
    },

    /** Starts the dry run of the whole file with these options. */
    async check(id: number, input: unknown, language: StaffLanguage, options: RunOptions = {}): Promise<ImportDetail> {
      const importOptions = parseOrThrow(importOptionsSchema, input ?? {});
      const checkId = randomUUID();
      // A new check replaces a running one: that one sees another checkId and stops.
      await edit(id, async (record, tx) => {
        refuseMatchOnOfType(record.type, importOptions.matchOn, language);
        if (!options.isInline) await deps.queue.enqueue(deps.jobs.check, { importId: id, checkId }, { transaction: tx });
        const check: StoredCheck = { checkId, rowsRead: 0, result: null };
        return { status: 'checking', options: importOptions, checked_options: importOptions, check_result: check };
      }, language);
      if (options.isInline) await runCheck(deps, id, checkId);
      return detail(id, language);
    },

    /** Queues the import. A second start (double click, two tabs) finds it queued and changes nothing. */
    async start(id: number, input: unknown, language: StaffLanguage, runOptions: RunOptions = {}): Promise<ImportDetail> {
      await db.transaction(async (tx) => {
        const record = await find(id, tx, true);
        if (['queued', 'processing'].includes(record.status)) return;
        refuseRunningCheck(record, language);
        if (!(editableStatuses as readonly string[]).includes(record.status)) throw new AppError('conflict', 'This import has already run.', undefined, { status: record.status });
        if (!runOptions.isApprovedRun) await refuseWaitingRun(tx, id, language);
        refuseDeletedFile(record, language);
        // The options sent are laid over the import's own (a start that only confirms deletions keeps the rest).
        const options = parseOrThrow(importOptionsSchema, { ...((record.options as object | null) ?? {}), ...((input as object | null | undefined) ?? {}) });
        refuseUnchecked(record, options, language);
        const mapping = record.mapping as Mapping;
        // The column the rows are recognised by (for the combination: either of its two).
        const matchFields = options.matchOn === 'externalIdThenEmail' ? ['externalId', 'email'] : options.matchOn === 'phone' ? ['phone', 'mobile'] : [options.matchOn];
        const matchField = matchFields[0]!;
        refuseMatchOnOfType(record.type, options.matchOn, language);
        // A Companies file finds its companies by Company ID, CoC or VAT number, or name (company-file-match.ts).
        if (record.type !== 'companies' && !mapping.columns.some((column) => column.field !== null && matchFields.includes(column.field))) {
          const label = customerFieldByKey.get(matchField)?.headings[language] ?? matchField;
          throw new AppError('invalid_input', language === 'nl' ? `Koppel een kolom aan “${label}”: daaraan worden klanten herkend.` : `Map a column to “${label}”: customers are matched on it.`, { mapping: { code: 'required', message: label } });
        }
        const check = record.check_result as StoredCheck | null;
        if (check?.result?.fileError) throw new AppError('invalid_input', localizeMessage(check.result.fileError, language), undefined, { reason: check.result.fileError.code });
        refuseUnconfirmedDeletions(record, options, mapping, language);
        await repo.transition(tx, id, ['checked'], 'queued', clock.now(), { options, queued_at: clock.now() });
        await fixRowsRepository.clearForRun(tx, id);
        if (!runOptions.isInline) await deps.queue.enqueue(deps.jobs.apply, { importId: id }, { transaction: tx });
      });
      return detail(id, language);
    },

    async cancel(id: number, language: StaffLanguage): Promise<ImportDetail> {
      const now = clock.now();
      await db.transaction(async (tx) => {
        const record = await find(id, tx, true);
        if (record.status === 'queued') await repo.transition(tx, id, ['queued'], 'cancelled', now, { finished_at: now, is_cancel_requested: true });
        else if (record.status === 'processing') await repo.update(tx, id, { is_cancel_requested: true }, now);
        else if (record.status === 'checking') await repo.update(tx, id, { status: 'mapping', check_result: null, checked_options: null }, now);
        else if (record.status !== 'cancelled') throw new AppError('conflict', 'This import is not running.', undefined, { status: record.status });
      });
      return detail(id, language);
    },

    async undo(id: number, language: StaffLanguage): Promise<ImportDetail> {
      await db.transaction(async (tx) => {
        const record = await find(id, tx, true);
        if (record.status === 'undoing' || record.status === 'undone') return;
        const isMoved = await repo.transition(tx, id, ['done', 'done_with_errors', 'cancelled', 'failed'], 'undoing', clock.now());
        if (!isMoved) throw new AppError('conflict', language === 'nl' ? 'Een import die nog loopt kan niet ongedaan worden gemaakt.' : 'An import that is still running cannot be undone.', undefined, { status: record.status });
        await deps.queue.enqueue(deps.jobs.undo, { importId: id }, { transaction: tx });
      });
      return detail(id, language);
    },

    find,

    /** Runs the apply job here until it is finished (CLI); `busy` (a worker has it) means wait. */
    async runInline(id: number): Promise<void> {
      for (;;) {
        const outcome = await runApply(deps, id, randomUUID());
        if (outcome.outcome === 'finished') return;
        if (outcome.outcome === 'busy') await new Promise((resolve) => setTimeout(resolve, Math.min(outcome.retryAfterMs, 2000)));
      }
    },

    async preview(id: number, language: StaffLanguage) {
      const record = await find(id);
      return previewRows(inputOf(deps, record), language).catch(refuseFileError(language));
    },

    async rejections(id: number, query: { afterRow?: number; limit: number }, language: StaffLanguage) {
      const record = await find(id);
      // As the rejected-rows download shows them: with the edits made in the app, and their problems now.
      const page = await fixRowsRepository.allAfter(db.pool, id, query.afterRow ?? 0, query.limit + 1);
      const items = page.slice(0, query.limit).map((row) => ({ rowNumber: row.row_number, cells: row.cells, errors: row.errors.map((error) => localized(error, language)) }));
      return { items, nextCursor: page.length > query.limit ? String(items.at(-1)?.rowNumber ?? 0) : null, total: record.rejected_count };
    },

    /** The rows imported with warnings, with every warning, in file order. */
    async warnings(id: number, query: { afterRow?: number; limit: number }, language: StaffLanguage) {
      const record = await find(id);
      const page = await importWarningsRepository.list(db.pool, id, query.afterRow ?? 0, query.limit + 1);
      const items = page.slice(0, query.limit).map((row) => ({ rowNumber: row.row_number, cells: row.cells, errors: row.warnings.map((warning) => localized(warning, language)) }));
      return { items, nextCursor: page.length > query.limit ? String(items.at(-1)?.rowNumber ?? 0) : null, total: record.warned_count };
    },

    async undoSkipped(id: number) {
      await find(id);
      return repo.listUndoSkipped(db.pool, id, 500);
    },

    async rejectedRowsFile(id: number, language: StaffLanguage) {
      const record = await find(id);
      return { fileName: rejectedFileName(record, language), format: record.format, write: (out: Writable) => writeRejectedRows(db, record, language, out) };
    },

    /** The rows imported with warnings in the file's layout, extra cells of ragged rows included, with a warnings column. */
    async warningRowsFile(id: number, language: StaffLanguage) {
      const record = await find(id);
      return { fileName: rejectedFileName(record, language, 'warnings'), format: record.format, write: (out: Writable) => writeRejectedRows(db, record, language, out, 'warnings') };
    },
  };
}

function encodeCursor(row: ImportRow): string {
  return Buffer.from(`${row.created_at.toISOString()}|${row.id}`).toString('base64url');
}

function decodeCursor(cursor: string): { createdAt: Date; id: number } {
  const [date, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const createdAt = new Date(date ?? '');
  const number = Number(id);
  if (Number.isNaN(createdAt.getTime()) || !Number.isInteger(number)) throw new AppError('invalid_input', 'The page cursor is not valid.', { cursor: { code: 'invalid', message: 'The page cursor is not valid.' } });
  return { createdAt, id: number };
}

import type { Writable } from 'node:stream';
import { isConnectionLost, type Database } from '../db/database.ts';
import type { FileStore } from '../files/file-store.ts';
import type { Clock } from '../shared/clock.ts';
import type { ShopIdentity } from '../shop/shop-settings.service.ts';
import { exportTypes, resolveColumns, type ExportColumn, type ExportTypeDefinition } from './export-types.ts';
import { writeExportFile } from './export-writers.ts';
import { exportRepository as repo, openRowStream, type ExportRow } from './export.repository.ts';
import type { CellGuard } from './export-format.ts';
import type { ExportFilters, ExportFormat, ExportLanguage, ExportPurpose, ExportTypeId } from './export.schemas.ts';

/**
 * Producing an export file: one REPEATABLE READ transaction (one snapshot: the count and every
 * row see the same data), rows in a total order, so the same data gives the same bytes — a
 * retried job writes exactly the file the first attempt would have. Used by the job (into the
 * file store, published on commit) and by the CLI (into a local file).
 */
export type FileRequest = {
  type: ExportTypeId;
  format: ExportFormat;
  purpose: ExportPurpose;
  language: ExportLanguage;
  columns: readonly ExportColumn[];
  filters: ExportFilters;
  /** The shop's country: reads a phone-number search (`filters.q`) as the customer list does. */
  phoneCountry?: string | undefined;
  createdAt: Date;
};

export type Progress = { rowsDone: number; rowsTotal: number };

const sheetTitles: Record<ExportTypeId, Record<ExportLanguage, string>> = {
  customers: { en: 'Customers', nl: 'Klanten' },
  'customer-groups': { en: 'Customer groups', nl: 'Klantgroepen' },
  addresses: { en: 'Addresses', nl: 'Adressen' },
  companies: { en: 'Companies', nl: 'Bedrijven' },
};

/** XLSX cells are typed text (never a formula); a CSV is guarded only when a spreadsheet will open it. */
export const cellGuardOf = (format: ExportFormat, purpose: ExportPurpose): CellGuard =>
  format === 'xlsx' ? 'import-safe' : purpose === 'spreadsheet' ? 'formula-guard' : 'raw';

export const fileExtension = (format: ExportFormat): 'csv' | 'xlsx' => (format === 'xlsx' ? 'xlsx' : 'csv');

export async function produceFile(
  db: Database,
  request: FileRequest,
  resetPageUrl: string,
  destination: Writable,
  onProgress: (progress: Progress) => void = () => {},
): Promise<Progress> {
  const type: ExportTypeDefinition = exportTypes[request.type];
  const client = await db.pool.connect();
  let isClientBroken = false;
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
    const filters = { ...request.filters, phoneCountry: request.phoneCountry };
    const { total, stream } = await openRowStream(client, type, request.columns, filters);
    onProgress({ rowsDone: 0, rowsTotal: total });
    const spec = {
      format: request.format,
      columns: request.columns,
      context: { language: request.language, resetPageUrl, cellGuard: cellGuardOf(request.format, request.purpose) },
      title: sheetTitles[request.type][request.language],
      createdAt: request.createdAt,
    };
    const rows = await writeExportFile(stream, spec, destination, (done) =>
      onProgress({ rowsDone: done, rowsTotal: total }),
    );
    await client.query('COMMIT');
    return { rowsDone: rows, rowsTotal: total };
  } catch (error) {
    // A COPY interrupted half-way leaves the connection in no state to reuse: it is closed.
    isClientBroken = true;
    throw error;
  } finally {
    client.release(isClientBroken);
  }
}

/** Calls `write` at most once per `intervalMs` (and never twice at once); the last call of a run is forced. */
function throttled(intervalMs: number, now: () => number, write: (progress: Progress) => Promise<void>) {
  let lastAt = 0;
  let running: Promise<void> | undefined;
  return (progress: Progress, isForced = false) => {
    if (running || (!isForced && now() - lastAt < intervalMs)) return;
    lastAt = now();
    running = write(progress)
      .catch(() => {}) // progress is informative; the export goes on
      .finally(() => (running = undefined));
  };
}

export type ExportRunnerDeps = {
  db: Database;
  clock: Clock;
  fileStore: FileStore;
  resetPageUrl: string;
  retentionDays: number;
  maxAttempts: number;
  shop?: ShopIdentity;
};

export type RunOutcome = 'ready' | 'failed' | 'skipped' | 'deleted';

/**
 * The job handler's work for one export; idempotent under at-least-once delivery. The file is
 * written under a `.partial` name and published by `commit()`; READY and its key are set in one
 * UPDATE after that, so a worker that dies at any point leaves no half file marked ready, and
 * the retry (a new attempt) starts the file again from the beginning.
 */
export function createExportRunner(deps: ExportRunnerDeps) {
  const { db, clock, fileStore } = deps;

  async function failOrRetry(row: ExportRow, error: unknown): Promise<RunOutcome> {
    // A database outage is no fault of the export: the queue runs it again once the database is back.
    if (row.attempts < deps.maxAttempts || isConnectionLost(error)) throw error;
    const message = `The export could not be completed: ${(error as Error)?.message ?? String(error)}`;
    await repo.markFailed(db.pool, row.id, { code: 'export_failed', message }, clock.now());
    return 'failed';
  }

  return async function run(id: string): Promise<RunOutcome> {
    const row = await repo.startAttempt(db.pool, id, clock.now());
    if (!row) return 'skipped'; // finished, failed or deleted already: a duplicate delivery
    const type = exportTypes[row.type];
    const { columns, unknown } = resolveColumns(type, row.columns, undefined);
    if (unknown.length > 0 || columns.length === 0) {
      const message = `These columns do not exist (any more): ${unknown.join(', ')}.`;
      await repo.markFailed(db.pool, row.id, { code: 'invalid_columns', message }, clock.now());
      return 'failed';
    }
    const progress = throttled(
      1000,
      () => clock.now().getTime(),
      (value) => repo.recordProgress(db.pool, id, value, clock.now()),
    );
    const writer = await fileStore.createWriter({ prefix: 'exports', extension: fileExtension(row.format) });
    let done: Progress;
    let file: Awaited<ReturnType<typeof writer.commit>>;
    try {
      const phoneCountry = row.filters.q ? (await deps.shop?.current())?.country : undefined;
      const request = { ...row, columns, phoneCountry, createdAt: row.created_at };
      done = await produceFile(db, request, deps.resetPageUrl, writer.stream, (value) =>
        progress(value, value.rowsDone === 0),
      );
      file = await writer.commit();
    } catch (error) {
      await writer.abort();
      return failOrRetry(row, error);
    }
    const now = clock.now();
    const expiresAt = new Date(now.getTime() + deps.retentionDays * 86_400_000);
    const isReady = await repo.markReady(db.pool, id, { ...file, rows: done.rowsDone }, now, expiresAt);
    if (isReady) return 'ready';
    await fileStore.delete(file.key); // deleted while it ran: nobody will ever ask for this file
    return 'deleted';
  };
}

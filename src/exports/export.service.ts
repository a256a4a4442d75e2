import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { Database } from '../db/database.ts';
import type { FileStore } from '../files/file-store.ts';
import type { Queue } from '../jobs/queue.ts';
import type { Clock } from '../shared/clock.ts';
import { AppError, notFound } from '../shared/errors.ts';
import { parseOrThrow } from '../shared/validation.ts';
import type { StaffUser } from '../staff/staff.schemas.ts';
import { fileExtension } from './export-run.ts';
import { validateExportRequest } from './export-request.ts';
import { exportTypes } from './export-types.ts';
import type { ExportJobs } from './export.jobs.ts';
import { exportRepository as repo, type ExportKeyset, type ExportRow } from './export.repository.ts';
import {
  exportFormats,
  exportPurposes,
  exportListQuerySchema,
  exportTypeIds,
  type ExportLanguage,
  type ExportOptions,
  type ExportPage,
  type ExportRecord,
} from './export.schemas.ts';

export type ExportServiceDeps = {
  db: Database;
  clock: Clock;
  queue: Queue;
  jobs: ExportJobs;
  fileStore: FileStore;
  retentionDays: number;
  maxAttempts: number;
  /** A worker that made no progress for this long after its last attempt has died. */
  abandonedAfterMs: number;
  newId?: () => string;
};
export type ExportService = ReturnType<typeof createExportService>;

const contentTypes = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

function toRecord(row: ExportRow): ExportRecord {
  return {
    id: row.id,
    type: row.type,
    format: row.format,
    purpose: row.purpose,
    language: row.language,
    columns: row.columns,
    filters: row.filters,
    preset: row.preset,
    fileName: row.file_name,
    status: row.status,
    rowsTotal: row.rows_total,
    rowsDone: row.rows_done,
    sizeBytes: row.size_bytes,
    sha256: row.sha256,
    failure: row.failure_code ? { code: row.failure_code, message: row.failure_message ?? '' } : null,
    notify: row.notify,
    createdBy: row.created_by === null ? null : { id: row.created_by, name: row.created_by_name ?? '' },
    createdAt: row.created_at.toISOString(),
    finishedAt: row.finished_at?.toISOString() ?? null,
    expiresAt: row.expires_at?.toISOString() ?? null,
    downloadUrl: row.status === 'ready' ? `/api/v1/exports/${row.id}/download` : null,
  };
}

/** `customers-2025-05-01-1432.csv`: made here from fixed words and the date, so always a safe file name. */
const fileNameFor = (type: string, createdAt: Date, extension: string) =>
  `${type}-${createdAt
    .toISOString()
    .slice(0, 16)
    .replace(/[T:]/g, '-')
    .replace(/-(\d{2})$/, '$1')}.${extension}`;

const encodeCursor = (keyset: ExportKeyset) => Buffer.from(JSON.stringify(keyset)).toString('base64url');
function decodeCursor(cursor: string): ExportKeyset {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Partial<ExportKeyset>;
    if (
      typeof value.createdAt === 'string' &&
      typeof value.id === 'string' &&
      /^[0-9a-f-]{36}$/.test(value.id)
    )
      return value as ExportKeyset;
  } catch {
    // reported below
  }
  throw new AppError('invalid_input', 'The cursor is not valid.', {
    cursor: { code: 'invalid', message: 'The cursor is not valid.' },
  });
}

export function createExportService(deps: ExportServiceDeps) {
  const { db, clock, fileStore } = deps;
  const newId = deps.newId ?? randomUUID;

  async function get(id: string): Promise<ExportRow> {
    const row = await repo.findById(db.pool, id);
    if (!row) throw notFound('The export');
    return row;
  }

  /** Expired exports and their files go; exports whose worker died on its last attempt become FAILED. */
  async function housekeeping(): Promise<{ deleted: number; abandoned: number }> {
    const now = clock.now();
    const keys = await repo.deleteExpired(db.pool, now);
    for (const key of keys) await fileStore.delete(key);
    const abandoned = await repo.failAbandoned(
      db.pool,
      new Date(now.getTime() - deps.abandonedAfterMs),
      deps.maxAttempts,
      now,
    );
    return { deleted: keys.length, abandoned };
  }

  return {
    housekeeping,

    options(language: ExportLanguage): ExportOptions {
      return {
        types: exportTypeIds.map((id) => {
          const type = exportTypes[id];
          return {
            id,
            columns: type.columns.map((column) => ({
              key: column.key,
              group: column.group,
              heading: column.headings[language],
              isDefault: column.isDefault,
            })),
            presets: Object.entries(type.presets).map(([preset, columns]) => ({
              id: preset as 'mailing-list',
              columns: [...(columns ?? [])],
            })),
            filters: [...type.filters],
          };
        }),
        formats: [...exportFormats],
        purposes: [...exportPurposes],
        retentionDays: deps.retentionDays,
      };
    },

    /** Records the export and enqueues its job in one transaction: no export without a job, no job without its export. */
    async create(input: unknown, staff: Pick<StaffUser, 'id' | 'language'>): Promise<ExportRecord> {
      const { request, columns } = await validateExportRequest(db.pool, input);
      const id = newId();
      const createdAt = clock.now();
      const row = {
        id,
        type: request.type,
        format: request.format,
        purpose: request.purpose,
        language: request.language ?? staff.language,
        columns: columns.map((column) => column.key),
        // A mailing list (for Mailchimp and the like) takes subscribed customers only, whatever else is filtered.
        filters: request.preset === 'mailing-list' ? { ...request.filters, newsletter: true } : request.filters,
        preset: request.preset ?? null,
        file_name: fileNameFor(request.type, createdAt, fileExtension(request.format)),
        notify: request.notify,
        created_by: staff.id,
        created_at: createdAt,
      };
      await db.transaction(async (tx) => {
        await repo.insert(tx, row);
        await deps.queue.enqueue(
          deps.jobs.run,
          { exportId: id },
          { singletonKey: `export:${id}`, transaction: tx },
        );
      });
      return toRecord(await get(id));
    },

    async list(query: unknown): Promise<ExportPage> {
      const { limit, cursor } = parseOrThrow(exportListQuerySchema, query);
      await housekeeping();
      const rows = await repo.listPage(
        db.pool,
        limit,
        cursor === undefined ? undefined : decodeCursor(cursor),
      );
      const page = rows.slice(0, limit);
      const last = page.at(-1);
      return {
        items: page.map(toRecord),
        nextCursor:
          rows.length > limit && last
            ? encodeCursor({ createdAt: last.created_at.toISOString(), id: last.id })
            : null,
      };
    },

    get: async (id: string) => toRecord(await get(id)),

    /** Deletes the export and its file; a job still writing it notices and throws its file away. */
    async delete(id: string): Promise<void> {
      const deleted = await repo.delete(db.pool, id);
      if (!deleted) throw notFound('The export');
      if (deleted.fileKey) await fileStore.delete(deleted.fileKey);
    },

    async openDownload(
      id: string,
    ): Promise<{ stream: Readable; fileName: string; sizeBytes: number; contentType: string }> {
      const row = await get(id);
      if (row.status !== 'ready' || !row.file_key) {
        throw new AppError(
          'conflict',
          row.status === 'failed'
            ? 'This export failed; there is no file to download.'
            : 'This export is not ready yet.',
        );
      }
      const sizeBytes = await fileStore.sizeOf(row.file_key);
      if (sizeBytes === undefined) throw notFound('The export file');
      return {
        stream: fileStore.openRead(row.file_key),
        fileName: row.file_name,
        sizeBytes,
        contentType: contentTypes[fileExtension(row.format)],
      };
    },

    async notifications(staffUserId: number) {
      const { done, pending } = await repo.pendingNotifications(db.pool, staffUserId);
      return { items: done.map(toRecord), pending };
    },

    markSeen: (staffUserId: number, ids: readonly string[]) =>
      repo.markNotified(db.pool, staffUserId, ids, clock.now()),
  };
}

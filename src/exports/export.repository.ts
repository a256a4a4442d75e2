import type { Readable } from 'node:stream';
import { to as copyTo } from 'pg-copy-streams';
import type pg from 'pg';
import type { Queryable } from '../db/database.ts';
import type { ExportColumn, ExportTypeDefinition, SelectionFilters } from './export-types.ts';
import type {
  ExportFilters,
  ExportFormat,
  ExportPreset,
  ExportPurpose,
  ExportStatus,
  ExportTypeId,
  ExportLanguage,
} from './export.schemas.ts';

/** Typed queries of the `exports` table, and the row source of an export file. */
export type ExportRow = {
  id: string;
  type: ExportTypeId;
  format: ExportFormat;
  purpose: ExportPurpose;
  language: ExportLanguage;
  columns: string[];
  filters: ExportFilters;
  preset: ExportPreset | null;
  file_name: string;
  status: ExportStatus;
  rows_total: number | null;
  rows_done: number;
  attempts: number;
  file_key: string | null;
  size_bytes: number | null;
  sha256: string | null;
  failure_code: string | null;
  failure_message: string | null;
  notify: boolean;
  created_by: number | null;
  created_by_name: string | null;
  created_at: Date;
  finished_at: Date | null;
  expires_at: Date | null;
};

export type NewExport = Pick<
  ExportRow,
  | 'id'
  | 'type'
  | 'format'
  | 'purpose'
  | 'language'
  | 'columns'
  | 'filters'
  | 'preset'
  | 'file_name'
  | 'notify'
  | 'created_by'
  | 'created_at'
>;

const selectExport = `SELECT e.*, s.name AS created_by_name
  FROM exports e LEFT JOIN staff_users s ON s.id = e.created_by`;

export type ExportKeyset = { createdAt: string; id: string };

export const exportRepository = {
  async insert(db: Queryable, row: NewExport): Promise<void> {
    await db.query(
      `INSERT INTO exports (id, type, format, language, columns, filters, preset, file_name, notify, created_by, created_at, purpose)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
      [
        row.id,
        row.type,
        row.format,
        row.language,
        row.columns,
        JSON.stringify(row.filters),
        row.preset,
        row.file_name,
        row.notify,
        row.created_by,
        row.created_at,
        row.purpose,
      ],
    );
  },

  async findById(db: Queryable, id: string): Promise<ExportRow | undefined> {
    const { rows } = await db.query<ExportRow>(`${selectExport} WHERE e.id = $1`, [id]);
    return rows[0];
  },

  /** Newest first; `after` is where the previous page ended. */
  async listPage(db: Queryable, limit: number, after: ExportKeyset | undefined): Promise<ExportRow[]> {
    const params: unknown[] = [limit + 1];
    const where = after ? `WHERE (e.created_at, e.id) < ($2::timestamptz, $3::uuid)` : '';
    if (after) params.push(after.createdAt, after.id);
    const { rows } = await db.query<ExportRow>(
      `${selectExport} ${where} ORDER BY e.created_at DESC, e.id DESC LIMIT $1`,
      params,
    );
    return rows;
  },

  /** Starts an attempt: counts it and returns the export, unless it is no longer processing (done, or deleted). */
  async startAttempt(db: Queryable, id: string, now: Date): Promise<ExportRow | undefined> {
    const { rows } = await db.query<{ id: string }>(
      `UPDATE exports SET attempts = attempts + 1, heartbeat_at = $2, rows_done = 0 WHERE id = $1 AND status = 'processing' RETURNING id`,
      [id, now],
    );
    return rows[0] ? exportRepository.findById(db, id) : undefined;
  },

  async recordProgress(
    db: Queryable,
    id: string,
    progress: { rowsDone: number; rowsTotal?: number },
    now: Date,
  ): Promise<void> {
    await db.query(
      `UPDATE exports SET rows_done = $2, rows_total = COALESCE($3, rows_total), heartbeat_at = $4 WHERE id = $1 AND status = 'processing'`,
      [id, progress.rowsDone, progress.rowsTotal ?? null, now],
    );
  },

  /**
   * READY and the file's key in one statement: a reader sees either no file or the whole file.
   * False when the export is gone (deleted while it ran) or no longer processing.
   */
  async markReady(
    db: Queryable,
    id: string,
    file: { key: string; sizeBytes: number; sha256: string; rows: number },
    now: Date,
    expiresAt: Date,
  ): Promise<boolean> {
    const { rowCount } = await db.query(
      `UPDATE exports SET status = 'ready', file_key = $2, size_bytes = $3, sha256 = $4, rows_total = $5, rows_done = $5,
              finished_at = $6, heartbeat_at = $6, expires_at = $7
        WHERE id = $1 AND status = 'processing'`,
      [id, file.key, file.sizeBytes, file.sha256, file.rows, now, expiresAt],
    );
    return (rowCount ?? 0) > 0;
  },

  async markFailed(
    db: Queryable,
    id: string,
    failure: { code: string; message: string },
    now: Date,
  ): Promise<void> {
    await db.query(
      `UPDATE exports SET status = 'failed', failure_code = $2, failure_message = $3, finished_at = $4 WHERE id = $1 AND status = 'processing'`,
      [id, failure.code, failure.message, now],
    );
  },

  /** Processing exports whose worker went quiet after its last allowed attempt. */
  async failAbandoned(db: Queryable, quietSince: Date, maxAttempts: number, now: Date): Promise<number> {
    const { rowCount } = await db.query(
      `UPDATE exports SET status = 'failed', failure_code = 'worker_stopped',
              failure_message = 'The export stopped before it was finished (the worker was stopped or crashed). Start it again.',
              finished_at = $3
        WHERE status = 'processing' AND attempts >= $2 AND heartbeat_at < $1`,
      [quietSince, maxAttempts, now],
    );
    return rowCount ?? 0;
  },

  async delete(db: Queryable, id: string): Promise<{ fileKey: string | null } | undefined> {
    const { rows } = await db.query<{ file_key: string | null }>(
      'DELETE FROM exports WHERE id = $1 RETURNING file_key',
      [id],
    );
    return rows[0] && { fileKey: rows[0].file_key };
  },

  /** Deletes exports past their expiry date; returns their file keys. */
  async deleteExpired(db: Queryable, now: Date): Promise<string[]> {
    const { rows } = await db.query<{ file_key: string | null }>(
      'DELETE FROM exports WHERE expires_at <= $1 RETURNING file_key',
      [now],
    );
    return rows.flatMap((row) => (row.file_key ? [row.file_key] : []));
  },

  async pendingNotifications(
    db: Queryable,
    staffUserId: number,
  ): Promise<{ done: ExportRow[]; pending: number }> {
    const { rows } = await db.query<ExportRow>(
      `${selectExport} WHERE e.created_by = $1 AND e.notify AND e.notified_at IS NULL ORDER BY e.created_at, e.id LIMIT 100`,
      [staffUserId],
    );
    return {
      done: rows.filter((row) => row.status !== 'processing'),
      pending: rows.filter((row) => row.status === 'processing').length,
    };
  },

  async markNotified(db: Queryable, staffUserId: number, ids: readonly string[], now: Date): Promise<void> {
    await db.query(
      `UPDATE exports SET notified_at = $3 WHERE created_by = $1 AND id = ANY($2::uuid[]) AND status <> 'processing' AND notified_at IS NULL`,
      [staffUserId, ids, now],
    );
  },
};

/**
 * The rows of an export as `COPY (SELECT …) TO STDOUT` text, in one snapshot. Run inside a
 * REPEATABLE READ transaction on `client`: the count and the rows see the same data. COPY takes
 * no parameters, so a filtered export first puts the chosen ids into a temporary table (with
 * ordinary bind parameters — no value is ever spliced into SQL), and the COPY joins it.
 */
export async function openRowStream(
  client: pg.PoolClient,
  type: ExportTypeDefinition,
  columns: readonly ExportColumn[],
  filters: SelectionFilters,
): Promise<{ total: number; stream: Readable }> {
  const params: unknown[] = [];
  const selection = type.selectionSql(filters, params);
  let total: number;
  if (selection) {
    await client.query('CREATE TEMPORARY TABLE export_selection (id bigint PRIMARY KEY) ON COMMIT DROP');
    total = (await client.query(`INSERT INTO export_selection ${selection}`, params)).rowCount ?? 0;
    await client.query('ANALYZE export_selection');
  } else {
    const from = type.from(undefined);
    total =
      (await client.query<{ count: number }>(`SELECT count(*)::int AS count FROM ${from}`)).rows[0]?.count ??
      0;
  }
  // The flags' join costs every row of the export; a shop without flagged values skips it (#15).
  const hasTypedValues = type.typedValues !== undefined && (await client.query<{ exists: boolean }>(type.typedValues.anySql)).rows[0]?.exists === true;
  const stream = client.query(
    copyTo(`COPY (${exportSelectSql(type, columns, selection ? 'export_selection' : undefined, hasTypedValues)}) TO STDOUT`),
  );
  return { total, stream };
}

/** The SELECT of an export's rows, also what the benchmark compares with plain COPY. */
export function exportSelectSql(
  type: ExportTypeDefinition,
  columns: readonly ExportColumn[],
  selection: string | undefined,
  hasTypedValues = true,
): string {
  const select = columns.map((column) => column.sql);
  const typed = hasTypedValues ? type.typedValues : undefined;
  if (typed) select.push(typed.sql);
  return `SELECT ${select.join(', ')} FROM ${type.from(selection)} ${typed?.join ?? ''} ORDER BY ${type.orderBy}`;
}

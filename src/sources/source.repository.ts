import type { Queryable } from '../db/database.ts';
import type { ImportOptions } from '../imports/import.schemas.ts';
import type { Conditions, Credentials, RunStatus, Schedule, SourceLocation } from './source.schemas.ts';

/** Sources and their runs (migration 033). */

export type SourceRow = {
  id: number;
  name: string;
  location: SourceLocation;
  credentials_kind: Credentials['kind'];
  credentials_encrypted: Buffer | null;
  saved_mapping_id: number | null;
  saved_mapping_name: string | null;
  options: ImportOptions;
  schedule: Schedule;
  conditions: Conditions;
  is_enabled: boolean;
  owner_id: number | null;
  owner_name: string | null;
  owner_email: string | null;
  owner_language: 'en' | 'nl' | null;
  next_run_at: Date | null;
  etag: string | null;
  last_modified: string | null;
  sftp_host_key: string | null;
  version: number;
};

export type RunReason = { code: string; message: string; params: Record<string, string | number> };

export type RunRow = {
  id: number;
  source_id: number;
  trigger: 'schedule' | 'manual';
  status: RunStatus;
  import_id: number | null;
  reasons: RunReason[];
  started_at: Date;
  finished_at: Date | null;
  decided_by: { id: number; name: string } | null;
};

const sourceSelect = `SELECT s.id::int, s.name, s.location, s.credentials_kind, s.credentials_encrypted, s.saved_mapping_id::int, m.name AS saved_mapping_name,
       s.options, s.schedule, s.conditions, s.is_enabled, s.owner_id::int, u.name AS owner_name, u.email AS owner_email, u.language AS owner_language,
       s.next_run_at, s.etag, s.last_modified, s.sftp_host_key, s.version
  FROM import_sources s LEFT JOIN import_mappings m ON m.id = s.saved_mapping_id LEFT JOIN staff_users u ON u.id = s.owner_id`;

const runSelect = `SELECT r.id::int, r.source_id::int, r.trigger, r.status, r.import_id::int, r.reasons, r.started_at, r.finished_at,
       CASE WHEN d.id IS NULL THEN NULL ELSE json_build_object('id', d.id::int, 'name', d.name) END AS decided_by
  FROM import_source_runs r LEFT JOIN staff_users d ON d.id = r.decided_by`;

export type SourceValues = {
  name: string; location: SourceLocation; credentials_kind: Credentials['kind']; credentials_encrypted: Buffer | null; saved_mapping_id: number;
  options: ImportOptions; schedule: Schedule; conditions: Conditions; is_enabled: boolean; next_run_at: Date | null;
};

export const sourceRepository = {
  async list(db: Queryable): Promise<SourceRow[]> {
    return (await db.query<SourceRow>(`${sourceSelect} ORDER BY lower(s.name), s.id`)).rows;
  },

  async find(db: Queryable, id: number, lock = false): Promise<SourceRow | undefined> {
    if (lock) await db.query('SELECT 1 FROM import_sources WHERE id = $1 FOR UPDATE', [id]);
    return (await db.query<SourceRow>(`${sourceSelect} WHERE s.id = $1`, [id])).rows[0];
  },

  async insert(db: Queryable, values: SourceValues, ownerId: number | null, now: Date): Promise<number> {
    const { rows } = await db.query<{ id: number }>(
      `INSERT INTO import_sources (name, location, credentials_kind, credentials_encrypted, saved_mapping_id, options, schedule, conditions, is_enabled, next_run_at, owner_id, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) RETURNING id::int`,
      [values.name, values.location, values.credentials_kind, values.credentials_encrypted, values.saved_mapping_id, values.options, values.schedule, values.conditions, values.is_enabled, values.next_run_at, ownerId, now],
    );
    return rows[0]!.id;
  },

  /** Writes the changed columns if the version is the one read; false when someone changed the source meanwhile. */
  async update(db: Queryable, id: number, version: number, values: Partial<SourceValues & { etag: string | null; last_modified: string | null; sftp_host_key: string | null }>, now: Date): Promise<boolean> {
    const entries = Object.entries(values).filter(([, value]) => value !== undefined);
    const sets = entries.map(([column], index) => `${column} = $${index + 4}`);
    const { rowCount } = await db.query(
      `UPDATE import_sources SET ${[...sets, 'version = version + 1', 'updated_at = $3'].join(', ')} WHERE id = $1 AND version = $2`,
      [id, version, now, ...entries.map(([, value]) => value)],
    );
    return (rowCount ?? 0) > 0;
  },

  /** What the last fetched file was (not a change of the source's settings: no new version). */
  async rememberFile(db: Queryable, id: number, file: { etag: string | null; lastModified: string | null }): Promise<void> {
    await db.query('UPDATE import_sources SET etag = $2, last_modified = $3 WHERE id = $1', [id, file.etag, file.lastModified]);
  },

  /** An SFTP server's host key, trusted on first use (fetch-sftp.ts). */
  async rememberHostKey(db: Queryable, id: number, hostKey: string): Promise<void> {
    await db.query('UPDATE import_sources SET sftp_host_key = $2 WHERE id = $1 AND sftp_host_key IS NULL', [id, hostKey]);
  },

  async delete(db: Queryable, id: number): Promise<boolean> {
    return ((await db.query('DELETE FROM import_sources WHERE id = $1', [id])).rowCount ?? 0) > 0;
  },

  /** Enabled sources whose next run is due, locked (a second ticking process skips them). */
  async due(db: Queryable, now: Date): Promise<SourceRow[]> {
    const { rows } = await db.query<{ id: number }>(
      'SELECT id::int FROM import_sources WHERE is_enabled AND next_run_at <= $1 ORDER BY next_run_at LIMIT 100 FOR UPDATE SKIP LOCKED',
      [now],
    );
    if (rows.length === 0) return [];
    return (await db.query<SourceRow>(`${sourceSelect} WHERE s.id = ANY($1::bigint[]) ORDER BY s.next_run_at`, [rows.map((row) => row.id)])).rows;
  },

  async setNextRun(db: Queryable, id: number, nextRunAt: Date | null): Promise<void> {
    await db.query('UPDATE import_sources SET next_run_at = $2 WHERE id = $1', [id, nextRunAt]);
  },

  /** A run; for a schedule's slot at most one (undefined when that slot has its run already). */
  async insertRun(db: Queryable, sourceId: number, trigger: 'schedule' | 'manual', scheduledFor: Date | null, now: Date): Promise<number | undefined> {
    const { rows } = await db.query<{ id: number }>(
      `INSERT INTO import_source_runs (source_id, trigger, scheduled_for, started_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (source_id, scheduled_for) DO NOTHING RETURNING id::int`,
      [sourceId, trigger, scheduledFor, now],
    );
    return rows[0]?.id;
  },

  /** Takes the run's lease (or renews it for its holder); false while another live worker holds it. */
  async claimRun(db: Queryable, id: number, holder: string, until: Date, now: Date): Promise<boolean> {
    const { rowCount } = await db.query(
      `UPDATE import_source_runs SET lease_until = $3, lease_holder = $2
        WHERE id = $1 AND status IN ('queued', 'fetching', 'checking') AND (lease_until IS NULL OR lease_until < $4 OR lease_holder = $2)`,
      [id, holder, until, now],
    );
    return (rowCount ?? 0) > 0;
  },

  /** Runs left unfinished by a worker that died: their lease ran out (or, queued, they waited two minutes). */
  async interruptedRuns(db: Queryable, now: Date): Promise<number[]> {
    const { rows } = await db.query<{ id: number }>(
      `SELECT id::int FROM import_source_runs
        WHERE status IN ('queued', 'fetching', 'checking')
          AND (lease_until < $1 OR (lease_until IS NULL AND started_at < $1 - interval '2 minutes'))
        ORDER BY id LIMIT 100`,
      [now],
    );
    return rows.map((row) => row.id);
  },

  async findRun(db: Queryable, id: number, lock = false): Promise<RunRow | undefined> {
    if (lock) await db.query('SELECT 1 FROM import_source_runs WHERE id = $1 FOR UPDATE', [id]);
    return (await db.query<RunRow>(`${runSelect} WHERE r.id = $1`, [id])).rows[0];
  },

  async runs(db: Queryable, sourceId: number, limit = 50): Promise<RunRow[]> {
    return (await db.query<RunRow>(`${runSelect} WHERE r.source_id = $1 ORDER BY r.id DESC LIMIT $2`, [sourceId, limit])).rows;
  },

  async lastRuns(db: Queryable, sourceIds: readonly number[]): Promise<Map<number, RunRow>> {
    const { rows } = await db.query<RunRow>(
      `${runSelect} WHERE r.id IN (SELECT max(id) FROM import_source_runs WHERE source_id = ANY($1::bigint[]) GROUP BY source_id)`,
      [sourceIds],
    );
    return new Map(rows.map((row) => [row.source_id, row]));
  },

  /** With `holder`: only while that worker holds the run's lease (a run taken over is the new holder's to finish). */
  async updateRun(db: Queryable, id: number, values: { status: RunStatus; import_id?: number; reasons?: RunReason[]; finished_at?: Date | null; decided_by?: number | null; decided_at?: Date }, holder?: string): Promise<void> {
    const entries = Object.entries(values).filter(([, value]) => value !== undefined);
    await db.query(
      `UPDATE import_source_runs SET ${entries.map(([column], index) => `${column} = $${index + 2}`).join(', ')} WHERE id = $1${holder === undefined ? '' : ` AND lease_holder = $${entries.length + 2}`}`,
      [id, ...entries.map(([column, value]) => (column === 'reasons' ? JSON.stringify(value) : value)), ...(holder === undefined ? [] : [holder])],
    );
  },
};

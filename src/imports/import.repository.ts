import { escapeLike } from '../customers/customer.repository.ts';
import type { Queryable } from '../db/database.ts';
import type { ImportStatus } from './import.schemas.ts';
import type { RowError } from './validate.ts';

/** Import records, their checkpoint and lease, rejected rows, the change log and saved mappings. */

export type ImportRow = {
  id: number;
  type: string;
  file_name: string;
  file_key: string;
  /** When the uploaded file was deleted (retention); the import and its report stay. */
  file_deleted_at: Date | null;
  file_size_bytes: number;
  file_sha256: string;
  format: 'csv' | 'xlsx';
  created_by: number | null;
  created_by_name: string;
  status: ImportStatus;
  settings: unknown;
  analysis: unknown;
  mapping: unknown;
  options: unknown;
  check_result: unknown;
  checked_options: unknown;
  total_rows: number | null;
  checkpoint_row: number;
  rows_done: number;
  created_count: number;
  updated_count: number;
  unchanged_count: number;
  deleted_count?: number;
  ignored_count?: number;
  rejected_count: number;
  /** Rows imported with a warning, and customers imported without their (unverifiable) password hash. */
  warned_count: number;
  passwords_dropped_count: number;
  duplicate_count: number;
  addresses_added: number;
  companies_created?: number;
  companies_updated?: number;
  contacts_linked?: number;
  contacts_changed?: number;
  addresses_changed: number;
  addresses_removed: number;
  based_on_import_id: number | null;
  /** The recurring import (source) and its run that made this import (migration 033). */
  source?: { id: number; name: string; runId: number } | null;
  /** "Import the fixed rows": the import whose rejected rows, fixed in the app, this one imports. */
  parent_import_id?: number | null;
  groups_created: string[];
  is_cancel_requested: boolean;
  lease_job_id: string | null;
  lease_until: Date | null;
  failure: unknown;
  undo_result: unknown;
  queued_at: Date | null;
  started_at: Date | null;
  finished_at: Date | null;
  /** Set while the import builds the indexes it loaded without (customers/deferred-indexes.ts). */
  building_indexes_since?: Date | null;
  undone_at: Date | null;
  created_at: Date;
  updated_at: Date;
};

export type NewImport = Pick<
  ImportRow,
  | 'type'
  | 'file_name'
  | 'file_key'
  | 'file_size_bytes'
  | 'file_sha256'
  | 'format'
  | 'created_by'
  | 'created_by_name'
  | 'settings'
  | 'analysis'
  | 'mapping'
  | 'total_rows'
> & { file_name_search: string };

export type ImportListFilter = {
  q?: string;
  from?: string;
  to?: string;
  before?: { createdAt: Date; id: number };
  limit: number;
};

export type BatchProgress = {
  checkpointRow: number;
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  rejected: number;
  duplicates: number;
  /** Addresses the rule "adds an address" added to address books. */
  addressesAdded?: number;
  /** An address file's changed and removed addresses. */
  addressesChanged?: number;
  addressesRemoved?: number;
  deleted?: number;
  ignored?: number;
  /** What the rows' company columns did (#19). */
  companies?: { companiesCreated: number; companiesUpdated: number; contactsLinked: number; contactsChanged: number };
  groupsCreated: readonly string[];
};


const json = (value: unknown) => (value === undefined ? null : JSON.stringify(value));

export type ImportChanges = Partial<Record<keyof ImportRow, unknown>>;

const jsonColumns = new Set(['settings', 'analysis', 'mapping', 'options', 'check_result', 'checked_options', 'failure', 'undo_result']);

/** `column = $n` for each change, numbered from `firstParameter`, with JSON columns serialised. */
function assignmentsOf(changes: ImportChanges, firstParameter: number) {
  const entries = Object.entries(changes);
  return {
    assignments: entries.map(([column], index) => `${column} = $${index + firstParameter}`),
    values: entries.map(([column, value]) => (jsonColumns.has(column) ? json(value) : value)),
  };
}

/** The source (recurring import) whose run made the import, with that run. */
const sourceColumn = `(SELECT json_build_object('id', s.id::int, 'name', s.name, 'runId', (SELECT max(r.id)::int FROM import_source_runs r WHERE r.import_id = imports.id))
    FROM import_sources s WHERE s.id = imports.source_id) AS source`;

export const importRepository = {
  async insert(db: Queryable, record: NewImport, now: Date): Promise<number> {
    const { rows } = await db.query<{ id: number }>(
      `INSERT INTO imports (type, file_name, file_name_search, file_key, file_size_bytes, file_sha256, format, created_by, created_by_name,
                            status, settings, analysis, mapping, total_rows, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'mapping', $10, $11, $12, $13, $14, $14) RETURNING id`,
      [
        record.type,
        record.file_name,
        record.file_name_search,
        record.file_key,
        record.file_size_bytes,
        record.file_sha256,
        record.format,
        record.created_by,
        record.created_by_name,
        json(record.settings),
        json(record.analysis),
        json(record.mapping),
        record.total_rows,
        now,
      ],
    );
    return rows[0]!.id;
  },

  async findById(
    db: Queryable,
    id: number,
    options: { forUpdate?: boolean } = {},
  ): Promise<ImportRow | undefined> {
    const { rows } = await db.query<ImportRow>(
      `SELECT *, ${sourceColumn} FROM imports WHERE id = $1 ${options.forUpdate ? 'FOR UPDATE' : ''}`,
      [id],
    );
    return rows[0];
  },

  async list(db: Queryable, filter: ImportListFilter): Promise<ImportRow[]> {
    const params: unknown[] = [];
    const conditions: string[] = [];
    const param = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    if (filter.q)
      conditions.push(`file_name_search LIKE ${param(`%${escapeLike(filter.q)}%`)}`);
    if (filter.from) conditions.push(`created_at >= ${param(filter.from)}::date`);
    if (filter.to) conditions.push(`created_at < ${param(filter.to)}::date + 1`);
    if (filter.before)
      conditions.push(`(created_at, id) < (${param(filter.before.createdAt)}, ${param(filter.before.id)})`);
    const { rows } = await db.query<ImportRow>(
      `SELECT *, ${sourceColumn} FROM imports ${conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : ''}
        ORDER BY created_at DESC, id DESC LIMIT ${param(filter.limit)}`,
      params,
    );
    return rows;
  },

  /** Sets columns of an import; only the given ones. */
  async update(db: Queryable, id: number, changes: ImportChanges, now: Date): Promise<void> {
    const { assignments, values } = assignmentsOf(changes, 3);
    await db.query(`UPDATE imports SET ${['updated_at = $2', ...assignments].join(', ')} WHERE id = $1`, [id, now, ...values]);
  },

  /** Moves an import from one of `from` to `to`; false when it was in another status (a double click, two tabs). */
  async transition(
    db: Queryable,
    id: number,
    from: readonly ImportStatus[],
    to: ImportStatus,
    now: Date,
    extra: ImportChanges = {},
  ): Promise<boolean> {
    const { assignments, values } = assignmentsOf(extra, 5);
    const { rowCount } = await db.query(
      `UPDATE imports SET ${['status = $3', 'updated_at = $4', ...assignments].join(', ')}
        WHERE id = $1 AND status = ANY($2::text[])`,
      [id, from, to, now, ...values],
    );
    return (rowCount ?? 0) > 0;
  },

  /** Whether an import started earlier is still queued or running (imports apply one at a time, in start order). */
  async hasEarlierRunning(db: Queryable, record: Pick<ImportRow, 'id' | 'queued_at'>): Promise<boolean> {
    const { rowCount } = await db.query(
      `SELECT 1 FROM imports WHERE status IN ('queued', 'processing') AND id <> $1 AND (queued_at, id) < ($2, $1) LIMIT 1`,
      [record.id, record.queued_at],
    );
    return (rowCount ?? 0) > 0;
  },

  /** Takes the import's write lease for a job run, unless another run holds a lease that has not passed. */
  async takeLease(db: Queryable, id: number, jobId: string, now: Date, until: Date): Promise<boolean> {
    const { rowCount } = await db.query(
      `UPDATE imports SET lease_job_id = $2, lease_until = $4, updated_at = $3
        WHERE id = $1 AND (lease_job_id IS NULL OR lease_job_id = $2 OR lease_until < $3)`,
      [id, jobId, now, until],
    );
    return (rowCount ?? 0) > 0;
  },

  /** Keeps the lease of a run that is alive but commits no batch for a while (it builds indexes). */
  async renewLease(db: Queryable, id: number, jobId: string, until: Date): Promise<void> {
    await db.query('UPDATE imports SET lease_until = $3 WHERE id = $1 AND lease_job_id = $2', [id, jobId, until]);
  },

  async releaseLease(db: Queryable, id: number, jobId: string): Promise<void> {
    // lease_until stays: the time of the last sign of life, for the recovery sweep.
    await db.query('UPDATE imports SET lease_job_id = NULL WHERE id = $1 AND lease_job_id = $2', [id, jobId]);
  },

  /**
   * The checkpoint, written in the batch's transaction. False when this run lost its lease (a
   * newer run took over): the caller rolls the batch back.
   */
  async commitBatch(
    db: Queryable,
    id: number,
    jobId: string,
    progress: BatchProgress,
    now: Date,
    leaseUntil: Date,
  ): Promise<{ isCommitted: boolean; isCancelRequested: boolean }> {
    const { rows } = await db.query<{ is_cancel_requested: boolean }>(
      `UPDATE imports
          SET checkpoint_row = $3, rows_done = rows_done + $4, created_count = created_count + $5, updated_count = updated_count + $6,
              unchanged_count = unchanged_count + $7, rejected_count = rejected_count + $8, duplicate_count = duplicate_count + $12,
              addresses_added = addresses_added + $13, addresses_changed = addresses_changed + $14, addresses_removed = addresses_removed + $15,
              deleted_count = deleted_count + $16, ignored_count = ignored_count + $17,
              companies_created = companies_created + $18, companies_updated = companies_updated + $19, contacts_linked = contacts_linked + $20, contacts_changed = contacts_changed + $21,
              groups_created = groups_created || $9::text[], lease_until = $11, updated_at = $10
        WHERE id = $1 AND lease_job_id = $2 AND checkpoint_row < $3
        RETURNING is_cancel_requested`,
      [
        id,
        jobId,
        progress.checkpointRow,
        progress.rows,
        progress.created,
        progress.updated,
        progress.unchanged,
        progress.rejected,
        progress.groupsCreated,
        now,
        leaseUntil,
        progress.duplicates,
        progress.addressesAdded ?? 0,
        progress.addressesChanged ?? 0,
        progress.addressesRemoved ?? 0,
        progress.deleted ?? 0,
        progress.ignored ?? 0,
        progress.companies?.companiesCreated ?? 0,
        progress.companies?.companiesUpdated ?? 0,
        progress.companies?.contactsLinked ?? 0,
        progress.companies?.contactsChanged ?? 0,
      ],
    );
    return { isCommitted: rows.length > 0, isCancelRequested: rows[0]?.is_cancel_requested ?? false };
  },

  async insertRejections(
    db: Queryable,
    importId: number,
    rejections: ReadonlyArray<{ rowNumber: number; cells: readonly string[]; errors: readonly RowError[] }>,
  ): Promise<void> {
    if (rejections.length === 0) return;
    await db.query(
      `INSERT INTO import_rejections (import_id, row_number, cells, errors)
       SELECT $1, x.row_number, ARRAY(SELECT jsonb_array_elements_text(x.cells)), x.errors
         FROM jsonb_to_recordset($2::jsonb) AS x(row_number int, cells jsonb, errors jsonb)
       ON CONFLICT DO NOTHING`,
      [
        importId,
        JSON.stringify(
          rejections.map((rejection) => ({
            row_number: rejection.rowNumber,
            cells: rejection.cells,
            errors: rejection.errors,
          })),
        ),
      ],
    );
  },

  /** The customers an undo left alone, in file order (at most `limit`), and how many there are. */
  async listUndoSkipped(db: Queryable, importId: number, limit: number) {
    const { rows } = await db.query<{
      customer_id: number;
      row_number: number;
      undo_outcome: 'changed_since' | 'deleted_since';
      email: string | null;
      name: string | null;
      total: number;
    }>(
      `SELECT ch.customer_id, ch.row_number, ch.undo_outcome, c.email,
              NULLIF(concat_ws(' ', NULLIF(c.first_name, ''), NULLIF(c.name_insertion, ''), NULLIF(c.last_name, '')), '') AS name,
              count(*) OVER ()::int AS total
         FROM import_changes ch LEFT JOIN customers c ON c.id = ch.customer_id
        WHERE ch.import_id = $1 AND ch.undo_outcome IN ('changed_since', 'deleted_since')
        ORDER BY ch.row_number LIMIT $2`,
      [importId, limit],
    );
    return {
      items: rows.map((row) => ({
        customerId: row.customer_id,
        rowNumber: row.row_number,
        outcome: row.undo_outcome,
        email: row.email,
        name: row.name,
      })),
      total: rows[0]?.total ?? 0,
    };
  },

  async insertDuplicateRows(db: Queryable, importId: number, rows: ReadonlyArray<{ rowNumber: number; action: string; intoRow: number }>): Promise<void> {
    if (rows.length === 0) return;
    await db.query(
      `INSERT INTO import_duplicate_rows (import_id, row_number, action, into_row)
       SELECT $1, x.row_number, x.action, x.into_row FROM jsonb_to_recordset($2::jsonb) AS x(row_number int, action text, into_row int)
       ON CONFLICT DO NOTHING`,
      [importId, JSON.stringify(rows.map((row) => ({ row_number: row.rowNumber, action: row.action, into_row: row.intoRow })))],
    );
  },

  async listDuplicateRows(db: Queryable, importId: number, limit: number): Promise<Array<{ rowNumber: number; action: 'replaced' | 'combined' | 'address'; intoRow: number }>> {
    const { rows } = await db.query<{ rowNumber: number; action: 'replaced' | 'combined' | 'address'; intoRow: number }>(
      'SELECT row_number AS "rowNumber", action, into_row AS "intoRow" FROM import_duplicate_rows WHERE import_id = $1 ORDER BY row_number LIMIT $2',
      [importId, limit],
    );
    return rows;
  },

  /** The password state of the customers the import created: an imported hash, a password set since, or none yet. */
  async createdPasswordStates(db: Queryable, importId: number): Promise<{ importedHash: number; hasPassword: number; withoutPassword: number }> {
    const { rows } = await db.query<{ importedHash: number; hasPassword: number; withoutPassword: number }>(
      `SELECT count(*) FILTER (WHERE c.password_state = 'imported_hash')::int AS "importedHash",
              count(*) FILTER (WHERE c.password_state = 'set')::int AS "hasPassword",
              count(*) FILTER (WHERE c.password_state IN ('none', 'must_reset'))::int AS "withoutPassword"
         FROM import_changes ch JOIN customers c ON c.id = ch.customer_id
        WHERE ch.import_id = $1 AND ch.action = 'created'`,
      [importId],
    );
    return rows[0] ?? { importedHash: 0, hasPassword: 0, withoutPassword: 0 };
  },
};

import type { Database, Queryable } from '../db/database.ts';

/**
 * Issue #20: a first import into a store that is small next to its file writes the customers
 * without the indexes that only the back office's lists and searches read, and builds them once
 * the rows are in. Building a GIN trigram index over a million rows costs a fraction of keeping
 * it up to date row by row.
 *
 * Crash-safe by construction: an index is dropped in the transaction that writes its definition
 * to `deferred_indexes`, and built again in the transaction that deletes that row. A process that
 * dies at any point leaves either the index or its row, never neither; whoever builds next (the
 * import when it resumes and ends, or the recovery at a worker's start) finds the row.
 *
 * The indexes the import itself reads (the unique e-mail and external id, the phone, mobile and
 * e-mail-variant keys of its matching and duplicate warnings, the import id of undo) are never
 * dropped.
 */
export const deferrableIndexes: readonly string[] = [
  'customers_search_trgm_idx',
  'customers_tag_keys',
  'customers_created_idx',
  'customers_updated_idx',
  'customers_last_name_idx',
  'customers_customer_since_idx',
  'customers_billing_country_idx',
  'customers_since_or_created_idx',
];

/**
 * What a build may use: `memoryMb` is `maintenance_work_mem` for the build (shared by its
 * parallel workers), `parallelWorkers` is `max_parallel_maintenance_workers` (the server's own
 * setting when undefined).
 */
export type IndexBuildSettings = { memoryMb: number; parallelWorkers: number | undefined };

/** The settings a build runs with, as one statement (for `SET LOCAL` in the build's transaction). */
export function indexBuildSettingsSql(settings: IndexBuildSettings): string {
  return [
    `SET LOCAL maintenance_work_mem = '${Math.round(settings.memoryMb)}MB'`,
    ...(settings.parallelWorkers === undefined
      ? []
      : [`SET LOCAL max_parallel_maintenance_workers = ${Math.round(settings.parallelWorkers)}`]),
  ].join('; ');
}

/** 55P03 lock_not_available: the table was busy and `lock_timeout` passed. */
const isLockTimeout = (error: unknown): boolean =>
  (error as { code?: unknown } | undefined)?.code === '55P03';

export const deferredIndexRepository = {
  /** Whether some index is dropped for a load or being built again (search says so instead of timing out). */
  async any(db: Queryable): Promise<boolean> {
    const { rows } = await db.query<{ any: boolean }>({
      name: 'deferred-indexes-any',
      text: 'SELECT EXISTS (SELECT 1 FROM deferred_indexes) AS any',
    });
    return rows[0]?.any ?? false;
  },

  /** The customers table holds fewer than `limit` rows (counted no further than that). */
  async hasFewerCustomersThan(db: Queryable, limit: number): Promise<boolean> {
    const { rows } = await db.query<{ count: number }>(
      'SELECT count(*)::int AS count FROM (SELECT 1 FROM customers LIMIT $1) AS counted',
      [limit],
    );
    return (rows[0]?.count ?? 0) < limit;
  },

  /**
   * Drops the deferrable indexes for import `importId`, each written to `deferred_indexes` in the
   * same transaction. Dropping an index needs the table to itself for a moment: when it stays
   * busy for 2 s, nothing is dropped (the import keeps the indexes up to date as it goes).
   * Returns how many were dropped.
   */
  async defer(db: Database, importId: number, now: Date): Promise<number> {
    try {
      return await db.transaction(async (tx) => {
        await tx.query("SET LOCAL lock_timeout = '2s'");
        const { rows } = await tx.query<{ name: string; definition: string }>(
          `SELECT indexname AS name, indexdef AS definition FROM pg_indexes
            WHERE schemaname = current_schema() AND tablename = 'customers' AND indexname = ANY($1::text[])`,
          [deferrableIndexes],
        );
        if (rows.length === 0) return 0;
        await tx.query(
          `INSERT INTO deferred_indexes (name, definition, import_id, deferred_at)
           SELECT name, definition, $3, $4 FROM unnest($1::text[], $2::text[]) AS t(name, definition)`,
          [rows.map((row) => row.name), rows.map((row) => row.definition), importId, now],
        );
        await tx.query(`DROP INDEX ${rows.map((row) => `"${row.name}"`).join(', ')}`);
        return rows.length;
      });
    } catch (error) {
      if (isLockTimeout(error)) return 0;
      throw error;
    }
  },

  /**
   * Builds every deferred index, one per transaction that also deletes its row. An index another
   * process is building (its row locked) is left to that process. `whileBuilding` runs beside each
   * build (the import keeps its lease alive with it). Returns how many this call built.
   */
  async build(
    db: Database,
    settings: IndexBuildSettings,
    whileBuilding?: <T>(work: Promise<T>) => Promise<T>,
  ): Promise<number> {
    for (let built = 0; ; built++) {
      const work = db.transaction(async (tx) => {
        const { rows } = await tx.query<{ name: string; definition: string }>(
          'SELECT name, definition FROM deferred_indexes ORDER BY deferred_at, name LIMIT 1 FOR UPDATE SKIP LOCKED',
        );
        const row = rows[0];
        if (!row) return false;
        await tx.query(indexBuildSettingsSql(settings));
        // IF NOT EXISTS: an index that is there already (built by hand) is not built twice.
        await tx.query(row.definition.replace(/^CREATE (UNIQUE )?INDEX /, 'CREATE $1INDEX IF NOT EXISTS '));
        await tx.query('DELETE FROM deferred_indexes WHERE name = $1', [row.name]);
        return true;
      });
      if (!(await (whileBuilding ? whileBuilding(work) : work))) return built;
    }
  },

  /** The deferred indexes whose import no longer runs (ended, gone): nobody else will build them. */
  async hasOrphans(db: Queryable): Promise<boolean> {
    const { rows } = await db.query<{ any: boolean }>(
      `SELECT EXISTS (
         SELECT 1 FROM deferred_indexes d LEFT JOIN imports i ON i.id = d.import_id
          WHERE i.id IS NULL OR i.status NOT IN ('queued', 'processing')) AS any`,
    );
    return rows[0]?.any ?? false;
  },
};

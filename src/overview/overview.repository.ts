import type { Queryable } from '../db/database.ts';

/** One counted key of a dimension (see migration 013). */
export type CountRow = { dimension: string; key: string; count: number };

/** Above this many pending change rows, a read folds them into `customer_counts`. */
export const foldThreshold = 1_000;
// Any constant of this feature: one fold at a time; a second reader skips it instead of waiting.
const foldLockKey = 7_305_113_013;

export const overviewRepository = {
  /**
   * Every dimension's counts: the folded counts plus the changes not folded yet, in one
   * statement (one snapshot). Keys whose count is 0 are left out. A few hundred rows at most.
   */
  async customerCounts(db: Queryable): Promise<{ rows: CountRow[]; pendingChanges: number }> {
    const { rows } = await db.query<CountRow & { pending: number }>(
      `WITH pending AS (SELECT dimension, key, delta FROM customer_count_changes),
            summed AS (
              SELECT dimension, key, sum(count)::bigint AS count
                FROM (SELECT dimension, key, count FROM customer_counts
                      UNION ALL SELECT dimension, key, delta FROM pending) AS all_counts
               GROUP BY dimension, key)
       SELECT s.dimension, s.key, s.count, (SELECT count(*)::int FROM pending) AS pending
         FROM summed s WHERE s.count <> 0`,
    );
    return { rows: rows.map(({ dimension, key, count }) => ({ dimension, key, count })), pendingChanges: rows[0]?.pending ?? 0 };
  },

  /**
   * Moves the committed change rows into `customer_counts`. Rows of transactions still running
   * are invisible to the DELETE and stay for the next fold; concurrent writers only INSERT change
   * rows, so nothing here waits for them. Run it in a transaction (the lock is the transaction's).
   */
  async foldChanges(tx: Queryable): Promise<void> {
    const { rows } = await tx.query<{ locked: boolean }>('SELECT pg_try_advisory_xact_lock($1) AS locked', [foldLockKey]);
    if (!rows[0]?.locked) return;
    await tx.query(
      `WITH moved AS (DELETE FROM customer_count_changes RETURNING dimension, key, delta)
       INSERT INTO customer_counts AS c (dimension, key, count)
       SELECT dimension, key, sum(delta) FROM moved GROUP BY dimension, key ORDER BY dimension, key
       ON CONFLICT (dimension, key) DO UPDATE SET count = c.count + EXCLUDED.count`,
    );
    await tx.query('DELETE FROM customer_counts WHERE count = 0');
  },

  /** Imports started per month since `from` (applied or applying; not the ones still being set up or cancelled before they ran). */
  async importsByMonth(db: Queryable, from: Date): Promise<{ month: string; imports: number; created: number; updated: number }[]> {
    const { rows } = await db.query<{ month: string; imports: number; created: number; updated: number }>(
      `SELECT to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM') AS month, count(*)::int AS imports,
              sum(created_count)::int AS created, sum(updated_count)::int AS updated
         FROM imports
        WHERE created_at >= $1 AND started_at IS NOT NULL
        GROUP BY 1`,
      [from],
    );
    return rows;
  },

  /** Bulk password e-mail sends per month since `from`. */
  async bulkSendsByMonth(db: Queryable, from: Date): Promise<{ month: string; sends: number; emails: number }[]> {
    const { rows } = await db.query<{ month: string; sends: number; emails: number }>(
      `SELECT to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM') AS month, count(*)::int AS sends, sum(queued_count)::int AS emails
         FROM password_email_bulk_sends
        WHERE created_at >= $1
        GROUP BY 1`,
      [from],
    );
    return rows;
  },
};

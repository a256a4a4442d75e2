import { z } from 'zod';
import type { Database } from '../db/database.ts';
import { defineJob, type Queue } from '../jobs/queue.ts';
import type { Clock } from '../shared/clock.ts';
import { AppError, notFound } from '../shared/errors.ts';
import { runDuplicateScan, passes } from './duplicate-scan.ts';
import type { DuplicateGroup, DuplicateScan } from './duplicate.schemas.ts';

type ScanRow = {
  id: string;
  status: DuplicateScan['status'];
  step: number;
  steps: number;
  customer_count: number | null;
  group_count: number | null;
  requested_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
  failure: string | null;
};

const toScan = (row: ScanRow): DuplicateScan => ({
  id: Number(row.id),
  status: row.status,
  step: row.step,
  steps: row.steps,
  customerCount: row.customer_count,
  groupCount: row.group_count,
  requestedAt: row.requested_at.toISOString(),
  startedAt: row.started_at?.toISOString() ?? null,
  finishedAt: row.finished_at?.toISOString() ?? null,
  failure: row.failure,
});

/** What the review shows of each customer of a group, side by side. */
const memberColumns = `c.id::int, c.email, c.first_name AS "firstName", c.name_insertion AS "nameInsertion", c.last_name AS "lastName",
  c.phone, c.mobile, c.company_name AS "companyName", c.billing_postcode AS "postcode", c.billing_city AS "city",
  c.external_id AS "externalId", c.password_state <> 'none' AS "hasPassword", c.email_consent AS "emailConsent",
  c.created_at AS "createdAt", c.updated_at AS "updatedAt", c.version`;

export type DuplicateService = ReturnType<typeof createDuplicateService>;

export function createDuplicateService(deps: { db: Database; clock: Clock; queue: Queue }) {
  const { db, clock } = deps;

  /**
   * `duplicates.scan`: one scan, from its checkpoint (the passes done). A scan no longer queued or
   * running is left alone. Held by the queue's lease while its worker lives; a worker that dies
   * costs one of the retries.
   */
  const scanJob = defineJob({
    name: 'duplicates.scan',
    policy: 'stately',
    payload: z.object({ scanId: z.number().int() }),
    retryLimit: 3,
    handle: async ({ scanId }) => {
      const { rows } = await db.pool.query<{ step: number }>(
        `UPDATE duplicate_scans SET status = 'running', started_at = COALESCE(started_at, $2) WHERE id = $1 AND status IN ('queued', 'running') RETURNING step`,
        [scanId, clock.now()],
      );
      if (!rows[0]) return;
      try {
        await runDuplicateScan(db, scanId, rows[0].step, async (tx, found) => {
          await tx.query(
            `UPDATE duplicate_scans SET status = 'done', finished_at = $2, group_count = $3, customer_count = $4 WHERE id = $1`,
            [scanId, clock.now(), found.groupCount, found.customerCount],
          );
          // Only the newest scan's groups are kept.
          await tx.query(`DELETE FROM duplicate_groups WHERE scan_id < $1`, [scanId]);
        });
      } catch (error) {
        await db.pool.query(`UPDATE duplicate_scans SET status = 'failed', finished_at = $2, failure = $3 WHERE id = $1`, [
          scanId,
          clock.now(),
          'The search for duplicates stopped because of a database error. Start it again.',
        ]);
        throw error;
      }
    },
  });

  const latestScan = async (): Promise<DuplicateScan | null> => {
    const { rows } = await db.pool.query<ScanRow>('SELECT * FROM duplicate_scans ORDER BY id DESC LIMIT 1');
    return rows[0] ? toScan(rows[0]) : null;
  };

  return {
    jobDefinitions: [scanJob],

    /** Starts a scan, or answers the one already queued or running (one at a time). */
    async startScan(staffUserId: number | null): Promise<DuplicateScan> {
      const scan = await db.transaction(async (tx) => {
        // A scan takes seconds; one still "running" after ten minutes lost its worker for good.
        await tx.query(
          `UPDATE duplicate_scans SET status = 'failed', finished_at = $1, failure = 'The search for duplicates stopped unexpectedly. It was started again.'
            WHERE status IN ('queued', 'running') AND requested_at < $1::timestamptz - interval '10 minutes'`,
          [clock.now()],
        );
        const { rows } = await tx.query<ScanRow>(
          `INSERT INTO duplicate_scans (requested_by, requested_at, steps) VALUES ($1, $2, $3)
           ON CONFLICT ((true)) WHERE status IN ('queued', 'running') DO NOTHING RETURNING *`,
          [staffUserId, clock.now(), passes.length + 1],
        );
        if (rows[0]) await deps.queue.enqueue(scanJob, { scanId: Number(rows[0].id) }, { singletonKey: `duplicates:${rows[0].id}`, transaction: tx });
        return rows[0] ? toScan(rows[0]) : undefined;
      });
      return scan ?? (await latestScan())!;
    },

    latestScan,

    /**
     * The newest finished scan's groups, strongest first, of which at least two customers still
     * exist and that nobody merged or dismissed since; each with its customers as they are now.
     */
    async groups(query: { limit: number; offset: number }): Promise<{ scan: DuplicateScan | null; total: number; items: DuplicateGroup[] }> {
      const { rows: scans } = await db.pool.query<ScanRow>(`SELECT * FROM duplicate_scans WHERE status = 'done' ORDER BY id DESC LIMIT 1`);
      const scan = scans[0];
      if (!scan) return { scan: null, total: 0, items: [] };
      const open = `FROM duplicate_groups g WHERE g.scan_id = $1 AND g.resolved_at IS NULL
        AND (SELECT count(*) FROM customers c WHERE c.id = ANY(g.customer_ids)) >= 2`;
      const { rows: counted } = await db.pool.query<{ total: number }>(`SELECT count(*)::int AS total ${open}`, [scan.id]);
      const { rows } = await db.pool.query<{ id: string; reasons: DuplicateGroup['reasons']; confidence: number; customers: DuplicateGroup['customers'] }>(
        `SELECT g.id, g.reasons, g.confidence,
                (SELECT json_agg(m ORDER BY m."updatedAt" DESC) FROM (SELECT ${memberColumns} FROM customers c WHERE c.id = ANY(g.customer_ids)) m) AS customers
           ${open} ORDER BY g.confidence DESC, g.id LIMIT $2 OFFSET $3`,
        [scan.id, query.limit, query.offset],
      );
      return {
        scan: toScan(scan),
        total: counted[0]?.total ?? 0,
        items: rows.map((row) => ({ id: Number(row.id), reasons: row.reasons, confidence: row.confidence, customers: row.customers })),
      };
    },

    /** "Not the same person": the group's customers are not shown together again, also after the next scan. */
    async dismiss(groupId: number, staffUserId: number | null): Promise<void> {
      await db.transaction(async (tx) => {
        const { rows } = await tx.query<{ customer_ids: string[] }>(
          'UPDATE duplicate_groups SET resolved_at = $2 WHERE id = $1 AND resolved_at IS NULL RETURNING customer_ids',
          [groupId, clock.now()],
        );
        if (!rows[0]) {
          const { rows: exists } = await tx.query('SELECT 1 FROM duplicate_groups WHERE id = $1', [groupId]);
          if (exists.length === 0) throw notFound(`Possible duplicate #${groupId}`);
          throw new AppError('conflict', 'These customers were merged or set apart already. Refresh the list.');
        }
        await tx.query(
          `INSERT INTO duplicate_dismissals (customer_ids, dismissed_by, dismissed_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
          [rows[0].customer_ids, staffUserId, clock.now()],
        );
      });
    },
  };
}

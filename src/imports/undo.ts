import type { Queryable } from '../db/database.ts';
import type { RunDeps, RunOutcome } from './apply.ts';
import { writeColumns } from './customer-import.repository.ts';
import { importRepository as repo } from './import.repository.ts';

/**
 * Undo of an import: customers it created are deleted, customers it updated get their previous
 * values (and groups) back. A customer changed after the import (its updated_at is no longer
 * the one the import gave it) or deleted since is left alone and listed. Works in batches, last
 * row first, each batch in one transaction with its outcome recorded, so a crashed undo
 * continues where it stopped.
 */

type ChangeRow = { customer_id: number; action: 'created' | 'updated'; applied_at: Date };
export type UndoOutcome = 'restored' | 'deleted' | 'changed_since' | 'deleted_since';

async function undoBatch(tx: Queryable, importId: number, limit: number, now: Date): Promise<number> {
  const { rows: changes } = await tx.query<ChangeRow>(
    `SELECT customer_id, action, applied_at FROM import_changes
      WHERE import_id = $1 AND undo_outcome IS NULL ORDER BY row_number DESC LIMIT $2 FOR UPDATE`,
    [importId, limit],
  );
  if (changes.length === 0) return 0;
  const { rows: current } = await tx.query<{ id: number; updated_at: Date }>(
    'SELECT id, updated_at FROM customers WHERE id = ANY($1::bigint[]) ORDER BY id FOR UPDATE',
    [changes.map((change) => change.customer_id)],
  );
  const updatedAt = new Map(current.map((row) => [row.id, row.updated_at.getTime()]));
  const outcomes = new Map<number, UndoOutcome>();
  for (const change of changes) {
    const stamp = updatedAt.get(change.customer_id);
    outcomes.set(
      change.customer_id,
      stamp === undefined ? 'deleted_since' : stamp !== change.applied_at.getTime() ? 'changed_since' : change.action === 'created' ? 'deleted' : 'restored',
    );
  }
  const having = (outcome: UndoOutcome) => [...outcomes].filter(([, value]) => value === outcome).map(([id]) => id);
  await restore(tx, importId, having('restored'), now);
  await tx.query('DELETE FROM customers WHERE id = ANY($1::bigint[])', [having('deleted')]);
  await tx.query(
    `UPDATE import_changes ch SET undo_outcome = t.outcome
       FROM unnest($2::bigint[], $3::text[]) AS t(customer_id, outcome)
      WHERE ch.import_id = $1 AND ch.customer_id = t.customer_id`,
    [importId, [...outcomes.keys()], [...outcomes.values()]],
  );
  return changes.length;
}

async function restore(tx: Queryable, importId: number, customerIds: readonly number[], now: Date): Promise<void> {
  if (customerIds.length === 0) return;
  // jsonb_populate_record(c, previous) is the customer with the previous values of the columns
  // the import changed laid over its current row: unchanged columns keep their value.
  await tx.query(
    `UPDATE customers c
        SET (${writeColumns.join(', ')}) = (SELECT ${writeColumns.map((column) => `r.${column}`).join(', ')} FROM jsonb_populate_record(c, ch.previous - 'groups') r),
            updated_at = $3, last_import_id = NULL
       FROM import_changes ch
      WHERE ch.import_id = $1 AND ch.customer_id = c.id AND c.id = ANY($2::bigint[])`,
    [importId, customerIds, now],
  );
  await tx.query(
    `DELETE FROM customer_group_members m USING import_changes ch
      WHERE ch.import_id = $1 AND ch.customer_id = m.customer_id AND m.customer_id = ANY($2::bigint[]) AND ch.previous ? 'groups'
        AND NOT EXISTS (SELECT 1 FROM jsonb_array_elements_text(ch.previous -> 'groups') AS g(id) WHERE g.id::bigint = m.group_id)`,
    [importId, customerIds],
  );
  await tx.query(
    `INSERT INTO customer_group_members (customer_id, group_id, added_at)
     SELECT ch.customer_id, g.id, $3
       FROM import_changes ch
       CROSS JOIN LATERAL jsonb_array_elements_text(ch.previous -> 'groups') AS previous_group(id)
       JOIN customer_groups g ON g.id = previous_group.id::bigint
      WHERE ch.import_id = $1 AND ch.customer_id = ANY($2::bigint[]) AND ch.previous ? 'groups'
     ON CONFLICT DO NOTHING`,
    [importId, customerIds, now],
  );
}

async function finishUndo(deps: RunDeps, importId: number): Promise<void> {
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    const { rows } = await tx.query<{ undo_outcome: UndoOutcome; count: number }>(
      'SELECT undo_outcome, count(*)::int AS count FROM import_changes WHERE import_id = $1 GROUP BY undo_outcome',
      [importId],
    );
    const count = (outcome: UndoOutcome) => rows.find((row) => row.undo_outcome === outcome)?.count ?? 0;
    // Groups the import created and that are empty now go with it.
    await tx.query(
      `DELETE FROM customer_groups g USING imports i
        WHERE i.id = $1 AND g.name = ANY(i.groups_created)
          AND NOT EXISTS (SELECT 1 FROM customer_group_members m WHERE m.group_id = g.id)`,
      [importId],
    );
    const result = { restored: count('restored'), deleted: count('deleted'), changedSince: count('changed_since'), deletedSince: count('deleted_since') };
    await repo.transition(tx, importId, ['undoing'], 'undone', now, { undo_result: result, undone_at: now });
  });
}

export async function runUndo(deps: RunDeps, importId: number, runId: string, signal?: AbortSignal): Promise<RunOutcome> {
  const now = deps.clock.now();
  if (!(await repo.takeLease(deps.db.pool, importId, runId, now, new Date(now.getTime() + deps.leaseMs)))) return { outcome: 'busy', retryAfterMs: deps.leaseMs };
  try {
    const record = await repo.findById(deps.db.pool, importId);
    if (!record || record.status !== 'undoing') return { outcome: 'finished' };
    const sliceStartMs = performance.now();
    for (;;) {
      const done = await deps.db.transaction(async (tx) => {
        const batchNow = deps.clock.now();
        if (!(await repo.takeLease(tx, importId, runId, batchNow, new Date(batchNow.getTime() + deps.leaseMs)))) return -1;
        return undoBatch(tx, importId, deps.batchSize, batchNow);
      });
      if (done === -1) return { outcome: 'finished' }; // another run took over
      if (done === 0) break;
      if (signal?.aborted || performance.now() - sliceStartMs > deps.sliceMs) return { outcome: 'continue' };
    }
    await finishUndo(deps, importId);
    return { outcome: 'finished' };
  } finally {
    await repo.releaseLease(deps.db.pool, importId, runId);
  }
}

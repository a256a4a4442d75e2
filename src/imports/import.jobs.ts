import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { defineJob, type JobDefinition, type Queue } from '../jobs/queue.ts';
import { runApply, type RunDeps, type RunOutcome } from './apply.ts';
import { runCheck } from './dry-run.ts';
import { runUndo } from './undo.ts';

/**
 * The import's jobs. Delivery is at-least-once and a worker may die at any moment, so each run
 * takes the import's lease (one writer at a time), works from the committed checkpoint, and
 * hands over to a fresh job when its worker stops. A worker that dies is noticed by the
 * recovery sweep of the others (its lease passes) long before the queue would expire the job.
 */

const importPayload = z.object({ importId: z.number().int().positive() });

export type ImportJobs = ReturnType<typeof createImportJobs>;

export function createImportJobs(deps: RunDeps & { queue: Queue }) {
  // A run may take as long as the file needs (a million rows: minutes); the lease, renewed by
  // every batch, is what tells a live run from a dead one. The queue's expiry is a last resort.
  const expireInSeconds = 4 * 3600;

  async function followUp(definition: JobDefinition<typeof importPayload>, importId: number, outcome: RunOutcome) {
    if (outcome.outcome === 'continue') await deps.queue.enqueue(definition, { importId });
    // Another run holds the lease: look again once it has passed, in case that run died.
    if (outcome.outcome === 'busy') await deps.queue.enqueue(definition, { importId }, { startAfterSeconds: outcome.retryAfterMs / 1000 });
  }

  const apply: JobDefinition<typeof importPayload> = defineJob({
    name: 'import.apply',
    payload: importPayload,
    retryLimit: 20,
    expireInSeconds,
    handle: async ({ importId }, job) => followUp(apply, importId, await runApply(deps, importId, randomUUID(), job.signal)),
  });

  const undo: JobDefinition<typeof importPayload> = defineJob({
    name: 'import.undo',
    payload: importPayload,
    retryLimit: 20,
    expireInSeconds,
    handle: async ({ importId }, job) => followUp(undo, importId, await runUndo(deps, importId, randomUUID(), job.signal)),
  });

  const check = defineJob({
    name: 'import.check',
    payload: importPayload.extend({ checkId: z.uuid() }),
    retryLimit: 5,
    // A check reads the whole file in one run; it only reads, so a retry starts it again.
    expireInSeconds: 60 * 60,
    handle: async ({ importId, checkId }) => runCheck(deps, importId, checkId),
  });

  return { apply, undo, check, definitions: [apply, undo, check] as JobDefinition[] };
}

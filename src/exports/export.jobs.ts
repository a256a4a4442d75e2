import { z } from 'zod';
import { defineJob, type JobDefinition } from '../jobs/queue.ts';
import type { RunOutcome } from './export-run.ts';

export type ExportJobs = ReturnType<typeof createExportJobs>;

/** Retries after a failure; the attempt after the last one marks the export FAILED instead of throwing. */
export const exportRetryLimit = 2;
/** A 1M-customer XLSX takes minutes; after this the queue takes the worker for dead and retries. */
export const exportExpireInSeconds = 30 * 60;

/**
 * `export.run` writes one export file. Stately with key `export:<id>`: a double delivery while
 * one runs waits for it, and the handler itself skips an export that is no longer processing.
 */
export function createExportJobs(deps: { run: (exportId: string) => Promise<RunOutcome> }) {
  const run = defineJob({
    name: 'export.run',
    policy: 'stately',
    payload: z.object({ exportId: z.uuid() }),
    retryLimit: exportRetryLimit,
    expireInSeconds: exportExpireInSeconds,
    handle: async ({ exportId }) => {
      await deps.run(exportId);
    },
  });
  return { run, definitions: [run] as JobDefinition[] };
}

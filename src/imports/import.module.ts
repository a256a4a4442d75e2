import type { Config } from '../config/config.ts';
import type { Database } from '../db/database.ts';
import type { FileStore } from '../files/file-store.ts';
import type { Queue } from '../jobs/queue.ts';
import type { WorkCounters } from '../jobs/work-counters.ts';
import type { Clock } from '../shared/clock.ts';
import type { RunDeps } from './apply.ts';
import { createImportJobs } from './import.jobs.ts';
import { deferredIndexRepository } from '../customers/deferred-indexes.ts';
import { importRepository } from './import.repository.ts';
import { createImportService } from './import.service.ts';
import { createFixRowsService } from './fix-rows.service.ts';
import { createSavedMappingService } from './saved-mapping.service.ts';

/** Tuning of the import runs; tests pass smaller values to see several batches and slices. */
export type ImportTuning = Partial<Pick<RunDeps, 'batchSize' | 'sliceMs' | 'leaseMs' | 'threadFromBytes'>>;

/** Builds the import feature for the composition root: jobs, the service and saved mappings. */
export function createImportModule(config: Config, deps: { db: Database; clock: Clock; queue: Queue; fileStore: FileStore; work: WorkCounters; tuning?: ImportTuning }) {
  const runDeps: RunDeps = {
    db: deps.db,
    clock: deps.clock,
    fileStore: deps.fileStore,
    defaultCountry: 'NL',
    batchSize: deps.tuning?.batchSize ?? 2000,
    sliceMs: deps.tuning?.sliceMs ?? Number.POSITIVE_INFINITY,
    // Renewed by every batch (a batch takes well under a second); a dead worker's import is
    // picked up by another worker's recovery sweep soon after the lease passes. Never longer
    // than the jobs' lease (JOB_LEASE_SECONDS), so a shorter one there shortens this one too.
    leaseMs: deps.tuning?.leaseMs ?? Math.min(15_000, config.jobLeaseSeconds * 1000),
    work: deps.work,
    threadFromBytes: deps.tuning?.threadFromBytes,
    deferIndexesFromRows: config.importDeferIndexesFromRows,
    indexBuild: config.indexBuild,
  };
  const jobs = createImportJobs({ ...runDeps, queue: deps.queue });
  let orphanBuild: Promise<number> | undefined;
  const imports = createImportService({ ...runDeps, queue: deps.queue, jobs, maxFileBytes: config.importMaxFileBytes, fileRetentionDays: config.importFileRetentionDays });
  return {
    jobs,
    imports,
    fixRows: createFixRowsService({ ...runDeps, queue: deps.queue, jobs, maxFileBytes: config.importMaxFileBytes, imports }),
    savedMappings: createSavedMappingService({ db: deps.db, clock: deps.clock }),
    /**
     * After a restart: imports that were running when their worker died get a job again (the
     * lease decides who runs; a duplicate job finds nothing to do).
     */
    async recoverInterrupted(): Promise<void> {
      // Indexes an import loaded without, left by an import that no longer runs (its worker died
      // and it was cancelled, or it is gone): built in the background, one build at a time here.
      if (!orphanBuild && (await deferredIndexRepository.hasOrphans(deps.db.pool))) {
        orphanBuild = deferredIndexRepository.build(deps.db, config.indexBuild).catch(() => 0).finally(() => (orphanBuild = undefined));
      }
      const { rows } = await deps.db.pool.query<{ id: number; status: string; check_result: { checkId?: string } | null }>(
        `SELECT id, status, check_result FROM imports
          WHERE status IN ('queued', 'processing', 'undoing', 'checking')
            -- No run has renewed the lease for a while (a run that handed over keeps its last one).
            AND COALESCE(lease_until, updated_at + $3::int * interval '1 millisecond') < $1
            -- Queued work may simply wait for a free worker: only after two minutes.
            AND (status <> 'queued' OR updated_at < $2)`,
        [deps.clock.now(), new Date(deps.clock.now().getTime() - 120_000), runDeps.leaseMs],
      );
      for (const row of rows) {
        if (row.status === 'undoing') await deps.queue.enqueue(jobs.undo, { importId: row.id });
        else if (row.status === 'checking' && row.check_result?.checkId) await deps.queue.enqueue(jobs.check, { importId: row.id, checkId: row.check_result.checkId });
        else if (row.status !== 'checking') await deps.queue.enqueue(jobs.apply, { importId: row.id });
      }
    },
    repository: importRepository,
  };
}

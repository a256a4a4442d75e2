import { z } from 'zod';
import type { Database } from '../db/database.ts';
import { defineJob, type JobDefinition, type Queue } from '../jobs/queue.ts';
import { AppError, notFound } from '../shared/errors.ts';
import { parseOrThrow } from '../shared/validation.ts';
import { checkLiteralHost } from './address-guard.ts';
import { encryptCredentials } from './credentials.ts';
import { nextRunAt } from './schedule.ts';
import { localizeReason } from './source.messages.ts';
import { sourceRepository as repo, type RunRow, type SourceRow, type SourceValues } from './source.repository.ts';
import { runSource, type SourceRunDeps } from './source-run.ts';
import { runDecisionSchema, sourceInputSchema, sourceUpdateSchema, type Source, type SourceInput, type SourceRun } from './source.schemas.ts';

/**
 * Recurring imports (issue #18, point 4): sources (CRUD), their runs by hand or on schedule, and
 * the approval of runs that did not meet the staff's conditions. The schedule is kept by `tick`,
 * which every worker process calls every half minute (and tests call with their own clock): a
 * due source gets one run per slot, whichever process gets there first.
 */

export type SourceService = ReturnType<typeof createSourceService>;
type Staff = { id: number | null; language: 'en' | 'nl' };

export function createSourceService(deps: SourceRunDeps & { queue: Queue; timeZone: string }) {
  const { db, clock } = deps;

  const run: JobDefinition = defineJob({
    name: 'sources.run',
    payload: z.object({ runId: z.number().int().positive() }),
    retryLimit: 3,
    expireInSeconds: 60 * 60,
    handle: async ({ runId }) => runSource(deps, runId),
  });

  const toRun = (row: RunRow, language: 'en' | 'nl'): SourceRun => ({
    id: row.id, sourceId: row.source_id, trigger: row.trigger, status: row.status, importId: row.import_id,
    reasons: row.reasons.map((reason) => localizeReason(reason, language)),
    startedAt: row.started_at.toISOString(), finishedAt: row.finished_at?.toISOString() ?? null, decidedBy: row.decided_by,
  });

  const toSource = (row: SourceRow, lastRun: RunRow | undefined, language: 'en' | 'nl'): Source => ({
    id: row.id, name: row.name, location: row.location, credentialsKind: row.credentials_kind,
    savedMapping: row.saved_mapping_id === null ? null : { id: row.saved_mapping_id, name: row.saved_mapping_name ?? '' },
    options: row.options, schedule: row.schedule, conditions: row.conditions, isEnabled: row.is_enabled,
    owner: row.owner_id === null ? null : { id: row.owner_id, name: row.owner_name ?? '' },
    nextRunAt: row.next_run_at?.toISOString() ?? null, lastRun: lastRun ? toRun(lastRun, language) : null, version: row.version,
  });

  async function get(id: number, language: 'en' | 'nl'): Promise<Source> {
    const row = await repo.find(db.pool, id);
    if (!row) throw notFound(`Source #${id}`);
    return toSource(row, (await repo.lastRuns(db.pool, [id])).get(id), language);
  }

  /** Refusals before anything is stored: addresses a source may not reach, a kind not available. */
  function refuseLocation(input: Pick<SourceInput, 'location'>) {
    const { location } = input;
    try {
      if (location.kind === 'url') checkLiteralHost(new URL(location.url).hostname, deps.settings.allowedHosts);
      if (location.kind === 'sftp') checkLiteralHost(location.host, deps.settings.allowedHosts);
      if (location.kind === 's3' && location.endpoint) checkLiteralHost(new URL(location.endpoint).hostname, deps.settings.allowedHosts);
    } catch (error) {
      throw new AppError('invalid_input', (error as Error).message, { location: { code: 'address_refused', message: (error as Error).message } });
    }
    if (location.kind === 'url' && new URL(location.url).protocol !== 'https:' && !deps.settings.allowedHosts.includes(new URL(location.url).hostname)) {
      throw new AppError('invalid_input', 'A source’s address must start with https:// (plain http only for hosts an administrator allowed).', { 'location.url': { code: 'insecure', message: 'Use https://.' } });
    }
  }

  async function refuseMissingMapping(savedMappingId: number) {
    const { rows } = await db.pool.query('SELECT 1 FROM import_mappings WHERE id = $1', [savedMappingId]);
    if (rows.length === 0) throw new AppError('invalid_input', `There is no saved mapping #${savedMappingId}.`, { savedMappingId: { code: 'not_found', message: 'Choose a saved mapping.' } });
  }

  /** In the transaction that made the run: a run is never left without its job. */
  async function enqueueRun(tx: Parameters<Parameters<Database['transaction']>[0]>[0], runId: number) {
    await deps.queue.enqueue(run, { runId }, { transaction: tx });
  }

  return {
    jobDefinitions: [run],

    async list(language: 'en' | 'nl'): Promise<{ items: Source[] }> {
      const rows = await repo.list(db.pool);
      const last = await repo.lastRuns(db.pool, rows.map((row) => row.id));
      return { items: rows.map((row) => toSource(row, last.get(row.id), language)) };
    },

    get,

    async create(input: unknown, staff: Staff): Promise<Source> {
      const parsed = parseOrThrow(sourceInputSchema, input);
      refuseLocation(parsed);
      await refuseMissingMapping(parsed.savedMappingId);
      const credentials = parsed.credentials ?? { kind: 'none' as const };
      const now = clock.now();
      const values: SourceValues = {
        name: parsed.name, location: parsed.location, credentials_kind: credentials.kind, credentials_encrypted: encryptCredentials(credentials, deps.settings.credentialsKey),
        saved_mapping_id: parsed.savedMappingId, options: parsed.options, schedule: parsed.schedule, conditions: parsed.conditions, is_enabled: parsed.isEnabled,
        next_run_at: parsed.isEnabled ? nextRunAt(parsed.schedule, now, deps.timeZone) : null,
      };
      return get(await repo.insert(db.pool, values, staff.id, now), staff.language);
    },

    async update(id: number, input: unknown, staff: Staff): Promise<Source> {
      const parsed = parseOrThrow(sourceUpdateSchema, input);
      const now = clock.now();
      await db.transaction(async (tx) => {
        const current = await repo.find(tx, id, true);
        if (!current) throw notFound(`Source #${id}`);
        if (current.version !== parsed.version) throw new AppError('conflict', 'Someone changed this source meanwhile. Reload it and make your change again.');
        if (parsed.location) refuseLocation({ location: parsed.location });
        if (parsed.savedMappingId !== undefined) await refuseMissingMapping(parsed.savedMappingId);
        const schedule = parsed.schedule ?? current.schedule;
        const isEnabled = parsed.isEnabled ?? current.is_enabled;
        const changes: Partial<SourceValues> = {
          name: parsed.name, location: parsed.location, saved_mapping_id: parsed.savedMappingId, options: parsed.options, schedule: parsed.schedule, conditions: parsed.conditions, is_enabled: parsed.isEnabled,
          ...(parsed.credentials && { credentials_kind: parsed.credentials.kind, credentials_encrypted: encryptCredentials(parsed.credentials, deps.settings.credentialsKey) }),
          ...((parsed.schedule !== undefined || parsed.isEnabled !== undefined) && { next_run_at: isEnabled ? nextRunAt(schedule, now, deps.timeZone) : null }),
        };
        // Another place or another bucket: the last file's ETag says nothing about the new one.
        const moved = parsed.location !== undefined && JSON.stringify(parsed.location) !== JSON.stringify(current.location);
        if (!(await repo.update(tx, id, parsed.version, { ...changes, ...(moved && { etag: null, last_modified: null }), ...(parsed.location?.kind === 'sftp' && { sftp_host_key: null }) }, now))) {
          throw new AppError('conflict', 'Someone changed this source meanwhile. Reload it and make your change again.');
        }
      });
      return get(id, staff.language);
    },

    async remove(id: number): Promise<void> {
      if (!(await repo.delete(db.pool, id))) throw notFound(`Source #${id}`);
    },

    /** Run now: fetches and checks the file in the background; the run is answered at once. */
    async runNow(id: number, staff: Staff): Promise<SourceRun> {
      const source = await repo.find(db.pool, id);
      if (!source) throw notFound(`Source #${id}`);
      const runId = await db.transaction(async (tx) => {
        const inserted = (await repo.insertRun(tx, id, 'manual', null, clock.now()))!;
        await enqueueRun(tx, inserted);
        return inserted;
      });
      return toRun((await repo.findRun(db.pool, runId))!, staff.language);
    },

    /**
     * `clientele sources run`: the run in this process, and its import too when it applies by
     * itself (a worker that picks up the same import meanwhile finds it leased and waits).
     */
    async runInline(id: number, language: 'en' | 'nl'): Promise<SourceRun> {
      if (!(await repo.find(db.pool, id))) throw notFound(`Source #${id}`);
      const runId = (await repo.insertRun(db.pool, id, 'manual', null, clock.now()))!;
      await runSource(deps, runId);
      const done = (await repo.findRun(db.pool, runId))!;
      if (done.status === 'applied' && done.import_id !== null) await deps.imports.runInline(done.import_id);
      return toRun(done, language);
    },

    async runs(id: number, language: 'en' | 'nl'): Promise<{ items: SourceRun[] }> {
      if (!(await repo.find(db.pool, id))) throw notFound(`Source #${id}`);
      return { items: (await repo.runs(db.pool, id)).map((row) => toRun(row, language)) };
    },

    /** Approve (start the run's import) or decline a run that waits for approval. */
    async decide(runId: number, input: unknown, staff: Staff): Promise<SourceRun> {
      const { decision } = parseOrThrow(runDecisionSchema, input);
      const now = clock.now();
      // Under the run's lock: of two decisions at once, the second finds the run decided. The
      // import starts before the run says so; if it cannot start, the run still waits.
      await db.transaction(async (tx) => {
        const row = await repo.findRun(tx, runId, true);
        if (!row) throw notFound(`Run #${runId}`);
        if (row.status !== 'awaiting_approval') throw new AppError('conflict', 'This run is not waiting for approval (any more).');
        if (decision === 'approve' && row.import_id !== null) await deps.imports.start(row.import_id, {}, staff.language, { isApprovedRun: true });
        await repo.updateRun(tx, runId, { status: decision === 'approve' ? 'applied' : 'declined', decided_by: staff.id, decided_at: now });
      });
      return toRun((await repo.findRun(db.pool, runId))!, staff.language);
    },

    /** Runs whose worker died (their lease ran out) get a job again; the lease lets one worker do it. */
    async recoverInterrupted(): Promise<number> {
      const ids = await repo.interruptedRuns(db.pool, clock.now());
      for (const runId of ids) await deps.queue.enqueue(run, { runId });
      return ids.length;
    },

    /** Gives every due source its run for the slot that came due, and moves its next run on. Answers how many runs it queued. */
    async tick(): Promise<number> {
      const now = clock.now();
      return db.transaction(async (tx) => {
        let queued = 0;
        for (const source of await repo.due(tx, now)) {
          const runId = await repo.insertRun(tx, source.id, 'schedule', source.next_run_at, now);
          if (runId !== undefined) {
            await enqueueRun(tx, runId);
            queued++;
          }
          await repo.setNextRun(tx, source.id, nextRunAt(source.schedule, now, deps.timeZone));
        }
        return queued;
      });
    },
  };
}

import { randomUUID } from 'node:crypto';
import { PassThrough } from 'node:stream';
import type { Database, Queryable } from '../db/database.ts';
import { whileRenewing } from '../jobs/while-renewing.ts';
import type { ImportService } from '../imports/import.service.ts';
import type { StoredAnalysis } from '../imports/import-detail.ts';
import { normalizeHeading, type SavedMapping } from '../imports/mapping.ts';
import type { Outbox } from '../mail/outbox.service.ts';
import type { Clock } from '../shared/clock.ts';
import { AppError } from '../shared/errors.ts';
import { ImportFileError } from '../imports/read.ts';
import { decryptCredentials } from './credentials.ts';
import { fetchS3 } from './fetch-s3.ts';
import { fetchSftp } from './fetch-sftp.ts';
import { fetchErrorOf, fetchUrl, isRefusedAddress, SourceFetchError, type FetchOutcome } from './fetch-url.ts';
import { approvalMail, runReason } from './source.messages.ts';
import { sourceRepository as repo, type RunReason, type SourceRow } from './source.repository.ts';

/**
 * One run of a source (the `sources.run` job): fetch the file, store it as an import named after
 * the source, map it with the saved mapping, check it, and either start it (when the staff's
 * conditions hold) or leave it waiting for approval and tell the owner. Delivery is at-least-once:
 * a run that finds itself finished does nothing; one that died after storing its file goes on
 * from the import it made.
 */

export type SourceRunDeps = {
  db: Database;
  clock: Clock;
  imports: ImportService;
  outbox: Pick<Outbox, 'queueStaffMail'>;
  settings: { credentialsKey: string | undefined; allowedHosts: string[]; fetchTimeoutMs: number };
  publicUrl: string | undefined;
  /** How long a run's claim lasts without renewal (renewed every third of it while the run works). */
  leaseMs?: number;
};

async function fetchOf(deps: SourceRunDeps, source: SourceRow): Promise<FetchOutcome> {
  const credentials = decryptCredentials(source.credentials_encrypted, deps.settings.credentialsKey);
  const common = { allowedHosts: deps.settings.allowedHosts, timeoutMs: deps.settings.fetchTimeoutMs, credentials };
  const previous = { etag: source.etag, lastModified: source.last_modified };
  switch (source.location.kind) {
    case 'url':
      return fetchUrl(source.location.url, { ...common, previous });
    case 's3':
      return fetchS3(source.location, { ...common, previous });
    case 'sftp': {
      const fetched = await fetchSftp(source.location, { ...common, previous, hostKey: source.sftp_host_key });
      if (fetched.hostKey && source.sftp_host_key === null) await repo.rememberHostKey(deps.db.pool, source.id, fetched.hostKey);
      return fetched;
    }
  }
}

/** The conditions a checked file must meet to apply by itself; the reasons it does not. */
function unmetConditions(source: SourceRow, headings: readonly string[], saved: SavedMapping, result: { rejected: number; created: number; updated: number }): RunReason[] {
  const reasons: RunReason[] = [];
  const { conditions } = source;
  if (conditions.sameColumns) {
    // As saved mappings know headings: case, accents, spaces and punctuation aside.
    const expected = Object.keys(saved);
    const found = headings.filter((heading) => heading.trim() !== '').map((heading) => ({ heading, key: normalizeHeading(heading) }));
    const missing = expected.filter((key) => !found.some((column) => column.key === key));
    const extra = found.filter((column) => !expected.includes(column.key)).map((column) => column.heading);
    if (missing.length > 0 || extra.length > 0) reasons.push(runReason('columns_changed', { missing: missing.join(', ') || '—', extra: extra.join(', ') || '—' }));
  }
  if (result.rejected > conditions.maxRejected) reasons.push(runReason('too_many_rejected', { count: result.rejected, max: conditions.maxRejected }));
  if (conditions.maxCreated !== null && result.created > conditions.maxCreated) reasons.push(runReason('too_many_created', { count: result.created, max: conditions.maxCreated }));
  if (conditions.maxUpdated !== null && result.updated > conditions.maxUpdated) reasons.push(runReason('too_many_updated', { count: result.updated, max: conditions.maxUpdated }));
  return reasons;
}

export async function runSource(deps: SourceRunDeps, runId: number): Promise<void> {
  const { db, clock } = deps;
  // One worker at a time: the run's lease, renewed while this worker lives. A worker that dies
  // leaves it to run out; the recovery sweep then gives the run a job again (`recoverInterrupted`).
  const holder = randomUUID();
  const leaseMs = deps.leaseMs ?? 30_000;
  const claim = () => repo.claimRun(db.pool, runId, holder, new Date(clock.now().getTime() + leaseMs), clock.now());
  if (!(await claim())) return;
  await whileRenewing(claim, leaseMs / 3, () => runClaimed(deps, runId, holder));
}

/** Another worker took the run over (this one's lease ran out while it still worked). */
class RunTakenOverError extends Error {
  override name = 'RunTakenOverError';
}

async function runClaimed(deps: SourceRunDeps, runId: number, holder: string): Promise<void> {
  const { db, clock } = deps;
  const run = await repo.findRun(db.pool, runId);
  if (!run || !['queued', 'fetching', 'checking'].includes(run.status)) return;
  const source = await repo.find(db.pool, run.source_id);
  if (!source) return;
  const language = source.owner_language ?? 'en';
  const finish = (status: 'unchanged' | 'failed' | 'applied' | 'awaiting_approval', reasons: RunReason[] = []) =>
    repo.updateRun(db.pool, runId, { status, reasons, finished_at: clock.now() }, holder);
  try {
    if (source.saved_mapping_id === null) return await finish('failed', [runReason('no_saved_mapping', {})]);
    const { rows: mappings } = await db.pool.query<{ name: string; type: string; columns: SavedMapping }>('SELECT name, type, columns FROM import_mappings WHERE id = $1', [source.saved_mapping_id]);
    const saved = mappings[0];
    if (!saved) return await finish('failed', [runReason('no_saved_mapping', {})]);
    let importId = run.import_id;
    if (importId === null) {
      await repo.updateRun(db.pool, runId, { status: 'fetching' }, holder);
      const fetched = await fetchOf(deps, source);
      if (fetched.kind === 'unchanged') return await finish('unchanged');
      // A body that breaks off (the connection dropped, silence past the time limit) fails the upload; its reason is the fetch's.
      let bodyError: Error | undefined;
      const body = new PassThrough();
      fetched.body.on('error', (error) => {
        bodyError = error;
        body.destroy(error);
      });
      fetched.body.pipe(body);
      // The import, its run's link to it and the file's version commit together: a run taken
      // over after that goes on with this import, never fetching and importing the file again.
      // Only while this worker still holds the run and it has no import yet (else the import is rolled back).
      const recordImport = async (tx: Queryable, id: number) => {
        const { rowCount } = await tx.query(`UPDATE import_source_runs SET status = 'checking', import_id = $2 WHERE id = $1 AND import_id IS NULL AND lease_holder = $3`, [runId, id, holder]);
        if (rowCount !== 1) throw new RunTakenOverError('Another worker has taken this run over.');
        await tx.query('UPDATE imports SET source_id = $2 WHERE id = $1', [id, source.id]);
        await repo.rememberFile(tx, source.id, { etag: fetched.etag, lastModified: fetched.lastModified });
      };
      let detail;
      try {
        detail = await deps.imports.upload(body, fetched.fileName, { id: source.owner_id, name: source.name, language }, undefined, recordImport);
      } catch (error) {
        fetched.abort();
        throw bodyError ? fetchErrorOf(bodyError, placeOf(source)) : error;
      }
      importId = detail.id;
    }
    const record = await deps.imports.detail(importId, language);
    if (record.status === 'queued' || record.status === 'processing' || record.status.startsWith('done')) return await finish('applied');
    if (saved.type !== record.type) await deps.imports.setType(importId, { type: saved.type }, language);
    await deps.imports.updateMapping(importId, { columns: [] }, { id: source.saved_mapping_id, name: saved.name, columns: saved.columns }, language);
    const checked = await deps.imports.check(importId, source.options, language, { isInline: true });
    const result = checked.check?.result;
    if (!result) return await finish('failed', [runReason('check_failed', {})]);
    if (result.fileError) return await finish('awaiting_approval', [{ code: result.fileError.code, message: result.fileError.message, params: result.fileError.params ?? {} }]);
    const { rows: analysed } = await db.pool.query<{ analysis: StoredAnalysis }>('SELECT analysis FROM imports WHERE id = $1', [importId]);
    const reasons = unmetConditions(source, analysed[0]?.analysis.headings ?? [], saved.columns, result);
    if (reasons.length > 0) {
      await finish('awaiting_approval', reasons);
      await tellOwner(deps, source, runId, reasons);
      return;
    }
    await deps.imports.start(importId, {}, language);
    await finish('applied');
  } catch (error) {
    if (error instanceof RunTakenOverError) return; // the run is the other worker's to finish
    if (error instanceof SourceFetchError || isRefusedAddress(error)) {
      const fetchError = fetchErrorOf(error, placeOf(source));
      return await finish('failed', [runReason(`fetch_${fetchError.code}`, { ...fetchError.params, key: fetchError.key, detail: fetchError.message })]);
    }
    // Refusals meant for the staff (the file too large, a file that cannot be read) say what they say.
    if (error instanceof AppError && error.details?.reason === 'too_large' && typeof error.details.maxBytes === 'number') {
      return await finish('failed', [runReason('too_large', { maxMb: Math.round(error.details.maxBytes / 1024 / 1024) })]);
    }
    if (error instanceof AppError || error instanceof ImportFileError) return await finish('failed', [runReason('failed', { detail: error.message })]);
    // Anything else is not for the shop owner's eyes: a plain sentence for them, and the error
    // goes on to the job, which logs it (a retry finds the run finished and leaves it).
    await finish('failed', [runReason('failed_unexpected', {})]);
    throw error;
  }
}

/** Where a source fetches from, for a connection's failure: the URL's host, the bucket, or the SFTP host. */
function placeOf(source: SourceRow): string {
  const location = source.location;
  if (location.kind === 'url') return new URL(location.url).host;
  return location.kind === 's3' ? location.bucket : location.host;
}

async function tellOwner(deps: SourceRunDeps, source: SourceRow, runId: number, reasons: RunReason[]): Promise<void> {
  if (!source.owner_email) return;
  const mail = approvalMail(source.owner_language ?? 'en', { sourceName: source.name, reasons, link: `${deps.publicUrl ?? ''}/admin/imports/sources/${source.id}` });
  await deps.db.transaction((tx) => deps.outbox.queueStaffMail(tx, { idempotencyKey: `source_run:${runId}`, toAddress: source.owner_email!, language: source.owner_language ?? 'en', subject: mail.subject, bodyHtml: mail.bodyHtml, reason: 'staff_notice' }));
}

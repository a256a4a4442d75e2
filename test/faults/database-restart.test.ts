import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeImportFile } from '../../bench/import-file.ts';
import { createServices, type AppServices } from '../../src/app.ts';
import { loadConfig } from '../../src/config/config.ts';
import { createDatabase, type Database } from '../../src/db/database.ts';
import type { ImportDetail } from '../../src/imports/import.schemas.ts';
import { createPgBossQueue } from '../../src/jobs/pg-boss.queue.ts';
import type { Queue } from '../../src/jobs/queue.ts';
import { killCli, startCli, type RunningCli } from '../process/cli-process.ts';
import { customerChecksum } from '../support/customer-checksum.ts';
import { startSeparateCluster, type SeparateCluster } from '../support/separate-cluster.ts';
import { createTestDatabase } from '../support/test-database.ts';

/**
 * The PostgreSQL server itself restarts in the middle of an import: a real `clientele worker`
 * process applies it against a cluster of its own; the postmaster is shut down (fast shutdown:
 * every session ends, open transactions roll back), stays down for a few seconds and comes
 * back on the same port. The worker stays up, reconnects, and the import resumes from its
 * checkpoint: the customers table ends exactly as after an uninterrupted import of the same
 * file (checksum over every column), no duplicates, exact counts.
 */
const rows = 20_000;
const downMs = 4000;
let workDir: string;
let file: string;
let cluster: SeparateCluster;
let worker: RunningCli | undefined;
const cleanups: Array<() => Promise<void>> = [];

type Side = { db: Database; services: AppServices; queue: Queue };

async function connect(url: string, fileStoreDir: string): Promise<Side> {
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATABASE_URL: url, FILE_STORE_DIR: fileStoreDir });
  const db = createDatabase(url, 4);
  const queue = await createPgBossQueue(url, () => {});
  const services = createServices(config, db, { queue });
  await queue.register(...services.jobDefinitions);
  cleanups.push(async () => {
    services.stopWorkers();
    await queue.stop();
    await db.close();
  });
  return { db, services, queue };
}

async function startImport(side: Side): Promise<number> {
  const uploaded = await side.services.imports.upload(createReadStream(file), 'customers.csv', { id: null, name: 'restart test', language: 'en' });
  await side.services.imports.start(uploaded.id, {}, 'en');
  return uploaded.id;
}

/** Polls the import; while the database is away a read fails, and the poll goes on. */
async function waitUntil(side: Side, id: number, condition: (detail: ImportDetail) => boolean, timeoutMs: number): Promise<ImportDetail> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const detail = await side.services.imports.detail(id, 'en').catch(() => undefined);
    if (detail && condition(detail)) return detail;
    if (Date.now() > deadline) throw new Error(`Import ${id}: ${detail?.status}, ${detail?.progress.rowsDone} rows after ${timeoutMs} ms\n${worker?.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const isFinished = (detail: ImportDetail) => ['done', 'done_with_errors', 'failed'].includes(detail.status);

beforeAll(async () => {
  workDir = await mkdtemp(path.join(os.tmpdir(), 'clientele-db-restart-'));
  file = path.join(workDir, 'customers.csv');
  await writeImportFile(file, { rows, seed: 11 });
  cluster = await startSeparateCluster();
});
afterAll(async () => {
  await killCli(worker);
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
  await cluster?.destroy();
  await rm(workDir, { recursive: true, force: true });
}, 60_000);

describe(`an import of ${rows.toLocaleString('en')} rows while PostgreSQL restarts`, () => {
  it('keeps the worker up, resumes from the checkpoint and ends exactly like an uninterrupted import', async () => {
    // The uninterrupted run, in a database of the shared cluster, with this process's workers.
    const calmDatabase = await createTestDatabase();
    cleanups.push(calmDatabase.drop);
    const calm = await connect(calmDatabase.url, path.join(workDir, 'files-calm'));
    await calm.services.startWorkers();
    const calmDone = await waitUntil(calm, await startImport(calm), isFinished, 120_000);
    expect(calmDone.status).toBe('done_with_errors');

    // The interrupted run: a real worker process on the separate cluster.
    const fileStoreDir = path.join(workDir, 'files-restart');
    const restart = await connect(cluster.url, fileStoreDir);
    worker = startCli(['worker'], { DATABASE_URL: cluster.url, FILE_STORE_DIR: fileStoreDir, LOG_LEVEL: 'warn' });
    await worker.waitFor(/Worker started/, 60_000);
    const id = await startImport(restart);
    const before = await waitUntil(restart, id, (detail) => detail.progress.rowsDone >= rows * 0.25 || isFinished(detail), 120_000);
    expect(before.status, 'the import finished before the database could be restarted').toBe('processing');

    const postmasterPid = await cluster.postmasterPid();
    await cluster.stop();
    expect(isAlive(postmasterPid)).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, downMs));
    expect(worker.child.exitCode, worker.output()).toBeNull();
    await cluster.start();
    expect(await cluster.postmasterPid()).not.toBe(postmasterPid);

    const done = await waitUntil(restart, id, isFinished, 120_000);
    expect(worker.child.exitCode, 'the worker process stayed up').toBeNull();
    expect(worker.child.signalCode).toBeNull();
    expect(done.status).toBe(calmDone.status);
    expect(done.counts).toEqual(calmDone.counts);
    expect(done.counts.created + done.counts.rejected).toBe(rows);
    const [calmSum, restartSum] = [await customerChecksum(calm.db.pool), await customerChecksum(restart.db.pool)];
    expect(restartSum).toEqual(calmSum);
    expect(restartSum.count).toBe(restartSum.distinct);
    const rejections = Number((await restart.db.pool.query('SELECT count(*) FROM import_rejections WHERE import_id = $1', [id])).rows[0].count);
    expect(rejections).toBe(done.counts.rejected);
  }, 300_000);
});

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

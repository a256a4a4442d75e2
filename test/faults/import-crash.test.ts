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
import { referenceImport } from '../support/reference-import.ts';
import { createTestDatabase } from '../support/test-database.ts';

/**
 * A real `clientele worker` process is killed with SIGKILL in the middle of an import, twice;
 * fresh workers take over. The customers table ends exactly as after an uninterrupted import of
 * the same file (checksum over every column), with no duplicates and exact report counts.
 * FAULT_ROWS sets the size (default 10,000; `npm run test:faults` uses 50,000). 10,000 rows are
 * five batches of 2,000: the first kill comes after one batch is committed, the second after
 * three, with two batches still to do (each takes far longer than the 50 ms between looks).
 */
const rows = Number(process.env.FAULT_ROWS ?? 10_000);
let workDir: string;
let file: string;
const cleanups: Array<() => Promise<void>> = [];

type Setup = { db: Database; services: AppServices; queue: Queue; env: Record<string, string> };

async function setUp(name: string): Promise<Setup> {
  const database = await createTestDatabase();
  const fileStoreDir = path.join(workDir, `files-${name}`);
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATABASE_URL: database.url, FILE_STORE_DIR: fileStoreDir });
  const db = createDatabase(database.url, 4);
  const queue = await createPgBossQueue(database.url, () => {});
  const services = createServices(config, db, { queue });
  await queue.register(...services.jobDefinitions);
  cleanups.push(async () => {
    await queue.stop();
    await db.close();
    await database.drop();
  });
  return { db, services, queue, env: { DATABASE_URL: database.url, FILE_STORE_DIR: fileStoreDir } };
}

const workers: RunningCli[] = [];
async function startWorker(setup: Setup): Promise<RunningCli> {
  const worker = startCli(['worker'], setup.env);
  workers.push(worker);
  await worker.waitFor(/Worker started/, 60_000);
  return worker;
}

async function waitUntil(setup: Setup, id: number, condition: (detail: ImportDetail) => boolean, timeoutMs: number): Promise<ImportDetail> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const detail = await setup.services.imports.detail(id, 'en');
    if (condition(detail)) return detail;
    if (Date.now() > deadline) throw new Error(`Import ${id}: ${detail.status}, ${detail.progress.rowsDone} rows after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function startImport(setup: Setup): Promise<number> {
  const uploaded = await setup.services.imports.upload(createReadStream(file), 'customers.csv', { id: null, name: 'fault test', language: 'en' });
  await setup.services.imports.start(uploaded.id, {}, 'en');
  return uploaded.id;
}

beforeAll(async () => {
  workDir = await mkdtemp(path.join(os.tmpdir(), 'clientele-faults-'));
  file = path.join(workDir, 'customers.csv');
  await writeImportFile(file, { rows, seed: 3 });
});
afterAll(async () => {
  for (const worker of workers) await killCli(worker);
  for (const cleanup of cleanups) await cleanup();
  await rm(workDir, { recursive: true, force: true });
}, 60_000);

describe(`an import of ${rows.toLocaleString('en')} rows whose worker is killed`, () => {
  it('ends exactly like an uninterrupted import after two SIGKILLs', async () => {
    // The uninterrupted import to compare with, on a database of its own with this process's
    // workers, while the worker processes below start, run and are killed.
    const calmRun = referenceImport(file, path.join(workDir, 'files-calm'));
    calmRun.catch(() => {}); // awaited below; a failure is reported there

    const storm = await setUp('storm');
    const stormId = await startImport(storm);
    for (const share of [0.2, 0.6]) {
      const worker = await startWorker(storm);
      const before = await waitUntil(storm, stormId, (detail) => detail.progress.rowsDone >= rows * share || detail.status.startsWith('done'), 120_000);
      expect(before.status, 'the import finished before the worker could be killed; use more FAULT_ROWS').toBe('processing');
      worker.child.kill('SIGKILL');
      await worker.exited;
    }
    expect((await storm.services.imports.detail(stormId, 'en')).status).toBe('processing');
    await startWorker(storm);
    const stormDone = await waitUntil(storm, stormId, (detail) => ['done', 'done_with_errors'].includes(detail.status), 180_000);
    const { detail: calmDone, checksum: calmSum } = await calmRun;

    expect(stormDone.status).toBe(calmDone.status);
    expect(stormDone.counts).toEqual(calmDone.counts);
    expect(stormDone.counts.created + stormDone.counts.rejected).toBe(rows);
    const stormSum = await customerChecksum(storm.db.pool);
    expect(stormSum).toEqual(calmSum);
    expect(stormSum.count).toBe(stormSum.distinct);
    expect(stormSum.count).toBe(calmDone.counts.created);
    const rejections = Number((await storm.db.pool.query('SELECT count(*) FROM import_rejections WHERE import_id = $1', [stormId])).rows[0].count);
    expect(rejections).toBe(stormDone.counts.rejected);
  }, 400_000);
});

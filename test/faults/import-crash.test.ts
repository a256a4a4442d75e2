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
import { customerChecksum } from '../support/customer-checksum.ts';
import { referenceImport } from '../support/reference-import.ts';
import { createTestDatabase } from '../support/test-database.ts';
import {
  expectTakeoverInTime,
  leaseSeconds,
  measuredResumes,
  spreadPoints,
  until,
  workerProcesses,
} from './worker-kills.ts';

/**
 * A real `clientele worker` process is killed with SIGKILL in the middle of an import, three
 * times, at seeded points (FAULT_SEED) spread over the first 70 % of the rows; each time a fresh
 * worker is started at once and takes over soon after the import's lease (3 s here: JOB_LEASE_SECONDS)
 * runs out. The customers table ends exactly as after an uninterrupted import of the same file
 * (checksum over every column), with no duplicates and exact report counts. FAULT_ROWS sets the
 * size (default 10,000; `npm run test:faults` uses 50,000). 10,000 rows are five batches of
 * 2,000, each far longer than the 20 ms between looks: the last kill leaves at least one to do.
 */
const rows = Number(process.env.FAULT_ROWS ?? 10_000);
const seed = Number(process.env.FAULT_SEED ?? 21);
let workDir: string;
let file: string;
const cleanups: Array<() => Promise<void>> = [];

type Setup = { db: Database; services: AppServices; queue: Queue; env: Record<string, string> };

async function setUp(name: string): Promise<Setup> {
  const database = await createTestDatabase();
  const fileStoreDir = path.join(workDir, `files-${name}`);
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATABASE_URL: database.url,
    FILE_STORE_DIR: fileStoreDir,
    JOB_LEASE_SECONDS: String(leaseSeconds),
  });
  const db = createDatabase(database.url, 4);
  const queue = await createPgBossQueue(database.url, () => {}, { leaseSeconds });
  const services = createServices(config, db, { queue });
  await queue.register(...services.jobDefinitions);
  cleanups.push(async () => {
    await queue.stop();
    await db.close();
    await database.drop();
  });
  // From 5,000 rows on, a first import loads without the list and search indexes and builds them
  // when it ends (customers/deferred-indexes.ts): the kills below fall into that load and build.
  return {
    db,
    services,
    queue,
    env: { DATABASE_URL: database.url, FILE_STORE_DIR: fileStoreDir, IMPORT_DEFER_INDEXES_FROM_ROWS: '5000' },
  };
}

/** The customers table's indexes with their definitions and whether each is valid. */
async function customerIndexes(db: Database): Promise<string[]> {
  const { rows } = await db.pool.query<{ line: string }>(
    `SELECT i.indexdef || CASE WHEN x.indisvalid THEN '' ELSE ' INVALID' END AS line
       FROM pg_indexes i JOIN pg_class c ON c.relname = i.indexname JOIN pg_index x ON x.indexrelid = c.oid
      WHERE i.schemaname = current_schema() AND i.tablename = 'customers' ORDER BY 1`,
  );
  return rows.map((row) => row.line);
}

const deferredCount = async (db: Database) =>
  Number((await db.pool.query('SELECT count(*) FROM deferred_indexes')).rows[0].count);

let stormEnv: Record<string, string> = {};
const workers = workerProcesses(() => stormEnv);

async function waitUntil(
  setup: Setup,
  id: number,
  condition: (detail: ImportDetail) => boolean,
  timeoutMs: number,
): Promise<ImportDetail> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const detail = await setup.services.imports.detail(id, 'en');
    if (condition(detail)) return detail;
    if (Date.now() > deadline)
      throw new Error(
        `Import ${id}: ${detail.status}, ${detail.progress.rowsDone} rows after ${timeoutMs} ms`,
      );
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function startImport(setup: Setup): Promise<number> {
  const uploaded = await setup.services.imports.upload(createReadStream(file), 'customers.csv', {
    id: null,
    name: 'fault test',
    language: 'en',
  });
  // An import starts only once checked: the check runs here, in the test process.
  await setup.services.imports.check(uploaded.id, {}, 'en', { isInline: true });
  await setup.services.imports.start(uploaded.id, {}, 'en');
  return uploaded.id;
}

beforeAll(async () => {
  workDir = await mkdtemp(path.join(os.tmpdir(), 'clientele-faults-'));
  file = path.join(workDir, 'customers.csv');
  await writeImportFile(file, { rows, seed: 3 });
});
afterAll(async () => {
  await workers.stopAll();
  if (measuredResumes.length > 0) console.info('takeover times (ms):', JSON.stringify(measuredResumes));
  for (const cleanup of cleanups) await cleanup();
  await rm(workDir, { recursive: true, force: true });
}, 60_000);

describe(`an import of ${rows.toLocaleString('en')} rows whose worker is killed`, () => {
  it('ends exactly like an uninterrupted import after three SIGKILLs, each taken over soon after the lease', async () => {
    // The uninterrupted import to compare with, on a database of its own with this process's
    // workers, while the worker processes below start, run and are killed.
    const calmRun = referenceImport(file, path.join(workDir, 'files-calm'));
    calmRun.catch(() => {}); // awaited below; a failure is reported there

    const storm = await setUp('storm');
    stormEnv = storm.env;
    const indexesBefore = await customerIndexes(storm.db);
    const stormId = await startImport(storm);
    let current = (await workers.start()).worker;
    for (const share of spreadPoints(seed, 3, 0.1, 0.7)) {
      const point = `${Math.round(share * 100)} % of the rows`;
      const before = await waitUntil(
        storm,
        stormId,
        (detail) => detail.progress.rowsDone >= rows * share || detail.status.startsWith('done'),
        120_000,
      );
      expect(
        before.status,
        'the import finished before the worker could be killed; use more FAULT_ROWS',
      ).toBe('processing');
      const kill = await workers.killAndReplace(current);
      const atKill = (await storm.services.imports.detail(stormId, 'en')).progress.rowsDone;
      const next = await kill.next;
      current = next.worker;
      // The new worker commits the next batch after the one the dead worker committed last.
      await waitUntil(
        storm,
        stormId,
        (detail) => detail.progress.rowsDone > atKill || detail.status !== 'processing',
        120_000,
      );
      expectTakeoverInTime('import', point, kill, next.readyAt, Date.now());
    }
    const stormDone = await waitUntil(
      storm,
      stormId,
      (detail) => ['done', 'done_with_errors'].includes(detail.status),
      180_000,
    );
    const { detail: calmDone, checksum: calmSum } = await calmRun;

    expect(stormDone.status).toBe(calmDone.status);
    expect(stormDone.counts).toEqual(calmDone.counts);
    expect(stormDone.counts.created + stormDone.counts.rejected).toBe(rows);
    const stormSum = await customerChecksum(storm.db.pool);
    expect(stormSum).toEqual(calmSum);
    expect(stormSum.count).toBe(stormSum.distinct);
    expect(stormSum.count).toBe(calmDone.counts.created);
    const rejections = Number(
      (await storm.db.pool.query('SELECT count(*) FROM import_rejections WHERE import_id = $1', [stormId]))
        .rows[0].count,
    );
    expect(rejections).toBe(stormDone.counts.rejected);
    // The indexes it loaded without are all there again, as the migrations made them.
    expect(await deferredCount(storm.db)).toBe(0);
    expect(await customerIndexes(storm.db)).toEqual(indexesBefore);
  }, 400_000);
});

describe('an import whose worker is killed while it builds the indexes it loaded without', () => {
  it('leaves no index missing: the import ends and every index is built again', async () => {
    const setup = await setUp('build');
    stormEnv = setup.env;
    const indexesBefore = await customerIndexes(setup.db);
    const id = await startImport(setup);
    const current = (await workers.start()).worker;
    await until(
      'indexes deferred for the load',
      async () => ((await deferredCount(setup.db)) > 0 ? true : undefined),
      120_000,
    );
    // A transaction that holds the table as any writer does: the build (which needs the table
    // without writers) waits for it, so the worker is killed exactly while it builds.
    const holder = await setup.db.pool.connect();
    try {
      await holder.query('BEGIN; LOCK TABLE customers IN ROW EXCLUSIVE MODE');
      await until(
        'an index build under way',
        async () =>
          (
            await setup.db.pool.query(
              `SELECT 1 FROM pg_stat_activity WHERE query LIKE 'CREATE INDEX%' AND wait_event_type = 'Lock'`,
            )
          ).rowCount
            ? true
            : undefined,
        180_000,
      );
      expect(await deferredCount(setup.db)).toBeGreaterThan(0);
      const kill = await workers.killAndReplace(current);
      await kill.next;
    } finally {
      await holder.query('COMMIT');
      holder.release();
    }
    const done = await waitUntil(setup, id, (detail) => detail.status.startsWith('done'), 180_000);
    expect(done.counts.created + done.counts.rejected).toBe(rows);
    await until(
      'every deferred index built',
      async () => ((await deferredCount(setup.db)) === 0 ? true : undefined),
      120_000,
      100,
    );
    expect(await customerIndexes(setup.db)).toEqual(indexesBefore);
    const search = await setup.services.customers.list({
      q: 'a',
      sort: 'createdAt',
      direction: 'desc',
      limit: 25,
    });
    expect(search.total).toBeGreaterThan(0);
  }, 400_000);
});

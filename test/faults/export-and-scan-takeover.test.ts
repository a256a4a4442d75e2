import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningCli } from '../process/cli-process.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';
import { exportStaff } from '../exports/export-test-helpers.ts';
import {
  expectTakeoverInTime,
  leaseSeconds,
  measuredResumes,
  spreadPoints,
  until,
  workerProcesses,
} from './worker-kills.ts';

/**
 * Issue #21, point 1, for exports and duplicate scans: a real `clientele worker` is killed
 * (SIGKILL) at several points of the job, a new one is started at once, and the job is taken
 * over soon after its lease (3 s here) runs out, and ends exactly as an uninterrupted run does.
 * Exports start their file again from the beginning (one database snapshot per file); scans go on
 * from the last committed pass.
 */
const customers = 30_000;
const seed = Number(process.env.FAULT_SEED ?? 21);
let app: TestApp;
let staff: { id: number; language: 'en' | 'nl' };
const workers = workerProcesses(() => ({
  DATABASE_URL: app.databaseUrl,
  FILE_STORE_DIR: app.config.fileStoreDir,
}));
let current: RunningCli;

beforeAll(async () => {
  app = await createTestApp({ JOB_LEASE_SECONDS: String(leaseSeconds) });
  staff = await exportStaff(app);
  // Customers 100k and 100k + 50 share a landline: 299 pairs of possible duplicates (and a few
  // same names at the same postcode).
  await app.services.db.pool.query(
    `INSERT INTO customers (email, email_normalized, first_name, last_name, phone, billing_postcode, billing_city)
     SELECT 'customer' || i || '@takeover.example', 'customer' || i || '@takeover.example', 'First' || (i % 997), 'Last' || (i % 1009),
            CASE WHEN i % 50 = 0 THEN '+3120' || lpad((i / 100)::text, 7, '0') ELSE '+316' || lpad(i::text, 8, '0') END,
            (1000 + i % 8999)::text || 'AB', 'Utrecht'
       FROM generate_series(1, $1::int) AS i`,
    [customers],
  );
  current = (await workers.start()).worker;
}, 120_000);
afterAll(async () => {
  await workers.stopAll();
  await app?.close();
  if (measuredResumes.length > 0) console.info('takeover times (ms):', JSON.stringify(measuredResumes));
}, 60_000);

const sql = async <T extends Record<string, unknown>>(text: string, params: unknown[] = []) =>
  (await app.services.db.pool.query<T>(text, params)).rows;

async function partialFiles(): Promise<string[]> {
  const root = path.join(app.config.fileStoreDir, 'exports');
  const entries = await readdir(root, { recursive: true }).catch(() => [] as string[]);
  return entries.filter((name) => name.endsWith('.partial')).map((name) => path.join(root, name));
}

const exportRow = async (id: string) =>
  (
    await sql<{ status: string; attempts: number; file_key: string | null }>(
      'SELECT status, attempts, file_key FROM exports WHERE id = $1',
      [id],
    )
  )[0]!;

async function readyFile(id: string): Promise<Buffer> {
  await until(
    'the export is ready',
    async () => ((await exportRow(id)).status === 'ready' ? true : undefined),
    120_000,
    50,
  );
  return readFile(path.join(app.config.fileStoreDir, (await exportRow(id)).file_key!));
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

describe('jobs whose worker is killed (SIGKILL) at several points', () => {
  it('exports: taken over after the lease, the file complete with every customer once', async () => {
    const reference = await app.services.exports.create({ type: 'customers', format: 'csv' }, staff);
    const referenceFile = await readyFile(reference.id);
    const emails = referenceFile.toString('utf8').match(/customer\d+@takeover\.example/g) ?? [];
    expect(emails.length).toBe(customers);
    expect(new Set(emails).size).toBe(customers);

    for (const share of spreadPoints(seed, 3, 0.1, 0.9)) {
      const point = `${Math.round(share * 100)} % of the file`;
      const before = new Set(await partialFiles());
      const created = await app.services.exports.create({ type: 'customers', format: 'csv' }, staff);
      await until(
        point,
        async () => {
          for (const file of await partialFiles()) {
            if (
              !before.has(file) &&
              ((await stat(file).catch(() => undefined))?.size ?? 0) >= share * referenceFile.length
            )
              return true;
          }
          return undefined;
        },
        60_000,
        5,
      );
      const kill = await workers.killAndReplace(current);
      expect((await exportRow(created.id)).status, `the export was done before the kill at ${point}`).toBe(
        'processing',
      );
      const next = await kill.next;
      current = next.worker;
      // The new worker's attempt starts the file again (the attempt count goes up).
      await until(
        'the new attempt',
        async () => ((await exportRow(created.id)).attempts >= 2 ? true : undefined),
        90_000,
        20,
      );
      expectTakeoverInTime('export', point, kill, next.readyAt, Date.now());
      const file = await readyFile(created.id);
      expect(sha256(file), `the export killed at ${point}`).toBe(sha256(referenceFile));
      expect((await exportRow(created.id)).attempts).toBe(2);
    }
  }, 300_000);

  it('duplicate scans: taken over after the lease, from the last committed pass; every group once', async () => {
    // The ranking (the last step) waits while this lock is held: a kill during it is certain to
    // find the scan unfinished. The passes before it are not held up.
    const holder = new pg.Client({ connectionString: app.databaseUrl });
    await holder.connect();
    await holder.query('BEGIN');
    await holder.query('LOCK TABLE duplicate_dismissals IN ACCESS EXCLUSIVE MODE');
    const scan = await app.services.duplicates.startScan(null);
    const scanRow = async () =>
      (
        await sql<{ status: string; step: number }>(
          'SELECT status, step FROM duplicate_scans WHERE id = $1',
          [scan.id],
        )
      )[0]!;
    const rankingWaits = async () =>
      (
        await sql<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_locks WHERE relation = 'duplicate_dismissals'::regclass AND NOT granted`,
        )
      )[0]!.n > 0;
    const points: Array<{ label: string; reached: () => Promise<boolean> }> = [
      { label: 'after the first pass', reached: async () => (await scanRow()).step >= 1 },
      { label: 'after the second pass', reached: async () => (await scanRow()).step >= 2 },
      { label: 'during the ranking', reached: rankingWaits },
    ];
    try {
      for (const { label, reached } of points) {
        await until(label, async () => ((await reached()) ? true : undefined), 60_000, 5);
        const kill = await workers.killAndReplace(current);
        const stepAtKill = (await scanRow()).step;
        expect((await scanRow()).status).toBe('running');
        const next = await kill.next;
        current = next.worker;
        // Taken over: the queue hands the scan's job to the new worker (active again, started after the kill).
        await until(
          'the new run',
          async () => {
            const rows = await sql(
              `SELECT 1 FROM pgboss.job WHERE name = 'duplicates.scan' AND state = 'active' AND started_on > $1`,
              [new Date(kill.killedAt)],
            );
            return rows.length > 0 ? true : undefined;
          },
          90_000,
          20,
        );
        expectTakeoverInTime(
          'duplicate scan',
          `${label} (step ${stepAtKill})`,
          kill,
          next.readyAt,
          Date.now(),
        );
      }
    } finally {
      await holder.query('ROLLBACK');
      await holder.end();
    }
    await until(
      'the scan is done',
      async () => ((await scanRow()).status === 'done' ? true : undefined),
      120_000,
      50,
    );
    const groupsOf = async (scanId: number) =>
      (
        await sql<{ customer_ids: string[]; reasons: string[]; confidence: number }>(
          'SELECT customer_ids, reasons, confidence FROM duplicate_groups WHERE scan_id = $1 ORDER BY customer_ids',
          [scanId],
        )
      ).map((group) => JSON.stringify(group));
    const found = await groupsOf(scan.id);
    expect(found.length).toBeGreaterThanOrEqual(299);
    expect(new Set(found).size).toBe(found.length);

    // An uninterrupted scan of the same customers finds exactly the same groups.
    const calm = await app.services.duplicates.startScan(null);
    expect(calm.id).not.toBe(scan.id);
    await until(
      'the uninterrupted scan',
      async () => ((await app.services.duplicates.latestScan())?.status === 'done' ? true : undefined),
      120_000,
      50,
    );
    expect(await groupsOf(calm.id)).toEqual(found);
  }, 300_000);
});

import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Measurement } from '../../bench/report.ts';
import { createTestDatabase } from '../support/test-database.ts';
import { runNode } from './cli-process.ts';

/**
 * The search benchmark's smoke mode on 10,000 customers: proves the script generates the data,
 * answers every lookup through the API exactly as the SQL floor does, and prints its table.
 * Timings are not asserted: other tests run on the same machine at the same time.
 */
const benchArgs = (jsonFile: string) => ['--import', 'tsx', 'bench/search.bench.ts', '--smoke', '--json', jsonFile];
let workDir: string;
const drops: (() => Promise<void>)[] = [];

beforeAll(async () => {
  workDir = await mkdtemp(path.join(os.tmpdir(), 'clientele-bench-'));
});
afterAll(async () => {
  for (const drop of drops) await drop();
  await rm(workDir, { recursive: true, force: true });
});

describe('npm run bench:search -- --smoke', () => {
  it('generates 10,000 customers, checks every answer against SQL, and reuses the data set on a second run', async () => {
    const database = await createTestDatabase();
    drops.push(database.drop);
    const jsonFile = path.join(workDir, 'smoke.json');
    const run = await runNode(benchArgs(jsonFile), { DATABASE_URL: database.url }, 120_000);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('copied 10,000 / 10,000 customers');
    expect(run.stdout).toMatch(/\| exact e-mail \(\?email=\)\s+\| 30 /);
    expect(run.stdout).not.toContain('WRONG ANSWER');
    expect(run.stdout).toMatch(/Request floors on the same connection \(`GET \/healthz`, 30 each, p50 \/ p95\): without a session [\d.]+ \/ [\d.]+ ms; with the session cookie/);

    const result = JSON.parse(await readFile(jsonFile, 'utf8')) as {
      rows: number;
      failures: string[];
      measurements: Measurement[];
      requestFloors: Record<'bare' | 'withSession', Measurement['api']>;
    };
    expect(result.rows).toBe(10_000);
    expect(result.failures).toEqual([]);
    expect(result.requestFloors.bare.count).toBe(30);
    expect(result.requestFloors.withSession.count).toBe(30);
    const names = result.measurements.map((measurement) => measurement.name.trim());
    expect(names).toEqual(expect.arrayContaining(['exact e-mail (?email=)', 'partial search (?q=)', 'partial: city', 'partial: e-mail with @']));
    for (const measurement of result.measurements.slice(0, 2)) {
      expect(measurement.api.count).toBe(30);
      expect(measurement.floor.count).toBe(30);
      expect(measurement.api.p50).toBeGreaterThan(0);
      expect(measurement.api.p95).toBeGreaterThanOrEqual(measurement.api.p50);
    }

    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ count: number; distinct_emails: number }>(
        'SELECT count(*)::int AS count, count(DISTINCT email_normalized)::int AS distinct_emails FROM customers',
      );
      expect(rows[0]).toEqual({ count: 10_000, distinct_emails: 10_000 });
      const indexes = await client.query<{ indexname: string }>(`SELECT indexname FROM pg_indexes WHERE tablename = 'customers'`);
      expect(indexes.rows.map((row) => row.indexname)).toEqual(expect.arrayContaining(['customers_search_trgm_idx', 'customers_email_normalized_key']));
    } finally {
      await client.end();
    }

    const again = await runNode(benchArgs(jsonFile), { DATABASE_URL: database.url }, 120_000);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('Reusing the 10,000 customers generated earlier');
  }, 240_000);

  it('refuses a database that holds customers it did not generate', async () => {
    const database = await createTestDatabase();
    drops.push(database.drop);
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    await client.query(`INSERT INTO customers (email, email_normalized) VALUES ('shop@example.com', 'shop@example.com')`);
    await client.end();
    const run = await runNode(benchArgs(path.join(workDir, 'refused.json')), { DATABASE_URL: database.url }, 60_000);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('already has customers that the benchmark did not create');
  }, 90_000);
});

import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../support/test-database.ts';
import { runNode } from './cli-process.ts';

/**
 * The mail benchmark's smoke mode on 1,000 customers of an import: proves the script sends
 * "Send password" for the import through a real `clientele serve` process, that every customer
 * of the import (and no one else) got exactly one queued e-mail, and that a worker delivers a
 * sample over SMTP with working, hashed reset tokens. Timings are not asserted: the machine is busy.
 */
let workDir: string;
let database: { url: string; drop: () => Promise<void> };

beforeAll(async () => {
  workDir = await mkdtemp(path.join(os.tmpdir(), 'clientele-bench-mail-'));
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.drop();
  await rm(workDir, { recursive: true, force: true });
});

type BenchResult = {
  rows: number;
  others: number;
  wrong: string[];
  queueMs: number;
  floorMs: number;
  serverPeakRssMb: number;
  delivery: { delivered: number; workerPeakRssMb: number; wrong: string[] };
};

describe('npm run bench:mail -- --smoke', () => {
  it('queues one password e-mail per customer of a 1,000-customer import through the server and delivers a sample', async () => {
    const jsonFile = path.join(workDir, 'smoke.json');
    const run = await runNode(
      ['--import', 'tsx', 'bench/mail.bench.ts', '--smoke', '--data-dir', workDir, '--json', jsonFile],
      { DATABASE_URL: database.url },
      120_000,
    );
    expect(run.stderr).toBe('');
    expect(run.code, run.stdout).toBe(0);
    expect(run.stdout).toMatch(/\| queue 1,000 password e-mails from an import\s+\| 1,000 /);
    expect(run.stdout).toMatch(/\| deliver over SMTP \(127\.0\.0\.1\), throttle off, 8 at once\s+\| \d+/);
    expect(run.stdout).not.toContain('WRONG RESULT');
    const result = JSON.parse(await readFile(jsonFile, 'utf8')) as BenchResult;
    expect(result.wrong).toEqual([]);
    expect(result.queueMs).toBeGreaterThan(0);
    expect(result.floorMs).toBeGreaterThan(0);
    expect(result.serverPeakRssMb).toBeGreaterThan(0);
    expect(result.delivery.delivered).toBeGreaterThanOrEqual(100);

    // What the bench checked, checked once more from outside: one e-mail per customer of the import.
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ importId: number; customers: number; withOneEmail: number; emails: number }>(
        `SELECT c.last_import_id::int AS "importId", count(*)::int AS customers,
                count(*) FILTER (WHERE (SELECT count(*) FROM mail_outbox o WHERE o.customer_id = c.id) = 1)::int AS "withOneEmail",
                (SELECT count(*) FROM mail_outbox o JOIN customers x ON x.id = o.customer_id WHERE x.last_import_id = c.last_import_id)::int AS emails
           FROM customers c GROUP BY c.last_import_id ORDER BY count(*) DESC`,
      );
      expect(rows).toEqual([
        { importId: expect.any(Number), customers: 1_000, withOneEmail: 1_000, emails: 1_000 },
        { importId: expect.any(Number), customers: result.others, withOneEmail: 0, emails: 0 },
      ]);
      const { rows: sent } = await client.query<{ sent: number; tokens: number }>(
        `SELECT count(*)::int AS sent, count(t.token_hash)::int AS tokens
           FROM mail_outbox o LEFT JOIN password_reset_tokens t ON t.token_hash = o.reset_token_hash WHERE o.status = 'sent'`,
      );
      expect(sent[0]!.sent).toBe(result.delivery.delivered);
      expect(sent[0]!.tokens).toBe(result.delivery.delivered);
    } finally {
      await client.end();
    }
  }, 150_000);
});

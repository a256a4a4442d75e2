import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeImportFile } from '../../bench/import-file.ts';
import { readFileSync } from 'node:fs';
import { createTestApp, type StaffAgent, type TestApp } from '../support/test-app.ts';
import { checkOk, getImport, post, uploadOk } from '../imports/import-helpers.ts';

/**
 * The database drops every connection of the application twice in the middle of an import (as
 * a restart or a fail-over does). The import's jobs fail, are retried or recovered, continue from
 * the checkpoint, and end with exact counts and no duplicates.
 */
let app: TestApp;
let staff: StaffAgent;
let workDir: string;

beforeAll(async () => {
  app = await createTestApp({}, { importTuning: { batchSize: 500 } });
  await app.services.startWorkers();
  staff = await app.loginAsStaff();
  workDir = await mkdtemp(path.join(os.tmpdir(), 'clientele-outage-'));
});
afterAll(async () => {
  await app.close();
  await rm(workDir, { recursive: true, force: true });
});

async function dropAllConnections(): Promise<number> {
  const admin = new pg.Client({ connectionString: app.databaseUrl });
  await admin.connect();
  try {
    const { rows } = await admin.query<{ dropped: boolean }>(
      'SELECT pg_terminate_backend(pid) AS dropped FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
    );
    return rows.filter((row) => row.dropped).length;
  } finally {
    await admin.end();
  }
}

describe('a database outage during an import', () => {
  it('fails over cleanly and resumes from the checkpoint', async () => {
    const file = path.join(workDir, 'customers.csv');
    const rows = 10_000;
    await writeImportFile(file, { rows, seed: 5 });
    const uploaded = await uploadOk(staff, 'customers.csv', readFileSync(file));
    await checkOk(staff, uploaded.id, {}, 60_000);
    expect((await post(staff, `/api/v1/imports/${uploaded.id}/start`)).statusCode).toBe(202);
    for (const share of [0.2, 0.5]) {
      const deadline = Date.now() + 60_000;
      for (;;) {
        const detail = await getImport(staff, uploaded.id).catch(() => undefined);
        if (detail && detail.progress.rowsDone >= rows * share) break;
        if (Date.now() > deadline) throw new Error('the import did not get going');
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      expect(await dropAllConnections()).toBeGreaterThan(0);
    }
    // A request that takes a pooled connection the database has just ended may answer 503 (the
    // staff's screen says "database unreachable, retrying" and polls again): so does this wait.
    let done: Awaited<ReturnType<typeof getImport>> | undefined;
    for (const deadline = Date.now() + 120_000; Date.now() < deadline; ) {
      const detail = await getImport(staff, uploaded.id).catch(() => undefined);
      if (detail && ['done', 'done_with_errors'].includes(detail.status)) {
        done = detail;
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    if (!done) throw new Error('the import did not finish within 2 minutes of the fail-overs');
    expect(done.counts.created + done.counts.rejected).toBe(rows);
    const { rows: totals } = await app.services.db.pool.query<{ count: number; distinct: number }>(
      'SELECT count(*)::int AS count, count(DISTINCT email_normalized)::int AS distinct FROM customers',
    );
    expect(totals[0]).toEqual({ count: done.counts.created, distinct: done.counts.created });
    expect((await app.http.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
  }, 180_000);
});

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningCli } from '../process/cli-process.ts';
import { post, uploadOk } from '../imports/import-helpers.ts';
import { createTestApp, type StaffAgent, type TestApp } from '../support/test-app.ts';
import { startFakeVies, type FakeViesServer } from '../support/vies-server.ts';
import {
  expectTakeoverInTime,
  leaseSeconds,
  measuredResumes,
  spreadPoints,
  until,
  workerProcesses,
} from './worker-kills.ts';

/**
 * Issue #21, point 1, for VIES checks and recurring import runs: a real `clientele worker` is
 * killed (SIGKILL) at three points of each, a new one is started at once, and the job is taken
 * over soon after its lease (3 s here) runs out. A VIES run goes on from the last company it
 * stored (only the number asked when the worker died is asked again) and stores each check once;
 * a source run fetches again only until its import is recorded, and makes one import, not two.
 */
const companies = 15;
const fileRows = 20_000;
const seed = Number(process.env.FAULT_SEED ?? 21);
let app: TestApp;
let staff: StaffAgent;
let vies: FakeViesServer;
let web: Server;
let webBase = '';
const webRequests: number[] = [];
let serveFile: (request: IncomingMessage, response: ServerResponse) => void = (_request, response) =>
  void response.writeHead(404).end();
const workers = workerProcesses(() => ({
  DATABASE_URL: app.databaseUrl,
  FILE_STORE_DIR: app.config.fileStoreDir,
  ...settings,
}));
let settings: Record<string, string>;
let current: RunningCli;

const vatNumber = (index: number) => `DE${100_000_000 + index}`;
const fileBody = [
  'E-mail,First name,Last name',
  ...Array.from({ length: fileRows }, (_, index) => `erp${index}@source.example,Erp${index},Row`),
].join('\n');

beforeAll(async () => {
  vies = await startFakeVies(
    Object.fromEntries(
      Array.from({ length: companies }, (_, index) => [vatNumber(index), { kind: 'slow', delayMs: 150 }]),
    ),
  );
  web = createServer((request, response) => {
    webRequests.push(Date.now());
    serveFile(request, response);
  });
  await new Promise<void>((resolve) => web.listen(0, '127.0.0.1', resolve));
  webBase = `http://127.0.0.1:${(web.address() as AddressInfo).port}`;
  settings = {
    JOB_LEASE_SECONDS: String(leaseSeconds),
    VIES_BASE_URL: vies.baseUrl,
    VIES_TIMEOUT_MS: '5000',
    VIES_REQUESTS_PER_SECOND: '20',
    VIES_MAX_ATTEMPTS: '3',
    VIES_RETRY_DELAY_MS: '20',
    SOURCE_ALLOWED_HOSTS: '127.0.0.1',
  };
  app = await createTestApp(settings);
  staff = await app.loginAsStaff({ email: 'owner@takeover.example' });
  await app.services.db.pool.query(
    `INSERT INTO companies (name, vat_number) SELECT 'Firma ' || i, 'DE' || (100000000 + i) FROM generate_series(0, $1::int - 1) AS i`,
    [companies],
  );
  current = (await workers.start()).worker;
}, 120_000);
afterAll(async () => {
  await workers.stopAll();
  await app?.close();
  await vies?.close();
  web?.closeAllConnections();
  await new Promise((resolve) => web?.close(resolve));
  if (measuredResumes.length > 0) console.info('takeover times (ms):', JSON.stringify(measuredResumes));
}, 60_000);

const sql = async <T extends Record<string, unknown>>(text: string, params: unknown[] = []) =>
  (await app.services.db.pool.query<T>(text, params)).rows;

describe('jobs whose worker is killed (SIGKILL) at several points', () => {
  it('VIES checks: taken over after the lease, from the last stored company; each number checked and stored once', async () => {
    const run = await app.services.vatChecks.start({ all: true }, null);
    // Kill while the k-th request is in flight (the fake answers after 150 ms).
    let lastKill = 0;
    for (const point of spreadPoints(seed, 3, 1, companies - 1)) {
      const requests = Math.max(Math.round(point), lastKill + 1);
      await until(
        `request ${requests}`,
        async () => (vies.requests.length >= requests ? true : undefined),
        60_000,
        2,
      );
      const kill = await workers.killAndReplace(current);
      const askedAtKill = vies.requests.length;
      lastKill = askedAtKill;
      expect((await app.services.vatChecks.getRun(run.id)).status).toBe('running');
      const next = await kill.next;
      current = next.worker;
      await until(
        'the next request',
        async () => (vies.requests.length > askedAtKill ? true : undefined),
        90_000,
        10,
      );
      expectTakeoverInTime(
        'VIES check',
        `request ${askedAtKill} of ${companies}`,
        kill,
        next.readyAt,
        Date.now(),
      );
    }
    await until(
      'the run is done',
      async () => ((await app.services.vatChecks.getRun(run.id)).status === 'done' ? true : undefined),
      90_000,
      50,
    );

    const stored = await sql<{ vat_number: string; checks: number }>(
      'SELECT vat_number, count(*)::int AS checks FROM company_vat_checks WHERE run_id = $1 GROUP BY vat_number ORDER BY vat_number',
      [run.id],
    );
    expect(stored).toEqual(
      Array.from({ length: companies }, (_, index) => ({ vat_number: vatNumber(index), checks: 1 })),
    );
    const askedTwice = Array.from(
      { length: companies },
      (_, index) => vies.requestsFor(vatNumber(index)).length,
    );
    expect(Math.min(...askedTwice)).toBe(1);
    expect(Math.max(...askedTwice)).toBeLessThanOrEqual(2);
    // At most the number in flight at each of the three kills is asked again.
    expect(vies.requests.length).toBeLessThanOrEqual(companies + 3);
  }, 300_000);

  it('source runs: taken over after the lease, fetching again only until the import is recorded; one import', async () => {
    const sample = await uploadOk(
      staff,
      'erp.csv',
      'E-mail,First name,Last name\nsample@source.example,Sam,Ple\n',
    );
    const saved = await post(staff, '/api/v1/import-mappings', {
      name: 'ERP customers',
      importId: sample.id,
    });
    expect(saved.statusCode, saved.body).toBe(201);
    const created = await post(staff, '/api/v1/import-sources', {
      name: 'ERP',
      savedMappingId: (saved.json() as { id: number }).id,
      location: { kind: 'url', url: `${webBase}/customers.csv` },
      conditions: { sameColumns: true, maxRejected: 0, maxCreated: null, maxUpdated: null },
    });
    expect(created.statusCode, created.body).toBe(201);
    const sourceId = (created.json() as { id: number }).id;
    // First fetch: no answer at all; second: half the file, then nothing; third: the whole file.
    serveFile = (_request, response) => {
      if (webRequests.length === 1) return;
      response.writeHead(200, { 'content-type': 'text/csv' });
      if (webRequests.length === 2) return void response.write(fileBody.slice(0, fileBody.length / 2));
      response.end(fileBody);
    };
    const started = await post(staff, `/api/v1/import-sources/${sourceId}/run`);
    expect(started.statusCode, started.body).toBe(202);
    const runId = (started.json() as { id: number }).id;
    const runRow = async () =>
      (
        await sql<{ status: string; import_id: number | null; lease_holder: string | null }>(
          'SELECT status, import_id::int, lease_holder FROM import_source_runs WHERE id = $1',
          [runId],
        )
      )[0]!;

    // The third point: the import is recorded and the worker waits for its row, which this
    // client holds, so the run cannot finish before the kill.
    const holder = new pg.Client({ connectionString: app.databaseUrl });
    await holder.connect();
    let isHeld = false;
    const lockWaits = async () =>
      (
        await sql<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
        )
      )[0]!.n > 0;
    const points: Array<{ label: string; reached: () => Promise<boolean> }> = [
      { label: 'waiting for the file', reached: async () => webRequests.length >= 1 },
      { label: 'half the file uploaded', reached: async () => webRequests.length >= 2 },
      {
        label: 'the import recorded, before its check',
        reached: async () => {
          const { import_id: importId } = await runRow();
          if (importId === null) return false;
          if (!isHeld) {
            isHeld = true;
            await holder.query('BEGIN');
            await holder.query('SELECT 1 FROM imports WHERE id = $1 FOR UPDATE', [importId]);
          }
          return lockWaits();
        },
      },
    ];
    try {
      for (const { label, reached } of points) {
        await until(label, async () => ((await reached()) ? true : undefined), 60_000, 2);
        const holderAtKill = (await runRow()).lease_holder;
        const kill = await workers.killAndReplace(current);
        expect(['fetching', 'checking']).toContain((await runRow()).status);
        if (label.startsWith('the import')) await holder.query('ROLLBACK');
        const next = await kill.next;
        current = next.worker;
        // Taken over: a new worker holds the run's lease.
        await until(
          'the new run',
          async () => ((await runRow()).lease_holder !== holderAtKill ? true : undefined),
          90_000,
          10,
        );
        expectTakeoverInTime('source run', label, kill, next.readyAt, Date.now());
      }
    } finally {
      await holder.end();
    }
    const run = await until(
      'the run is applied',
      async () => {
        const row = await runRow();
        return ['applied', 'failed', 'awaiting_approval'].includes(row.status) ? row : undefined;
      },
      120_000,
      50,
    );
    expect(run.status).toBe('applied');
    await until(
      'its import is done',
      async () => {
        const [row] = await sql<{ status: string }>('SELECT status FROM imports WHERE id = $1', [
          run.import_id,
        ]);
        return row?.status === 'done' ? true : undefined;
      },
      120_000,
      50,
    );
    // Three fetches (two cut off by the kills); none after the import was recorded.
    expect(webRequests.length).toBe(3);
    expect(await sql('SELECT id::int FROM imports WHERE source_id = $1', [sourceId])).toEqual([
      { id: run.import_id },
    ]);
    const [counted] = await sql<{ rows: number; people: number }>(
      `SELECT count(*)::int AS rows, count(DISTINCT email_normalized)::int AS people FROM customers WHERE email LIKE 'erp%@source.example'`,
    );
    expect(counted).toEqual({ rows: fileRows, people: fileRows });
  }, 300_000);
});

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { createTestApp, type StaffAgent, type TestApp } from '../support/test-app.ts';
import { s3Credentials, startS3Server } from '../support/s3-server.ts';
import { startSftpServer } from '../support/sftp-server.ts';
import { runCli } from '../process/cli-process.ts';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { post, uploadOk, waitForStatus } from '../imports/import-helpers.ts';
import { runSource } from '../../src/sources/source-run.ts';

/**
 * Issue #18, point 4: recurring imports from a URL — fetched by hand and on a schedule the test's
 * clock drives, with basic auth and ETag, applied by themselves when the staff's conditions hold
 * and otherwise waiting for approval (with an e-mail to the owner); private addresses refused,
 * redirects, time and size limited. The web server is a real one the test starts on 127.0.0.1.
 */

type Reply = (request: IncomingMessage, response: ServerResponse) => void;
const routes: Record<string, Reply> = {};
const requests: IncomingMessage[] = [];
let web: Server;
let base = '';
let now = new Date('2026-12-04T04:00:00Z');
let app: TestApp;
let staff: StaffAgent;
let mappingId = 0;
const credentialsKey = 'a-test-secret-of-at-least-32-characters!';

beforeAll(async () => {
  web = createServer((request, response) => {
    requests.push(request);
    const route = routes[request.url ?? ''];
    if (route) route(request, response);
    else response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => web.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(web.address() as AddressInfo).port}`;
  app = await createTestApp(
    { SOURCE_ALLOWED_HOSTS: '127.0.0.1', SOURCE_CREDENTIALS_KEY: credentialsKey, SOURCE_FETCH_TIMEOUT_SECONDS: '2', IMPORT_MAX_FILE_MB: '1' },
    { clock: { now: () => now } },
  );
  await app.services.startWorkers();
  staff = await app.loginAsStaff({ email: 'owner@shop.example' });
  // The saved mapping the sources use, made from a first upload of the ERP's file.
  const sample = await uploadOk(staff, 'erp.csv', 'E-mail,First name,Last name\nsample@erp.example,Sam,Ple\n');
  const saved = await post(staff, '/api/v1/import-mappings', { name: 'ERP customers', importId: sample.id });
  expect(saved.statusCode, saved.body).toBe(201);
  mappingId = (saved.json() as { id: number }).id;
}, 60_000);

afterAll(async () => {
  await app?.close();
  await new Promise((resolve) => web?.close(resolve));
});

const api = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: Record<string, unknown>) =>
  staff.request({ method, url: `/api/v1${url}`, ...(payload && { payload }) });
const sql = async <T extends Record<string, unknown>>(text: string, params: unknown[] = []) => (await app.services.db.pool.query<T>(text, params)).rows;

type Run = { id: number; status: string; importId: number | null; reasons: string[] };
async function createSource(body: Record<string, unknown>) {
  const response = await api('POST', '/import-sources', { name: 'ERP', savedMappingId: mappingId, ...body });
  expect(response.statusCode, response.body).toBe(201);
  return response.json() as { id: number; version: number; credentialsKind: string };
}
async function runNow(sourceId: number, until: readonly string[] = ['applied', 'awaiting_approval', 'unchanged', 'failed', 'declined']): Promise<Run> {
  const started = await api('POST', `/import-sources/${sourceId}/run`);
  expect(started.statusCode, started.body).toBe(202);
  return waitForRun(sourceId, (started.json() as Run).id, until);
}
async function waitForRun(sourceId: number, runId: number, until: readonly string[]): Promise<Run> {
  let found: Run | undefined;
  await expect.poll(async () => {
    const { items } = (await api('GET', `/import-sources/${sourceId}/runs`)).json() as { items: Run[] };
    found = items.find((run) => run.id === runId);
    return until.includes(found?.status ?? '');
  }, { timeout: 60_000, interval: 100 }).toBe(true);
  return found!;
}
const csv = (rows: string[], headings = 'E-mail,First name,Last name') => [headings, ...rows].join('\n');

describe('a source that is a URL', () => {
  it('fetches with basic auth, applies by itself when the conditions hold, and leaves an unchanged file alone (ETag)', { timeout: 120_000 }, async () => {
    routes['/export.csv'] = (request, response) => {
      if (request.headers.authorization !== `Basic ${Buffer.from('erp:s3cret-pass').toString('base64')}`) return void response.writeHead(401).end();
      if (request.headers['if-none-match'] === '"v1"') return void response.writeHead(304).end();
      response.writeHead(200, { 'content-type': 'text/csv', etag: '"v1"' }).end(csv(['anna@erp.example,Anna,Appel', 'bram@erp.example,Bram,Bes']));
    };
    const source = await createSource({ location: { kind: 'url', url: `${base}/export.csv` }, credentials: { kind: 'basic', username: 'erp', password: 's3cret-pass' } });
    expect(source.credentialsKind).toBe('basic');
    // The password is neither answered nor stored in the clear.
    expect(JSON.stringify(await api('GET', `/import-sources/${source.id}`).then((response) => response.json()))).not.toContain('s3cret-pass');
    const [stored] = await sql<{ credentials_encrypted: Buffer }>('SELECT credentials_encrypted FROM import_sources WHERE id = $1', [source.id]);
    expect(stored!.credentials_encrypted.includes('s3cret-pass')).toBe(false);

    const first = await runNow(source.id);
    expect(first.status).toBe('applied');
    const imported = await waitForStatus(staff, first.importId!, ['done'], 60_000);
    expect(imported).toMatchObject({ fileName: 'export.csv', counts: { created: 2 }, source: { id: source.id, name: 'ERP', runId: first.id } });
    expect((await sql("SELECT count(*)::int AS n FROM customers WHERE email LIKE '%@erp.example' AND email <> 'sample@erp.example'"))[0]).toEqual({ n: 2 });

    const second = await runNow(source.id);
    expect(second).toMatchObject({ status: 'unchanged', importId: null });
  });

  it('sends a header token, to the source’s own origin only, and honours Last-Modified', { timeout: 120_000 }, async () => {
    const modified = 'Wed, 02 Dec 2026 10:00:00 GMT';
    routes['/token.csv'] = (request, response) => {
      if (request.headers['x-api-key'] !== 'tok-123') return void response.writeHead(401).end();
      if (request.headers['if-modified-since'] === modified) return void response.writeHead(304).end();
      response.writeHead(200, { 'last-modified': modified }).end(csv(['token@erp.example,To,Ken']));
    };
    const source = await createSource({ name: 'Token', location: { kind: 'url', url: `${base}/token.csv` }, credentials: { kind: 'header', header: 'X-Api-Key', value: 'tok-123' } });
    expect(JSON.stringify((await api('GET', `/import-sources/${source.id}`)).json())).not.toContain('tok-123');
    expect((await runNow(source.id)).status).toBe('applied');
    expect((await runNow(source.id)).status).toBe('unchanged');
    // Redirected to another origin (another port here), the token stays home.
    const seen: Array<string | undefined> = [];
    const other = createServer((request, response) => {
      seen.push(request.headers['x-api-key'] as string | undefined);
      response.writeHead(200).end(csv(['elsewhere@erp.example,Else,Where']));
    });
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    try {
      routes['/moved.csv'] = (_request, response) => response.writeHead(302, { location: `http://127.0.0.1:${(other.address() as AddressInfo).port}/moved.csv` }).end();
      const moved = await createSource({ name: 'Moved', location: { kind: 'url', url: `${base}/moved.csv` }, credentials: { kind: 'header', header: 'X-Api-Key', value: 'tok-123' } });
      expect((await runNow(moved.id)).status).toBe('applied');
      expect(seen).toEqual([undefined]);
    } finally {
      await new Promise((resolve) => other.close(resolve));
    }
  });

  it('waits for approval when the file breaks a condition, tells the owner, and applies only when approved', { timeout: 120_000 }, async () => {
    routes['/changed.csv'] = (_request, response) =>
      response.writeHead(200, { 'content-type': 'text/csv' }).end(csv(['anna@erp.example,Anna,Appel-Boom,', 'not-an-address,Nobody,Here,'], 'E-mail,First name,Last name,Loyalty'));
    const source = await createSource({ name: 'ERP nightly', location: { kind: 'url', url: `${base}/changed.csv` }, conditions: { sameColumns: true, maxRejected: 0, maxCreated: 5, maxUpdated: null }, schedule: { every: 'week', weekday: 3, time: '05:15' } });
    const run = await runNow(source.id);
    expect(run.status).toBe('awaiting_approval');
    expect(run.reasons.join(' ')).toContain('new: Loyalty');
    expect(run.reasons.join(' ')).toContain('Rows rejected: 1');
    expect((await waitForStatus(staff, run.importId!, ['checked'], 60_000)).status).toBe('checked');
    expect((await sql("SELECT last_name FROM customers WHERE email = 'anna@erp.example'"))[0]).toEqual({ last_name: 'Appel' });
    await expect.poll(async () => (await sql<{ subject: string }>("SELECT subject FROM mailbox_messages WHERE to_address = 'owner@shop.example'")).map((row) => row.subject), { timeout: 60_000 })
      .toContain('Import “ERP nightly” is waiting for your approval');

    // Starting the import itself would leave the run waiting: it starts through the approval.
    const bypass = await post(staff, `/api/v1/imports/${run.importId}/start`);
    expect(bypass.statusCode).toBe(409);
    expect(bypass.json().error.message).toContain('waits for approval: approve it there');
    // Renaming the source through the API keeps its other settings.
    const before = (await api('GET', `/import-sources/${source.id}`)).json() as { version: number; conditions: unknown; schedule: unknown };
    const renamed = (await api('PATCH', `/import-sources/${source.id}`, { version: before.version, name: 'ERP nightly' })).json() as { conditions: unknown; schedule: unknown };
    expect(renamed).toMatchObject({ conditions: before.conditions, schedule: before.schedule });
    const approved = await api('POST', `/import-source-runs/${run.id}/decision`, { decision: 'approve' });
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json()).toMatchObject({ status: 'applied', decidedBy: { name: expect.any(String) } });
    await waitForStatus(staff, run.importId!, ['done_with_errors'], 60_000);
    expect((await sql("SELECT last_name FROM customers WHERE email = 'anna@erp.example'"))[0]).toEqual({ last_name: 'Appel-Boom' });
    expect((await api('POST', `/import-source-runs/${run.id}/decision`, { decision: 'decline' })).statusCode).toBe(409);

    const again = await runNow(source.id);
    expect(again.status).toBe('awaiting_approval');
    const declined = await api('POST', `/import-source-runs/${again.id}/decision`, { decision: 'decline' });
    expect(declined.json()).toMatchObject({ status: 'declined' });
    expect((await waitForStatus(staff, again.importId!, ['checked'], 60_000)).status).toBe('checked');
  });

  it('refuses private and local addresses unless allowed, follows at most 3 redirects, and stops at the time and size limits with a clear reason', { timeout: 120_000 }, async () => {
    const refused = await api('POST', '/import-sources', { name: 'Intranet', savedMappingId: mappingId, location: { kind: 'url', url: 'https://10.1.2.3/customers.csv' } });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().error.message).toContain('private or local address');
    for (const url of ['https://169.254.169.254/latest/meta-data', 'https://[fe80::1]/customers.csv', 'https://[::1]/customers.csv']) {
      const linkLocal = await api('POST', '/import-sources', { name: 'Metadata', savedMappingId: mappingId, location: { kind: 'url', url } });
      expect(linkLocal.statusCode, url).toBe(422);
      expect(linkLocal.json().error.message).toContain('private or local address');
    }
    const insecure = await api('POST', '/import-sources', { name: 'Plain', savedMappingId: mappingId, location: { kind: 'url', url: 'http://erp.example.com/customers.csv' } });
    expect(insecure.statusCode).toBe(422);
    // A name that resolves to a loopback address is refused when connecting.
    const local = await createSource({ name: 'Local name', location: { kind: 'url', url: 'https://localhost:1/customers.csv' } });
    expect((await runNow(local.id)).reasons.join(' ')).toMatch(/localhost resolves to (127\.0\.0\.1|::1), a private or local address/);

    for (const step of [1, 2, 3, 4]) routes[`/hop${step}`] = (_request, response) => response.writeHead(302, { location: `/hop${step + 1}` }).end();
    routes['/hop5'] = (_request, response) => response.writeHead(200).end(csv(['hop@erp.example,Hop,Per']));
    const farAway = await createSource({ name: 'Redirects', location: { kind: 'url', url: `${base}/hop1` } });
    expect(await runNow(farAway.id)).toMatchObject({ status: 'failed', reasons: [expect.stringContaining('redirected more than 3 times')] });
    const near = await createSource({ name: 'Three redirects', location: { kind: 'url', url: `${base}/hop2` } });
    expect((await runNow(near.id)).status).toBe('applied');

    routes['/silent.csv'] = () => {};
    const silent = await createSource({ name: 'Silent', location: { kind: 'url', url: `${base}/silent.csv` } });
    expect(await runNow(silent.id)).toMatchObject({ status: 'failed', reasons: [expect.stringContaining('did not answer within 2 seconds')] });

    routes['/huge.csv'] = (_request, response) => response.writeHead(200).end(csv(Array.from({ length: 30_000 }, (_, index) => `big${index}@erp.example,Big,Customer number ${index}`)));
    const huge = await createSource({ name: 'Huge', location: { kind: 'url', url: `${base}/huge.csv` } });
    expect(await runNow(huge.id)).toMatchObject({ status: 'failed', reasons: ['The file is larger than 1 MB, the most an import takes. Split it into smaller files.'] });

    routes['/locked.csv'] = (_request, response) => response.writeHead(401).end();
    const locked = await createSource({ name: 'Locked', location: { kind: 'url', url: `${base}/locked.csv` } });
    expect(await runNow(locked.id)).toMatchObject({ status: 'failed', reasons: [`The file could not be fetched: 127.0.0.1:${new URL(base).port} refused the credentials (HTTP 401).`] });
    const missing = await createSource({ name: 'Missing', location: { kind: 'url', url: `${base}/missing.csv` } });
    expect((await runNow(missing.id)).reasons).toEqual([`The file could not be fetched: ${base}/missing.csv does not exist (HTTP 404).`]);

    // The same runs, read by a Dutch staff user: every sentence in Dutch, the details too.
    const dutch = await app.loginAsStaff({ email: 'medewerker@shop.example', language: 'nl' });
    const dutchReasons = async (sourceId: number) => ((await dutch.request({ method: 'GET', url: `/api/v1/import-sources/${sourceId}/runs` })).json() as { items: Run[] }).items[0]!.reasons;
    const host = `127.0.0.1:${new URL(base).port}`;
    expect(await dutchReasons(farAway.id)).toEqual([`Het bestand kon niet worden opgehaald: ${base}/hop1 stuurde meer dan 3 keer door.`]);
    expect(await dutchReasons(silent.id)).toEqual([`Het bestand kon niet worden opgehaald: ${host} gaf binnen 2 seconden geen antwoord.`]);
    expect(await dutchReasons(locked.id)).toEqual([`Het bestand kon niet worden opgehaald: ${host} weigerde de inloggegevens (HTTP 401).`]);
    expect(await dutchReasons(missing.id)).toEqual([`Het bestand kon niet worden opgehaald: ${base}/missing.csv bestaat niet (HTTP 404).`]);
    expect(await dutchReasons(huge.id)).toEqual(['Het bestand is groter dan 1 MB, het maximum voor een import. Splits het in kleinere bestanden.']);
    const [localReason] = await dutchReasons(local.id);
    expect(localReason).toMatch(/^Het bestand kon niet worden opgehaald: localhost verwijst naar (127\.0\.0\.1|::1), een privé- of lokaal adres dat bronnen niet mogen bereiken\. Een beheerder kan deze host toestaan met SOURCE_ALLOWED_HOSTS\.$/);
  });

  it('says that a run failed unexpectedly without showing the error itself, in English and Dutch', { timeout: 120_000 }, async () => {
    // A fault no shop owner can act on: the database refuses the import's row with an internal message.
    await sql(`CREATE FUNCTION refuse_import() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'internal detail: relation frobnicate is gone'; END $$`);
    await sql('CREATE TRIGGER refuse_import BEFORE INSERT ON imports FOR EACH ROW EXECUTE FUNCTION refuse_import()');
    try {
      routes['/fine.csv'] = (_request, response) => response.writeHead(200).end(csv(['fine@erp.example,Fi,Ne']));
      const source = await createSource({ name: 'Fine file', location: { kind: 'url', url: `${base}/fine.csv` } });
      const run = await runNow(source.id);
      expect(run).toMatchObject({ status: 'failed', reasons: ['The run failed unexpectedly; the details are in the server log for the administrator.'] });
      const dutch = await app.loginAsStaff({ email: 'beheerder@shop.example', language: 'nl' });
      const { items } = (await dutch.request({ method: 'GET', url: `/api/v1/import-sources/${source.id}/runs` })).json() as { items: Run[] };
      expect(items[0]!.reasons).toEqual(['Het ophalen of importeren is onverwacht mislukt; de details staan in het serverlog voor de beheerder.']);
      expect(JSON.stringify(items)).not.toContain('frobnicate');
    } finally {
      await sql('DROP TRIGGER refuse_import ON imports');
      await sql('DROP FUNCTION refuse_import()');
    }
  });
});

describe('a run whose worker died', () => {
  it('is taken over once its lease has run out, and left alone while its worker still holds it', { timeout: 120_000 }, async () => {
    routes['/lease.csv'] = (_request, response) => response.writeHead(200).end(csv(['lease@erp.example,Lea,Se']));
    const source = await createSource({ name: 'Leased', location: { kind: 'url', url: `${base}/lease.csv` } });
    const insertRun = async (leaseUntil: Date) =>
      (await sql<{ id: number }>(
        "INSERT INTO import_source_runs (source_id, trigger, status, started_at, lease_until, lease_holder) VALUES ($1, 'manual', 'fetching', $2, $3, 'a worker') RETURNING id::int",
        [source.id, now, leaseUntil],
      ))[0]!.id;
    const held = await insertRun(new Date(now.getTime() + 20_000));
    expect(await app.services.sources.recoverInterrupted()).toBe(0);
    await sql('UPDATE import_source_runs SET status = \'failed\' WHERE id = $1', [held]);

    const orphaned = await insertRun(new Date(now.getTime() - 1_000));
    expect(await app.services.sources.recoverInterrupted()).toBe(1);
    const taken = await waitForRun(source.id, orphaned, ['applied', 'failed']);
    expect(taken.status, taken.reasons.join(' ')).toBe('applied');
    await waitForStatus(staff, taken.importId!, ['done'], 60_000);
    expect(await sql("SELECT count(*)::int AS n FROM customers WHERE email = 'lease@erp.example'")).toEqual([{ n: 1 }]);
    expect(await app.services.sources.recoverInterrupted()).toBe(0);
  });

  it('makes one import when a worker that lost its lease still uploads the file after another took the run over', { timeout: 120_000 }, async () => {
    let release = () => {};
    let fetches = 0;
    const body = csv(['late@erp.example,La,Te']);
    routes['/late.csv'] = (_request, response) => {
      fetches += 1;
      if (fetches > 1) return void response.writeHead(200).end(body);
      // The first worker's fetch: a byte every 0.4 s (within the 2 s silence limit), the rest at the end.
      response.writeHead(200);
      let sent = 0;
      const trickle = setInterval(() => response.write(body.slice(sent, ++sent)), 400);
      release = () => {
        clearInterval(trickle);
        response.end(body.slice(sent));
      };
    };
    const source = await createSource({ name: 'Late', location: { kind: 'url', url: `${base}/late.csv` } });
    const started = await api('POST', `/import-sources/${source.id}/run`);
    const runId = (started.json() as Run).id;
    await expect.poll(() => fetches, { timeout: 30_000 }).toBe(1);
    // Its worker stalls past its lease; another worker (here: this process, as its job would) takes the run over and finishes it.
    await sql('UPDATE import_source_runs SET lease_until = $2 WHERE id = $1', [runId, new Date(now.getTime() - 1_000)]);
    const { db, clock, imports } = app.services;
    await runSource({ db, clock, imports, outbox: { queueStaffMail: async () => undefined }, settings: app.config.sources, publicUrl: undefined }, runId);
    const taken = await waitForRun(source.id, runId, ['applied', 'failed']);
    expect(taken.status, taken.reasons.join(' ')).toBe('applied');
    // The stalled worker gets its file after all, uploads it, and finds the run is not its own.
    release();
    await expect.poll(async () => (await sql<{ n: number }>("SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'sources.run' AND state IN ('created', 'retry', 'active')"))[0]!.n, { timeout: 30_000 }).toBe(0);
    expect(await sql('SELECT id::int FROM imports WHERE source_id = $1', [source.id])).toEqual([{ id: taken.importId }]);
    expect((await waitForRun(source.id, runId, ['applied'])).status).toBe('applied');
    expect(fetches).toBe(2);
  });
});

describe('the schedule', () => {
  it('runs a due source once per slot, on the clock the test controls, also when two processes tick at once', { timeout: 120_000 }, async () => {
    routes['/daily.csv'] = (_request, response) => response.writeHead(200).end(csv(['daily@erp.example,Dai,Ly']));
    now = new Date('2026-12-04T04:30:00Z');
    const source = await createSource({ name: 'Daily', location: { kind: 'url', url: `${base}/daily.csv` }, schedule: { every: 'day', time: '06:00' } });
    // 06:00 in Amsterdam is 05:00 UTC in December.
    expect((await api('GET', `/import-sources/${source.id}`)).json()).toMatchObject({ nextRunAt: '2026-12-04T05:00:00.000Z' });
    now = new Date('2026-12-04T04:59:00Z');
    expect(await app.services.sources.tick()).toBe(0);
    now = new Date('2026-12-04T05:00:20Z');
    const ticks = await Promise.all([app.services.sources.tick(), app.services.sources.tick()]);
    expect(ticks.reduce((sum, count) => sum + count, 0)).toBe(1);
    expect(await app.services.sources.tick()).toBe(0);
    const { items } = (await api('GET', `/import-sources/${source.id}/runs`)).json() as { items: (Run & { trigger: string })[] };
    expect(items).toHaveLength(1);
    expect(items[0]!.trigger).toBe('schedule');
    expect((await waitForRun(source.id, items[0]!.id, ['applied'])).status).toBe('applied');
    expect((await api('GET', `/import-sources/${source.id}`)).json()).toMatchObject({ nextRunAt: '2026-12-05T05:00:00.000Z' });
  });
});

describe('a source that is an S3 bucket', () => {
  it('imports the newest file under the prefix, with the access key stored encrypted, and leaves the same file alone the next time', { timeout: 120_000 }, async () => {
    const s3 = await startS3Server('erp-drops');
    try {
      const client = new S3Client({ endpoint: s3.endpoint, region: 'us-east-1', forcePathStyle: true, credentials: s3Credentials });
      const put = (key: string, body: string) => client.send(new PutObjectCommand({ Bucket: 'erp-drops', Key: key, Body: body }));
      await put('exports/2026-12-02.csv', csv(['old@s3.example,Old,File']));
      // S3 keeps modification times to the second: the newer file is written a second later.
      await new Promise((resolve) => setTimeout(resolve, 1100));
      await put('exports/2026-12-03.csv', csv(['new@s3.example,New,File']));
      await put('other/2026-12-04.csv', csv(['elsewhere@s3.example,Else,Where']));
      const source = await createSource({
        name: 'Bucket', location: { kind: 's3', endpoint: s3.endpoint, region: 'us-east-1', bucket: 'erp-drops', prefix: 'exports/' },
        credentials: { kind: 's3', ...s3Credentials },
      });
      const run = await runNow(source.id);
      expect(run.status).toBe('applied');
      expect(await waitForStatus(staff, run.importId!, ['done'], 60_000)).toMatchObject({ fileName: '2026-12-03.csv', counts: { created: 1 } });
      expect(await sql("SELECT email FROM customers WHERE email LIKE '%@s3.example'")).toEqual([{ email: 'new@s3.example' }]);
      expect((await runNow(source.id)).status).toBe('unchanged');
      client.destroy();
    } finally {
      await s3.close();
    }
  });
});

describe('clientele sources', () => {
  it('lists the sources, runs one now in its own process with its import, and approves a run that waits', { timeout: 120_000 }, async () => {
    routes['/cli.csv'] = (_request, response) => response.writeHead(200).end(csv(['cli@erp.example,Cli,Ent']));
    routes['/cli-wait.csv'] = (_request, response) => response.writeHead(200).end(csv(['wait@erp.example,Wai,Ting', 'bad-address,No,Body']));
    const source = await createSource({ name: 'From the terminal', location: { kind: 'url', url: `${base}/cli.csv` } });
    const waiting = await createSource({ name: 'Needs approval', location: { kind: 'url', url: `${base}/cli-wait.csv` } });
    const files = await mkdtemp(path.join(os.tmpdir(), 'clientele-cli-files-'));
    const env = { DATABASE_URL: app.databaseUrl, FILE_STORE_DIR: files, SOURCE_ALLOWED_HOSTS: '127.0.0.1', SOURCE_CREDENTIALS_KEY: credentialsKey };
    try {
      const listed = await runCli(['sources', 'list'], env);
      expect(listed.stderr).toBe('');
      expect(listed.stdout).toMatch(new RegExp(`^${source.id}\tFrom the terminal\t${base.replace(/[.]/g, '\\.')}/cli[.]csv\tby hand\tnext: —\tlast: never run$`, 'm'));

      const ran = await runCli(['sources', 'run', String(source.id)], env);
      expect(ran.stderr).toBe('');
      expect(ran.code).toBe(0);
      expect(ran.stdout).toMatch(/^Run \d+: applied \(import \d+\)$/m);
      expect(await sql("SELECT first_name FROM customers WHERE email = 'cli@erp.example'")).toEqual([{ first_name: 'Cli' }]);

      const held = await runCli(['sources', 'run', String(waiting.id)], env);
      expect(held.stdout).toMatch(/awaiting approval/);
      expect(held.stdout).toContain('Rows rejected: 1');
      const runId = /^Run (\d+):/m.exec(held.stdout)![1]!;
      const approved = await runCli(['sources', 'approve', runId], env);
      expect(approved.stderr).toBe('');
      expect(approved.stdout).toMatch(/applied/);
      // Applied by the command, or by the server's worker if it took the import first.
      await expect.poll(async () => sql("SELECT first_name FROM customers WHERE email = 'wait@erp.example'"), { timeout: 60_000 }).toEqual([{ first_name: 'Wai' }]);
    } finally {
      await rm(files, { recursive: true, force: true });
    }
  });
});

describe('a source on an SFTP server', () => {
  it('fetches the file with a password, trusts the server’s key on first use and refuses another key later', { timeout: 120_000 }, async () => {
    const sftp = await startSftpServer({ username: 'erp', password: 'sftp-secret' });
    try {
      sftp.files.set('/exports/customers.csv', { body: Buffer.from(csv(['sftp@erp.example,Sef,Tip'])), mtime: 1_800_000_000 });
      const location = { kind: 'sftp', host: '127.0.0.1', port: sftp.port, path: '/exports/customers.csv', username: 'erp' };
      const source = await createSource({ name: 'SFTP', location, credentials: { kind: 'sftp-password', password: 'sftp-secret' } });
      const run = await runNow(source.id);
      expect(run.status, run.reasons.join(' ')).toBe('applied');
      expect(await waitForStatus(staff, run.importId!, ['done'], 60_000)).toMatchObject({ fileName: 'customers.csv', counts: { created: 1 } });
      const [remembered] = await sql<{ sftp_host_key: string }>('SELECT sftp_host_key FROM import_sources WHERE id = $1', [source.id]);
      expect(remembered!.sftp_host_key).toMatch(/^[A-Za-z0-9+/]{43}=$/);
      expect((await runNow(source.id)).status).toBe('unchanged');

      // Another key than the one seen first: someone may be in between.
      await sql("UPDATE import_sources SET sftp_host_key = 'another-key' WHERE id = $1", [source.id]);
      sftp.files.set('/exports/customers.csv', { body: Buffer.from(csv(['sftp@erp.example,Sef,Tipper'])), mtime: 1_800_000_100 });
      expect(await runNow(source.id)).toMatchObject({ status: 'failed', reasons: [expect.stringContaining('showed another host key than before')] });
      // Saving the location again trusts the key the server shows now.
      const current = (await api('GET', `/import-sources/${source.id}`)).json() as { version: number };
      expect((await api('PATCH', `/import-sources/${source.id}`, { version: current.version, location })).statusCode).toBe(200);
      const after = await runNow(source.id);
      expect(after.status).toBe('applied');
      await waitForStatus(staff, after.importId!, ['done'], 60_000);
      expect(await sql("SELECT last_name FROM customers WHERE email = 'sftp@erp.example'")).toEqual([{ last_name: 'Tipper' }]);

      const wrong = await createSource({ name: 'SFTP wrong password', location, credentials: { kind: 'sftp-password', password: 'nope' } });
      expect(await runNow(wrong.id)).toMatchObject({ status: 'failed', reasons: [expect.stringContaining('refused the user name or password')] });
    } finally {
      await sftp.close();
    }
  });
});


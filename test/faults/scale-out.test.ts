import { readFile, mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeImportFile } from '../../bench/import-file.ts';
import { freePort } from '../../src/db/embedded-postgres.ts';
import type { ImportDetail } from '../../src/imports/import.schemas.ts';
import { killCli, startCli, type RunningCli } from '../process/cli-process.ts';
import { customerChecksum } from '../support/customer-checksum.ts';
import { connect, referenceImport, type Connection } from '../support/reference-import.ts';
import { startSeparateCluster, type SeparateCluster } from '../support/separate-cluster.ts';

/**
 * Scaled out as docs/deployment.md describes it: an external PostgreSQL (a cluster of its own,
 * not the test run's), two `clientele serve` processes without in-process workers and two
 * `clientele worker` processes, sharing nothing but DATABASE_URL and FILE_STORE_DIR. An import
 * is uploaded, checked and started through server A and followed through server B; the workers
 * apply it. The customers equal an uninterrupted in-process import of the same file, and each
 * process's /metrics shows its own share. The login and forgot-password limits count the hits on
 * both servers together.
 */
const rows = 10_000;
const loginLimitPerMinute = 4;
const resetLimitPerHourPerIp = 3;
const staff = { email: 'scale@example.com', name: 'Sam Scale', password: 'a long enough password' };
let workDir: string;
let file: string;
let cluster: SeparateCluster;
let connection: Connection;
const processes: RunningCli[] = [];
let servers: { a: string; b: string };
let workerMetricsUrls: string[];

type Reply = { status: number; headers: http.IncomingHttpHeaders; body: string };

/** One HTTP request; `localAddress` sends it from another loopback address (another client IP for the limits). */
function request(url: string, options: { method?: string; headers?: Record<string, string>; body?: Buffer | string; localAddress?: string } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const outgoing = http.request(url, { method: options.method ?? 'GET', headers: options.headers, localAddress: options.localAddress, timeout: 30_000 }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString('utf8') }));
      response.on('error', reject);
    });
    outgoing.on('timeout', () => outgoing.destroy(new Error(`${url} did not answer within 30 s`)));
    outgoing.on('error', reject);
    outgoing.end(options.body);
  });
}

const cookiesOf = (reply: Reply) => (reply.headers['set-cookie'] ?? []).map((cookie) => cookie.split(';')[0]!).join('; ');

async function login(baseUrl: string, password: string, localAddress?: string): Promise<Reply> {
  return request(`${baseUrl}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: staff.email, password }), ...(localAddress && { localAddress }) });
}

/** The samples of one metric in a Prometheus text exposition, with their labels. */
function samples(text: string, name: string): Array<{ labels: Record<string, string>; value: number }> {
  const found: Array<{ labels: Record<string, string>; value: number }> = [];
  for (const line of text.split('\n')) {
    const match = /^([a-z_]+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const labels = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((label) => [label[1]!, label[2]!]));
    found.push({ labels, value: Number(match[3]) });
  }
  return found;
}
const sum = (text: string, name: string, labels: Record<string, string> = {}) =>
  samples(text, name)
    .filter((sample) => Object.entries(labels).every(([key, value]) => sample.labels[key] === value))
    .reduce((total, sample) => total + sample.value, 0);

beforeAll(async () => {
  workDir = await mkdtemp(path.join(os.tmpdir(), 'clientele-scale-out-'));
  file = path.join(workDir, 'customers.csv');
  await writeImportFile(file, { rows, seed: 21 });
  cluster = await startSeparateCluster();
  const fileStoreDir = path.join(workDir, 'files');
  connection = await connect(cluster.url, fileStoreDir);
  await connection.services.staff.createUser({ ...staff, language: 'en' });
  const shared = {
    DATABASE_URL: cluster.url,
    FILE_STORE_DIR: fileStoreDir,
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    LOGIN_RATE_LIMIT_PER_MINUTE: String(loginLimitPerMinute),
    PASSWORD_RESET_RATE_LIMIT_PER_HOUR_PER_IP: String(resetLimitPerHourPerIp),
  };
  const serve = () => startCli(['serve'], { ...shared, PORT: '0', WORKER_IN_PROCESS: 'false' });
  const metricsPorts = [await freePort(), await freePort()];
  const started = [serve(), serve(), ...metricsPorts.map((port) => startCli(['worker'], { ...shared, METRICS_PORT: String(port) }))];
  processes.push(...started);
  const [a, b] = await Promise.all(started.slice(0, 2).map(async (server) => (await server.waitFor(/Back office: (http:\/\/127\.0\.0\.1:\d+)\/admin/, 90_000))[1]!));
  await Promise.all(started.slice(2).map((worker) => worker.waitFor(/Worker started/, 90_000)));
  servers = { a: a!, b: b! };
  workerMetricsUrls = metricsPorts.map((port) => `http://127.0.0.1:${port}/metrics`);
}, 180_000);
afterAll(async () => {
  for (const running of processes) await killCli(running);
  await connection?.close().catch(() => {});
  await cluster?.destroy();
  await rm(workDir, { recursive: true, force: true });
}, 60_000);

describe('two servers and two workers on one external PostgreSQL', () => {
  it('imports through server A, shows the progress on server B, and every process counts its own share', async () => {
    const referenceRun = referenceImport(file, path.join(workDir, 'files-reference'));
    referenceRun.catch(() => {}); // awaited below; a failure is reported there

    const loggedIn = await login(servers.a, staff.password);
    expect(loggedIn.status, loggedIn.body).toBe(200);
    // The session is a row in PostgreSQL: the same cookie works on server B.
    const headers = { cookie: cookiesOf(loggedIn), 'x-csrf-token': (JSON.parse(loggedIn.body) as { csrfToken: string }).csrfToken };
    const onA = (method: string, url: string, body?: unknown) =>
      request(`${servers.a}${url}`, { method, headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(body ?? {}) });
    const readOnB = async (id: number) => {
      const reply = await request(`${servers.b}/api/v1/imports/${id}`, { headers });
      expect(reply.status, reply.body).toBe(200);
      return JSON.parse(reply.body) as ImportDetail;
    };
    const waitOnB = async (id: number, statuses: string[], seen: ImportDetail[] = []) => {
      for (const deadline = Date.now() + 200_000; Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 100))) {
        const detail = await readOnB(id);
        seen.push(detail);
        if (statuses.includes(detail.status)) return detail;
      }
      throw new Error(`Import ${id} did not reach ${statuses.join('/')}: ${seen.at(-1)?.status}`);
    };

    const uploaded = await request(`${servers.a}/api/v1/imports?fileName=customers.csv`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/octet-stream' },
      body: await readFile(file),
    });
    expect(uploaded.status, uploaded.body).toBe(201);
    const { id } = JSON.parse(uploaded.body) as ImportDetail;
    expect((await onA('POST', `/api/v1/imports/${id}/check`)).status).toBe(202);
    const checked = await waitOnB(id, ['checked']);
    expect((await onA('POST', `/api/v1/imports/${id}/start`)).status).toBe(202);
    const seen: ImportDetail[] = [];
    const done = await waitOnB(id, ['done', 'done_with_errors', 'failed'], seen);
    const reference = await referenceRun;

    expect(done.status).toBe(reference.detail.status);
    expect(done.counts).toEqual(reference.detail.counts);
    expect(done.counts.created + done.counts.rejected).toBe(rows);
    // The check (a dry run, on a worker) foresaw what the import did.
    expect(checked.check?.result).toMatchObject({ rows, created: done.counts.created, rejected: done.counts.rejected });
    expect(seen.some((detail) => detail.status === 'processing' || detail.status === 'queued'), 'server B showed the import under way').toBe(true);
    const checksum = await customerChecksum(connection.db.pool);
    expect(checksum).toEqual(reference.checksum);
    expect(checksum.count).toBe(checksum.distinct);

    const [metricsA, metricsB, ...metricsOfWorkers] = await Promise.all(
      [`${servers.a}/metrics`, `${servers.b}/metrics`, ...workerMetricsUrls].map(async (url) => {
        const reply = await request(url);
        expect(reply.status).toBe(200);
        return reply.body;
      }),
    );
    // Requests: each server counts the ones it answered.
    const uploads = { method: 'POST', route: '/api/v1/imports', status: '201' };
    const reads = { method: 'GET', route: '/api/v1/imports/:id', status: '200' };
    expect(sum(metricsA!, 'clientele_http_requests_total', uploads)).toBe(1);
    expect(sum(metricsB!, 'clientele_http_requests_total', uploads)).toBe(0);
    expect(sum(metricsB!, 'clientele_http_requests_total', reads)).toBeGreaterThanOrEqual(seen.length + 1);
    expect(sum(metricsA!, 'clientele_http_requests_total', reads)).toBe(0);
    expect(samples(metricsA!, 'clientele_http_requests_total').every((sample) => sample.labels.process === 'server')).toBe(true);
    // Jobs and rows: the workers ran them (the servers none), and their shares add up to the whole.
    for (const text of [metricsA!, metricsB!]) {
      expect(sum(text, 'clientele_job_runs_total')).toBe(0);
      expect(sum(text, 'clientele_import_rows_committed_total')).toBe(0);
    }
    const workerSum = (name: string, labels: Record<string, string> = {}) => metricsOfWorkers.reduce((total, text) => total + sum(text, name, labels), 0);
    expect(workerSum('clientele_import_rows_committed_total')).toBe(rows);
    expect(workerSum('clientele_job_runs_total', { queue: 'import.check', outcome: 'completed' })).toBe(1);
    expect(workerSum('clientele_job_runs_total', { queue: 'import.apply', outcome: 'completed' })).toBeGreaterThanOrEqual(1);
    expect(workerSum('clientele_job_runs_total', { outcome: 'failed' })).toBe(0);
    for (const text of metricsOfWorkers) expect(samples(text, 'clientele_job_runs_total').every((sample) => sample.labels.process === 'worker')).toBe(true);
    // The database-wide figures are the same whichever process is scraped.
    for (const text of [metricsA!, metricsB!, ...metricsOfWorkers]) expect(sum(text, 'clientele_import_rows', { outcome: 'created' })).toBe(done.counts.created);
  }, 420_000);

  it('counts the staff login and forgot-password limits over both servers together', async () => {
    // The limits count in fixed windows (a minute, an hour): start well inside one.
    const intoMinuteMs = Date.now() % 60_000;
    if (intoMinuteMs > 50_000) await new Promise((resolve) => setTimeout(resolve, 60_000 - intoMinuteMs + 500));

    const guesser = '127.0.0.2';
    const attempts: number[] = [];
    for (let attempt = 0; attempt < loginLimitPerMinute; attempt++) attempts.push((await login(attempt % 2 ? servers.b : servers.a, 'wrong password', guesser)).status);
    expect(attempts).toEqual(Array(loginLimitPerMinute).fill(401));
    for (const server of [servers.a, servers.b]) {
      const refused = await login(server, staff.password, guesser);
      expect(refused.status, refused.body).toBe(429);
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    }
    expect((await login(servers.b, staff.password, '127.0.0.3')).status).toBe(200);

    const forgetter = '127.0.0.4';
    const forgot = async (server: string, email: string) => {
      const page = await request(`${server}/account/forgot-password`, { localAddress: forgetter });
      const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
      return request(`${server}/account/forgot-password`, {
        method: 'POST',
        localAddress: forgetter,
        headers: { cookie: cookiesOf(page), 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ _csrf: csrf, email }).toString(),
      });
    };
    const sent: number[] = [];
    for (let attempt = 0; attempt < resetLimitPerHourPerIp; attempt++) sent.push((await forgot(attempt % 2 ? servers.b : servers.a, `nobody${attempt}@example.com`)).status);
    expect(sent).toEqual(Array(resetLimitPerHourPerIp).fill(200));
    for (const server of [servers.b, servers.a]) {
      const refused = await forgot(server, 'nobody@example.com');
      expect(refused.status).toBe(429);
      expect(refused.body).toContain('Too many attempts.');
    }
  }, 120_000);
});

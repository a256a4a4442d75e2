import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeImportFile } from '../../bench/import-file.ts';
import type { BulkSend } from '../../src/mail/mail.schemas.ts';
import { killCli, startCli, type RunningCli } from '../process/cli-process.ts';
import { connect, isFinished, startImport, waitForImport, type Connection } from '../support/reference-import.ts';
import { startSeparateCluster, type SeparateCluster } from '../support/separate-cluster.ts';
import { startTestSmtpServer, type TestSmtpServer } from '../support/smtp-server.ts';

/**
 * PostgreSQL really stops — twice, while a real `clientele worker` applies an import and sends a
 * bulk password e-mail over real SMTP, and a real `clientele serve` answers staff and customers.
 *
 * Time is scaled 1 : 60 through configuration, not faked: the processes retry at most every
 * 100 ms (production: 5 s) and log the outage at most once a second (production: once a minute).
 * So the 3 s outage stands for 3 minutes and the 10 s outage for 10 minutes — both far past the
 * 2-minute window after which a worker used to give up for good. There is no give-up left to
 * scale: the worker keeps retrying, is still running after each outage, and every job goes on by
 * itself from its checkpoint. During the outage the server answers 503 everywhere but /healthz.
 */
const rows = 8_000;
const recipients = 40;
const scaledEnv = { DATABASE_RETRY_MAX_DELAY_MS: '100', DATABASE_OUTAGE_LOG_INTERVAL_MS: '1000' };
const staff = { email: 'outage@example.com', name: 'Olga Outage', password: 'a long enough password', language: 'en' as const };
let workDir: string;
let file: string;
let cluster: SeparateCluster;
let smtp: TestSmtpServer;
let connection: Connection | undefined;
let worker: RunningCli | undefined;
let server: RunningCli | undefined;
let baseUrl: string;
let customerIds: number[];

beforeAll(async () => {
  workDir = await mkdtemp(path.join(os.tmpdir(), 'clientele-long-outage-'));
  file = path.join(workDir, 'customers.csv');
  [cluster, smtp] = await Promise.all([startSeparateCluster(), startTestSmtpServer(), writeImportFile(file, { rows, seed: 16 })]);
  // A mail server that takes 120 ms a message keeps the bulk send under way for several seconds.
  smtp.setDelayMs(120);
  const fileStoreDir = path.join(workDir, 'files');
  connection = await connect(cluster.url, fileStoreDir);
  await connection.services.staff.createUser(staff);
  customerIds = [];
  for (let index = 0; index < recipients; index++) {
    customerIds.push((await connection.services.customers.create({ email: `recipient${index}@outage.example`, firstName: `R${index}` })).id);
  }
  const env = { ...scaledEnv, DATABASE_URL: cluster.url, FILE_STORE_DIR: fileStoreDir, LOG_LEVEL: 'warn', HOST: '127.0.0.1', SMTP_URL: smtp.url, MAIL_SEND_PER_MINUTE: '100000' };
  worker = startCli(['worker'], env);
  server = startCli(['serve'], { ...env, PORT: '0', WORKER_IN_PROCESS: 'false' });
  const [, [, url]] = await Promise.all([worker.waitFor(/Worker started/, 60_000), server.waitFor(/Back office: (http:\/\/127\.0\.0\.1:\d+)\/admin/, 60_000)]);
  baseUrl = url!;
}, 120_000);
afterAll(async () => {
  await killCli(worker);
  await killCli(server);
  await connection?.close().catch(() => {});
  await cluster?.destroy();
  await smtp?.close();
  await rm(workDir, { recursive: true, force: true });
}, 60_000);

async function until<T>(what: string, read: () => Promise<T | undefined>, timeoutMs = 60_000, describe: () => Promise<unknown> = async () => ''): Promise<T> {
  for (const deadline = Date.now() + timeoutMs; ; await new Promise((resolve) => setTimeout(resolve, 50))) {
    const value = await read().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms ${JSON.stringify(await describe().catch(String))}`);
  }
}

const logLines = (running: RunningCli, pattern: RegExp) => running.output().split('\n').filter((line) => pattern.test(line));

describe('database outages of 3 and 10 minutes (scaled 1 : 60) during an import and a bulk send', () => {
  it('keeps worker and server up, answers 503 while the database is away, and finishes every job exactly once', async () => {
    const loggedIn = await fetch(`${baseUrl}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: staff.email, password: staff.password }) });
    expect(loggedIn.status).toBe(200);
    const headers = {
      cookie: loggedIn.headers.getSetCookie().map((header) => header.split(';')[0]).join('; '),
      'x-csrf-token': ((await loggedIn.json()) as { csrfToken: string }).csrfToken,
      'content-type': 'application/json',
    };
    const bulkSend = async (id: number) => {
      const reply = await fetch(`${baseUrl}/api/v1/password-emails/bulk/${id}`, { headers });
      return reply.status === 200 ? ((await reply.json()) as BulkSend) : undefined;
    };
    const importId = await startImport(connection!, file);
    const started = await fetch(`${baseUrl}/api/v1/password-emails/bulk`, { method: 'POST', headers, body: JSON.stringify({ customerIds }) });
    expect(started.status).toBe(202);
    const { id: bulkId } = (await started.json()) as BulkSend;

    // Outage 1: "3 minutes", with the import a fifth done and the first e-mails out.
    await waitForImport(connection!, importId, (detail) => detail.progress.rowsDone >= rows * 0.2 || isFinished(detail), 60_000);
    await until('first e-mails sent', async () => ((await bulkSend(bulkId))?.progress.sent ?? 0) >= 3 || undefined);
    expect((await connection!.services.imports.detail(importId, 'en')).status, 'the import finished before the outage').toBe('processing');
    await cluster.stop();
    await new Promise((resolve) => setTimeout(resolve, 3000));
    expect(worker!.child.exitCode, worker!.output()).toBeNull();
    await cluster.start();
    await until('ready again', async () => (await fetch(`${baseUrl}/readyz`)).status === 200 || undefined, 30_000);

    // Outage 2: "10 minutes", while both jobs are still under way.
    const beforeSecond = await until('more e-mails sent', async () => {
      const detail = await bulkSend(bulkId);
      return detail && detail.progress.sent >= 10 ? detail : undefined;
    });
    expect(beforeSecond.status, 'the bulk send finished before the second outage').toBe('sending');
    await cluster.stop();
    const downAt = Date.now();

    // What staff, customers and a load balancer see meanwhile.
    const api = await fetch(`${baseUrl}/api/v1/customers`, { headers });
    expect(api.status).toBe(503);
    expect(api.headers.get('retry-after')).toBe('5');
    expect(((await api.json()) as { error: { code: string } }).error.code).toBe('unavailable');
    const english = await fetch(`${baseUrl}/account/login`, { headers: { 'accept-language': 'en-GB,en;q=0.9' } });
    expect(english.status).toBe(503);
    expect(english.headers.get('retry-after')).toBe('5');
    expect(english.headers.get('content-type')).toMatch(/^text\/html/);
    const englishPage = await english.text();
    expect(englishPage).toContain('<html lang="en">');
    expect(englishPage).toContain('We will be right back');
    expect(englishPage).toContain('Your account and your details are safe.');
    const dutch = await fetch(`${baseUrl}/account/login?lang=nl`);
    expect(dutch.status).toBe(503);
    const dutchPage = await dutch.text();
    expect(dutchPage).toContain('<html lang="nl">');
    expect(dutchPage).toContain('We zijn zo terug');
    expect((await fetch(`${baseUrl}/account/assets/storefront.css`)).status, 'the page keeps its styling').toBe(200);
    // /readyz reuses an answer for a quarter of a second (a keep-warm probe may have found the
    // database up just before it stopped), so a load balancer asking again sees the outage within
    // that; every answer comes quickly.
    const readyAnswerMs: number[] = [];
    await until('/readyz answering 503', async () => {
      const startedAt = performance.now();
      const { status } = await fetch(`${baseUrl}/readyz`);
      readyAnswerMs.push(performance.now() - startedAt);
      return status === 503 || undefined;
    }, 3000);
    expect(Math.max(...readyAnswerMs)).toBeLessThan(1000);
    expect((await fetch(`${baseUrl}/healthz`)).status).toBe(200);

    await new Promise((resolve) => setTimeout(resolve, Math.max(0, 10_000 - (Date.now() - downAt))));
    expect(worker!.child.exitCode, worker!.output()).toBeNull();
    expect(server!.child.exitCode, server!.output()).toBeNull();
    await cluster.start();

    // Both jobs go on by themselves and end exactly once.
    const done = await waitForImport(connection!, importId, isFinished, 120_000);
    expect(done.status).toBe('done_with_errors');
    expect(done.counts.created + done.counts.rejected).toBe(rows);
    const { rows: totals } = await connection!.db.pool.query<{ count: number; distinct: number }>(
      `SELECT count(*)::int AS count, count(DISTINCT email_normalized)::int AS distinct FROM customers WHERE email_normalized NOT LIKE '%@outage.example'`,
    );
    expect(totals[0]).toEqual({ count: done.counts.created, distinct: done.counts.created });
    const sent = await until('bulk send done', async () => {
      const detail = await bulkSend(bulkId);
      return detail?.status === 'done' ? detail : undefined;
    }, 60_000, async () => ({ bulk: await bulkSend(bulkId), worker: worker!.output().slice(-3000) }));
    expect(sent.progress).toMatchObject({ sent: recipients, failed: 0, pending: 0, sending: 0 });
    const addresses = smtp.received.flatMap((mail) => mail.to).filter((to) => to.endsWith('@outage.example'));
    expect(addresses).toHaveLength(recipients);
    expect(new Set(addresses).size).toBe(recipients);
    expect((await fetch(`${baseUrl}/api/v1/customers?q=recipient1%40outage.example`, { headers })).status).toBe(200);

    // Told once a (scaled) minute, not once an attempt (about ten a second here): each outage
    // starts and ends with one line, and in between there is one line a second, no more.
    expect(server!.child.exitCode).toBeNull();
    expect(worker!.child.exitCode).toBeNull();
    // (During a fast shutdown open sessions answer for a moment more, so an outage may start twice.)
    const starts = logLines(worker!, /database unreachable, retrying/).length;
    expect(starts).toBeGreaterThanOrEqual(2);
    expect(starts).toBeLessThanOrEqual(4);
    expect(logLines(worker!, /database reachable again after/)).toHaveLength(starts);
    const outageLines = logLines(worker!, /WARN database (unreachable|still unreachable|reachable again)/);
    expect(outageLines.filter((line) => line.includes('still unreachable')).length).toBeGreaterThanOrEqual(10);
    const times = outageLines.map((line) => Date.parse(line.split(' ')[0]!));
    const gapsMs = times.flatMap((time, index) => (index > 0 && outageLines[index]!.includes('still unreachable') ? [time - times[index - 1]!] : []));
    expect(Math.min(...gapsMs), outageLines.join('\n')).toBeGreaterThanOrEqual(990);
  }, 180_000);
});

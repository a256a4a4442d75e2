import { existsSync } from 'node:fs';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAlive } from '../../src/db/embedded-postgres.ts';
import { killCli, runCli, startCli, type RunningCli } from './cli-process.ts';

/**
 * `clientele serve` as a user runs it, on its own embedded PostgreSQL in a fresh DATA_DIR:
 * first start → setup link → data; kill -9 (the orphaned postgres keeps running) → start
 * again → the data is there; SIGTERM → both the app and its postgres are gone.
 */
let dataDir: string;
let server: RunningCli | undefined;
const postgresPids = new Set<number>();

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'clientele-restart-'));
  // As root, the embedded server runs as the `postgres` user, which must be able to enter it.
  await chmod(dataDir, 0o755);
});

afterAll(async () => {
  await killCli(server);
  // Only postgres processes this test saw in its own postmaster.pid, never anything by name.
  for (const pid of postgresPids) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
  await rm(dataDir, { recursive: true, force: true });
}, 60_000);

const serveEnv = () => ({ DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn' });
const staff = { name: 'Anna de Vries', email: 'anna@example.com', password: 'a long enough password', language: 'en' };

async function startServe(): Promise<{ baseUrl: string; setupToken: string | undefined; postgresPid: number }> {
  server = startCli(['serve'], serveEnv());
  const [, baseUrl] = await server.waitFor(/Back office: (http:\/\/127\.0\.0\.1:\d+)\/admin/, 90_000);
  const setup = (await server.waitFor(/(\/admin\/setup\?token=(\S+)|Log in with your staff e-mail)/, 10_000))[2];
  const postgresPid = await readPostmasterPid();
  postgresPids.add(postgresPid);
  return { baseUrl: baseUrl!, setupToken: setup, postgresPid };
}

async function readPostmasterPid(): Promise<number> {
  const pid = Number.parseInt((await readFile(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8')).split('\n')[0]!, 10);
  expect(pid).toBeGreaterThan(0);
  return pid;
}

async function waitUntil(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  for (const startedAt = Date.now(); Date.now() - startedAt < timeoutMs; ) {
    if (condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return condition();
}

async function session(response: Response): Promise<{ cookie: string; csrfToken: string }> {
  expect(response.status, await response.clone().text()).toBe(200);
  const cookie = response.headers.getSetCookie().map((header) => header.split(';')[0]).join('; ');
  const { csrfToken } = (await response.json()) as { csrfToken: string };
  return { cookie, csrfToken };
}

const postJson = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

describe('clientele serve across a kill -9', () => {
  let firstPostgresPid = 0;

  it('starts on a fresh DATA_DIR, prints a setup link, and stores a staff user and a customer', async () => {
    const first = await startServe();
    firstPostgresPid = first.postgresPid;
    expect(first.setupToken).toBeTruthy();
    const { cookie, csrfToken } = await session(await postJson(`${first.baseUrl}/api/v1/auth/setup`, { token: first.setupToken, ...staff }));

    const customer = { email: 'Jan.Jansen@Example.nl', firstName: 'Jan', lastName: 'Jansen', billingAddress: { city: 'Utrecht', country: 'NL' } };
    const created = await postJson(`${first.baseUrl}/api/v1/customers`, customer, { cookie, 'x-csrf-token': csrfToken });
    expect(created.status, await created.clone().text()).toBe(201);
  }, 120_000);

  it('comes up again after kill -9 although the orphaned postgres still runs, with the data still there', async () => {
    server!.child.kill('SIGKILL');
    await server!.exited;
    expect(isAlive(firstPostgresPid)).toBe(true); // the orphan holds postmaster.pid

    const second = await startServe();
    expect(second.setupToken).toBeUndefined();
    expect(second.postgresPid).not.toBe(firstPostgresPid);
    expect(isAlive(firstPostgresPid)).toBe(false);

    const { cookie } = await session(await postJson(`${second.baseUrl}/api/v1/auth/login`, { email: staff.email, password: staff.password }));
    const found = await fetch(`${second.baseUrl}/api/v1/customers?email=jan.jansen%40example.nl`, { headers: { cookie } });
    expect(found.status).toBe(200);
    const page = (await found.json()) as { items: { email: string; city: string }[]; total: number };
    expect(page.total).toBe(1);
    expect(page.items[0]).toMatchObject({ email: 'Jan.Jansen@Example.nl', city: 'Utrecht' });
  }, 120_000);

  it('lets `clientele import` use the running server’s database, and keeps the server running', async () => {
    const file = path.join(dataDir, 'more-customers.csv');
    await writeFile(file, 'E-mail;Voornaam;Achternaam\npiet@example.nl;Piet;Pieters\n');
    const postgresPid = await readPostmasterPid();
    const result = await runCli(['import', file], serveEnv(), 90_000);
    expect(result.stdout, result.stderr).toContain('Done: 1 created');
    expect(result.code).toBe(0);
    expect(await readPostmasterPid()).toBe(postgresPid);
    const baseUrl = (server!.output().match(/Back office: (http:\/\/127\.0\.0\.1:\d+)/) ?? [])[1]!;
    const { cookie } = await session(await postJson(`${baseUrl}/api/v1/auth/login`, { email: staff.email, password: staff.password }));
    const found = await fetch(`${baseUrl}/api/v1/customers?email=piet%40example.nl`, { headers: { cookie } });
    expect(((await found.json()) as { total: number }).total).toBe(1);
  }, 120_000);

  it('stops cleanly on SIGTERM and leaves no postgres process behind', async () => {
    const postgresPid = await readPostmasterPid();
    server!.child.kill('SIGTERM');
    const exit = await Promise.race([server!.exited, new Promise((resolve) => setTimeout(() => resolve('timeout'), 30_000))]);
    expect(exit).toEqual({ code: 0, signal: null });
    expect(await waitUntil(() => !isAlive(postgresPid), 10_000)).toBe(true);
    expect(existsSync(path.join(dataDir, 'postgres', 'postmaster.pid'))).toBe(false);
  }, 60_000);
});

import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { killCli, startCli, type RunningCli } from '../process/cli-process.ts';
import { connect, type Connection } from '../support/reference-import.ts';
import { startTestSmtpServer, type TestSmtpServer } from '../support/smtp-server.ts';
import { createTestDatabase } from '../support/test-database.ts';

/**
 * A bulk send whose worker process is killed (SIGKILL) mid-way is taken over by another worker
 * soon after its job's lease runs out — not after the queue's old 5-minute expiry, which left
 * staff watching "sending 9 %" for minutes. The lease is 3 s here (JOB_LEASE_SECONDS; 30 s by
 * default); the live worker renews it, so a send longer than the lease is never taken over while
 * its worker lives. Nobody gets the e-mail twice.
 */
const recipients = 40;
const leaseSeconds = 3;
let workDir: string;
let database: Awaited<ReturnType<typeof createTestDatabase>>;
let smtp: TestSmtpServer;
let connection: Connection | undefined;
const workers: RunningCli[] = [];
let env: Record<string, string>;
let staffId: number;
let customerIds: number[];

beforeAll(async () => {
  workDir = await mkdtemp(path.join(os.tmpdir(), 'clientele-lease-'));
  [database, smtp] = await Promise.all([createTestDatabase(), startTestSmtpServer()]);
  smtp.setDelayMs(150); // a slow mail server: the send takes several leases
  const fileStoreDir = path.join(workDir, 'files');
  connection = await connect(database.url, fileStoreDir);
  staffId = (await connection.services.staff.createUser({ email: 'lease@example.com', name: 'Lea Lease', password: 'a long enough password', language: 'en' })).id;
  customerIds = [];
  for (let index = 0; index < recipients; index++) {
    customerIds.push((await connection.services.customers.create({ email: `r${index}@lease.example`, firstName: `R${index}` })).id);
  }
  env = { DATABASE_URL: database.url, FILE_STORE_DIR: fileStoreDir, HOST: '127.0.0.1', SMTP_URL: smtp.url, MAIL_SEND_PER_MINUTE: '100000', JOB_LEASE_SECONDS: String(leaseSeconds) };
}, 120_000);
afterAll(async () => {
  for (const worker of workers) await killCli(worker);
  await connection?.close().catch(() => {});
  await smtp?.close();
  await database?.drop();
  await rm(workDir, { recursive: true, force: true });
}, 60_000);

const progress = async (id: number) => (await connection!.services.passwordEmails.getBulk(id)).progress;

async function until<T>(what: string, read: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  for (const deadline = Date.now() + timeoutMs; ; await new Promise((resolve) => setTimeout(resolve, 50))) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
  }
}

describe('a bulk send whose worker is killed', () => {
  it('is taken over by another worker soon after its lease runs out, and nobody gets an e-mail twice', async () => {
    const first = startCli(['worker'], env);
    workers.push(first);
    await first.waitFor(/Worker started/, 60_000);
    const { id } = await connection!.services.passwordEmails.createBulk({ customerIds, includeImportedHashes: false, confirmResend: false }, staffId);
    // Longer than a lease while its worker lives: renewed, so no second run starts meanwhile.
    await until('a third sent', async () => ((await progress(id)).sent >= recipients / 3 ? true : undefined), 60_000);
    first.child.kill('SIGKILL');
    await first.exited;
    const sentAtKill = (await progress(id)).sent;

    const second = startCli(['worker'], env);
    workers.push(second);
    await second.waitFor(/Worker started/, 60_000);
    const startedAt = Date.now();
    await until('the send goes on', async () => ((await progress(id)).sent > sentAtKill + 1 ? true : undefined), 60_000);
    // Lease (3 s) + expiry check (1 s) + the queue's first retry delay (5 s) + a poll, with room for a busy machine.
    expect(Date.now() - startedAt).toBeLessThan(leaseSeconds * 1000 + 20_000);

    // The e-mail that was being handed over when the worker died is not sent again (it may have
    // arrived); every other recipient gets exactly one.
    // (The row being sent when the worker died stays "sending" until its own 2-minute lease runs
    // out; wait until every other row is done.)
    const end = await until('all others sent', async () => {
      const now = await progress(id);
      return now.pending === 0 && now.sending + now.failed <= 1 && now.sent + now.sending + now.failed === recipients ? now : undefined;
    }, 60_000);
    expect(end.sent).toBeGreaterThanOrEqual(recipients - 1);
    const addresses = smtp.received.flatMap((mail) => mail.to).filter((to) => to.endsWith('@lease.example'));
    expect(new Set(addresses).size).toBe(addresses.length);
    expect(addresses.length).toBeGreaterThanOrEqual(end.sent);
    expect(second.child.exitCode, second.output()).toBeNull();
  }, 180_000);
});

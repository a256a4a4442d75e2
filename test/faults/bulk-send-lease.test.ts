import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type Connection } from '../support/reference-import.ts';
import { startTestSmtpServer, type TestSmtpServer } from '../support/smtp-server.ts';
import { createTestDatabase } from '../support/test-database.ts';
import {
  expectTakeoverInTime,
  measuredResumes,
  spreadPoints,
  until,
  workerProcesses,
} from './worker-kills.ts';

/**
 * A bulk send whose worker process is killed (SIGKILL) mid-way — three times, at seeded points
 * (FAULT_SEED) between 15 % and 75 % of the recipients — is taken over by a new worker soon after
 * its job's lease runs out — not after the queue's old 5-minute expiry, which left staff
 * watching "sending 9 %" for minutes. The lease is 3 s here (JOB_LEASE_SECONDS; 30 s by
 * default); the live worker renews it, so a send longer than the lease is never taken over while
 * its worker lives. Nobody gets the e-mail twice.
 */
const recipients = 40;
const kills = 3;
/**
 * Bulk e-mails a worker sends at once (MAIL_SEND_CONCURRENCY): each kill may leave one per lane
 * half-sent (reported after its own 2-minute lease, never sent again). One lane, so that 40
 * recipients leave enough after the last kill to see the send go on.
 */
const lanes = 1;
const seed = Number(process.env.FAULT_SEED ?? 21);
let workDir: string;
let database: Awaited<ReturnType<typeof createTestDatabase>>;
let smtp: TestSmtpServer;
let connection: Connection | undefined;
let env: Record<string, string>;
const workers = workerProcesses(() => env);
let staffId: number;
let customerIds: number[];

beforeAll(async () => {
  workDir = await mkdtemp(path.join(os.tmpdir(), 'clientele-lease-'));
  [database, smtp] = await Promise.all([createTestDatabase(), startTestSmtpServer()]);
  smtp.setDelayMs(150); // a slow mail server: the send takes several leases
  const fileStoreDir = path.join(workDir, 'files');
  connection = await connect(database.url, fileStoreDir);
  staffId = (
    await connection.services.staff.createUser({
      email: 'lease@example.com',
      name: 'Lea Lease',
      password: 'a long enough password',
      language: 'en',
    })
  ).id;
  customerIds = [];
  for (let index = 0; index < recipients; index++) {
    customerIds.push(
      (
        await connection.services.customers.create({
          email: `r${index}@lease.example`,
          firstName: `R${index}`,
        })
      ).id,
    );
  }
  env = {
    DATABASE_URL: database.url,
    FILE_STORE_DIR: fileStoreDir,
    HOST: '127.0.0.1',
    SMTP_URL: smtp.url,
    MAIL_SEND_PER_MINUTE: '100000',
    MAIL_SEND_CONCURRENCY: String(lanes),
  };
}, 120_000);
afterAll(async () => {
  await workers.stopAll();
  if (measuredResumes.length > 0) console.info('takeover times (ms):', JSON.stringify(measuredResumes));
  await connection?.close().catch(() => {});
  await smtp?.close();
  await database?.drop();
  await rm(workDir, { recursive: true, force: true });
}, 60_000);

const progress = async (id: number) => (await connection!.services.passwordEmails.getBulk(id)).progress;

describe('a bulk send whose worker is killed', () => {
  it('is taken over by another worker soon after its lease runs out, each time, and nobody gets an e-mail twice', async () => {
    let current = (await workers.start()).worker;
    const { id } = await connection!.services.passwordEmails.createBulk(
      { customerIds, includeImportedHashes: false, confirmResend: false },
      staffId,
    );
    for (const share of spreadPoints(seed, kills, 0.15, 0.75)) {
      const point = `${Math.round(share * 100)} % of the recipients`;
      // Longer than a lease while its worker lives: renewed, so no second run starts meanwhile.
      await until(
        point,
        async () => ((await progress(id)).sent >= recipients * share ? true : undefined),
        60_000,
        20,
      );
      const kill = await workers.killAndReplace(current);
      const sentAtKill = (await progress(id)).sent;
      const next = await kill.next;
      current = next.worker;
      // More than the ones being handed over at the kill (one per lane; they may still be counted as sent).
      await until(
        'the send goes on',
        async () => ((await progress(id)).sent > sentAtKill + lanes ? true : undefined),
        90_000,
        20,
      );
      expectTakeoverInTime('bulk send', point, kill, next.readyAt, Date.now());
    }

    // The e-mails that were being handed over when the worker died (at most one per lane) are not
    // sent again (they may have arrived); every other recipient gets exactly one.
    // (A row being sent when its worker died stays "sending" until its own 2-minute lease runs
    // out; wait until every other row is done.)
    const end = await until(
      'all others sent',
      async () => {
        const now = await progress(id);
        return now.pending === 0 &&
          now.sending + now.failed <= kills * lanes &&
          now.sent + now.sending + now.failed === recipients
          ? now
          : undefined;
      },
      60_000,
    );
    expect(end.sent).toBeGreaterThanOrEqual(recipients - kills * lanes);
    const addresses = smtp.received.flatMap((mail) => mail.to).filter((to) => to.endsWith('@lease.example'));
    expect(new Set(addresses).size).toBe(addresses.length);
    expect(addresses.length).toBeGreaterThanOrEqual(end.sent);
    expect(current.child.exitCode, current.output()).toBeNull();
  }, 180_000);
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { killCli, startCli, type RunningCli } from '../process/cli-process.ts';
import { startTestSmtpServer, type TestSmtpServer } from '../support/smtp-server.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';

/**
 * Two real `clientele worker` processes share one queue: 200 password e-mails are queued (200
 * jobs, one per customer) and each customer receives exactly one — counted at the SMTP server.
 */
let app: TestApp;
let smtp: TestSmtpServer;
const workers: RunningCli[] = [];

beforeAll(async () => {
  smtp = await startTestSmtpServer();
  app = await createTestApp({ SMTP_URL: smtp.url });
});
afterAll(async () => {
  for (const worker of workers) await killCli(worker);
  await app.close();
  await smtp.close();
}, 60_000);

describe('two worker processes, 200 jobs', () => {
  it('runs every job exactly once', async () => {
    const staffUser = await app.services.staff.createUser({ email: 'queue@example.com', name: 'Queue Tester', password: 'correct horse battery staple', language: 'en' });
    const ids: number[] = [];
    for (let index = 0; index < 200; index++) {
      const customer = await app.services.customers.create({ email: `worker${index}@example.com`, firstName: 'W', lastName: `${index}` });
      ids.push(customer.id);
    }
    for (const id of ids) await app.services.passwordEmails.sendToCustomer(id, staffUser.id);
    for (let index = 0; index < 2; index++) {
      const worker = startCli(['worker'], { DATABASE_URL: app.databaseUrl, SMTP_URL: smtp.url, LOG_LEVEL: 'warn' });
      workers.push(worker);
      await worker.waitFor(/Worker started/, 60_000);
    }
    const deadline = Date.now() + 120_000;
    while (smtp.received.length < 200 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    // A little longer: a job run twice would send its e-mail now.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const recipients = smtp.received.flatMap((mail) => mail.to);
    expect(recipients).toHaveLength(200);
    expect(new Set(recipients).size).toBe(200);
    const { rows } = await app.services.db.pool.query<{ state: string; count: number }>(
      "SELECT state, count(*)::int AS count FROM pgboss.job WHERE name = 'mail.send' GROUP BY state",
    );
    expect(rows).toEqual([{ state: 'completed', count: 200 }]);
  }, 120_000);
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../accounts/storefront-agent.ts';
import { startTestSmtpServer, type TestSmtpServer } from '../support/smtp-server.ts';
import { createTestApp, type StaffAgent, type TestApp } from '../support/test-app.ts';

/**
 * Issue #21, point 4: a bulk send per recipient, over a real SMTP server that refuses some
 * recipients for good (550), keeps others waiting (451) and is given an address nobody can send
 * to. Retries are shortened (1 s, 3 attempts) so a temporary failure runs out within the test.
 */

let app: TestApp;
let smtp: TestSmtpServer;
let staff: StaffAgent;

const importId = 41;
const address = (n: number) => `rcpt${n}@example.com`;
const invalidAddress = 'rcpt-no-at-sign.example.com';
const refused = [address(3), address(7)];
const busy = [address(5), address(9)];
let bulkId: number;
let customerIds: Map<string, number>;

beforeAll(async () => {
  smtp = await startTestSmtpServer();
  app = await createTestApp(
    { SMTP_URL: smtp.url, MAIL_SEND_PER_MINUTE: '100000' },
    { mailRetry: { delaysMs: [1_000], maxAttempts: 3 } },
  );
  staff = await app.loginAsStaff({ email: 'owner@example.com' });
  await app.services.queue.startWorkers();
  // Ten customers without a password, as an import leaves them, and one whose address an old
  // system let through without an @ (nothing can be sent to it).
  await app.services.db.pool.query(
    `INSERT INTO customers (email, email_normalized, search_text, external_id, first_name, last_name, language, last_import_id, password_state)
     SELECT 'rcpt' || g || '@example.com', 'rcpt' || g || '@example.com', 'rcpt' || g, 'K-' || g,
            CASE WHEN g = 7 THEN '=Evil' ELSE 'Klant' END, 'Nummer ' || g, 'en', $1, 'none'
       FROM generate_series(1, 10) AS g`,
    [importId],
  );
  await app.services.db.pool.query(
    `INSERT INTO customers (email, email_normalized, search_text, first_name, last_name, language, last_import_id, password_state)
     VALUES ($1, $1, $1, 'Nora', 'Noat', 'nl', $2, 'none')`,
    [invalidAddress, importId],
  );
  const { rows } = await app.services.db.pool.query<{ id: number; email: string }>(
    'SELECT id, email FROM customers',
  );
  customerIds = new Map(rows.map((row) => [row.email, row.id]));
  smtp.setRecipientMode(refused, 'permfail');
  smtp.setRecipientMode(busy, 'tempfail');
});
afterAll(async () => {
  await app.close();
  await app.services.mailTransport.close();
  await smtp.close();
});

const mailsTo = (email: string) => smtp.received.filter((mail) => mail.to.includes(email));
const get = async (url: string) => (await staff.request({ method: 'GET', url: `/api/v1${url}` })).json();
const bulkDone = (id: number) =>
  waitFor(async () => {
    const bulk = await get(`/password-emails/bulk/${id}`);
    return bulk.status === 'done' ? bulk : undefined;
  }, 30_000);
const resend = (id: number) =>
  staff.request({ method: 'POST', url: `/api/v1/password-emails/bulk/${id}/resend-failed` });

describe('the failed recipients of a bulk send', () => {
  it('lists exactly the recipients that failed, with why and what the server answered, filters and pages them', async () => {
    const created = await staff.request({
      method: 'POST',
      url: '/api/v1/password-emails/bulk',
      payload: { importId },
    });
    expect(created.statusCode).toBe(202);
    bulkId = created.json().id;
    expect(created.json().counts.willSend).toBe(11);

    // A 451 keeps the recipient queued with the server's reply, and the send is not done yet:
    // sending again to the failed ones waits until it is.
    const waiting = await waitFor(async () => {
      const page = await get(`/password-emails/bulk/${bulkId}/recipients?status=pending`);
      return page.items.find(
        (item: { email: string; attempts: number }) => item.email === address(5) && item.attempts >= 1,
      );
    });
    expect(waiting).toMatchObject({
      status: 'pending',
      reason: null,
      serverResponse: '451 Mailbox busy, try later',
    });
    const early = await resend(bulkId);
    expect(early.statusCode).toBe(409);
    expect(early.json().error).toMatchObject({ reason: 'still_sending' });

    const done = await bulkDone(bulkId);
    expect(done.progress).toMatchObject({ sent: 6, failed: 5, pending: 0, sending: 0 });

    const failed = await get(`/password-emails/bulk/${bulkId}/recipients?status=failed`);
    expect(failed.total).toBe(5);
    expect(failed.reasonCounts).toEqual({
      invalid_address: 1,
      smtp_refused: 2,
      temporary: 2,
      interrupted: 0,
    });
    expect(
      failed.items.map((item: Record<string, unknown>) => [
        item.email,
        item.reason,
        item.serverResponse,
        item.attempts,
      ]),
    ).toEqual([
      [address(3), 'smtp_refused', '550 No such user', 1],
      [address(5), 'temporary', '451 Mailbox busy, try later', 3],
      [address(7), 'smtp_refused', '550 No such user', 1],
      [address(9), 'temporary', '451 Mailbox busy, try later', 3],
      [invalidAddress, 'invalid_address', 'No recipients defined', 1],
    ]);
    expect(failed.items[0]).toMatchObject({
      customerNumber: 'K-3',
      name: 'Klant Nummer 3',
      status: 'failed',
      sentAt: null,
    });
    expect(failed.items[0].failedAt).toEqual(expect.any(String));

    // One reason, a page at a time.
    const first = await get(`/password-emails/bulk/${bulkId}/recipients?reason=smtp_refused&limit=1`);
    expect(first.items.map((item: { email: string }) => item.email)).toEqual([address(3)]);
    expect(first.total).toBe(2);
    const second = await get(
      `/password-emails/bulk/${bulkId}/recipients?reason=smtp_refused&limit=1&after=${first.nextAfter}`,
    );
    expect(second.items.map((item: { email: string }) => item.email)).toEqual([address(7)]);
    expect(second.nextAfter).toBeNull();

    const sent = await get(`/password-emails/bulk/${bulkId}/recipients?status=sent`);
    expect(sent.items.map((item: { email: string }) => item.email)).toEqual([1, 2, 4, 6, 8, 10].map(address));
    expect(
      sent.items.every((item: { serverResponse: string }) => item.serverResponse.startsWith('250')),
    ).toBe(true);
    for (const email of [...refused, ...busy, invalidAddress]) expect(mailsTo(email), email).toHaveLength(0);

    const ofCustomer = await get(`/customers/${customerIds.get(address(3))}/password-emails`);
    expect(ofCustomer).toEqual({
      items: [
        expect.objectContaining({
          kind: 'password_bulk',
          bulkSendId: bulkId,
          status: 'failed',
          reason: 'smtp_refused',
          serverResponse: '550 No such user',
        }),
      ],
      hasMore: false,
    });
  }, 60_000);

  it('exports the failed recipients as CSV, formulas guarded, in the staff user’s language', async () => {
    const file = await staff.request({
      method: 'GET',
      url: `/api/v1/password-emails/bulk/${bulkId}/failed/download`,
    });
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toMatch(/^text\/csv/);
    expect(file.headers['content-disposition']).toBe(`attachment; filename="bulk-send-${bulkId}-failed.csv"`);
    const lines = file.body
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    expect(lines[0]).toBe('Customer number,E-mail,Name,Reason,Server response,Time (UTC)');
    expect(lines.slice(1).map((line) => line.replace(/,[^,]+$/, ''))).toEqual([
      'K-3,rcpt3@example.com,Klant Nummer 3,Refused by the mail server,550 No such user',
      'K-5,rcpt5@example.com,Klant Nummer 5,"Temporary failure, retries ran out","451 Mailbox busy, try later"',
      "K-7,rcpt7@example.com,'=Evil Nummer 7,Refused by the mail server,550 No such user",
      'K-9,rcpt9@example.com,Klant Nummer 9,"Temporary failure, retries ran out","451 Mailbox busy, try later"',
      ',rcpt-no-at-sign.example.com,Nora Noat,Invalid address,No recipients defined',
    ]);
    expect(lines[1]).toMatch(/,\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);

    const dutch = await app.loginAsStaff({ language: 'nl', role: 'staff' });
    const temporary = await dutch.request({
      method: 'GET',
      url: `/api/v1/password-emails/bulk/${bulkId}/failed/download?reason=temporary`,
    });
    expect(temporary.headers['content-disposition']).toBe(
      `attachment; filename="bulkverzending-${bulkId}-mislukt.csv"`,
    );
    const dutchLines = temporary.body
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    expect(dutchLines[0]).toBe('Klantnummer,E-mailadres,Naam,Reden,Antwoord van de mailserver,Tijd (UTC)');
    expect(dutchLines.slice(1).map((line) => line.split(',')[1])).toEqual([address(5), address(9)]);
    expect(dutchLines[1]).toContain('"Tijdelijke fout, pogingen op"');
  });

  it('sends again to exactly those whose latest attempt failed, once however often it is asked', async () => {
    // rcpt3 was sent the e-mail by staff since: its latest attempt did not fail.
    smtp.setRecipientMode([...refused, ...busy], 'accept');
    await staff.request({
      method: 'POST',
      url: `/api/v1/customers/${customerIds.get(address(3))}/send-password`,
    });
    await waitFor(() => mailsTo(address(3)).length === 1);

    const preview = await staff.request({
      method: 'POST',
      url: `/api/v1/password-emails/bulk/${bulkId}/resend-failed/preview`,
    });
    expect(preview.json()).toMatchObject({ matched: 4, willSend: 4, skippedHasPassword: 0 });

    const [one, two] = await Promise.all([resend(bulkId), resend(bulkId)]);
    expect([one.statusCode, two.statusCode].sort()).toEqual([200, 202]);
    const again = one.json();
    expect(two.json().id).toBe(again.id);
    expect(again).toMatchObject({
      resendOf: bulkId,
      selection: { kind: 'failed', bulkSendId: bulkId },
      counts: { willSend: 4 },
    });
    const third = await resend(bulkId);
    expect(third.statusCode).toBe(200);
    expect(third.json().id).toBe(again.id);
    expect((await get(`/password-emails/bulk/${bulkId}`)).resentAs).toBe(again.id);

    const done = await bulkDone(again.id);
    expect(done.progress).toMatchObject({ sent: 3, failed: 1 });
    for (const n of [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]) expect(mailsTo(address(n)), address(n)).toHaveLength(1);
    const stillFailed = await get(`/password-emails/bulk/${again.id}/recipients?status=failed`);
    expect(
      stillFailed.items.map((item: { email: string; reason: string }) => [item.email, item.reason]),
    ).toEqual([[invalidAddress, 'invalid_address']]);

    const ofCustomer = await get(`/customers/${customerIds.get(address(5))}/password-emails`);
    expect(
      ofCustomer.items.map((item: Record<string, unknown>) => [item.bulkSendId, item.status, item.reason]),
    ).toEqual([
      [again.id, 'sent', null],
      [bulkId, 'failed', 'temporary'],
    ]);
  }, 60_000);

  it('refuses to send again when nobody is waiting for the e-mail, and knows no unknown bulk send or customer', async () => {
    await app.services.db.pool.query(
      `INSERT INTO customers (email, email_normalized, search_text, last_import_id) VALUES ('allgood@example.com', 'allgood@example.com', 'allgood', 43)`,
    );
    const created = await staff.request({
      method: 'POST',
      url: '/api/v1/password-emails/bulk',
      payload: { importId: 43 },
    });
    await bulkDone(created.json().id);
    const nothing = await resend(created.json().id);
    expect(nothing.statusCode).toBe(409);
    expect(nothing.json().error).toMatchObject({ reason: 'nothing_to_resend', failedCount: 0 });

    expect((await resend(999_999)).statusCode).toBe(404);
    for (const url of [
      '/password-emails/bulk/999999/recipients',
      '/password-emails/bulk/999999/failed/download',
      '/customers/999999/password-emails',
    ]) {
      expect((await staff.request({ method: 'GET', url: `/api/v1${url}` })).statusCode, url).toBe(404);
    }
  }, 30_000);
});

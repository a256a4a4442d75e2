import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type StaffAgent, type TestApp } from '../support/test-app.ts';
import { waitFor } from '../accounts/storefront-agent.ts';

/** What the back-office screens need beyond sending: the list of bulk sends, the mailbox's details. */
let app: TestApp;
let staff: StaffAgent;

beforeAll(async () => {
  app = await createTestApp({ MAIL_SEND_PER_MINUTE: '100000', RESET_TOKEN_TTL_HOURS_STAFF_SENT: '72' });
  staff = await app.loginAsStaff({ email: 'owner@example.com' });
  await app.services.queue.startWorkers();
});
afterAll(() => app.close());

const getJson = async (url: string) => {
  const response = await staff.request({ method: 'GET', url });
  expect(response.statusCode, url).toBe(200);
  return response.json();
};

describe('list of bulk sends', () => {
  it('lists bulk sends newest first with who started them, what they were for, and their progress', async () => {
    const ids: number[] = [];
    for (const name of ['anna', 'bram', 'cees']) {
      ids.push((await app.services.customers.create({ email: `${name}@bulk.example`, firstName: name })).id);
    }
    const first = await staff.request({
      method: 'POST',
      url: '/api/v1/password-emails/bulk',
      payload: { customerIds: ids.slice(0, 2) },
    });
    expect(first.statusCode).toBe(202);
    expect(first.json()).toMatchObject({
      selection: { kind: 'customers', count: 2 },
      createdBy: { name: expect.stringMatching(/^Staff /) },
    });
    // Two of the three were just sent the e-mail: a second send asks for confirmation first.
    const unconfirmed = await staff.request({ method: 'POST', url: '/api/v1/password-emails/bulk', payload: { filter: { q: '@bulk.example' } } });
    expect(unconfirmed.statusCode).toBe(409);
    expect(unconfirmed.json().error).toMatchObject({ reason: 'already_sent', alreadySentCount: 2 });
    const second = await staff.request({
      method: 'POST',
      url: '/api/v1/password-emails/bulk',
      payload: { filter: { q: '@bulk.example' }, confirmResend: true },
    });
    expect(second.json().counts).toMatchObject({ matched: 3, willSend: 3 });

    await waitFor(async () => {
      const page = await getJson('/api/v1/password-emails/bulk');
      return page.items.every((item: { status: string }) => item.status === 'done');
    });
    const page = await getJson('/api/v1/password-emails/bulk');
    expect(page.items.map((item: { id: number }) => item.id)).toEqual([second.json().id, first.json().id]);
    expect(page.items[0]).toMatchObject({
      selection: { kind: 'filter', q: '@bulk.example', email: null, groupId: null },
      progress: { sent: 3, pending: 0, percent: 100 },
      status: 'done',
    });
    expect(page.items[1]).toMatchObject({ progress: { sent: 2, percent: 100 } });
    expect(page.nextBefore).toBeNull();

    const firstPage = await getJson('/api/v1/password-emails/bulk?limit=1');
    expect(firstPage.items).toHaveLength(1);
    expect(firstPage.nextBefore).toBe(second.json().id);
    const nextPage = await getJson(`/api/v1/password-emails/bulk?limit=1&before=${firstPage.nextBefore}`);
    expect(nextPage.items.map((item: { id: number }) => item.id)).toEqual([first.json().id]);

    const bad = await staff.request({ method: 'GET', url: '/api/v1/password-emails/bulk?limit=0' });
    expect(bad.statusCode).toBe(422);
  });
});

describe('mailbox details', () => {
  it('tells why each message was sent and lists the links of a message', async () => {
    const customer = await app.services.customers.create({
      email: 'links@example.com',
      firstName: 'Lotte',
      language: 'nl',
    });
    const status = await staff.request({
      method: 'POST',
      url: `/api/v1/customers/${customer.id}/send-password`,
    });
    expect(status.json()).toMatchObject({
      resetLinkValidHours: 72,
      transport: 'mailbox',
      emailLanguage: 'nl',
    });
    const withoutLanguage = await app.services.customers.create({ email: 'nolang@example.com' });
    const defaultLanguage = await getJson(`/api/v1/customers/${withoutLanguage.id}/password-status`);
    expect(defaultLanguage.emailLanguage).toBe('en');

    const item = await waitFor(async () => {
      const page = await getJson('/api/v1/mailbox');
      return page.items.find((message: { to: string }) => message.to === 'links@example.com');
    });
    expect(item).toMatchObject({ reason: 'password_staff', templateKey: 'account_password' });
    const message = await getJson(`/api/v1/mailbox/${item.id}`);
    expect(message.links).toEqual([
      {
        text: 'Mijn wachtwoord instellen',
        href: expect.stringMatching(
          /^http:\/\/127\.0\.0\.1:3000\/account\/reset-password\?token=[\w-]{43}&lang=nl$/,
        ),
      },
      { text: 'My shop', href: 'http://127.0.0.1:3000' },
    ]);

    const mailStatus = await getJson('/api/v1/mail/status');
    // The built-in mailbox is not throttled, whatever MAIL_SEND_PER_MINUTE says (0: no limit).
    expect(mailStatus).toMatchObject({ transport: 'mailbox', smtpServer: null, bulkPerMinute: 0 });
    expect(mailStatus.from).toBe('"My shop" <no-reply@127.0.0.1>');
  });

  it('names the SMTP server without its user name or password when mail leaves the building', async () => {
    const smtpApp = await createTestApp({
      SMTP_URL: 'smtp://mailer:s3cret@mail.example.com:2525',
      MAIL_FROM: 'Shop <shop@example.com>',
    });
    try {
      const smtpStaff = await smtpApp.loginAsStaff();
      const response = await smtpStaff.request({ method: 'GET', url: '/api/v1/mail/status' });
      expect(response.json()).toEqual({
        transport: 'smtp',
        isLeavingTheBuilding: true,
        message: 'E-mail is sent through the SMTP server mail.example.com:2525.',
        smtpServer: 'mail.example.com:2525',
        // MAIL_FROM gives the address; the display name is the shop's name (Settings › General, #22).
        from: '"My shop" <shop@example.com>',
        bulkPerMinute: 60,
      });
      expect(response.body).not.toContain('s3cret');
    } finally {
      await smtpApp.close();
      await smtpApp.services.mailTransport.close();
    }
  });

  it('is for staff only', async () => {
    for (const url of ['/api/v1/password-emails/bulk', '/api/v1/mailbox/1']) {
      const response = await app.http.inject({ method: 'GET', url });
      expect(response.statusCode, url).toBe(401);
    }
  });
});

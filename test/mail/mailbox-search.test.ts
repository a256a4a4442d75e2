import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStorefrontAgent, waitFor } from '../accounts/storefront-agent.ts';
import { createTestApp, type StaffAgent, type TestApp } from '../support/test-app.ts';

/** Settings › Mailbox (#22): searched by recipient and subject, filtered by kind. */
let app: TestApp;
let staff: StaffAgent;

beforeAll(async () => {
  app = await createTestApp();
  staff = await app.loginAsStaff();
  await app.services.queue.startWorkers();
  for (const [email, language] of [
    ['sanne@example.com', 'nl'],
    ['piet@example.org', 'en'],
  ] as const) {
    const customer = await app.services.customers.create({ email, firstName: 'K', lastName: 'L', language });
    await staff.request({ method: 'POST', url: `/api/v1/customers/${customer.id}/send-password` });
  }
  const agent = createStorefrontAgent(app.http);
  await agent.get('/account/forgot-password');
  await agent.post('/account/forgot-password', { email: 'piet@example.org' });
  await waitFor(async () => (await mailbox('')).length === 3 || undefined, 20_000);
});
afterAll(async () => {
  await app.close();
});

async function mailbox(query: string): Promise<{ to: string; subject: string; reason: string }[]> {
  const response = await staff.request({ method: 'GET', url: `/api/v1/mailbox${query}` });
  expect(response.statusCode, query).toBe(200);
  return response.json().items;
}

describe('mailbox search', () => {
  it('finds messages by part of the recipient, in any case', async () => {
    expect((await mailbox('?q=SANNE')).map((message) => message.to)).toEqual(['sanne@example.com']);
    expect((await mailbox('?q=example.org')).map((message) => message.to)).toEqual(['piet@example.org', 'piet@example.org']);
  });

  it('finds messages by part of the subject, and treats % and _ as characters', async () => {
    expect((await mailbox(`?q=${encodeURIComponent('wachtwoord')}`)).map((message) => message.to)).toEqual(['sanne@example.com']);
    expect(await mailbox('?q=%25')).toEqual([]);
    expect(await mailbox('?q=_')).toEqual([]);
  });

  it('filters by kind, alone or with a search', async () => {
    expect((await mailbox('?kind=password_reset_request')).map((message) => message.to)).toEqual(['piet@example.org']);
    expect((await mailbox('?kind=password_staff&q=piet')).map((message) => message.reason)).toEqual(['password_staff']);
    expect(await mailbox('?kind=password_bulk')).toEqual([]);
    const wrong = await staff.request({ method: 'GET', url: '/api/v1/mailbox?kind=spam' });
    expect(wrong.statusCode).toBe(422);
  });
});

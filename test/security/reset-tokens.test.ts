import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { customerSessionCookie } from '../../src/accounts/storefront.routes.ts';
import { createResetToken, storefrontResetTtlMs } from '../../src/accounts/reset-token.ts';
import { hashToken } from '../../src/shared/tokens.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';
import { createBrowser, registerCustomer, strongPassword } from './security-helpers.ts';

/**
 * Reset links, beyond test/accounts/password-reset.test.ts (which covers a used link, an older
 * link after a newer one was used, and the storefront link's hour): a link works only for its
 * own customer, whatever else the form says and whoever is logged in; a link that is off by a
 * character, cut short or padded is dead; a staff-sent link ends after
 * RESET_TOKEN_TTL_HOURS_STAFF_SENT; only hashes are stored.
 */

let app: TestApp;
let offsetMs = 0;
const clock = { now: () => new Date(Date.now() + offsetMs) };
beforeAll(async () => {
  app = await createTestApp({ RESET_TOKEN_TTL_HOURS_STAFF_SENT: '48' }, { clock });
});
afterAll(() => app?.close());
afterEach(() => {
  offsetMs = 0;
});

const issue = async (customerId: number, origin: 'storefront' | 'staff' = 'storefront') =>
  (
    await createResetToken(app.services.db.pool, {
      customerId,
      origin,
      now: clock.now(),
      ttlMs: origin === 'staff' ? 48 * 3_600_000 : storefrontResetTtlMs,
    })
  ).token;

async function useLink(
  token: string,
  password: string,
  extra: Record<string, string> = {},
  browser = createBrowser(app.http),
) {
  const page = await browser.get(`/account/reset-password?token=${encodeURIComponent(token)}`);
  if (page.statusCode !== 200) await browser.get('/account/forgot-password'); // still a form token to post with
  return {
    page,
    post: await browser.post('/account/reset-password', {
      token,
      password,
      passwordConfirmation: password,
      ...extra,
    }),
    browser,
  };
}

async function canLogIn(email: string, password: string) {
  const browser = createBrowser(app.http, '198.51.100.99');
  await browser.get('/account/login');
  return (await browser.post('/account/login', { email, password })).statusCode === 303;
}

describe('reset links', () => {
  it('works only for its own customer: the other customer in the form, or logged in, is never touched', async () => {
    const anna = await app.services.customers.create({
      email: 'anna@reset.test',
      firstName: 'Anna',
      lastName: 'Link',
    });
    const bert = await registerCustomer(app, 'bert@reset.test', 'Bert');
    const token = await issue(anna.id);
    // Bert, logged in, uses Anna's link and says in every way he can that it is his.
    const { post } = await useLink(
      token,
      'violet harbour lanterns glow',
      { email: 'bert@reset.test', customerId: String(bert.customer.id), id: String(bert.customer.id) },
      bert.browser,
    );
    expect(post.statusCode).toBe(303);
    expect(await canLogIn('anna@reset.test', 'violet harbour lanterns glow')).toBe(true);
    expect(await canLogIn('bert@reset.test', strongPassword)).toBe(true);
    expect(await canLogIn('bert@reset.test', 'violet harbour lanterns glow')).toBe(false);
    // The browser is now Anna's session; Bert's old session is gone from it (his other devices keep theirs).
    const account = await bert.browser.get('/account');
    expect(account.body).toContain('anna@reset.test');
    expect(account.body).not.toContain('bert@reset.test');
    expect(bert.browser.cookies.get(customerSessionCookie)).not.toBe(bert.sessionToken);
  });

  it('is dead when a character is off, missing or added, or when the case differs', async () => {
    const customer = await app.services.customers.create({
      email: 'tamper@reset.test',
      firstName: 'Tam',
      lastName: 'Per',
    });
    const token = await issue(customer.id);
    const flip = (char: string) => (char === 'A' ? 'B' : 'A');
    for (const tampered of [
      `${token.slice(0, -1)}${flip(token.at(-1)!)}`,
      token.slice(0, -1),
      `${token}A`,
      token.toUpperCase() === token ? token.toLowerCase() : token.toUpperCase(),
      `${token}${'A'.repeat(300)}`,
      '',
    ]) {
      const { page, post } = await useLink(tampered, 'a tampered link password');
      expect(page.statusCode, tampered).toBe(410);
      expect(post.statusCode, tampered).toBe(410);
    }
    expect(await canLogIn('tamper@reset.test', 'a tampered link password')).toBe(false);
    // The real one still works after all that.
    expect((await useLink(token, 'the real link password')).post.statusCode).toBe(303);
  });

  it('sent by staff, ends after RESET_TOKEN_TTL_HOURS_STAFF_SENT (48 h here), not after the storefront’s hour', async () => {
    const customer = await app.services.customers.create({
      email: 'staffsent@reset.test',
      firstName: 'Staff',
      lastName: 'Sent',
    });
    const token = await issue(customer.id, 'staff');
    offsetMs = 47 * 3_600_000;
    expect((await createBrowser(app.http).get(`/account/reset-password?token=${token}`)).statusCode).toBe(
      200,
    );
    offsetMs = 49 * 3_600_000;
    const { page, post } = await useLink(token, 'too late for this link');
    expect(page.statusCode).toBe(410);
    expect(post.statusCode).toBe(410);
  });

  it('is stored only as a hash, and a used link leaves no row behind', async () => {
    const customer = await app.services.customers.create({
      email: 'hash@reset.test',
      firstName: 'Has',
      lastName: 'Hed',
    });
    const token = await issue(customer.id);
    const rows = (
      await app.services.db.pool.query<{ token_hash: Buffer }>(
        'SELECT token_hash FROM password_reset_tokens WHERE customer_id = $1',
        [customer.id],
      )
    ).rows;
    expect(rows).toHaveLength(1);
    expect(rows[0]!.token_hash.equals(hashToken(token))).toBe(true);
    const everything = JSON.stringify(
      (await app.services.db.pool.query('SELECT * FROM password_reset_tokens')).rows,
    );
    expect(everything).not.toContain(token);
    expect((await useLink(token, 'seven quiet mountain rivers')).post.statusCode).toBe(303);
    expect(
      (
        await app.services.db.pool.query('SELECT 1 FROM password_reset_tokens WHERE customer_id = $1', [
          customer.id,
        ])
      ).rowCount,
    ).toBe(0);
  });
});

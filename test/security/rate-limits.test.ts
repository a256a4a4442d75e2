import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { knownClientCookie } from '../../src/accounts/storefront.routes.ts';
import { ConfigError, loadConfig } from '../../src/config/config.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';
import { createBrowser, registerCustomer, strongPassword } from './security-helpers.ts';

/**
 * Login and forgot-password limits (README, Configuration): staff login per IP address per
 * minute; storefront login per IP per minute, per e-mail address and IP together per 15 minutes,
 * and wrong passwords per e-mail address from all IPs per hour (ten times the limit);
 * forgot-password per IP per hour (429) and per address per hour (same page, no e-mail). Each
 * answers 429 with a message once over the limit, and lets the next window through. Limits are
 * set low here; the IP address is the client's (no proxy is trusted).
 */

const limitPerMinute = 3;
let app: TestApp;
// The limits count in fixed windows in PostgreSQL, with the app's clock. Each test
// starts just after a window boundary (an hour's is also a minute's and a quarter's), so no
// boundary passes while it counts, and moves the clock forward to see the next window.
let offsetMs = 0;
const clock = { now: () => new Date(Date.now() + offsetMs) };
const hourMs = 60 * 60_000;
const startAfterNextHour = () => {
  const now = Date.now();
  offsetMs = Math.ceil(now / hourMs) * hourMs + 1000 - now;
};

beforeAll(async () => {
  app = await createTestApp(
    {
      LOGIN_RATE_LIMIT_PER_MINUTE: String(limitPerMinute),
      PASSWORD_RESET_RATE_LIMIT_PER_HOUR: '2',
      PASSWORD_RESET_RATE_LIMIT_PER_HOUR_PER_IP: '3',
    },
    { clock },
  );
});
afterAll(() => app?.close());
afterEach(() => {
  offsetMs = 0;
});

describe('staff login: per IP address per minute', () => {
  const password = 'a staff password long enough';
  beforeAll(async () => {
    await app.services.staff.createUser({ email: 'limited@example.com', name: 'Limited', password });
  });
  const login = (remoteAddress: string, attempt: string) =>
    app.http.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      remoteAddress,
      payload: { email: 'limited@example.com', password: attempt },
    });

  it('answers 429 with a message after the limit, even to the right password; other addresses go on; the next minute it works again', async () => {
    // Counted in PostgreSQL in fixed windows on the app's clock, like the storefront limits.
    startAfterNextHour();
    for (let attempt = 0; attempt < limitPerMinute; attempt++)
      expect((await login('198.51.100.1', `wrong ${attempt}`)).statusCode).toBe(401);
    const refused = await login('198.51.100.1', password);
    expect(refused.statusCode).toBe(429);
    expect(refused.json().error).toMatchObject({
      code: 'rate_limited',
      message: expect.stringMatching(/^Too many attempts\. Try again in \d+ seconds\.$/),
    });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect((await login('198.51.100.2', password)).statusCode).toBe(200);
    offsetMs += 60_000;
    expect((await login('198.51.100.1', password)).statusCode).toBe(200);
  });
});

describe('behind a load balancer (TRUST_PROXY)', () => {
  let proxied: TestApp;
  const password = 'a staff password long enough';
  beforeAll(async () => {
    proxied = await createTestApp({ LOGIN_RATE_LIMIT_PER_MINUTE: String(limitPerMinute), TRUST_PROXY: '10.0.0.0/8' }, { clock });
    await proxied.services.staff.createUser({ email: 'proxied@example.com', name: 'Proxied', password });
  });
  afterAll(() => proxied?.close());
  const login = (remoteAddress: string, forwardedFor: string, attempt: string) =>
    proxied.http.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      remoteAddress,
      headers: { 'x-forwarded-for': forwardedFor },
      payload: { email: 'proxied@example.com', password: attempt },
    });

  it('counts per client address the load balancer forwards, and ignores the header from anyone else', async () => {
    startAfterNextHour();
    // Every request comes from the balancer at 10.0.0.5: without TRUST_PROXY all shoppers would share one limit.
    for (let attempt = 0; attempt < limitPerMinute; attempt++) expect((await login('10.0.0.5', '198.51.100.7', `wrong ${attempt}`)).statusCode).toBe(401);
    expect((await login('10.0.0.5', '198.51.100.7', password)).statusCode).toBe(429);
    expect((await login('10.0.0.5', '198.51.100.8', password)).statusCode).toBe(200);
    // A client that talks to the server directly cannot escape its limit with a made-up header.
    for (let attempt = 0; attempt < limitPerMinute; attempt++) expect((await login('203.0.113.50', `192.0.2.${attempt}`, `wrong ${attempt}`)).statusCode).toBe(401);
    expect((await login('203.0.113.50', '192.0.2.99', password)).statusCode).toBe(429);
  });

  it('refuses a TRUST_PROXY that is not a list of addresses or ranges', () => {
    for (const value of ['true', '*', '10.0.0.0/33', '10.0.0.1, example.com', ','])
      expect(() => loadConfig({ TRUST_PROXY: value }), value).toThrow(ConfigError);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.0/8, 192.168.1.4 ,fd00::/8,loopback' }).trustedProxies).toEqual(['10.0.0.0/8', '192.168.1.4', 'fd00::/8', 'loopback']);
  });
});

describe('storefront login', () => {
  beforeAll(async () => {
    for (const [email, name] of [
      ['shopper@example.com', 'Sophie'],
      ['other-shopper@example.com', 'Otto'],
      ['counted@example.com', 'Connie'],
      ['uncounted@example.com', 'Ulla'],
    ])
      await registerCustomer(app, email!, name!);
  });
  async function login(remoteAddress: string, email: string, password: string) {
    const browser = createBrowser(app.http, remoteAddress);
    await browser.get('/account/login');
    return browser.post('/account/login', { email, password });
  }

  it('per IP address: 429 after the limit (any addresses tried), other IPs go on, the next minute it works again', async () => {
    startAfterNextHour();
    for (let attempt = 0; attempt < limitPerMinute; attempt++)
      expect((await login('203.0.113.1', `guess${attempt}@example.com`, 'wrong password')).statusCode).toBe(
        401,
      );
    const refused = await login('203.0.113.1', 'shopper@example.com', strongPassword);
    expect(refused.statusCode).toBe(429);
    expect(refused.body).toContain('Too many attempts.');
    expect((await login('203.0.113.2', 'shopper@example.com', strongPassword)).statusCode).toBe(303);
    offsetMs += 60_000;
    expect((await login('203.0.113.1', 'other-shopper@example.com', strongPassword)).statusCode).toBe(303);
  });

  it('per address and client: one client hammering an address is refused, while the right password from another client works', async () => {
    startAfterNextHour();
    const attacker = '203.0.113.10';
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 3 * limitPerMinute; attempt++) {
      statuses.push((await login(attacker, 'counted@example.com', `wrong password ${attempt}`)).statusCode);
      if (attempt % limitPerMinute === limitPerMinute - 1) offsetMs += 60_000; // under the per-IP minute limit
    }
    expect(statuses.slice(0, limitPerMinute)).toEqual(Array(limitPerMinute).fill(401));
    expect(statuses.slice(limitPerMinute)).toEqual(Array(2 * limitPerMinute).fill(429));
    // The customer, from their own client, while the attacker is still refused:
    expect((await login('203.0.113.20', 'counted@example.com', strongPassword)).statusCode).toBe(303);
    const stillRefused = await login(attacker, 'counted@example.com', strongPassword);
    expect(stillRefused.statusCode).toBe(429);
    expect(stillRefused.body).toContain('Too many attempts.');
    // The pair, not the client, is refused: the attacker's client may log in to another account.
    expect((await login(attacker, 'uncounted@example.com', strongPassword)).statusCode).toBe(303);
    offsetMs += 15 * 60_000;
    expect((await login(attacker, 'counted@example.com', strongPassword)).statusCode).toBe(303);
  });

  it('per address from all clients, slower: wrong passwords only, ten times the limit an hour; the customer’s own browser still gets in', async () => {
    startAfterNextHour();
    const maxFailures = 10 * limitPerMinute;
    // The customer's own browser: logging in makes it a known client of this customer.
    const ownBrowser = createBrowser(app.http, '203.0.113.39');
    await ownBrowser.get('/account/login');
    expect((await ownBrowser.post('/account/login', { email: 'other-shopper@example.com', password: strongPassword })).statusCode).toBe(303);
    expect(ownBrowser.cookies.get(knownClientCookie)).toBeTruthy();
    await ownBrowser.post('/account/logout', {});
    // Right passwords are not counted: a customer who logs in often never limits themselves.
    for (let attempt = 0; attempt < limitPerMinute; attempt++)
      expect((await login(`203.0.113.${40 + attempt}`, 'other-shopper@example.com', strongPassword)).statusCode).toBe(303);
    for (let attempt = 0; attempt < maxFailures; attempt++)
      expect(
        (await login(`198.51.100.${attempt}`, 'other-shopper@example.com', 'wrong password')).statusCode,
        `attempt ${attempt}`,
      ).toBe(401);
    const refused = await login('198.51.100.200', 'other-shopper@example.com', 'wrong password');
    expect(refused.statusCode).toBe(429);
    expect(refused.body).toContain('Too many attempts.');
    expect((await login('198.51.100.201', 'shopper@example.com', strongPassword)).statusCode).toBe(303);
    // A new client is held back even with the right password; the customer's known browser is not,
    // and a known-client cookie of another customer does not help.
    expect((await login('198.51.100.203', 'other-shopper@example.com', strongPassword)).statusCode).toBe(429);
    const stranger = createBrowser(app.http, '198.51.100.204');
    stranger.cookies.set(knownClientCookie, ownBrowser.cookies.get(knownClientCookie) ?? '');
    await stranger.get('/account/login');
    expect((await stranger.post('/account/login', { email: 'shopper@example.com', password: 'wrong password' })).statusCode).toBe(401);
    await ownBrowser.get('/account/login');
    expect((await ownBrowser.post('/account/login', { email: 'other-shopper@example.com', password: strongPassword })).statusCode).toBe(303);
    const unknownCookie = createBrowser(app.http, '198.51.100.205');
    unknownCookie.cookies.set(knownClientCookie, 'made-up-value-made-up-value-made-up-value');
    await unknownCookie.get('/account/login');
    expect((await unknownCookie.post('/account/login', { email: 'other-shopper@example.com', password: strongPassword })).statusCode).toBe(429);
    offsetMs += hourMs;
    expect((await login('198.51.100.202', 'other-shopper@example.com', strongPassword)).statusCode).toBe(303);
  });

  it('says it in Dutch to a Dutch visitor', async () => {
    startAfterNextHour();
    for (let attempt = 0; attempt <= limitPerMinute; attempt++) {
      const browser = createBrowser(app.http, '203.0.113.30');
      await browser.get('/account/login?lang=nl');
      const response = await browser.post('/account/login', {
        email: `nl${attempt}@example.com`,
        password: 'wrong password',
      });
      if (attempt === limitPerMinute) {
        expect(response.statusCode).toBe(429);
        expect(response.body).toContain('Te veel pogingen.');
      }
    }
  });
});

describe('forgot password', () => {
  const resetMails = async (email: string) =>
    Number(
      (
        await app.services.db.pool.query(
          "SELECT count(*) FROM mail_outbox WHERE reason = 'password_reset_request' AND to_address = $1",
          [email],
        )
      ).rows[0].count,
    );
  async function forgot(remoteAddress: string, email: string) {
    const browser = createBrowser(app.http, remoteAddress);
    await browser.get('/account/forgot-password');
    return browser.post('/account/forgot-password', { email });
  }
  beforeAll(async () => {
    await app.services.customers.create({
      email: 'forgetful@example.com',
      firstName: 'Fenna',
      lastName: 'Vergeet',
    });
  });

  it('per IP address per hour: 429 with a message after the limit, other IPs go on, the next hour it works again', async () => {
    startAfterNextHour();
    for (let attempt = 0; attempt < 3; attempt++)
      expect((await forgot('192.0.2.1', `nobody${attempt}@example.com`)).statusCode).toBe(200);
    const refused = await forgot('192.0.2.1', 'nobody@example.com');
    expect(refused.statusCode).toBe(429);
    expect(refused.body).toContain('Too many attempts.');
    expect((await forgot('192.0.2.2', 'nobody@example.com')).statusCode).toBe(200);
    offsetMs += hourMs;
    expect((await forgot('192.0.2.1', 'nobody@example.com')).statusCode).toBe(200);
  });

  it('per address per hour: the same page every time, no more e-mails after the limit, and again the next hour', async () => {
    startAfterNextHour();
    const pages: string[] = [];
    for (let attempt = 0; attempt < 4; attempt++) {
      const response = await forgot(`192.0.2.${10 + attempt}`, 'forgetful@example.com');
      expect(response.statusCode).toBe(200);
      pages.push(response.body.replace(/name="_csrf" value="[^"]+"/, ''));
    }
    expect(new Set(pages).size).toBe(1);
    expect(await resetMails('forgetful@example.com')).toBe(2);
    offsetMs += hourMs;
    expect((await forgot('192.0.2.20', 'forgetful@example.com')).statusCode).toBe(200);
    expect(await resetMails('forgetful@example.com')).toBe(3);
  }, 20_000);
});

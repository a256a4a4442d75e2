import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonymousFormTokenCookie, customerSessionCookie } from '../../src/accounts/storefront.routes.ts';
import { sessionCookie } from '../../src/http/auth.ts';
import { hashToken } from '../../src/shared/tokens.ts';
import { createTestApp, type StaffAgent, type TestApp } from '../support/test-app.ts';
import { createBrowser, registerCustomer, strongPassword } from './security-helpers.ts';

/**
 * Sessions (staff and storefront): a session id set before login is never the one after it;
 * logging out ends the session on the server, not only in the browser. CSRF: a state-changing
 * request needs its own session's token and no foreign Origin. Cookie flags, with and without
 * an https PUBLIC_URL.
 */

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(() => app?.close());

const staffPassword = 'correct horse battery staple';
const cookieOf = (response: LightMyRequestResponse, name: string) =>
  response.cookies.find((cookie) => cookie.name === name);
const staffSessionRows = async (token: string) =>
  Number(
    (
      await app.services.db.pool.query('SELECT count(*) FROM staff_sessions WHERE token_hash = $1', [
        hashToken(token),
      ])
    ).rows[0].count,
  );
const sessionCount = async () =>
  Number((await app.services.db.pool.query('SELECT count(*) FROM customer_sessions')).rows[0].count);
const customerSessionRow = async (token: string) =>
  (
    await app.services.db.pool.query<{ customer_id: string | null }>(
      'SELECT customer_id FROM customer_sessions WHERE token_hash = $1',
      [hashToken(token)],
    )
  ).rows[0];

async function staffLogin(email: string, headers: Record<string, string> = {}) {
  const response = await app.http.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    headers,
    payload: { email, password: staffPassword },
  });
  expect(response.statusCode, response.body).toBe(200);
  const token = cookieOf(response, sessionCookie)?.value ?? '';
  return {
    token,
    cookie: `${sessionCookie}=${token}`,
    csrfToken: (response.json() as { csrfToken: string }).csrfToken,
  };
}
const whoAmI = (cookie: string) =>
  app.http.inject({ method: 'GET', url: '/api/v1/auth/session', headers: { cookie } });

describe('staff sessions', () => {
  beforeAll(async () => {
    await app.services.staff.createUser({
      email: 'fixation@example.com',
      name: 'Fix',
      password: staffPassword,
    });
  });

  it('gives a new session id at every login: one planted before login is not the one after it, and never a session', async () => {
    const planted = 'planted-by-an-attacker-0123456789abcdefghijkl';
    const login = await staffLogin('fixation@example.com', { cookie: `${sessionCookie}=${planted}` });
    expect(login.token).not.toBe(planted);
    expect(login.token.length).toBeGreaterThanOrEqual(43); // 256 random bits, base64url
    expect((await whoAmI(`${sessionCookie}=${planted}`)).statusCode).toBe(401);
    expect((await whoAmI(login.cookie)).json().user.email).toBe('fixation@example.com');
    // Logging in again with a valid session cookie still gives a fresh one.
    const again = await staffLogin('fixation@example.com', { cookie: login.cookie });
    expect(again.token).not.toBe(login.token);
    expect(again.csrfToken).not.toBe(login.csrfToken);
  });

  it('ends the session on the server at logout: the old cookie no longer works, also when the browser keeps it', async () => {
    const session = await staffLogin('fixation@example.com');
    expect(await staffSessionRows(session.token)).toBe(1);
    const logout = await app.http.inject({
      method: 'POST',
      url: '/api/v1/auth/logout',
      headers: { cookie: session.cookie, 'x-csrf-token': session.csrfToken },
    });
    expect(logout.statusCode).toBe(204);
    expect(cookieOf(logout, sessionCookie)).toMatchObject({ value: '' });
    expect(await staffSessionRows(session.token)).toBe(0);
    expect((await whoAmI(session.cookie)).statusCode).toBe(401);
  });
});

describe('CSRF on the back office', () => {
  let owner: StaffAgent;
  let other: StaffAgent;
  beforeAll(async () => {
    owner = await app.loginAsStaff();
    other = await app.loginAsStaff();
  });
  const createGroup = (headers: Record<string, string>, name: string) =>
    app.http.inject({ method: 'POST', url: '/api/v1/groups', headers, payload: { name } });

  it('accepts a change with the session’s own token and the same origin', async () => {
    const response = await createGroup(
      {
        cookie: owner.cookie,
        'x-csrf-token': owner.csrfToken,
        host: 'office.example.com',
        origin: 'https://office.example.com',
      },
      'Own token',
    );
    expect(response.statusCode, response.body).toBe(201);
  });

  it.each<[string, (agents: { owner: StaffAgent; other: StaffAgent }) => Record<string, string>]>([
    ['without a token', ({ owner }) => ({ cookie: owner.cookie })],
    [
      'with another session’s token',
      ({ owner, other }) => ({ cookie: owner.cookie, 'x-csrf-token': other.csrfToken }),
    ],
    ['with an empty token', ({ owner }) => ({ cookie: owner.cookie, 'x-csrf-token': '' })],
    [
      'from another origin, even with the right token',
      ({ owner }) => ({
        cookie: owner.cookie,
        'x-csrf-token': owner.csrfToken,
        host: 'office.example.com',
        origin: 'https://evil.example',
      }),
    ],
    [
      'from an opaque origin (Origin: null), even with the right token',
      ({ owner }) => ({ cookie: owner.cookie, 'x-csrf-token': owner.csrfToken, origin: 'null' }),
    ],
    [
      'from a look-alike origin',
      ({ owner }) => ({
        cookie: owner.cookie,
        'x-csrf-token': owner.csrfToken,
        host: 'office.example.com',
        origin: 'https://office.example.com.evil.example',
      }),
    ],
  ])('refuses a change %s', async (_case, headersOf) => {
    const name = `Refused ${Math.random()}`;
    const response = await createGroup(headersOf({ owner, other }), name);
    expect(response.statusCode, response.body).toBe(403);
    expect(response.json().error.code).toBe('forbidden');
    expect(
      (await app.services.db.pool.query('SELECT 1 FROM customer_groups WHERE name = $1', [name])).rowCount,
    ).toBe(0);
  });

  it('takes only JSON: a form a foreign page could post is refused before anything happens', async () => {
    for (const contentType of ['application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      const response = await app.http.inject({
        method: 'POST',
        url: '/api/v1/groups',
        headers: { cookie: owner.cookie, 'x-csrf-token': owner.csrfToken, 'content-type': contentType },
        payload: 'name=Form+post',
      });
      expect(response.statusCode, contentType).toBe(415);
    }
  });
});

describe('storefront sessions and CSRF', () => {
  it('gives a fresh session at login: nothing an attacker planted or saw before login is the session after it', async () => {
    await registerCustomer(app, 'fixed@storefront.test', 'Fixed');
    // The attacker opens the login page and plants its form cookie in the victim's browser.
    const attacker = createBrowser(app.http);
    await attacker.get('/account/login');
    const planted = attacker.cookies.get(anonymousFormTokenCookie) ?? '';
    expect(planted).not.toBe('');
    expect(attacker.cookies.has(customerSessionCookie)).toBe(false);
    const victim = createBrowser(app.http);
    victim.cookies.set(anonymousFormTokenCookie, planted);
    await victim.get('/account/login');
    expect(victim.csrfToken).toBe(attacker.csrfToken); // the planted token's form
    const login = await victim.post('/account/login', {
      email: 'fixed@storefront.test',
      password: strongPassword,
    });
    expect(login.statusCode).toBe(303);
    const fresh = victim.cookies.get(customerSessionCookie) ?? '';
    expect(await customerSessionRow(fresh)).toBeDefined();
    // The attacker's form token posts nothing into the victim's session.
    const forged = await victim.post('/account/details', { firstName: 'Attacker' }, { csrf: attacker.csrfToken });
    expect(forged.headers.location).toBe('/account/login');
    expect((await victim.get('/account')).statusCode).toBe(200);
    expect(victim.csrfToken).not.toBe(attacker.csrfToken);
  });

  it('opens no session at registration: the same "check your e-mail" page, no session cookie, no session row', async () => {
    const browser = createBrowser(app.http);
    await browser.get('/account/register');
    const sessions = await sessionCount();
    const response = await browser.post('/account/register', {
      email: 'new@storefront.test',
      firstName: 'New',
      lastName: 'Customer',
      password: strongPassword,
      passwordConfirmation: strongPassword,
    });
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('Check your e-mail');
    expect(browser.cookies.has(customerSessionCookie)).toBe(false);
    expect(await sessionCount()).toBe(sessions);
  });

  it('ends the session on the server at logout', async () => {
    const { browser, sessionToken } = await registerCustomer(app, 'logout@storefront.test', 'Leaving');
    expect(await customerSessionRow(sessionToken)).toBeDefined();
    const logout = await browser.post('/account/logout', {});
    expect(logout.headers.location).toBe('/account/login');
    expect(await customerSessionRow(sessionToken)).toBeUndefined();
    const kept = createBrowser(app.http);
    kept.cookies.set(customerSessionCookie, sessionToken);
    expect((await kept.get('/account')).headers.location).toBe('/account/login');
  });

  it('ends the server session at a logout posted without its form token (or with a wrong one), and does nothing else', async () => {
    for (const [index, csrf] of [null, 'not-the-token'].entries()) {
      const email = `tokenless-logout-${index}@storefront.test`;
      const { browser, customer, sessionToken } = await registerCustomer(app, email, 'Tokenless');
      expect(await customerSessionRow(sessionToken)).toBeDefined();
      const logout = await browser.post('/account/logout', { firstName: 'Changed' }, { csrf });
      expect(logout.statusCode).toBe(303);
      expect(logout.headers.location).toBe('/account/login');
      expect(logout.cookies.find((cookie) => cookie.name === customerSessionCookie)?.value).toBe('');
      expect(await customerSessionRow(sessionToken)).toBeUndefined();
      const kept = createBrowser(app.http);
      kept.cookies.set(customerSessionCookie, sessionToken);
      expect((await kept.get('/account')).headers.location).toBe('/account/login');
      expect((await app.services.customers.get(customer.id)).firstName).toBe('Tokenless');
    }
  });

  it('writes no session row for anonymous page views', async () => {
    const before = await sessionCount();
    for (const url of ['/account/login', '/account/register', '/account/forgot-password', '/account', '/account/reset-password?token=nothing', '/account/login?lang=nl']) {
      const response = await app.http.inject({ method: 'GET', url });
      expect(response.statusCode, url).toBeLessThan(500);
      expect(response.cookies.some((cookie) => cookie.name === customerSessionCookie), url).toBe(false);
    }
    // A visitor who comes back with the form cookie, and a failed login, write none either.
    const browser = createBrowser(app.http);
    await browser.get('/account/login');
    await browser.get('/account/register');
    await browser.post('/account/login', { email: 'nobody@storefront.test', password: 'not a password at all' });
    expect(await sessionCount()).toBe(before);
  });

  it('refuses a form post with another session’s token, and one from another origin', async () => {
    const { browser, customer } = await registerCustomer(app, 'csrf@storefront.test', 'Carla');
    const stranger = createBrowser(app.http);
    await stranger.get('/account/login');
    const withForeignToken = await browser.post(
      '/account/details',
      { firstName: 'Changed', lastName: 'By Stranger' },
      { csrf: stranger.csrfToken },
    );
    expect(withForeignToken.headers.location).toBe('/account/login');
    const crossOrigin = await browser.post(
      '/account/details',
      { firstName: 'Changed', lastName: 'Cross Origin' },
      { headers: { host: 'shop.example.com', origin: 'https://evil.example' } },
    );
    expect(crossOrigin.statusCode).toBe(403);
    expect((await app.services.customers.get(customer.id)).firstName).toBe('Carla');
    const own = await browser.post(
      '/account/details',
      { firstName: 'Changed', lastName: 'By Carla' },
      { headers: { host: 'shop.example.com', origin: 'https://shop.example.com' } },
    );
    expect(own.headers.location).toBe('/account?notice=saved');
  });
});

describe('cookie flags', () => {
  async function cookiesOf(env: Record<string, string>) {
    const flagged = await createTestApp(env);
    try {
      await flagged.services.staff.createUser({
        email: 'flags@example.com',
        name: 'Flags',
        password: staffPassword,
      });
      const login = await flagged.http.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: 'flags@example.com', password: staffPassword },
      });
      const page = await flagged.http.inject({ method: 'GET', url: '/account/login?lang=nl' });
      return {
        staff: cookieOf(login, sessionCookie),
        customer: cookieOf(page, anonymousFormTokenCookie),
        language: cookieOf(page, 'clientele_lang'),
        hsts: login.headers['strict-transport-security'],
      };
    } finally {
      await flagged.close();
    }
  }

  it('sets HttpOnly, SameSite=Lax and Secure on every cookie when PUBLIC_URL is https, and sends HSTS', async () => {
    const cookies = await cookiesOf({ PUBLIC_URL: 'https://office.example.com' });
    expect(cookies.staff).toMatchObject({ httpOnly: true, sameSite: 'Lax', secure: true, path: '/' });
    expect(cookies.customer).toMatchObject({
      httpOnly: true,
      sameSite: 'Lax',
      secure: true,
      path: '/account',
    });
    expect(cookies.language).toMatchObject({
      httpOnly: true,
      sameSite: 'Lax',
      secure: true,
      path: '/account',
    });
    expect(cookies.hsts).toMatch(/max-age=\d{7,}/);
  });

  it('leaves Secure off on plain http (it would lose the session), and COOKIE_SECURE=true turns it on', async () => {
    const plain = await cookiesOf({ PUBLIC_URL: 'http://127.0.0.1:3000' });
    expect(plain.staff).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
    expect(plain.staff?.secure).toBeFalsy();
    expect(plain.customer?.secure).toBeFalsy();
    expect(plain.hsts).toBeUndefined();
    const forced = await cookiesOf({ PUBLIC_URL: 'http://127.0.0.1:3000', COOKIE_SECURE: 'true' });
    expect(forced.staff).toMatchObject({ secure: true });
    expect(forced.customer).toMatchObject({ secure: true });
  });
});

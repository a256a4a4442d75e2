import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessionCookie } from '../../src/http/auth.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp({ LOGIN_RATE_LIMIT_PER_MINUTE: '5' });
});
afterAll(() => app.close());

describe('first-run setup', () => {
  it('creates the first administrator once with the one-time token, then refuses the token', async () => {
    const token = await app.services.staff.issueSetupToken();
    expect(token).toBeTruthy();
    const check = await app.http.inject({ method: 'GET', url: `/api/v1/auth/setup?token=${token}` });
    expect(check.json()).toMatchObject({ isValid: true, shop: { shopName: 'My shop', isPlaceholderName: true } });

    const payload = { token, name: 'Anna de Vries', email: 'Anna@Example.com', password: 'a long enough password', language: 'nl' };
    const setup = await app.http.inject({ method: 'POST', url: '/api/v1/auth/setup', payload });
    expect(setup.statusCode).toBe(200);
    expect(setup.json().user).toMatchObject({ email: 'Anna@Example.com', language: 'nl', role: 'admin' });
    const cookie = setup.cookies.find((c) => c.name === sessionCookie);
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });

    const again = await app.http.inject({ method: 'POST', url: '/api/v1/auth/setup', payload: { ...payload, email: 'other@example.com' } });
    expect(again.statusCode).toBe(403);
    expect(await app.services.staff.issueSetupToken()).toBeUndefined();
  });
});

describe('login, session, CSRF and logout', () => {
  it('logs in case-insensitively, requires the CSRF token on changes, and logs out', async () => {
    await app.services.staff.createUser({ email: 'bob@example.com', name: 'Bob', password: 'another long password' });
    const login = await app.http.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: ' BOB@example.com ', password: 'another long password' } });
    expect(login.statusCode).toBe(200);
    const cookie = `${sessionCookie}=${login.cookies.find((c) => c.name === sessionCookie)?.value}`;
    const { csrfToken } = login.json();

    const session = await app.http.inject({ method: 'GET', url: '/api/v1/auth/session', headers: { cookie } });
    expect(session.json().user.email).toBe('bob@example.com');

    const withoutCsrf = await app.http.inject({ method: 'PATCH', url: '/api/v1/me/preferences', headers: { cookie }, payload: { language: 'nl' } });
    expect(withoutCsrf.statusCode).toBe(403);
    const crossSite = await app.http.inject({
      method: 'PATCH',
      url: '/api/v1/me/preferences',
      headers: { cookie, 'x-csrf-token': csrfToken, origin: 'https://evil.example' },
      payload: { language: 'nl' },
    });
    expect(crossSite.statusCode).toBe(403);
    const withCsrf = await app.http.inject({ method: 'PATCH', url: '/api/v1/me/preferences', headers: { cookie, 'x-csrf-token': csrfToken }, payload: { language: 'nl' } });
    expect(withCsrf.statusCode).toBe(204);
    expect((await app.http.inject({ method: 'GET', url: '/api/v1/auth/session', headers: { cookie } })).json().user.language).toBe('nl');

    const logout = await app.http.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie, 'x-csrf-token': csrfToken } });
    expect(logout.statusCode).toBe(204);
    expect((await app.http.inject({ method: 'GET', url: '/api/v1/auth/session', headers: { cookie } })).statusCode).toBe(401);
  });

  it('gives the same answer for an unknown e-mail and a wrong password, and rate-limits login', async () => {
    const unknown = await app.http.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'nobody@example.com', password: 'whatever it is' } });
    const wrong = await app.http.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'bob@example.com', password: 'wrong password!' } });
    expect(unknown.statusCode).toBe(401);
    expect(wrong.statusCode).toBe(401);
    expect(unknown.json()).toEqual(wrong.json());
    // The limit (10 a minute) counts in fixed minutes: 21 attempts pass it even when a minute ends among them.
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 21 && !statuses.includes(429); attempt += 1) {
      statuses.push((await app.http.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'bob@example.com', password: 'wrong password!' } })).statusCode);
    }
    expect(statuses).toContain(429);
  });

  it('redirects anonymous back-office pages to the login page and answers unknown routes with JSON 404', async () => {
    const page = await app.http.inject({ method: 'GET', url: '/admin/customers' });
    expect(page.statusCode).toBe(302);
    expect(page.headers.location).toBe('/admin/login?next=%2Fadmin%2Fcustomers');
    const missing = await app.http.inject({ method: 'GET', url: '/api/v1/nope' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe('not_found');
  });
});

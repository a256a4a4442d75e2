import type { FastifyInstance, InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customerSessionCookie } from '../../src/accounts/storefront.routes.ts';
import { sessionCookie } from '../../src/http/auth.ts';
import { createTestApp, type StaffAgent, type TestApp } from '../support/test-app.ts';
import {
  createBrowser,
  isBackOfficeRoute,
  isPublicBackOfficeRoute,
  registerCustomer,
  routeLabel,
  sampleUrl,
  serverWithRouteTable,
  strongPassword,
  unsafeMethods,
  type Browser,
  type CollectedRoute,
} from './security-helpers.ts';

/**
 * Who may use which route, for every route the server registers: the back office (`/api/v1`,
 * `/admin`) refuses everyone without a staff session — anonymous visitors, a logged-in
 * storefront customer (with their own CSRF token, and with their session token offered under the
 * staff cookie's name), a staff user who logged out — and the storefront's `/account` pages
 * only ever show and change the customer of the session, whatever the request says.
 * test/http/route-authorisation.test.ts keeps the lists of public routes.
 */

let app: TestApp;
let server: FastifyInstance;
let routes: CollectedRoute[];
let staff: StaffAgent;
let alice: Awaited<ReturnType<typeof registerCustomer>>;
let bob: Awaited<ReturnType<typeof registerCustomer>>;
const bobPassword = 'bob keeps bees in brabant';

beforeAll(async () => {
  app = await createTestApp();
  ({ server, routes } = await serverWithRouteTable(app));
  staff = await app.loginAsStaff();
  alice = await registerCustomer(app, 'alice@matrix.test', 'Alice');
  bob = await registerCustomer(app, 'bob@matrix.test', 'Bob', bobPassword);
  // Data only Bob's record holds: no page Alice sees may contain it.
  await app.services.customers.update(bob.customer.id, {
    companyName: 'Bobsecret Imkerij',
    billingAddress: { city: 'Bobbington' },
    phone: '+31 6 11112222',
  });
});
afterAll(async () => {
  await server?.close();
  await app?.close();
});

const protectedRoutes = () =>
  routes.filter((route) => isBackOfficeRoute(route) && !isPublicBackOfficeRoute(route));

function request(route: CollectedRoute, headers: Record<string, string>) {
  const options: InjectOptions = {
    method: route.method as InjectOptions['method'],
    url: sampleUrl(route.url),
    headers,
  };
  if (unsafeMethods.has(route.method)) options.payload = { email: 'x@matrix.test', name: 'x' };
  return server.inject(options);
}

/** Refused as anonymous: JSON 401 for the API and other methods, the login page for back-office page views. */
async function expectRefused(route: CollectedRoute, headers: Record<string, string>, who: string) {
  const response = await request(route, headers);
  const label = `${routeLabel(route)} as ${who}`;
  if (route.url.startsWith('/admin') && route.method === 'GET') {
    expect(response.statusCode, label).toBe(302);
    expect(response.headers.location, label).toMatch(/^\/admin\/login\?next=/);
    return;
  }
  expect(response.statusCode, `${label}: ${response.body.slice(0, 200)}`).toBe(401);
  if (route.method !== 'HEAD') expect(response.json().error.code, label).toBe('unauthenticated');
}

describe('the back office refuses everyone without a staff session, on every route', () => {
  it('sees the whole route table, with state-changing routes among it', () => {
    expect(protectedRoutes().length).toBeGreaterThan(30);
    expect(protectedRoutes().filter((route) => unsafeMethods.has(route.method)).length).toBeGreaterThan(15);
    expect(routes.map(routeLabel)).toEqual(
      expect.arrayContaining([
        'POST /api/v1/imports',
        'GET /api/v1/imports/:id/rejected-rows',
        'DELETE /api/v1/customers/:id',
        'POST /api/v1/companies/:id/contacts',
        'POST /api/v1/companies/:id/reverse-charge',
        'GET /admin/*',
      ]),
    );
  });

  it('refuses an anonymous visitor', async () => {
    for (const route of protectedRoutes()) await expectRefused(route, {}, 'anonymous');
  });

  it('refuses a logged-in storefront customer, with their session and CSRF token', async () => {
    const cookie = alice.browser.cookieHeader();
    expect(cookie).toContain(`${customerSessionCookie}=`);
    for (const route of protectedRoutes())
      await expectRefused(
        route,
        { cookie, 'x-csrf-token': alice.browser.csrfToken },
        'a storefront customer',
      );
  });

  it('refuses a storefront session token offered under the staff cookie name', async () => {
    const cookie = `${sessionCookie}=${alice.sessionToken}`;
    for (const route of protectedRoutes())
      await expectRefused(
        route,
        { cookie, 'x-csrf-token': alice.browser.csrfToken },
        'a customer token as staff cookie',
      );
  });

  it('refuses a staff session that was logged out, and a made-up one', async () => {
    const leaving = await app.loginAsStaff();
    const logout = await leaving.request({ method: 'POST', url: '/api/v1/auth/logout' });
    expect(logout.statusCode).toBe(204);
    for (const route of protectedRoutes()) {
      await expectRefused(
        route,
        { cookie: leaving.cookie, 'x-csrf-token': leaving.csrfToken },
        'a logged-out staff user',
      );
      await expectRefused(route, { cookie: `${sessionCookie}=${'A'.repeat(43)}` }, 'a made-up session');
    }
  });

  it('lets the same requests through with a staff session (so the refusals above mean something)', async () => {
    for (const route of protectedRoutes().filter((candidate) => candidate.method === 'GET')) {
      const response = await request(route, { cookie: staff.cookie });
      expect([302, 401, 403], routeLabel(route)).not.toContain(response.statusCode);
      expect(response.statusCode, routeLabel(route)).toBeLessThan(500);
    }
  });
});

describe('a storefront customer only ever reaches their own record', () => {
  const storefrontRoutes = () =>
    routes.filter((route) => route.url.startsWith('/account') && route.method !== 'HEAD');

  /** Form fields for each storefront post: Alice acting, with Bob's identifiers slipped in everywhere. */
  const formFor = (url: string, bobId: number): Record<string, string> => {
    const hostile = {
      id: String(bobId),
      customerId: String(bobId),
      customer_id: String(bobId),
      email: 'bob@matrix.test',
    };
    const forms: Record<string, Record<string, string>> = {
      '/account/details': {
        ...hostile,
        firstName: 'Mallory',
        lastName: 'Hacker',
        'billingAddress.city': 'Nowhere',
      },
      '/account/password': {
        ...hostile,
        currentPassword: bobPassword,
        password: 'stolen password for bob',
        passwordConfirmation: 'stolen password for bob',
      },
      '/account/login': { ...hostile, password: 'guessing bobs password' },
      '/account/register': {
        ...hostile,
        firstName: 'Bob',
        lastName: 'Again',
        password: strongPassword,
        passwordConfirmation: strongPassword,
      },
      '/account/forgot-password': hostile,
      '/account/reset-password': {
        ...hostile,
        token: '',
        password: strongPassword,
        passwordConfirmation: strongPassword,
      },
    };
    return forms[url] ?? hostile;
  };

  it('serves every /account route to Alice without Bob’s data, and changes nothing of Bob’s, whatever ids the request carries', async () => {
    const bobBefore = await app.services.customers.get(bob.customer.id);
    const routesSeen: string[] = [];
    for (const route of storefrontRoutes().filter((candidate) => candidate.url !== '/account/logout')) {
      routesSeen.push(routeLabel(route));
      await alice.browser.get('/account'); // a fresh CSRF token (a login or register post may have replaced the session)
      const query = `?id=${bob.customer.id}&customerId=${bob.customer.id}&email=bob%40matrix.test`;
      const response =
        route.method === 'GET'
          ? await alice.browser.get(`${route.url}${query}`)
          : await alice.browser.post(`${route.url}${query}`, formFor(route.url, bob.customer.id));
      expect(response.statusCode, routeLabel(route)).toBeLessThan(500);
      for (const secret of ['Bobsecret', 'Bobbington', '11112222'])
        expect(response.body, routeLabel(route)).not.toContain(secret);
      // Pages that echo a form do show the address Alice typed; pages she only opens never show Bob's.
      if (route.method === 'GET') expect(response.body, routeLabel(route)).not.toContain('bob@matrix.test');
    }
    expect(routesSeen).toEqual(
      expect.arrayContaining(['GET /account', 'POST /account/details', 'POST /account/password']),
    );
    expect(await app.services.customers.get(bob.customer.id)).toEqual(bobBefore);
    // The details post changed Alice, the only customer the session knows.
    expect((await app.services.customers.get(alice.customer.id)).firstName).toBe('Mallory');
    // Bob's password is still his own, and his session still works.
    const again = createBrowser(app.http, '198.51.100.20');
    await again.get('/account/login');
    expect(
      (await again.post('/account/login', { email: 'bob@matrix.test', password: bobPassword })).statusCode,
    ).toBe(303);
    expect((await bob.browser.get('/account')).body).toContain('bob@matrix.test');
  });

  it('does not accept Bob’s CSRF token in Alice’s session, nor Alice’s session with Bob’s token for Bob', async () => {
    await bob.browser.get('/account');
    const forged = await alice.browser.post(
      '/account/details',
      { firstName: 'Forged', lastName: 'Token' },
      { csrf: bob.browser.csrfToken },
    );
    expect(forged.statusCode).toBe(303);
    expect(forged.headers.location).toBe('/account/login');
    expect((await app.services.customers.get(alice.customer.id)).firstName).not.toBe('Forged');
    expect((await app.services.customers.get(bob.customer.id)).firstName).toBe('Bob');
  });

  it('logs out only the session that asks: Alice’s logout leaves Bob logged in', async () => {
    const leaving: Browser = createBrowser(app.http);
    await leaving.get('/account/login');
    await leaving.post('/account/login', { email: 'alice@matrix.test', password: strongPassword });
    await leaving.get('/account');
    expect((await leaving.post('/account/logout', {})).headers.location).toBe('/account/login');
    expect((await bob.browser.get('/account')).statusCode).toBe(200);
    expect((await alice.browser.get('/account')).statusCode).toBe(200);
  });
});

import Fastify, { type FastifyInstance, type RouteOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerStaffAuth } from '../../src/http/auth.ts';
import { createHttpServer } from '../../src/http/server.ts';
import { can, isRouteAccess, permissions, type Role, type RouteAccess } from '../../src/staff/permissions.ts';
import { createTestApp, type StaffAgent, type TestApp } from '../support/test-app.ts';

/**
 * Every route of the real server, collected as it is registered, is checked here: a new route
 * under /api/v1 or /admin is protected by the staff auth hook unless it is marked `isPublic`,
 * and a new public route (or a route outside those prefixes, which the hook does not guard)
 * makes this test fail until it is added to the lists below on purpose.
 */
type CollectedRoute = { method: string; url: string; isPublic: boolean; permission: unknown };

/** Back-office routes that work without a session, on purpose. */
const publicBackOfficeRoutes = [
  'GET /api/v1/auth/setup',
  'HEAD /api/v1/auth/setup',
  'POST /api/v1/auth/login',
  'POST /api/v1/auth/setup',
  'POST /api/v1/auth/forgot-password',
  'GET /api/v1/auth/reset-password',
  'HEAD /api/v1/auth/reset-password',
  'POST /api/v1/auth/reset-password',
].sort();

/** Pages the auth hook lets through by path (see publicPagePattern in src/http/auth.ts). */
const publicPagePaths = ['/admin/login', '/admin/setup', '/admin/forgot-password', '/admin/reset-password', '/admin/assets/'];
/** Routes that plugins register (static files, API docs): they cannot carry a declaration. */
const isPluginRoute = (url: string) => url.startsWith('/admin/assets/') || url.startsWith('/api/docs');

/** Routes outside /api/v1 and /admin: the auth hook does not look at them, so each is public by design. */
const isDeliberatelyOutsideBackOffice = (url: string) =>
  // /metrics checks its own access (METRICS_TOKEN or loopback): test/http/metrics.test.ts.
  ['/', '/healthz', '/readyz', '/api/docs', '/metrics'].includes(url) || url.startsWith('/api/docs/');

/**
 * The storefront (src/accounts) runs on customer sessions, not staff ones: its pages are public or
 * must send a visitor without a customer session to the storefront login.
 */
const storefrontPublicUrls = [
  '/account/assets/storefront.css',
  '/account/login',
  '/account/register',
  '/account/forgot-password',
  '/account/reset-password',
  '/account/logout',
];
const storefrontCustomerUrls = [
  '/account',
  '/account/',
  '/account/details',
  '/account/consent',
  '/account/password',
  '/account/addresses',
  '/account/addresses/new',
  '/account/addresses/:id',
  '/account/addresses/:id/default',
  '/account/addresses/:id/delete',
];

const unsafeMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

let app: TestApp;
let server: FastifyInstance;
let staff: StaffAgent;
const agents: Partial<Record<Role, StaffAgent>> = {};
const routes: CollectedRoute[] = [];

beforeAll(async () => {
  app = await createTestApp();
  // A second server on the same services, built with a route collector (same code path as production).
  server = await createHttpServer(app.services, {
    onRoute: (route: RouteOptions) => {
      for (const method of [route.method].flat()) {
        routes.push({ method, url: route.url, isPublic: route.config?.isPublic === true, permission: route.config?.permission });
      }
    },
  });
  await server.ready();
  staff = await app.loginAsStaff();
  agents.admin = await app.loginAsStaff({ role: 'admin' });
  agents.staff = await app.loginAsStaff({ role: 'staff', language: 'nl' });
});
afterAll(async () => {
  await server?.close();
  await app?.close();
});

const label = (route: CollectedRoute) => `${route.method} ${route.url}`;
const isBackOffice = (route: CollectedRoute) =>
  route.url.startsWith('/api/v1') || route.url.startsWith('/admin');
const isPublicPage = (route: CollectedRoute) => publicPagePaths.some((path) => route.url.startsWith(path));
const protectedRoutes = () =>
  routes.filter((route) => isBackOffice(route) && !route.isPublic && !isPublicPage(route));
/** A concrete URL for a route pattern: parameters become 1, a wildcard a page name. */
const sampleUrl = (url: string) => url.replace(/:[A-Za-z]+/g, '1').replace(/\*$/, 'customers');
const request = (route: CollectedRoute, headers: Record<string, string> = {}) =>
  server.inject({
    method: route.method as 'GET',
    url: sampleUrl(route.url),
    headers,
    ...(unsafeMethods.has(route.method) ? { payload: {} } : {}),
  });

describe('route authorisation', () => {
  it('sees the whole route table', () => {
    const labels = routes.map(label);
    for (const expected of [
      'GET /api/v1/customers',
      'GET /api/v1/customers/:id',
      'POST /api/v1/customers',
      'PATCH /api/v1/customers/:id',
      'DELETE /api/v1/customers/:id',
      'GET /api/v1/groups',
      'POST /api/v1/groups/:id/members',
      'POST /api/v1/groups/:id/members/remove',
      'POST /api/v1/auth/logout',
      'GET /admin/*',
      'GET /api/v1/exports',
      'POST /api/v1/exports',
      'GET /api/v1/exports/:id',
      'GET /api/v1/exports/:id/download',
      'DELETE /api/v1/exports/:id',
      'GET /api/v1/companies',
      'GET /api/v1/companies/:id',
      'POST /api/v1/companies',
      'PATCH /api/v1/companies/:id',
      'DELETE /api/v1/companies/:id',
      'POST /api/v1/companies/:id/contacts',
      'PATCH /api/v1/companies/:id/contacts/:customerId',
      'DELETE /api/v1/companies/:id/contacts/:customerId',
      'POST /api/v1/companies/:id/contacts/:customerId/primary',
      'POST /api/v1/companies/:id/addresses',
      'POST /api/v1/companies/vat-checks',
      'GET /api/v1/companies/vat-checks/:id',
      'GET /api/v1/companies/:id/vat-checks',
      'POST /api/v1/companies/:id/reverse-charge',
    ]) {
      expect(labels).toContain(expected);
    }
    expect(protectedRoutes().length).toBeGreaterThan(15);
    // Companies are read by whoever may read customers and changed by whoever may change them.
    const companyRoutes = routes.filter((route) => route.url.startsWith('/api/v1/companies'));
    for (const route of companyRoutes) {
      expect(route.permission, label(route)).toBe(route.method === 'GET' || route.method === 'HEAD' ? 'customers.read' : 'customers.write');
    }
  });

  it('has no public back-office route beyond the known ones', () => {
    const publicRoutes = routes
      .filter((route) => isBackOffice(route) && route.isPublic)
      .map(label)
      .sort();
    expect(publicRoutes).toEqual(publicBackOfficeRoutes);
  });

  it('has no route outside /api/v1 and /admin beyond the known public ones and the storefront', () => {
    const storefrontUrls = [...storefrontPublicUrls, ...storefrontCustomerUrls];
    const outside = routes
      .filter((route) => !isBackOffice(route) && !isDeliberatelyOutsideBackOffice(route.url))
      .filter((route) => !storefrontUrls.includes(route.url))
      .map(label);
    expect(outside).toEqual([]);
  });

  it('sends a visitor without a customer session from the storefront account pages to its login', async () => {
    const customerOnly = routes.filter((route) => storefrontCustomerUrls.includes(route.url));
    expect(customerOnly.length).toBeGreaterThanOrEqual(3);
    for (const route of customerOnly) {
      const response = await request(route);
      expect([302, 303], label(route)).toContain(response.statusCode);
      expect(response.headers.location, label(route)).toBe('/account/login');
    }
  });

  it('refuses anonymous requests: 401 JSON for the API and requests other than page views, a redirect to login for pages', async () => {
    for (const route of protectedRoutes()) {
      const response = await request(route);
      if (route.url.startsWith('/admin') && route.method === 'GET') {
        expect(response.statusCode, label(route)).toBe(302);
        expect(response.headers.location, label(route)).toMatch(/^\/admin\/login\?next=/);
      } else {
        expect(response.statusCode, label(route)).toBe(401);
        expect(response.headers['content-type'], label(route)).toMatch(/^application\/json/);
        if (route.method !== 'HEAD') expect(response.json().error.code, label(route)).toBe('unauthenticated');
      }
    }
  });

  it('refuses state-changing requests of a signed-in staff user without the right CSRF token', async () => {
    const unsafe = protectedRoutes().filter((route) => unsafeMethods.has(route.method));
    expect(unsafe.length).toBeGreaterThan(5);
    for (const route of unsafe) {
      const attempts: Record<string, string>[] = [
        { cookie: staff.cookie },
        { cookie: staff.cookie, 'x-csrf-token': 'not-the-token' },
      ];
      for (const headers of attempts) {
        const response = await request(route, headers);
        expect(response.statusCode, label(route)).toBe(403);
        expect(response.json().error.code, label(route)).toBe('forbidden');
      }
    }
    // The session survived all of that (logout without the token did nothing).
    const session = await server.inject({
      method: 'GET',
      url: '/api/v1/auth/session',
      headers: { cookie: staff.cookie },
    });
    expect(session.statusCode).toBe(200);
  });

  it('lets a signed-in staff user through to every protected read', async () => {
    for (const route of protectedRoutes().filter((r) => r.method === 'GET')) {
      const response = await request(route, { cookie: staff.cookie });
      expect([401, 403, 302], label(route)).not.toContain(response.statusCode);
      expect(response.statusCode, label(route)).toBeLessThan(500);
    }
  });

  it('serves the public pages without a session', async () => {
    for (const path of ['/admin/login', '/admin/setup']) {
      const response = await server.inject({ method: 'GET', url: path });
      expect(response.statusCode, path).not.toBe(302);
      expect(response.statusCode, path).not.toBe(401);
    }
  });
});

/** A URL whose ids exist nowhere, so a permitted write answers 400/404 instead of changing data. */
const harmlessUrl = (url: string) => url.replace(/:[A-Za-z]+/g, '999999').replace(/\*$/, 'customers');
const walk = (route: CollectedRoute, agent: StaffAgent) =>
  server.inject({
    method: route.method as 'GET',
    url: harmlessUrl(route.url),
    headers: { cookie: agent.cookie, 'x-csrf-token': agent.csrfToken },
    ...(unsafeMethods.has(route.method) ? { payload: {} } : {}),
  });

describe('permissions declared on the routes', () => {
  it('every route declares isPublic or a known permission where it is declared', () => {
    const undeclared = routes
      .filter((route) => !route.isPublic && !isPluginRoute(route.url) && !isRouteAccess(route.permission))
      .map(label);
    expect(undeclared).toEqual([]);
  });

  it('the storefront, and only the storefront, is declared as storefront', () => {
    const storefront = routes.filter((route) => route.permission === 'storefront').map((route) => route.url);
    expect(new Set(storefront)).toEqual(new Set([...storefrontPublicUrls, ...storefrontCustomerUrls]));
  });

  it('refuses to register a route without a declaration', async () => {
    const bare = Fastify();
    registerStaffAuth(bare, app.services.staff);
    expect(() => bare.get('/api/v1/forgotten', async () => 'oops')).toThrow(/GET \/api\/v1\/forgotten declares no permission/);
    bare.get('/api/v1/declared', { config: { permission: 'customers.read' } }, async () => 'fine');
    await bare.close();
  });

  it('gives administrators every permission and staff no management of staff users, settings or templates, and no erasure of customers', () => {
    expect(permissions.every((permission) => can('admin', permission))).toBe(true);
    for (const permission of ['staff.manage', 'settings.manage', 'mail-templates.manage', 'mailbox.read-reset-links', 'customers.erase'] as const) {
      expect(can('staff', permission), permission).toBe(false);
    }
    for (const permission of ['customers.write', 'groups.write', 'imports.run', 'exports.run', 'password-emails.send', 'mailbox.read'] as const) {
      expect(can('staff', permission), permission).toBe(true);
    }
  });
});

describe.each(['staff', 'admin'] as const)('every protected route walked as %s', (role) => {
  const permitted = (route: CollectedRoute) => can(role, route.permission as Exclude<RouteAccess, 'storefront'>);
  // Logging out ends the walking session: it goes last.
  const walked = () =>
    protectedRoutes().sort((a, b) => Number(a.url === '/api/v1/auth/logout') - Number(b.url === '/api/v1/auth/logout'));

  it('answers 403 where the role lacks the permission: JSON for the API, a "no access" page for back-office pages', async () => {
    const agent = agents[role]!;
    const refused = walked().filter((route) => !permitted(route));
    if (role === 'admin') expect(refused.map(label)).toEqual([]);
    else expect(refused.length).toBeGreaterThanOrEqual(10);
    for (const route of refused) {
      const response = await walk(route, agent);
      expect(response.statusCode, label(route)).toBe(403);
      if (route.url.startsWith('/admin') && route.method === 'GET') {
        expect(response.headers['content-type'], label(route)).toMatch(/^text\/html/);
        // This staff user's back office is in Dutch.
        expect(response.body, label(route)).toContain('Geen toegang');
      } else {
        expect(response.headers['content-type'], label(route)).toMatch(/^application\/json/);
        if (route.method !== 'HEAD') expect(response.json().error.code, label(route)).toBe('forbidden');
      }
    }
  });

  it('lets the role through wherever it has the permission', async () => {
    const agent = agents[role]!;
    const allowed = walked().filter(permitted);
    expect(allowed.length).toBeGreaterThan(30);
    for (const route of allowed) {
      const response = await walk(route, agent);
      expect([401, 403], label(route)).not.toContain(response.statusCode);
      expect(response.statusCode, label(route)).toBeLessThan(500);
    }
  });
});

describe('what staff and administrators see', () => {
  it.each([
    ['staff', 403],
    ['admin', 200],
  ] as const)('%s: staff users, templates and the staff-users page answer %i', async (role, status) => {
    const agent = await app.loginAsStaff({ role });
    for (const url of ['/api/v1/staff-users', '/api/v1/mail-templates', '/admin/settings/staff-users', '/admin/settings/notification-emails']) {
      const response = await server.inject({ method: 'GET', url, headers: { cookie: agent.cookie } });
      expect(response.statusCode, url).toBe(status);
    }
  });
});

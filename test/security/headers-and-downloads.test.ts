import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webDistDir } from '../../src/http/static-ui.ts';
import { importFile } from '../imports/import-helpers.ts';
import { runExport } from '../exports/export-test-helpers.ts';
import { createTestApp, type StaffAgent, type TestApp } from '../support/test-app.ts';
import {
  createBrowser,
  registerCustomer,
  routeLabel,
  serverWithRouteTable,
  type CollectedRoute,
} from './security-helpers.ts';

/**
 * Security headers on every kind of page (back-office HTML and its assets, API JSON and errors,
 * storefront pages and stylesheet, the API docs), and files: the rejected-rows download is an
 * attachment that is never sniffed, and an uploaded file has no URL at all.
 */

let app: TestApp;
let server: FastifyInstance;
let routes: CollectedRoute[];
let staff: StaffAgent;
let customerCookie: string;

beforeAll(async () => {
  // The back office must be built (npm test does it first), or its pages are a 503 text.
  expect(existsSync(path.join(webDistDir, 'index.html')), 'run `npm run build:web` first').toBe(true);
  app = await createTestApp({ PUBLIC_URL: 'https://office.example.com' });
  await app.services.startWorkers();
  ({ server, routes } = await serverWithRouteTable(app));
  staff = await app.loginAsStaff();
  customerCookie = (await registerCustomer(app, 'headers@example.com', 'Hedda')).browser.cookieHeader();
});
afterAll(async () => {
  await server?.close();
  await app?.close();
});

function directives(csp: string | undefined): Map<string, string[]> {
  return new Map(
    (csp ?? '')
      .split(';')
      .map((part) => part.trim().split(/\s+/))
      .filter((words) => words[0])
      .map(([name, ...values]) => [name!.toLowerCase(), values]),
  );
}

function expectSecurityHeaders(response: LightMyRequestResponse, label: string) {
  const csp = directives(response.headers['content-security-policy'] as string | undefined);
  const scripts = csp.get('script-src') ?? csp.get('default-src');
  expect(scripts, `${label}: script-src`).toBeDefined();
  expect(scripts, `${label}: no inline scripts`).not.toContain("'unsafe-inline'");
  expect(scripts, `${label}: no eval`).not.toContain("'unsafe-eval'");
  for (const source of scripts ?? [])
    expect(source, `${label}: script sources are this site only`).toMatch(
      /^'(self|none|nonce-[^']+|sha(256|384|512)-[^']+)'$/,
    );
  expect(csp.get('script-src-attr') ?? [], `${label}: no inline event handlers`).toEqual(["'none'"]);
  expect(csp.get('object-src'), `${label}: object-src`).toEqual(["'none'"]);
  expect(csp.get('frame-ancestors'), `${label}: frame-ancestors`).toEqual(["'none'"]);
  expect(csp.get('base-uri'), `${label}: base-uri`).toEqual(["'self'"]);
  expect(response.headers['x-content-type-options'], `${label}: nosniff`).toBe('nosniff');
  expect(response.headers['x-frame-options'], `${label}: X-Frame-Options`).toBe('DENY');
  expect(response.headers['referrer-policy'], `${label}: Referrer-Policy`).toMatch(
    /^(no-referrer|same-origin|strict-origin|strict-origin-when-cross-origin)$/,
  );
  expect(response.headers['strict-transport-security'], `${label}: HSTS (PUBLIC_URL is https)`).toMatch(
    /max-age=\d+/,
  );
}

describe('security headers on every kind of page', () => {
  it.each<[string, string, 'anonymous' | 'staff' | 'customer', number, RegExp]>([
    ['back office: login page', '/admin/login', 'anonymous', 200, /^text\/html/],
    ['back office: a page', '/admin/customers', 'staff', 200, /^text\/html/],
    ['back office: a page, anonymous (redirect)', '/admin/customers', 'anonymous', 302, /.*/],
    ['API: a list', '/api/v1/customers', 'staff', 200, /^application\/json/],
    ['API: an import’s rejected rows', '/api/v1/imports/999/rejections', 'staff', 404, /^application\/json/],
    ['API: anonymous', '/api/v1/customers', 'anonymous', 401, /^application\/json/],
    ['API: invalid input', '/api/v1/customers?limit=100000', 'staff', 422, /^application\/json/],
    ['API: no such route', '/api/v1/no-such-route', 'staff', 404, /^application\/json/],
    ['storefront: login page', '/account/login', 'anonymous', 200, /^text\/html/],
    ['storefront: account page', '/account', 'customer', 200, /^text\/html/],
    [
      'storefront: a dead reset link',
      '/account/reset-password?token=not-a-token',
      'anonymous',
      410,
      /^text\/html/,
    ],
    ['storefront: stylesheet', '/account/assets/storefront.css', 'anonymous', 200, /^text\/css/],
    ['API docs: page', '/api/docs', 'anonymous', 200, /^text\/html/],
    ['API docs: OpenAPI document', '/api/docs/json', 'anonymous', 200, /^application\/json/],
    [
      'API docs: script',
      '/api/docs/static/swagger-initializer.js',
      'anonymous',
      200,
      /^application\/javascript/,
    ],
    ['health', '/readyz', 'anonymous', 200, /^application\/json/],
  ])('%s', async (label, url, who, status, contentType) => {
    const cookie = who === 'staff' ? staff.cookie : who === 'customer' ? customerCookie : undefined;
    const response = await app.http.inject({ method: 'GET', url, headers: cookie ? { cookie } : {} });
    expect(response.statusCode, label).toBe(status);
    if (status !== 302) expect(response.headers['content-type'], label).toMatch(contentType);
    expectSecurityHeaders(response, label);
  });

  it('serves the back office’s scripts as files (no inline script in its HTML), with the same headers', async () => {
    const page = await app.http.inject({ method: 'GET', url: '/admin/login' });
    const scripts = [...page.body.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes, body] of scripts) {
      expect(attributes).toMatch(/\bsrc="\/admin\/assets\/[^"]+\.js"/);
      expect(body?.trim()).toBe('');
    }
    const src = /src="([^"]+)"/.exec(scripts[0]![1]!)![1]!;
    const asset = await app.http.inject({ method: 'GET', url: src });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['content-type']).toMatch(/^(application|text)\/javascript/);
    expectSecurityHeaders(asset, src);
  });

  it('gives the storefront’s pages no inline script or style attribute, and the reset page no referrer', async () => {
    const browser = createBrowser(app.http);
    for (const url of [
      '/account/login',
      '/account/register',
      '/account/forgot-password',
      '/account/reset-password?token=x',
    ]) {
      const page = await browser.get(url);
      expect(page.body, url).not.toMatch(/<script|\sstyle=|\son[a-z]+=/i);
    }
    expect((await browser.get('/account/reset-password?token=x')).headers['referrer-policy']).toBe(
      'no-referrer',
    );
  });
});

describe('files: downloads are attachments, uploads have no URL', () => {
  /** Every route that sends a stored file; a new one must be added here, with a check of its headers. */
  const downloadRoutes = [
    'GET /api/v1/exports/:id/download',
    'GET /api/v1/imports/:id/rejected-rows',
    'GET /api/v1/password-emails/bulk/:id/failed/download',
  ].sort();

  it('knows every route that sends a file', () => {
    const sending = routes
      .filter(
        (route) => route.method === 'GET' && /\/(download|rejected-rows|file|files)(\/|$)/.test(route.url),
      )
      .map(routeLabel)
      .sort();
    expect(sending, 'a route that sends a file is checked in this file (attachment, nosniff)').toEqual(
      downloadRoutes,
    );
  });

  it('sends an export as an attachment, never sniffed or cached, and not to anyone without a session', async () => {
    const record = await runExport(app, { type: 'customers', format: 'csv' });
    const file = await staff.request({ method: 'GET', url: record.downloadUrl! });
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-disposition']).toMatch(/^attachment; filename="[A-Za-z0-9_.-]+\.csv"$/);
    expect(file.headers['x-content-type-options']).toBe('nosniff');
    expect(file.headers['cache-control']).toContain('no-store');
    expect((await app.http.inject({ method: 'GET', url: record.downloadUrl! })).statusCode).toBe(401);
  });

  it('sends the rejected rows as an attachment with a safe name, never sniffed or cached, whatever the upload was called', async () => {
    const uploadName = '"><img src=x onerror=alert(1)>\r\n.html.csv';
    const done = await importFile(
      staff,
      uploadName,
      'E-mail,First name,Last name\r\nnot-an-email,<script>alert(1)</script>,X\r\n',
    );
    expect(done.counts.rejected).toBe(1);
    const file = await staff.request({ method: 'GET', url: `/api/v1/imports/${done.id}/rejected-rows` });
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-disposition']).toMatch(
      /^attachment; filename="[A-Za-z0-9_.-]+-rejected\.csv"$/,
    );
    expect(file.headers['content-type']).toMatch(/^text\/csv/);
    expect(file.headers['x-content-type-options']).toBe('nosniff');
    expect(file.headers['cache-control']).toBe('no-store');
    expectSecurityHeaders(file, 'rejected-rows download');
  });

  it('sends the failed recipients of a bulk send as an attachment, never sniffed or cached', async () => {
    const customer = await app.services.customers.create({ email: 'bulk-headers@example.com' });
    const bulk = await staff.request({
      method: 'POST',
      url: '/api/v1/password-emails/bulk',
      payload: { customerIds: [customer.id] },
    });
    const url = `/api/v1/password-emails/bulk/${bulk.json().id}/failed/download`;
    const file = await staff.request({ method: 'GET', url });
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-disposition']).toMatch(/^attachment; filename="bulk-send-\d+-failed\.csv"$/);
    expect(file.headers['content-type']).toMatch(/^text\/csv/);
    expect(file.headers['x-content-type-options']).toBe('nosniff');
    expect(file.headers['cache-control']).toBe('no-store');
    expectSecurityHeaders(file, 'failed recipients download');
    expect((await app.http.inject({ method: 'GET', url })).statusCode).toBe(401);
  });

  it('gives an uploaded file no URL: no route and no path serves its bytes, only JSON or attachments ever show its content', async () => {
    const marker = 'marker-7f3c91-never-served-inline';
    const body = `E-mail,First name,Last name,Secret column\r\nmarker@example.com,Mark,Er,${marker}\r\nbroken,Bro,Ken,${marker}\r\n`;
    const done = await importFile(staff, 'marker.csv', body);
    const { rows } = await app.services.db.pool.query<{ file_key: string }>(
      'SELECT file_key FROM imports WHERE id = $1',
      [done.id],
    );
    const key = rows[0]!.file_key;
    const storedPath = path.join(app.config.fileStoreDir, key);
    expect(readFileSync(storedPath, 'utf8')).toBe(body);
    // The file store is nowhere under what the server serves statically.
    expect(path.relative(webDistDir, storedPath).startsWith('..')).toBe(true);

    const fileName = path.basename(key);
    const candidates = [
      `/${key}`,
      `/files/${key}`,
      `/data/files/${key}`,
      `/admin/assets/${fileName}`,
      `/admin/assets/../../${key}`,
      `/admin/assets/%2e%2e/%2e%2e/files/${key}`,
      `/admin/assets/..%2f..%2f${encodeURIComponent(key)}`,
      `/account/assets/${fileName}`,
      `/api/docs/static/${fileName}`,
      `/api/docs/static/..%2f..%2f..%2f${encodeURIComponent(key)}`,
      `/admin/${key}`,
    ];
    const urls = [
      ...candidates,
      ...routes
        .filter((route) => route.method === 'GET')
        .map((route) => route.url.replace(/:[A-Za-z]+/g, String(done.id)).replace(/\*$/, key)),
    ];
    let jsonOrAttachment = 0;
    for (const url of urls) {
      for (const headers of [{}, { cookie: staff.cookie }]) {
        const response = await app.http.inject({ method: 'GET', url, headers });
        expect(response.body, `${url}: the file itself`).not.toBe(body);
        if (!response.body.includes(marker)) continue;
        const isJson = /^application\/json/.test(String(response.headers['content-type']));
        const isAttachment = /^attachment;/.test(String(response.headers['content-disposition']));
        expect(
          isJson || isAttachment,
          `${url} shows the upload's content as ${response.headers['content-type']}`,
        ).toBe(true);
        jsonOrAttachment++;
      }
    }
    expect(
      jsonOrAttachment,
      'the preview and the rejected rows do show it, as JSON and as an attachment',
    ).toBeGreaterThan(0);
    const stored = (readdirSync(app.config.fileStoreDir, { recursive: true }) as string[]).filter((name) =>
      statSync(path.join(app.config.fileStoreDir, name)).isFile(),
    );
    expect(stored.map((name) => name.split(path.sep).join('/'))).toContain(key);
  });
});

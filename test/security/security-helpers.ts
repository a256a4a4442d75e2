import type { FastifyInstance, LightMyRequestResponse, RouteOptions } from 'fastify';
import { customerSessionCookie } from '../../src/accounts/storefront.routes.ts';
import { createHttpServer } from '../../src/http/server.ts';
import type { TestApp } from '../support/test-app.ts';

/**
 * Helpers of the security tests: a storefront browser that can come from any IP address and
 * send any Origin, customers registered through the storefront, and the server's route table.
 */

export type Browser = {
  cookies: Map<string, string>;
  csrfToken: string;
  cookieHeader: () => string;
  get: (url: string, headers?: Record<string, string>) => Promise<LightMyRequestResponse>;
  post: (
    url: string,
    form: Record<string, string>,
    options?: { csrf?: string | null; headers?: Record<string, string> },
  ) => Promise<LightMyRequestResponse>;
};

/** Keeps cookies, reads the CSRF token of the last page's form, posts forms url-encoded; `remoteAddress` is the client's IP. */
export function createBrowser(http: FastifyInstance, remoteAddress = '127.0.0.1'): Browser {
  const cookies = new Map<string, string>();
  const cookieHeader = () => [...cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  const remember = (response: LightMyRequestResponse) => {
    for (const cookie of response.cookies) {
      if (cookie.value === '' || (cookie.expires && cookie.expires.getTime() < Date.now()))
        cookies.delete(cookie.name);
      else cookies.set(cookie.name, cookie.value);
    }
    const token = /name="_csrf" value="([^"]+)"/.exec(response.body)?.[1];
    if (token) browser.csrfToken = token;
    return response;
  };
  const browser: Browser = {
    cookies,
    csrfToken: '',
    cookieHeader,
    get: async (url, headers = {}) =>
      remember(
        await http.inject({
          method: 'GET',
          url,
          remoteAddress,
          headers: { cookie: cookieHeader(), ...headers },
        }),
      ),
    post: async (url, form, options = {}) => {
      const csrf = options.csrf === undefined ? browser.csrfToken : options.csrf;
      const payload = new URLSearchParams({ ...(csrf === null ? {} : { _csrf: csrf }), ...form }).toString();
      const headers = {
        cookie: cookieHeader(),
        'content-type': 'application/x-www-form-urlencoded',
        ...options.headers,
      };
      return remember(await http.inject({ method: 'POST', url, payload, remoteAddress, headers }));
    },
  };
  return browser;
}

export const strongPassword = 'purple tractor sings loudly';

let registeredCustomers = 0;

/** A customer who registered on the storefront (which logs nobody in), and the browser that then logged in as them. */
export async function registerCustomer(
  app: TestApp,
  email: string,
  firstName: string,
  password = strongPassword,
) {
  // Each customer from their own client address: their logins use up no other test's per-IP limit.
  registeredCustomers += 1;
  const browser = createBrowser(app.http, `192.0.2.${registeredCustomers % 250}`);
  await browser.get('/account/register');
  const response = await browser.post('/account/register', {
    email,
    firstName,
    lastName: 'Jansen',
    password,
    passwordConfirmation: password,
  });
  if (response.statusCode !== 200 || !response.body.includes('Check your e-mail'))
    throw new Error(`registering ${email} failed: ${response.statusCode} ${response.body.slice(0, 200)}`);
  const customer = await app.services.customers.findByEmail(email);
  if (!customer) throw new Error(`${email} was not stored`);
  await browser.get('/account/login');
  const login = await browser.post('/account/login', { email, password });
  if (login.statusCode !== 303) throw new Error(`logging in ${email} failed: ${login.statusCode}`);
  await browser.get('/account'); // the account page's CSRF token
  return { browser, customer, sessionToken: browser.cookies.get(customerSessionCookie) ?? '' };
}

export type CollectedRoute = { method: string; url: string; isPublic: boolean };

/** A second server on the app's services, built with a route collector (the same code path as production). */
export async function serverWithRouteTable(
  app: TestApp,
): Promise<{ server: FastifyInstance; routes: CollectedRoute[] }> {
  const routes: CollectedRoute[] = [];
  const server = await createHttpServer(app.services, {
    onRoute: (route: RouteOptions) => {
      for (const method of [route.method].flat())
        routes.push({ method, url: route.url, isPublic: route.config?.isPublic === true });
    },
  });
  await server.ready();
  return { server, routes };
}

export const routeLabel = (route: CollectedRoute): string => `${route.method} ${route.url}`;
export const isBackOfficeRoute = (route: CollectedRoute): boolean =>
  route.url.startsWith('/api/v1') || route.url.startsWith('/admin');
/** Back-office routes open without a session on purpose (the login and setup pages and their API). */
export const isPublicBackOfficeRoute = (route: CollectedRoute): boolean =>
  route.isPublic || /^\/admin\/(login|setup)(\/|$)|^\/admin\/assets\//.test(route.url);
export const unsafeMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** A concrete URL for a route pattern: parameters become 1, a wildcard a page name. */
export const sampleUrl = (url: string): string => url.replace(/:[A-Za-z]+/g, '1').replace(/\*$/, 'customers');

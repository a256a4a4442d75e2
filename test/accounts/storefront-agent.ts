import type { FastifyInstance, LightMyRequestResponse } from 'fastify';

/**
 * A browser stand-in for the storefront pages: keeps cookies, reads the CSRF token from the last
 * page's form, and posts forms url-encoded like a browser does.
 */
export type StorefrontAgent = {
  cookies: Map<string, string>;
  csrfToken: string;
  get: (url: string, headers?: Record<string, string>) => Promise<LightMyRequestResponse>;
  post: (
    url: string,
    form: Record<string, string>,
    options?: { csrf?: string | null },
  ) => Promise<LightMyRequestResponse>;
};

/** `remoteAddress`: the client's IP address as the server sees it (default 127.0.0.1). */
export function createStorefrontAgent(http: FastifyInstance, remoteAddress?: string): StorefrontAgent {
  const cookies = new Map<string, string>();
  const agent: StorefrontAgent = {
    cookies,
    csrfToken: '',
    async get(url, headers = {}) {
      const response = await http.inject({
        method: 'GET',
        url,
        remoteAddress,
        headers: { cookie: cookieHeader(cookies), ...headers },
      });
      remember(response);
      return response;
    },
    async post(url, form, options = {}) {
      const csrf = options.csrf === undefined ? agent.csrfToken : options.csrf;
      const payload = new URLSearchParams({ ...(csrf === null ? {} : { _csrf: csrf }), ...form }).toString();
      const response = await http.inject({
        method: 'POST',
        url,
        remoteAddress,
        payload,
        headers: { cookie: cookieHeader(cookies), 'content-type': 'application/x-www-form-urlencoded' },
      });
      remember(response);
      return response;
    },
  };
  function remember(response: LightMyRequestResponse) {
    for (const cookie of response.cookies) {
      if (cookie.value === '' || (cookie.expires && cookie.expires.getTime() < Date.now()))
        cookies.delete(cookie.name);
      else cookies.set(cookie.name, cookie.value);
    }
    const token = /name="_csrf" value="([^"]+)"/.exec(response.body)?.[1];
    if (token) agent.csrfToken = token;
  }
  return agent;
}

const cookieHeader = (cookies: Map<string, string>) =>
  [...cookies].map(([name, value]) => `${name}=${value}`).join('; ');

/** Waits until `check` returns a value (polling), or fails after `timeoutMs`. */
export async function waitFor<T>(
  check: () => T | Promise<T>,
  timeoutMs = 20_000,
): Promise<Exclude<Awaited<T>, false | undefined | null>> {
  const start = Date.now();
  for (;;) {
    const value = await check();
    if (value) return value as Exclude<Awaited<T>, false | undefined | null>;
    if (Date.now() - start > timeoutMs) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

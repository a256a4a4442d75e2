import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import type { Readable } from 'node:stream';
import { AddressRefusedError, checkLiteralHost, guardedLookup } from './address-guard.ts';
import { fetchMessage, type FetchMessageKey } from './fetch-messages.ts';
import type { Credentials } from './source.schemas.ts';

/**
 * Fetches a source's URL: HTTPS (plain HTTP only for hosts the administrator allowed), basic auth
 * or a header token, conditional on the last file's ETag / Last-Modified (304: unchanged), at most
 * three redirects (each one checked again; the sign-in goes only to the source's own origin), a time limit for the answer and for silence on the
 * line. The body is streamed to the caller, which stops it at the file size limit.
 */

export type FetchedFile = {
  kind: 'file';
  body: Readable;
  fileName: string;
  etag: string | null;
  lastModified: string | null;
  abort: () => void;
};
export type FetchOutcome = FetchedFile | { kind: 'unchanged' };

export class SourceFetchError extends Error {
  override name = 'SourceFetchError';
  constructor(
    readonly code:
      | 'refused_address'
      | 'http_status'
      | 'too_many_redirects'
      | 'timeout'
      | 'network'
      | 'insecure'
      | 'not_found'
      | 'auth',
    readonly key: FetchMessageKey,
    readonly params: Record<string, string | number> = {},
  ) {
    super(fetchMessage(key, params, 'en'));
  }
}

/**
 * A connection's failure as a fetch error: a refused private address (address-guard.ts) says so,
 * anything else is the host that could not be reached and the system's error code.
 */
export function fetchErrorOf(error: unknown, host: string): SourceFetchError {
  if (error instanceof SourceFetchError) return error;
  if (isRefusedAddress(error)) {
    const refused = error as Partial<AddressRefusedError>;
    return new SourceFetchError('refused_address', 'refused_address', { host: refused.host ?? host, address: refused.address ?? host });
  }
  const { code, name } = error as { code?: string; name?: string };
  return new SourceFetchError('network', 'network', { host, cause: code ?? name ?? 'error' });
}

/** The address guard refused the connection; by name as well: a client library may hand on a copy of its error. */
export function isRefusedAddress(error: unknown): boolean {
  const { code, name } = error as { code?: string; name?: string };
  return error instanceof AddressRefusedError || name === 'AddressRefusedError' || code === 'EADDRREFUSED';
}

export type UrlFetchOptions = {
  allowedHosts: readonly string[];
  timeoutMs: number;
  previous: { etag: string | null; lastModified: string | null };
  credentials: Credentials;
};

const fileNameOf = (url: URL, response: IncomingMessage) => {
  const disposition = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(
    String(response.headers['content-disposition'] ?? ''),
  );
  const fromPath = decodeURIComponent(url.pathname.split('/').pop() ?? '');
  return (disposition?.[1] ?? fromPath) || 'download.csv';
};

/** `withCredentials`: false after a redirect to another origin — the sign-in is for the source's own host only. */
function request(url: URL, options: UrlFetchOptions, withCredentials: boolean): Promise<IncomingMessage> {
  checkLiteralHost(url.hostname, options.allowedHosts);
  const headers: Record<string, string> = {
    'user-agent': 'Clientele recurring import',
    accept: 'text/csv, application/vnd.openxmlformats-officedocument.spreadsheetml.sheet, */*',
  };
  if (options.previous.etag) headers['if-none-match'] = options.previous.etag;
  if (options.previous.lastModified) headers['if-modified-since'] = options.previous.lastModified;
  if (withCredentials && options.credentials.kind === 'basic')
    headers.authorization = `Basic ${Buffer.from(`${options.credentials.username}:${options.credentials.password}`).toString('base64')}`;
  if (withCredentials && options.credentials.kind === 'header')
    headers[options.credentials.header.toLowerCase()] = options.credentials.value;
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.get(
      url,
      { headers, lookup: guardedLookup(options.allowedHosts) as never, timeout: options.timeoutMs },
      resolve,
    );
    // No answer in time, or silence on the line for as long.
    const deadline = setTimeout(
      () =>
        req.destroy(
          new SourceFetchError('timeout', 'timeout_answer', {
            host: url.host,
            seconds: Math.round(options.timeoutMs / 1000),
          }),
        ),
      options.timeoutMs,
    );
    req.on('response', () => clearTimeout(deadline));
    req.on('timeout', () =>
      req.destroy(
        new SourceFetchError('timeout', 'timeout_silence', {
          host: url.host,
          seconds: Math.round(options.timeoutMs / 1000),
        }),
      ),
    );
    req.on('error', (error) => {
      clearTimeout(deadline);
      reject(error);
    });
  });
}

export async function fetchUrl(address: string, options: UrlFetchOptions): Promise<FetchOutcome> {
  let url = new URL(address);
  const origin = url.origin;
  for (let redirects = 0; ; redirects++) {
    const isAllowedHost = options.allowedHosts.includes(url.hostname);
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isAllowedHost)) {
      throw new SourceFetchError('insecure', 'insecure', { address: url.href });
    }
    let response: IncomingMessage;
    try {
      response = await request(url, options, url.origin === origin);
    } catch (error) {
      throw fetchErrorOf(error, url.host);
    }
    const status = response.statusCode ?? 0;
    if (status >= 300 && status < 400 && status !== 304 && response.headers.location) {
      response.resume();
      if (redirects >= 3)
        throw new SourceFetchError('too_many_redirects', 'too_many_redirects', { address });
      url = new URL(response.headers.location, url);
      continue;
    }
    if (status === 304) {
      response.resume();
      return { kind: 'unchanged' };
    }
    if (status === 401 || status === 403) {
      response.resume();
      throw new SourceFetchError('auth', 'auth_http', { host: url.host, status });
    }
    if (status === 404) {
      response.resume();
      throw new SourceFetchError('not_found', 'not_found_http', { address: url.href });
    }
    if (status !== 200) {
      response.resume();
      throw new SourceFetchError('http_status', 'http_status', { host: url.host, status });
    }
    const header = (name: string) => {
      const value = response.headers[name];
      return typeof value === 'string' ? value : null;
    };
    return {
      kind: 'file',
      body: response,
      fileName: fileNameOf(url, response),
      etag: header('etag'),
      lastModified: header('last-modified'),
      abort: () => response.destroy(),
    };
  }
}

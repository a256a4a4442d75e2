/**
 * A tiny typed fetch client for /api/v1. It sends the session's CSRF token on state-changing
 * requests and turns every non-2xx answer into an ApiError, so screens can switch on `code`
 * and show field errors next to their inputs.
 */
export type FieldError = { code: string; message: string };
export type FieldErrors = Record<string, FieldError>;

type ErrorBody = {
  error?: {
    code?: unknown;
    message?: unknown;
    fields?: unknown;
    existingCustomerId?: unknown;
    requestId?: unknown;
  };
};

export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: FieldErrors = {},
    /** Extra details the server adds to some errors, e.g. `existingCustomerId` on a duplicate e-mail. */
    readonly details: { existingCustomerId?: number; requestId?: string } = {},
  ) {
    super(message);
  }
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export type QueryParams = Record<string, string | number | undefined | null>;

export type ApiClient = {
  request: <T>(
    method: HttpMethod,
    path: string,
    options?: { body?: unknown; query?: QueryParams },
  ) => Promise<T>;
  get: <T>(path: string, query?: QueryParams) => Promise<T>;
  post: <T>(path: string, body?: unknown) => Promise<T>;
  patch: <T>(path: string, body?: unknown) => Promise<T>;
  delete: <T>(path: string) => Promise<T>;
  setCsrfToken: (token: string | undefined) => void;
};

const apiBase = '/api/v1';

export function buildUrl(path: string, query: QueryParams = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const search = params.toString();
  return `${apiBase}${path}${search ? `?${search}` : ''}`;
}

async function toApiError(response: Response): Promise<ApiError> {
  let body: ErrorBody = {};
  try {
    body = (await response.json()) as ErrorBody;
  } catch {
    // Not JSON (a proxy error page, for instance): fall back to the status text below.
  }
  const error = body.error ?? {};
  const code = typeof error.code === 'string' ? error.code : 'http_error';
  const message =
    typeof error.message === 'string' ? error.message : response.statusText || `HTTP ${response.status}`;
  const fields = isFieldErrors(error.fields) ? error.fields : {};
  const details = {
    ...(typeof error.existingCustomerId === 'number' && { existingCustomerId: error.existingCustomerId }),
    ...(typeof error.requestId === 'string' && { requestId: error.requestId }),
  };
  return new ApiError(response.status, code, message, fields, details);
}

function isFieldErrors(value: unknown): value is FieldErrors {
  if (typeof value !== 'object' || value === null) return false;
  return Object.values(value).every(
    (field) => typeof field === 'object' && field !== null && typeof (field as FieldError).code === 'string',
  );
}

export function createApiClient(fetchImpl: typeof fetch = (...args) => fetch(...args)): ApiClient {
  let csrfToken: string | undefined;

  async function request<T>(
    method: HttpMethod,
    path: string,
    options: { body?: unknown; query?: QueryParams } = {},
  ): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
    let response: Response;
    try {
      response = await fetchImpl(buildUrl(path, options.query), {
        method,
        headers,
        credentials: 'same-origin',
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
      });
    } catch {
      throw new ApiError(
        0,
        'network_error',
        'The server cannot be reached. Check your connection and try again.',
      );
    }
    if (!response.ok) throw await toApiError(response);
    if (response.status === 204) return undefined as T;
    return (await response.json()) as T;
  }

  return {
    request,
    get: (path, query) => request('GET', path, { query }),
    post: (path, body) => request('POST', path, { body: body ?? {} }),
    patch: (path, body) => request('PATCH', path, { body: body ?? {} }),
    delete: (path) => request('DELETE', path),
    setCsrfToken: (token) => {
      csrfToken = token;
    },
  };
}

/**
 * A tiny typed fetch client for /api/v1. It sends the session's CSRF token on state-changing
 * requests and turns every non-2xx answer into an ApiError, so screens can switch on `code`
 * and show field errors next to their inputs.
 */
/** `params` fill the translated text where it names more than the field (the expected form of a number). */
export type FieldError = { code: string; message: string; params?: Record<string, string | number> };
export type FieldErrors = Record<string, FieldError>;

type ErrorBody = {
  error?: {
    code?: unknown;
    message?: unknown;
    fields?: unknown;
    existingCustomerId?: unknown;
    requestId?: unknown;
    reason?: unknown;
  };
};

export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: FieldErrors = {},
    /**
     * Extra details the server adds to some errors, e.g. `existingCustomerId` on a duplicate
     * e-mail, or `reason` on a refused upload (`too_large`, `legacy_xls`, …).
     */
    readonly details: { existingCustomerId?: number; requestId?: string; reason?: string } = {},
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
  put: <T>(path: string, body?: unknown) => Promise<T>;
  patch: <T>(path: string, body?: unknown) => Promise<T>;
  delete: <T>(path: string) => Promise<T>;
  /** Sends a file as the raw request body (streamed by the server), reporting upload progress. */
  upload: <T>(path: string, file: Blob, options?: UploadOptions) => Promise<T>;
  setCsrfToken: (token: string | undefined) => void;
};

export type UploadOptions = {
  query?: QueryParams;
  /** Bytes sent so far and the file's size. */
  onProgress?: (sentBytes: number, totalBytes: number) => void;
  signal?: AbortSignal;
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
  return apiErrorOf(response.status, response.statusText, body);
}

function apiErrorOf(status: number, statusText: string, body: ErrorBody): ApiError {
  const error = body.error ?? {};
  const code = typeof error.code === 'string' ? error.code : 'http_error';
  const message = typeof error.message === 'string' ? error.message : statusText || `HTTP ${status}`;
  const fields = isFieldErrors(error.fields) ? error.fields : {};
  const details = {
    ...(typeof error.existingCustomerId === 'number' && { existingCustomerId: error.existingCustomerId }),
    ...(typeof error.requestId === 'string' && { requestId: error.requestId }),
    ...(typeof error.reason === 'string' && { reason: error.reason }),
  };
  return new ApiError(status, code, message, fields, details);
}

const networkError = () =>
  new ApiError(0, 'network_error', 'The server cannot be reached. Check your connection and try again.');

/**
 * fetch cannot report upload progress, XMLHttpRequest can: the file goes as the raw body
 * (`application/octet-stream`), with the CSRF token like every state-changing request.
 */
function uploadFile<T>(
  url: string,
  file: Blob,
  csrfToken: string | undefined,
  options: UploadOptions,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    xhr.withCredentials = true;
    xhr.setRequestHeader('accept', 'application/json');
    xhr.setRequestHeader('content-type', 'application/octet-stream');
    if (csrfToken) xhr.setRequestHeader('x-csrf-token', csrfToken);
    xhr.upload.onprogress = (event) =>
      options.onProgress?.(event.loaded, event.lengthComputable ? event.total : file.size);
    xhr.onload = () => {
      let body: unknown;
      try {
        body = xhr.responseText ? JSON.parse(xhr.responseText) : undefined;
      } catch {
        body = undefined;
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve(body as T);
      else reject(apiErrorOf(xhr.status, xhr.statusText, (body ?? {}) as ErrorBody));
    };
    xhr.onerror = () => reject(networkError());
    xhr.onabort = () => reject(new DOMException('The upload was cancelled.', 'AbortError'));
    options.signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    xhr.send(file);
  });
}

function isFieldErrors(value: unknown): value is FieldErrors {
  if (typeof value !== 'object' || value === null) return false;
  return Object.values(value).every(
    (field) => typeof field === 'object' && field !== null && typeof (field as FieldError).code === 'string',
  );
}

export function createApiClient(
  fetchImpl: typeof fetch = (...args) => fetch(...args),
  /** Called when the server answers that its database cannot be reached (503 `unavailable`). */
  onUnavailable: () => void = () => {},
): ApiClient {
  let csrfToken: string | undefined;
  const noticed = (error: ApiError) => {
    if (error.status === 503 && error.code === 'unavailable') onUnavailable();
    return error;
  };

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
      throw networkError();
    }
    if (!response.ok) throw noticed(await toApiError(response));
    if (response.status === 204) return undefined as T;
    return (await response.json()) as T;
  }

  return {
    request,
    get: (path, query) => request('GET', path, { query }),
    post: (path, body) => request('POST', path, { body: body ?? {} }),
    put: (path, body) => request('PUT', path, { body: body ?? {} }),
    patch: (path, body) => request('PATCH', path, { body: body ?? {} }),
    delete: (path) => request('DELETE', path),
    upload: <T>(path: string, file: Blob, options: UploadOptions = {}) =>
      uploadFile<T>(buildUrl(path, options.query), file, csrfToken, options).catch((error: unknown) => {
        throw error instanceof ApiError ? noticed(error) : error;
      }),
    setCsrfToken: (token) => {
      csrfToken = token;
    },
  };
}

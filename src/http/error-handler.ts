import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { storefrontUnavailablePage } from '../accounts/storefront-unavailable.ts';
import { isConnectionLost } from '../db/database.ts';
import { AppError, type ErrorCode, type FieldErrors } from '../shared/errors.ts';
import { fieldErrorsFromIssues } from '../shared/validation.ts';

/** The one table from error code to HTTP status. */
export const statusByCode: Record<ErrorCode, number> = {
  invalid_input: 422,
  not_found: 404,
  conflict: 409,
  forbidden: 403,
  unauthenticated: 401,
  rate_limited: 429,
  payload_too_large: 413,
  unavailable: 503,
  // A search or list that ran past its statement timeout: asking again the same way would too.
  too_broad: 422,
  // A search while the search indexes are built after a large first import: asking again soon will do.
  index_building: 503,
};

export type ErrorBody = { error: { code: string; message: string; fields?: FieldErrors; requestId?: string } };

/** Seconds a client is told to wait while the database cannot be reached. */
export const outageRetryAfterSeconds = 5;

/**
 * Every error leaves as `{ error: { code, message, fields? } }`; a lost database connection as a
 * 503 with Retry-After (on the storefront as a page in the customer's language); unknown errors
 * as a 500 with the request id.
 */
export function registerErrorHandling(app: FastifyInstance, options: { shopName: string }): void {
  app.setErrorHandler((error: FastifyError | AppError, request, reply) => {
    if (error instanceof AppError) {
      const { code, message, fields, details } = error;
      return reply.status(statusByCode[code]).send({ error: { ...details, code, message, ...(fields && { fields }) } });
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const issues = error.validation.map((issue) => ({
        code: issue.keyword,
        path: issue.instancePath.split('/').filter(Boolean),
        message: issue.message ?? 'Invalid value.',
        ...(issue.params as Record<string, unknown>),
      }));
      const fields = fieldErrorsFromIssues(issues as never);
      return reply.status(422).send({ error: { code: 'invalid_input', message: 'Some fields are not valid.', fields } });
    }
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return reply.status(413).send({ error: { code: 'payload_too_large', message: 'The request body is too large.' } });
    }
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      const code = status === 429 ? 'rate_limited' : status === 415 ? 'unsupported_media_type' : 'invalid_input';
      return reply.status(status).send({ error: { code, message: error.message } });
    }
    // The database is restarting or failing over: say so, and that it is worth trying again soon.
    if (isConnectionLost(error)) {
      request.log.warn({ err: error }, 'database unreachable');
      reply.status(503).header('retry-after', String(outageRetryAfterSeconds));
      if (isStorefrontPage(request.url)) {
        const page = storefrontUnavailablePage(
          {
            url: request.url,
            method: request.method,
            query: new URL(request.url, 'http://x').searchParams.get('lang') ?? undefined,
            cookie: request.cookies?.[storefrontLanguageCookie],
            acceptLanguage: request.headers['accept-language'],
          },
          options.shopName,
        );
        return reply.header('cache-control', 'no-store').type('text/html; charset=utf-8').send(page);
      }
      return reply.send({ error: { code: 'unavailable', message: 'The database cannot be reached right now. Try again in a moment.', requestId: String(request.id) } });
    }
    request.log.error({ err: error }, 'unhandled error');
    return reply.status(500).send({
      error: { code: 'internal', message: 'Something went wrong on our side.', requestId: String(request.id) },
    });
  });

  app.setNotFoundHandler((request, reply) =>
    reply.status(404).send({ error: { code: 'not_found', message: `No route for ${request.method} ${request.url.split('?')[0]}.` } }),
  );
}

/** The language cookie the storefront sets (src/accounts/storefront.routes.ts). */
const storefrontLanguageCookie = 'clientele_lang';

const isStorefrontPage = (url: string) => url === '/account' || url.startsWith('/account/') || url.startsWith('/account?');

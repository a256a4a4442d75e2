/**
 * The one error vocabulary of Clientele. Services throw AppError with a code from this closed
 * union; `http/error-handler.ts` maps codes to HTTP statuses in one table.
 */
export const errorCodes = [
  'invalid_input',
  'not_found',
  'conflict',
  'forbidden',
  'unauthenticated',
  'rate_limited',
  'payload_too_large',
  'unavailable',
  'too_broad',
  'index_building',
] as const;
export type ErrorCode = (typeof errorCodes)[number];

/**
 * Field-level problems, keyed by field path (`email`, `billingAddress.country`): a stable code the
 * UI translates (see FieldErrorCode in customers/customer.rules.ts) and an English message; `params`
 * fill the UI's text where it names more than the field (the expected form of a number).
 */
export type FieldError = { code: string; message: string; params?: Record<string, string | number> };
export type FieldErrors = Record<string, FieldError>;

export class AppError extends Error {
  override name = 'AppError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly fields?: FieldErrors,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

export const notFound = (what: string): AppError => new AppError('not_found', `${what} was not found.`);
export const invalidInput = (message: string, fields?: FieldErrors): AppError =>
  new AppError('invalid_input', message, fields);

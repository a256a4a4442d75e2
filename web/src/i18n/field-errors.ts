import type { TFunction } from 'i18next';
import type { FieldErrors } from '../api/http-client.ts';

/**
 * Server field errors, translated by their stable `code` into the screen's language; a code the
 * UI does not know yet falls back to the server's (English) message rather than hiding it.
 */
export function translateFieldError(error: { code: string; message: string; params?: Record<string, string | number> }, t: TFunction): string {
  const key = `fieldErrors.${error.code}`;
  return t(key, { ...error.params, defaultValue: error.message });
}

export function translateFieldErrors(fields: FieldErrors, t: TFunction): Record<string, string> {
  return Object.fromEntries(
    Object.entries(fields).map(([path, error]) => [path, translateFieldError(error, t)]),
  );
}

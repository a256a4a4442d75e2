import type { FieldErrors } from '../shared/errors.ts';
import { err, ok, type Result } from '../shared/result.ts';

/** The placeholders a template may use; staff see this list beside the editor. */
export const placeholderNames = [
  'reset_link',
  'first_name',
  'last_name',
  'email',
  'shop_name',
  'shop_url',
] as const;
export type PlaceholderName = (typeof placeholderNames)[number];
export type PlaceholderValues = Record<PlaceholderName, string>;

export const templateKeys = [
  'account_password',
  'password_reset',
  'account_created',
  'password_changed',
] as const;
/** Templates that carry a reset link: sent by staff / bulk (account_password) or asked for on the storefront (password_reset). */
export const resetLinkTemplateKeys: readonly TemplateKey[] = ['account_password', 'password_reset'];
export type TemplateKey = (typeof templateKeys)[number];

// `[[ name ]]`; rich-text editors may percent-encode the brackets inside an href.
const placeholderPattern = /\[\[\s*([^[\]]*?)\s*\]\]/g;
const encodedPlaceholderPattern = /%5B%5B\s*([A-Za-z0-9_]+)\s*%5D%5D/gi;

const isPlaceholderName = (name: string): name is PlaceholderName =>
  (placeholderNames as readonly string[]).includes(name);

/** `%5B%5Breset_link%5D%5D` (an editor's encoded href) → `[[reset_link]]`. */
export const decodePlaceholders = (text: string): string => text.replace(encodedPlaceholderPattern, '[[$1]]');

/** Every placeholder name used in a text, in order of first use. */
export function placeholdersIn(text: string): string[] {
  const names = [...decodePlaceholders(text).matchAll(placeholderPattern)].map((match) => match[1] ?? '');
  return [...new Set(names)];
}

/**
 * Checks a template before it is saved: every placeholder must be a known one, and an e-mail that
 * exists to deliver a reset link must contain `[[reset_link]]` (without it the customer cannot set a password).
 */
export function checkTemplatePlaceholders(
  key: TemplateKey,
  subject: string,
  bodyHtml: string,
): Result<true, FieldErrors> {
  const fields: FieldErrors = {};
  for (const [field, text] of [
    ['subject', subject],
    ['bodyHtml', bodyHtml],
  ] as const) {
    const unknown = placeholdersIn(text).filter((name) => !isPlaceholderName(name));
    if (unknown.length > 0) {
      const list = unknown.map((name) => `[[${name}]]`).join(', ');
      fields[field] = {
        code: 'placeholder_unknown',
        message: `Unknown placeholder ${list}. Use one of: ${placeholderNames.map((name) => `[[${name}]]`).join(', ')}.`,
      };
    }
  }
  if (
    resetLinkTemplateKeys.includes(key) &&
    !fields.bodyHtml &&
    !placeholdersIn(bodyHtml).includes('reset_link')
  ) {
    fields.bodyHtml = {
      code: 'placeholder_required',
      message: 'This e-mail must contain [[reset_link]]: without it the customer cannot set a password.',
    };
  }
  return Object.keys(fields).length > 0 ? err(fields) : ok(true);
}

/** Replaces known placeholders with `escape(value)`; unknown ones are left as written. */
export function fillPlaceholders(
  text: string,
  values: PlaceholderValues,
  escape: (value: string) => string = (value) => value,
): string {
  return decodePlaceholders(text).replace(placeholderPattern, (whole, name: string) =>
    isPlaceholderName(name) ? escape(values[name]) : whole,
  );
}

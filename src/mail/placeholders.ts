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
  'registration_attempt',
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
  const misplaced = misplacedResetLinkIn(subject, bodyHtml);
  if (misplaced) fields[misplaced] ??= resetLinkPositionError();
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

// The reset link as the whole target of a link: `<a … href="[[reset_link]]">` (quotes either way).
const resetLinkAsLinkTarget = /<a\s(?:[^>]*?\s)?href\s*=\s*(["'])\s*\[\[\s*reset_link\s*\]\]\s*\1/gi;
const resetLinkAnywhere = /\[\[\s*reset_link\s*\]\]/g;

/**
 * Where `[[reset_link]]` stands anywhere but as a link's whole target: inside another URL (an
 * image source, a tracking or third-party address), another attribute, the text or the subject.
 * There the filled-in link — a live, single-use token — would be sent to another site when the
 * mail is opened (an image loads by itself) or be shown where it is easy to pass on.
 */
function misplacedResetLinkIn(subject: string, bodyHtml: string): 'subject' | 'bodyHtml' | undefined {
  if ((decodePlaceholders(subject).match(resetLinkAnywhere) ?? []).length > 0) return 'subject';
  const body = decodePlaceholders(bodyHtml);
  const all = (body.match(resetLinkAnywhere) ?? []).length;
  const asTarget = (body.match(resetLinkAsLinkTarget) ?? []).length;
  return all > asTarget ? 'bodyHtml' : undefined;
}

const resetLinkPositionError = () => ({
  code: 'placeholder_reset_link_position',
  message:
    '[[reset_link]] may only be the target of a link (a link to “The password link”). Here it also stands inside another address, an image or another attribute, or in the text, where the customer’s one-time password link could reach another site. Remove it there.',
});

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

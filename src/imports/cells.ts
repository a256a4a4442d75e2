import { domainToASCII, domainToUnicode } from 'node:url';
import { z } from 'zod';
import { identifyPasswordHash, importedHashAlgorithms, type ImportedHashAlgorithm } from '../accounts/legacy-hash-format.ts';
import { normalizeEmail } from '../customers/customer.rules.ts';
import { ok } from '../shared/result.ts';
import { fail, isScientificNotation, scientificNotationError, type CellResult } from './cell-result.ts';

// The parsers of dates, phones and postcodes, and the result type, for the modules that parse cells through this one.
export { importCellErrorCodes, isScientificNotation, scientificNotationError, type CellError, type CellErrorCode, type CellResult } from './cell-result.ts';
export { detectDateOrder, excelSerialToIso, parseDateCell, type DateCellOptions, type DateOrder } from './date-cells.ts';
export { formatPostcode, parsePhoneCell, parsePostcodeCell, suggestedFixCodes, type SuggestedFixCode } from './phone-postcode-cells.ts';

/**
 * Pure per-cell parsers of the import. Each returns a Result whose error has a stable `code`
 * (the customer FieldErrorCodes plus the import's own), an English message and `params` for
 * translation. Rules and their reasons are written down in docs/import-format.md.
 */

/**
 * Undoes what spreadsheets and exporters put around a value, then trims:
 * - `="0612345678"` (the CSV trick that forces Excel to keep text) → `0612345678`;
 * - one leading `'` when followed by `= + - @`, tab or CR (our export's formula-injection guard,
 *   OWASP "CSV Injection"), by a digit (Shopify: `'+31…`, `'1234AB`, `'0612…`) or by another `'`
 *   (the export doubles the apostrophe of a value that itself starts with `'` and one of these,
 *   so the round trip is exact — the contract is in docs/import-format.md).
 * A `'` before a letter is data and stays: `'s-Hertogenbosch`, `'t Hart`.
 */
export function cleanCell(raw: string): string {
  let value = raw.trim();
  const forcedText = /^="(.*)"$/s.exec(value);
  if (forcedText) value = (forcedText[1] ?? '').replace(/""/g, '"');
  if (/^'[=+\-@\t\r0-9']/.test(value)) value = value.slice(1);
  return value.trim();
}

/**
 * The exporter's formula-injection guard, the exact inverse of `cleanCell`'s apostrophe rule:
 * a value starting with `= + - @`, tab or CR gets a `'` (OWASP "CSV Injection"), and so does a
 * value that starts with `'` followed by one of those, a digit or another `'` — otherwise the
 * import would take that apostrophe for a guard. For the export (#5) to use.
 */
export function guardCellForExport(value: string): string {
  return /^[=+\-@\t\r]/.test(value) || /^'[=+\-@\t\r0-9']/.test(value) ? `'${value}` : value;
}

/**
 * For a typed text cell (XLSX), which no spreadsheet runs as a formula: no guard, only the
 * apostrophe `cleanCell` would otherwise take away — a value starting with `'` and one of the
 * guarded characters, a digit or another `'`, or one written as `="…"` — so that
 * `cleanCell(keepCellForImport(v)) === v`.
 */
export function keepCellForImport(value: string): string {
  return /^'[=+\-@\t\r0-9']/.test(value) || /^="(.*)"$/s.test(value.trim()) ? `'${value}` : value;
}

/** Single-line text: runs of white space (also newlines) become one space. */
export function parseTextCell(value: string, maxLength: number | undefined, isMultiline = false): CellResult<string> {
  const text = isMultiline ? value.replace(/\r\n?/g, '\n') : value.replace(/\s+/g, ' ');
  if (maxLength !== undefined && text.length > maxLength) {
    return fail('too_long', `This is ${text.length} characters long; at most ${maxLength} fit.`, { length: text.length, max: maxLength });
  }
  return ok(text);
}

const trueWords = ['yes', 'y', 'ja', 'j', 'true', 'waar', '1', 'x', 'on', '✓', '✔'];
const falseWords = ['no', 'n', 'nee', 'false', 'onwaar', '0', 'off', '-'];
/** Field-specific words, e.g. Lightspeed's customer type or Shopify's marketing states. */
export const booleanVocabularies: Record<string, { true: readonly string[]; false: readonly string[] }> = {
  isCompany: { true: ['company', 'business', 'b2b', 'zakelijk', 'bedrijf'], false: ['private', 'person', 'consumer', 'b2c', 'particulier', 'prive', 'privé'] },
  newsletter: { true: ['subscribed', 'opted in', 'aangemeld'], false: ['unsubscribed', 'not subscribed', 'not_subscribed', 'pending', 'afgemeld'] },
};

/** yes/no in English and Dutch; an empty cell is `null` (no value given). */
export function parseBooleanCell(value: string, field?: string): CellResult<boolean | null> {
  const word = value.trim().toLowerCase();
  if (word === '') return ok(null);
  const extra = field === undefined ? undefined : booleanVocabularies[field];
  if (trueWords.includes(word) || extra?.true.includes(word)) return ok(true);
  if (falseWords.includes(word) || extra?.false.includes(word)) return ok(false);
  return fail('boolean_invalid', `“${value}” is not yes or no. Use yes/no, ja/nee, true/false, 1/0 or x for yes.`, { value });
}

const genderWords: Record<string, 'male' | 'female' | 'other' | null> = {
  male: 'male', m: 'male', man: 'male', heer: 'male', 'de heer': 'male', dhr: 'male', mr: 'male', mister: 'male', sir: 'male',
  female: 'female', f: 'female', v: 'female', vrouw: 'female', woman: 'female', mevrouw: 'female', mevr: 'female', mw: 'female', mrs: 'female', ms: 'female', miss: 'female',
  other: 'other', anders: 'other', x: 'other', divers: 'other', 'non-binary': 'other', nonbinary: 'other', 'non binary': 'other',
  unknown: null, onbekend: null, 'not specified': null, 'n/a': null,
};

export function parseGenderCell(value: string): CellResult<'male' | 'female' | 'other' | null> {
  const word = value.trim().toLowerCase().replace(/\.$/, '');
  if (word === '') return ok(null);
  if (word in genderWords) return ok(genderWords[word] ?? null);
  return fail('invalid_choice', `“${value}” is not a gender we know. Use male/female/other (or man/vrouw/anders, m/v/x).`, { value });
}

const languageNames: Record<string, string> = {
  english: 'en', engels: 'en', anglais: 'en', englisch: 'en',
  dutch: 'nl', nederlands: 'nl', vlaams: 'nl', flemish: 'nl', néerlandais: 'nl', niederländisch: 'nl',
  german: 'de', duits: 'de', deutsch: 'de', allemand: 'de',
  french: 'fr', frans: 'fr', français: 'fr', francais: 'fr', französisch: 'fr',
  spanish: 'es', spaans: 'es', español: 'es', espanol: 'es',
  italian: 'it', italiaans: 'it', italiano: 'it',
};

/** Language codes (`nl`, `nl_NL`, `nl-BE`) and names in English, Dutch and the language itself. */
export function parseLanguageCell(value: string, supported: readonly string[]): CellResult<string> {
  const word = value.trim().toLowerCase();
  if (word === '') return ok('');
  const code = /^([a-z]{2})(?:[_-][a-z]{2,4})?$/.exec(word)?.[1] ?? languageNames[word];
  if (code !== undefined && supported.includes(code)) return ok(code);
  return fail('language_unknown', `“${value}” is not a language we support (${supported.join(', ')}).`, { value, supported: supported.join(', ') });
}

const emailSyntax = z.email();

/**
 * An e-mail address, normalised as customer identity (trim, NFC, lower case). Internationalised
 * domains are accepted (checked in their ASCII form, kept in Unicode, so `xn--mnchen-3ya.de` and
 * `münchen.de` are the same customer); a non-ASCII part before the @ is not, as most mail
 * servers refuse it. An address that only a stray character spoils (`jan@example.nl.`,
 * `jan @example.nl`) is still refused, with the address without it as a suggestion.
 */
export function parseEmailCell(value: string): CellResult<string> {
  const result = parseEmailAddress(value);
  if (result.ok || result.error.code !== 'email_invalid') return result;
  const suggestion = emailWithoutStrayCharacters(value);
  if (suggestion === undefined) return result;
  const typed = value.trim();
  return fail('email_invalid', `“${typed}” has a character that does not belong in an e-mail address (a dot or comma at the end, a space); did you mean ${suggestion}?`, { value: typed, suggestion }, suggestion);
}

/**
 * The address without what a typing slip or a copy leaves in it, when that makes a valid address:
 * invisible characters (zero-width spaces), `mailto:` in front, dots, commas and semicolons at the
 * end, spaces next to the @ or a dot. Nothing else is guessed: a space between two words, a tab or
 * a line break (cells run together, a header injection) gets no suggestion.
 */
export function emailWithoutStrayCharacters(value: string): string | undefined {
  const typed = value.trim();
  const cleaned = typed
    .replace(/[\u200B-\u200D\u2060\uFEFF]/g, '')
    .replace(/^mailto:/i, '')
    .replace(/[ \u00A0.,;]+$/, '')
    .replace(/[ \u00A0]*([@.])[ \u00A0]*/g, '$1')
    .trim();
  if (cleaned === typed || cleaned === '') return undefined;
  const parsed = parseEmailAddress(cleaned);
  return parsed.ok ? cleaned : undefined;
}

function parseEmailAddress(value: string): CellResult<string> {
  const email = normalizeEmail(value);
  if (email === '') return ok('');
  const invalid = fail('email_invalid', `“${value.trim()}” is not a valid e-mail address.`, { value: value.trim() });
  const at = email.lastIndexOf('@');
  // White space inside is never part of an address; checked here because domainToASCII (the URL
  // parser) would quietly drop tabs and line breaks: "a@exa\nmple.com" would become a@example.com.
  if (at <= 0 || /\s/.test(email)) return invalid;
  const [local, domain] = [email.slice(0, at), email.slice(at + 1)];
  if (/[^\x20-\x7e]/.test(local)) {
    return fail('email_invalid', `“${value.trim()}” has special characters before the @, which most mail servers refuse.`, { value: value.trim() });
  }
  const asciiDomain = domainToASCII(domain);
  if (asciiDomain === '' || !emailSyntax.safeParse(`${local}@${asciiDomain}`).success) return invalid;
  if (email.length > 254) return fail('too_long', `This e-mail address is ${email.length} characters long; at most 254 fit.`, { length: email.length, max: 254 });
  return ok(`${local}@${domainToUnicode(asciiDomain)}`);
}

export function parseIntegerCell(value: string): CellResult<number | null> {
  const text = value.trim();
  if (text === '') return ok(null);
  if (isScientificNotation(text)) return scientificNotationError(text);
  const number = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(number) || number === 0) {
    return fail('integer_invalid', `“${text}” is not a whole number.`, { value: text });
  }
  return ok(number);
}

/**
 * A list cell (customer groups, Shopify tags): items separated by comma, semicolon or vertical
 * bar, trimmed, empty ones dropped, duplicates (ignoring case) removed.
 */
/**
 * The items of a list cell, split on `,` `;` and `|`. An item in double quotes is one item
 * whatever it holds (`"Smith, Jones"`; `""` is a quote inside): the exporter quotes names that
 * contain a separator or start with a quote (`quoteListItem`), so export → import keeps them.
 */
export function splitListCell(value: string): string[] {
  const items: string[] = [];
  let index = 0;
  while (index <= value.length) {
    while (value[index] === ' ' || value[index] === '\t') index++;
    let item = '';
    if (value[index] === '"') {
      index++;
      while (index < value.length && !(value[index] === '"' && value[index + 1] !== '"')) {
        item += value[index];
        index += value[index] === '"' ? 2 : 1;
      }
      index++;
    }
    // After a closing quote, anything up to the next separator belongs to the item as typed.
    while (index < value.length && !',;|'.includes(value[index]!)) item += value[index++];
    items.push(item);
    index++;
  }
  return items;
}

/** A list item as the exporter writes it: quoted when it holds a separator or starts with a quote. */
export const quoteListItem = (item: string): string => (/[,;|]|^\s*"/.test(item) ? `"${item.replace(/"/g, '""')}"` : item);

export function parseListCell(value: string, maxItemLength = 100): CellResult<string[]> {
  const items: string[] = [];
  for (const raw of splitListCell(value)) {
    const item = raw.trim().replace(/\s+/g, ' ');
    if (item === '' || items.some((existing) => existing.toLowerCase() === item.toLowerCase())) continue;
    if (item.length > maxItemLength) {
      return fail('too_long', `“${item.slice(0, 40)}…” is ${item.length} characters long; a name has at most ${maxItemLength}.`, { length: item.length, max: maxItemLength });
    }
    items.push(item);
  }
  return ok(items);
}

/**
 * The algorithms login verifies (accounts/legacy-hash.ts): the import recognises a hash with the
 * very function the login uses, so whatever is imported can be verified at the first login —
 * Magento's `hash:salt` (md5 or sha256 by length) included, with or without `:version`.
 */
export const passwordAlgorithms = importedHashAlgorithms;
export type PasswordAlgorithm = ImportedHashAlgorithm;

/** A password hash from another platform, with the algorithm that verifies it at first login. */
export function parsePasswordHashCell(value: string): CellResult<{ hash: string; algorithm: PasswordAlgorithm } | null> {
  const hash = value.trim();
  if (hash === '') return ok(null);
  const algorithm = identifyPasswordHash(hash);
  if (!algorithm.ok) {
    return fail('password_hash_unknown', 'This password hash is in a format Clientele cannot verify (bcrypt, argon2, phpass, WordPress or Magento); the customer can set a new password instead.', {});
  }
  return ok({ hash, algorithm: algorithm.value });
}

/**
 * A Dutch Chamber of Commerce (KvK) number has 8 digits; fewer digits mean a spreadsheet took the
 * number for a number and dropped its leading zeros. The cell is reported with the padded value
 * as a suggestion (accepting the fix applies it).
 */
export function kvkLeadingZerosLost(value: string, country: string): string | undefined {
  const digits = value.trim();
  if (country !== 'NL' || !/^\d{1,7}$/.test(digits) || /^0/.test(digits)) return undefined;
  return digits.padStart(8, '0');
}

/**
 * A `?` inside or at the end of a word, where an ANSI ("Windows-1252" or older) save replaced a
 * letter the code page lacks: "Bj?rn", "?zt?rk", "Jos?". Only for names and address words,
 * where a question mark is never real.
 */
export function hasReplacedLetters(value: string): boolean {
  return /\p{L}\?|\?\p{L}/u.test(value);
}

/** Fields where a `?` means the file was saved in a code page that lacked a letter. */
export const replacedLetterFields: ReadonlySet<string> = new Set([
  'firstName', 'nameInsertion', 'lastName', 'companyName',
  ...['billing', 'shipping'].flatMap((kind) => ['attention', 'street', 'city', 'address2', 'region', ...(kind === 'shipping' ? ['company'] : [])].map((part) => `${kind}.${part}`)),
]);

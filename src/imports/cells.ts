import { domainToASCII, domainToUnicode } from 'node:url';
import { getCountryCallingCode, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import { z } from 'zod';
import { identifyPasswordHash, importedHashAlgorithms, type ImportedHashAlgorithm } from '../accounts/legacy-hash-format.ts';
import { normalizeEmail, normalizePostcode, parsePhone, type FieldErrorCode } from '../customers/customer.rules.ts';
import { err, ok, type Result } from '../shared/result.ts';

/**
 * Pure per-cell parsers of the import. Each returns a Result whose error has a stable `code`
 * (the customer FieldErrorCodes plus the import's own), an English message and `params` for
 * translation. Rules and their reasons are written down in docs/import-format.md.
 */

export const importCellErrorCodes = [
  'boolean_invalid',
  'date_ambiguous',
  'date_two_digit_year',
  'date_year_only',
  'excel_scientific_notation',
  'leading_zero_lost',
  'postcode_invalid',
  'integer_invalid',
  'password_hash_unknown',
  'letters_replaced',
  'extra_cells',
  'external_id_zeros_lost',
  'phone_unassigned',
  'postcode_not_issued',
] as const;
export type CellErrorCode = FieldErrorCode | (typeof importCellErrorCodes)[number];

export type CellError = {
  code: CellErrorCode;
  message: string;
  params: Record<string, string | number>;
  /** A value we think the cell had before a spreadsheet damaged it; applied only when accepted. */
  suggestion?: string;
};
export type CellResult<T> = Result<T, CellError>;

const fail = (code: CellErrorCode, message: string, params: Record<string, string | number> = {}, suggestion?: string): CellResult<never> =>
  err(suggestion === undefined ? { code, message, params } : { code, message, params, suggestion });

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

export const isScientificNotation = (value: string): boolean => /^[+-]?\d+(?:[.,]\d+)?e[+-]?\d+$/i.test(value.trim());

export function scientificNotationError(value: string): CellResult<never> {
  return fail(
    'excel_scientific_notation',
    `“${value}” was turned into scientific notation by Excel, which loses digits. Format the column as Text in Excel and type the values again, or export the file from its source as CSV.`,
    { value },
  );
}

/** What the file's dates look like: day first, month first, or undecided/contradictory. */
export type DateOrder = 'dmy' | 'mdy';

const dmyPattern = /^(\d{1,2})([-./])(\d{1,2})\2(\d{2}|\d{4})$/;

/**
 * Looks at a column's values: one slash date with a first part above 12 proves day/month/year,
 * one with a second part above 12 proves month/day/year. `mixed` when both occur.
 */
export function detectDateOrder(values: Iterable<string>): DateOrder | 'unknown' | 'mixed' {
  let isDmy = false;
  let isMdy = false;
  for (const value of values) {
    const match = dmyPattern.exec(value.trim());
    if (!match) continue;
    if (Number(match[1]) > 12) isDmy = true;
    if (Number(match[3]) > 12) isMdy = true;
  }
  return isDmy && isMdy ? 'mixed' : isDmy ? 'dmy' : isMdy ? 'mdy' : 'unknown';
}

function isoDate(year: number, month: number, day: number): string | undefined {
  const date = new Date(Date.UTC(year, month - 1, day));
  if (year < 1 || date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  return date.toISOString().slice(0, 10);
}

/** Excel's 1900 date system: serial 1 = 1900-01-01, with Lotus' non-existent 1900-02-29 as 60. */
export function excelSerialToIso(serial: number): string {
  const days = Math.floor(serial) - (serial < 60 ? 1 : 2);
  return new Date(Date.UTC(1900, 0, 1) + days * 86_400_000).toISOString().slice(0, 10);
}

export type DateCellOptions = { dateOrder?: DateOrder };

/**
 * Dates as `yyyy-mm-dd`, `dd-mm-yyyy`, `dd.mm.yyyy`, `dd/mm/yyyy` and Excel serial numbers.
 * With `-` and `.` the day comes first (nobody writes 12-31-1980 in our markets). With `/` the
 * order must be clear from the value or from `dateOrder`; otherwise the date is reported as
 * ambiguous instead of guessed. Two-digit years are reported, not guessed.
 */
export function parseDateCell(value: string, options: DateCellOptions = {}): CellResult<string | null> {
  const text = value.trim();
  if (text === '') return ok(null);
  const invalid = () => fail('date_invalid', `“${text}” is not a date we can read. Use day-month-year (31-12-1980) or year-month-day (1980-12-31).`, { value: text });
  const iso = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/.exec(text);
  if (iso) {
    const date = isoDate(Number(iso[1]), Number(iso[2]), Number(iso[3]));
    return date === undefined ? invalid() : ok(date);
  }
  if (/^\d{4}$/.test(text) && Number(text) >= 1900 && Number(text) <= 2100) {
    return fail('date_year_only', `“${text}” is only a year; a full date is needed.`, { value: text });
  }
  if (/^\d{2,5}(?:\.\d+)?$/.test(text) && Number(text) >= 61 && Number(text) < 2_958_466) return ok(excelSerialToIso(Number(text)));
  const parts = dmyPattern.exec(text);
  if (!parts) return invalid();
  const [first, separator, second, year] = [Number(parts[1]), parts[2], Number(parts[3]), parts[4] ?? ''];
  if (year.length === 2) {
    return fail('date_two_digit_year', `“${text}” has a two-digit year; write the year in full (e.g. 1980) so it is not guessed.`, { value: text });
  }
  let order: DateOrder | undefined = separator === '/' ? options.dateOrder : 'dmy';
  if (separator === '/' && first > 12 && second <= 12) order = 'dmy';
  if (separator === '/' && second > 12 && first <= 12) order = 'mdy';
  if (order === undefined && first !== second) {
    return fail('date_ambiguous', `“${text}” could be day/month/year or month/day/year. Write it as ${year}-mm-dd, or choose the date order of this file.`, { value: text });
  }
  const [day, month] = order === 'mdy' ? [second, first] : [first, second];
  const date = isoDate(Number(year), month, day);
  return date === undefined ? invalid() : ok(date);
}

const emailSyntax = z.email();

/**
 * An e-mail address, normalised as customer identity (trim, NFC, lower case). Internationalised
 * domains are accepted (checked in their ASCII form, kept in Unicode, so `xn--mnchen-3ya.de` and
 * `münchen.de` are the same customer); a non-ASCII part before the @ is not, as most mail
 * servers refuse it.
 */
export function parseEmailCell(value: string): CellResult<string> {
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

/** Fixes for spreadsheet damage, applied only when the user accepts them for a column. */
export const suggestedFixCodes = ['leading_zero_lost'] as const;
export type SuggestedFixCode = (typeof suggestedFixCodes)[number];

/** Countries whose national numbers start with a 0 that Excel drops when it reads them as numbers. */
const trunkZeroCountries = new Set(['NL', 'BE', 'DE', 'FR', 'GB', 'AT', 'CH']);

const isValidPhone = (value: string, country?: CountryCode) => parsePhoneNumberFromString(value, country)?.isValid() === true;

/**
 * A phone number in international format, national numbers read in `country`. Digits that only
 * make a valid number with a 0 in front (`612345678`) lost it in Excel: that is reported with the
 * suggestion, and fixed only when `isFixAccepted`.
 */
export function parsePhoneCell(value: string, country: string, isFixAccepted = false): CellResult<string> {
  const text = value.trim();
  if (text === '') return ok('');
  if (isScientificNotation(text)) return scientificNotationError(text);
  const defaultCountry = (trunkZeroCountries.has(country) || country === '' ? country || 'NL' : country) as CountryCode;
  const digits = text.replace(/[\s().-]/g, '');
  if (/^[1-9]\d{6,10}$/.test(digits) && trunkZeroCountries.has(defaultCountry)) {
    const withZero = `0${digits}`;
    const isInternational = digits.startsWith(getCountryCallingCode(defaultCountry)) && isValidPhone(`+${digits}`);
    if (!isInternational && isValidPhone(withZero, defaultCountry)) {
      if (!isFixAccepted) {
        return fail('leading_zero_lost', `“${text}” looks like a phone number whose leading 0 was removed by Excel; did you mean ${withZero}?`, { value: text, suggestion: withZero }, withZero);
      }
      return parsePhoneCell(withZero, country);
    }
  }
  const phone = parsePhone(text, defaultCountry);
  if (phone.ok) return ok(phone.value);
  // The right length for the country, in a range the numbering plan has not given out (06-0…, 06-7…).
  if (parsePhoneNumberFromString(text, defaultCountry)?.isPossible() === true) {
    return fail('phone_unassigned', `“${text}” has the form of a phone number, but its number range is not in use according to the numbering plan.`, { value: text });
  }
  return fail('phone_invalid', `“${text}” is not a valid phone number.`, { value: text });
}

const postcodeFormats: Record<string, { pattern: RegExp; example: string }> = {
  NL: { pattern: /^[1-9]\d{3} (?!SA|SD|SS)[A-Z]{2}$/, example: '1016 EE' },
  BE: { pattern: /^[1-9]\d{3}$/, example: '1000' },
  DE: { pattern: /^\d{5}$/, example: '10115' },
  FR: { pattern: /^\d{5}$/, example: '75001' },
  GB: { pattern: /^[A-Z]{1,2}\d[A-Z\d]? \d[A-Z]{2}$/, example: 'SW1A 1AA' },
  US: { pattern: /^\d{5}(?:-\d{4})?$/, example: '10001' },
};

/** Written the way the country writes it: NL "1016 EE", GB "SW1A 1AA"; others trimmed, upper case. */
export function formatPostcode(value: string, country: string): string {
  const compact = value.trim().toUpperCase().replace(/\s+/g, '');
  if (country === 'GB' && /^[A-Z0-9]{5,7}$/.test(compact)) return `${compact.slice(0, -3)} ${compact.slice(-3)}`;
  return normalizePostcode(value, country);
}

/**
 * Checks postcodes of NL, BE, DE, FR, GB and US; others are kept as typed. Without a country the
 * postcode is formatted as a `defaultCountry` postcode when it looks like one, and not checked.
 * Five-digit postcodes that lost their leading 0 (DE, FR, US) are a suggested fix.
 */
export function parsePostcodeCell(value: string, country: string, defaultCountry = 'NL', isFixAccepted = false): CellResult<string> {
  const text = value.trim();
  if (text === '') return ok('');
  if (isScientificNotation(text)) return scientificNotationError(text);
  if (country === '') {
    const formatted = formatPostcode(text, defaultCountry);
    return ok(postcodeFormats[defaultCountry]?.pattern.test(formatted) ? formatted : text.toUpperCase());
  }
  const postcode = formatPostcode(text, country);
  const format = postcodeFormats[country];
  if (!format || format.pattern.test(postcode)) return ok(postcode);
  if (['DE', 'FR', 'US'].includes(country) && /^\d{4}$/.test(postcode)) {
    const withZero = `0${postcode}`;
    if (isFixAccepted) return ok(withZero);
    return fail('leading_zero_lost', `“${text}” has four digits; Excel probably removed the leading 0 of ${withZero}.`, { value: text, suggestion: withZero }, withZero);
  }
  if (country === 'NL' && /^[1-9]\d{3} S[ADS]$/.test(postcode)) {
    return fail('postcode_not_issued', `“${text}” has the form of a Dutch postcode, but the letters SA, SD and SS are never given out.`, { value: text });
  }
  return fail('postcode_invalid', `“${text}” is not a valid postcode for ${country}, for example ${format.example}.`, { value: text, country, example: format.example });
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

import { checkVAT, countries as vatCountries } from 'jsvat';
import { err, ok, type Result } from '../shared/result.ts';

/**
 * Pure checks of a company's Chamber of Commerce (register) number and VAT number (issue #19,
 * point 3). No I/O. Each `parse*` returns the number as stored, or a problem: a stable `code`,
 * `params` and the message in English and Dutch, naming the form that was expected.
 */
export type NumberProblemCode =
  'kvk_invalid' | 'kbo_invalid' | 'handelsregister_invalid' | 'coc_too_long' | 'vat_invalid_form';
export type NumberProblem = {
  code: NumberProblemCode;
  params: Record<string, string | number>;
  message: { en: string; nl: string };
};

/** The longest register number kept for countries whose form is not checked. */
export const maxOtherCocLength = 40;

/** A correct number of each checked form, shown in the messages. */
export const cocExamples = { NL: '12345678', BE: '0123.456.749', DE: 'HRB 12345' } as const;

/** The messages, `{name}` filled from the problem's params. One table per language. */
const templates: Record<NumberProblemCode, { en: string; nl: string }> = {
  kvk_invalid: {
    en: 'KvK number must be 8 digits, like 12345678.',
    nl: 'Een KvK-nummer bestaat uit 8 cijfers, zoals 12345678.',
  },
  kbo_invalid: {
    en: 'KBO/BCE enterprise number must be 10 digits starting with 0 or 1, with valid check digits, like 0123.456.749.',
    nl: 'Een KBO-ondernemingsnummer bestaat uit 10 cijfers, begint met 0 of 1 en heeft geldige controlecijfers, zoals 0123.456.749.',
  },
  handelsregister_invalid: {
    en: 'Handelsregister number must be HRA or HRB followed by a number, like HRB 12345 (the court may follow: HRB 12345, Amtsgericht München).',
    nl: 'Een Handelsregister-nummer bestaat uit HRA of HRB en een nummer, zoals HRB 12345 (de rechtbank mag erachter: HRB 12345, Amtsgericht München).',
  },
  coc_too_long: {
    en: 'A company registration number can have at most {max} characters.',
    nl: 'Een inschrijvingsnummer kan hoogstens {max} tekens hebben.',
  },
  vat_invalid_form: {
    en: 'VAT number must start with its country code and have that country’s form and check digits, like {example}.',
    nl: 'Een btw-nummer begint met de landcode en heeft de vorm en controlecijfers van dat land, zoals {example}.',
  },
};

const fill = (template: string, params: Record<string, string | number>) =>
  template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));

function problem(code: NumberProblemCode, params: Record<string, string | number>): NumberProblem {
  const { en, nl } = templates[code];
  return { code, params, message: { en: fill(en, params), nl: fill(nl, params) } };
}

/** Spaces, dots and hyphens out: "1234.5678", "12 34 56 78" and "1234-5678" are the same number. */
const compact = (input: string) => input.replace(/[\s.\-/]/g, '');

/**
 * A register number in the form of `country`'s register (an ISO code):
 * - NL (KvK): 8 digits;
 * - BE (KBO/BCE): 10 digits starting with 0 or 1, the last two 97 minus the first eight modulo 97;
 *   stored as 0123.456.749 (a 9-digit number of before 2005 gets its leading 0);
 * - DE (Handelsregister): HRA or HRB and a number, with the court optionally before or after it;
 *   stored as "HRB 12345" or "HRB 12345, Amtsgericht München";
 * - elsewhere: free text (spaces collapsed) of at most `maxOtherCocLength` characters.
 */
export function parseCocNumber(input: string, country: string): Result<string, NumberProblem> {
  const value = input.trim().replace(/\s+/g, ' ');
  if (value === '') return ok('');
  switch (country.toUpperCase()) {
    case 'NL': {
      const digits = compact(value);
      return /^\d{8}$/.test(digits)
        ? ok(digits)
        : err(problem('kvk_invalid', { value: input, example: cocExamples.NL }));
    }
    case 'BE': {
      const digits = compact(value).replace(/^BE/i, '');
      const full = /^\d{9}$/.test(digits) ? `0${digits}` : digits;
      if (!/^[01]\d{9}$/.test(full) || !hasBelgianCheckDigits(full))
        return err(problem('kbo_invalid', { value: input, example: cocExamples.BE }));
      return ok(`${full.slice(0, 4)}.${full.slice(4, 7)}.${full.slice(7)}`);
    }
    case 'DE':
      return parseHandelsregister(value, input);
    default:
      return value.length <= maxOtherCocLength
        ? ok(value)
        : err(problem('coc_too_long', { value: input, max: maxOtherCocLength }));
  }
}

/** Belgian enterprise numbers: the last two digits are 97 − (the first eight mod 97). */
function hasBelgianCheckDigits(digits: string): boolean {
  return 97 - (Number(digits.slice(0, 8)) % 97) === Number(digits.slice(8));
}

function parseHandelsregister(value: string, input: string): Result<string, NumberProblem> {
  // "HRB 12345", "HRB12345 B" (the Berlin suffix), "Amtsgericht München HRB 12345", "HRB 12345, AG Köln".
  const match = /(^|[\s,;(])(HRA|HRB)\s*(\d{1,6})(\s?B)?(?=$|[\s,;)])/i.exec(value);
  if (!match) return err(problem('handelsregister_invalid', { value: input, example: cocExamples.DE }));
  const register = `${match[2]!.toUpperCase()} ${match[3]}${match[4] ? ` ${match[4].trim().toUpperCase()}` : ''}`;
  const court = `${value.slice(0, match.index)} ${value.slice(match.index + match[0].length)}`
    .replace(/[(),;]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  const stored = court === '' ? register : `${register}, ${court}`;
  return stored.length <= maxOtherCocLength * 2
    ? ok(stored)
    : err(problem('handelsregister_invalid', { value: input, example: cocExamples.DE }));
}

/** A correct VAT number of each country we show an example for; others get the Dutch one. */
const vatExamples: Record<string, string> = {
  NL: 'NL000099998B57',
  BE: 'BE0123456749',
  DE: 'DE136695976',
  FR: 'FR40303265045',
  AT: 'ATU13585627',
  GR: 'EL094259216',
};
/** Greece writes EL before its VAT numbers, not its ISO code GR. */
const vatPrefixOf = (country: string) => (country === 'GR' ? 'EL' : country);

/**
 * A VAT number, compact (no spaces, dots or hyphens) and upper case, with its country prefix:
 * added when the number has none and `country` (the company's, an ISO code) is known. Checked
 * with jsvat for the form and the check digits of its country.
 */
export function parseCompanyVatNumber(input: string, country: string): Result<string, NumberProblem> {
  let value = input.replace(/[\s.-]/g, '').toUpperCase();
  if (value === '') return ok('');
  const upperCountry = country.toUpperCase();
  if (/^\d/.test(value) && /^[A-Z]{2}$/.test(upperCountry)) value = `${vatPrefixOf(upperCountry)}${value}`;
  // Austria's numbers start with U after the prefix; one typed without its prefix starts with U.
  if (/^U\d{8}$/.test(value) && upperCountry === 'AT') value = `AT${value}`;
  const checked = checkVAT(value, vatCountries);
  if (checked.isValid) return ok(value);
  const prefix = /^[A-Z]{2}/.exec(value)?.[0];
  const prefixCountry = prefix === 'EL' ? 'GR' : prefix;
  const example = vatExamples[prefixCountry ?? ''] ?? vatExamples[upperCountry] ?? vatExamples.NL!;
  return err(problem('vat_invalid_form', { value: input, example }));
}

/**
 * A register number that does not have the form of `country`'s register, as the customers import
 * (and the customer form, which reads values as the import does) warns about it: the value is
 * kept as typed. Numbers that are fine in any spelling are not rewritten there, so an export of
 * them imports again unchanged. Undefined: the number fits.
 */
export function cocNumberWarning(
  value: string,
  country: string,
): { message: string; params: Record<string, string | number> } | undefined {
  const parsed = parseCocNumber(value, country);
  if (parsed.ok) return undefined;
  const { code, params, message } = parsed.error;
  return { message: `“${value}”: ${message.en}`, params: { ...params, value, form: code } };
}

/** The Dutch text of `cocNumberWarning`, from its params. */
export function cocNumberWarningDutch(params: Record<string, string | number>): string | undefined {
  const code = params.form as NumberProblemCode;
  if (!(code in templates)) return undefined;
  return `“${String(params.value)}”: ${fill(templates[code].nl, params)}`;
}

/** The message of a problem in a language (English for any other). */
export const numberProblemMessage = (numberProblem: NumberProblem, language: string): string =>
  language === 'nl' ? numberProblem.message.nl : numberProblem.message.en;

/**
 * The text of a number problem from its code and params, in a language (English for any other);
 * undefined for a code that is not a number problem. For field errors that travelled as
 * `{ code, params }` (the storefront's pages, in the page's language).
 */
export function numberProblemText(
  code: string,
  params: Record<string, string | number>,
  language: string,
): string | undefined {
  if (!Object.hasOwn(templates, code)) return undefined;
  const template = templates[code as NumberProblemCode];
  return fill(language === 'nl' ? template.nl : template.en, params);
}

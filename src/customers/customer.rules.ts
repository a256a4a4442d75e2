import countries from 'i18n-iso-countries';
import en from 'i18n-iso-countries/langs/en.json' with { type: 'json' };
import nl from 'i18n-iso-countries/langs/nl.json' with { type: 'json' };
import { checkVAT, countries as vatCountries } from 'jsvat';
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import { err, ok, type Result } from '../shared/result.ts';

/**
 * Pure normalisation rules for customer fields. No I/O, no clock: `today` is passed in.
 * Each `parse*` returns a Result whose error is a field error code (see `fieldErrorCodes`).
 */
countries.registerLocale(en);
countries.registerLocale(nl);

export const fieldErrorCodes = [
  'required',
  'too_long',
  'invalid_type',
  'invalid_choice',
  'email_invalid',
  'phone_invalid',
  'country_unknown',
  'vat_invalid',
  'date_invalid',
  'date_in_future',
  'date_too_old',
  'language_unknown',
] as const;
export type FieldErrorCode = (typeof fieldErrorCodes)[number];

/** E-mail identity: trim, Unicode NFC, lower case — in JavaScript, never by the database locale. */
export function normalizeEmail(email: string): string {
  return email.trim().normalize('NFC').toLowerCase();
}

/** Lower case without accents, for search: "Élodie Müller" → "elodie muller". */
export function foldForSearch(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

/** Accepts ISO 3166-1 alpha-2 / alpha-3 codes and English or Dutch country names; returns alpha-2. */
export function parseCountry(input: string): Result<string, FieldErrorCode> {
  const value = input.trim();
  if (value === '') return ok('');
  if (/^[a-z]{2}$/i.test(value) && countries.isValid(value.toUpperCase())) return ok(value.toUpperCase());
  if (/^[a-z]{3}$/i.test(value)) {
    const alpha2 = countries.alpha3ToAlpha2(value.toUpperCase());
    if (alpha2) return ok(alpha2);
  }
  for (const language of ['en', 'nl']) {
    const alpha2 = countries.getAlpha2Code(value, language);
    if (alpha2) return ok(alpha2);
  }
  const folded = foldForSearch(value);
  for (const language of ['en', 'nl']) {
    for (const [code, names] of Object.entries(countries.getNames(language, { select: 'all' }))) {
      if (names.some((name) => foldForSearch(name) === folded)) return ok(code);
    }
  }
  return err('country_unknown');
}

/** Parses a phone number (national numbers read in `country`, default NL) into international format. */
export function parsePhone(input: string, country: string): Result<string, FieldErrorCode> {
  const value = input.trim();
  if (value === '') return ok('');
  const defaultCountry = (countries.isValid(country) ? country : 'NL') as CountryCode;
  const phone = parsePhoneNumberFromString(value, defaultCountry);
  if (!phone || !phone.isValid()) return err('phone_invalid');
  return ok(phone.formatInternational());
}

/** Checks the format of an EU/EFTA/UK VAT number (with its country prefix); returns it compact. */
export function parseVatNumber(input: string): Result<string, FieldErrorCode> {
  const compact = input.replace(/[\s.-]/g, '').toUpperCase();
  if (compact === '') return ok('');
  const checked = checkVAT(compact, vatCountries);
  return checked.isValidFormat ? ok(compact) : err('vat_invalid');
}

/** A birth date as YYYY-MM-DD (also accepts DD-MM-YYYY and DD/MM/YYYY), not in the future, not before 1900. */
export function parseBirthDate(input: string, today: string): Result<string | null, FieldErrorCode> {
  const value = input.trim();
  if (value === '') return ok(null);
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const european = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$/.exec(value);
  const [year, month, day] = iso
    ? [Number(iso[1]), Number(iso[2]), Number(iso[3])]
    : european
      ? [Number(european[3]), Number(european[2]), Number(european[1])]
      : [NaN, NaN, NaN];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (Number.isNaN(date.getTime()) || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    return err('date_invalid');
  }
  const normalized = date.toISOString().slice(0, 10);
  if (normalized > today) return err('date_in_future');
  if (year < 1900) return err('date_too_old');
  return ok(normalized);
}

/** Dutch postcodes are written "1234 AB"; other countries' postcodes are kept as typed (trimmed, upper case). */
export function normalizePostcode(input: string, country: string): string {
  const value = input.trim().toUpperCase();
  const dutch = /^(\d{4})\s*([A-Z]{2})$/.exec(value);
  return country === 'NL' && dutch ? `${dutch[1]} ${dutch[2]}` : value;
}

export const customerLanguages = ['en', 'nl', 'de', 'fr', 'es', 'it'] as const;

export const countryName = (code: string, language: 'en' | 'nl'): string =>
  countries.getName(code, language) ?? code;

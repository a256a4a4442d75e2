import { getCountryCallingCode, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';

/**
 * Pure: a search typed like a phone number → the digit strings to look for in `search_text`,
 * which holds the digits of the stored numbers (stored in international form, so
 * `+31 6 12345678` is there as `31612345678`). National (`0612345678`, `06-12345678`),
 * international (`+31612345678`, `+31 6 12345678`, `0031612345678`) and half-typed forms
 * (`06123`) all become the international digits, read with the shop's country; the digits as
 * typed are kept as a second choice, for numbers stored as typed because they could not be
 * read. Normalising the *query* keeps the search on the trigram index of `search_text`.
 * `undefined`: not a phone number; search the words as usual.
 */
export function phoneSearchDigits(query: string, country: string): string[] | undefined {
  const text = query.trim();
  if (!/^\+?\(?\d[\d\s\-()./]*$/.test(text)) return undefined;
  const typed = text.replace(/\D/g, '');
  // A short run of digits is as likely a postcode or a customer number: the plain word search.
  if (typed.length < 4) return undefined;
  const international = internationalDigits(text, typed, country);
  return [...new Set([international, typed].filter((digits): digits is string => digits !== undefined))];
}

function internationalDigits(text: string, typed: string, country: string): string | undefined {
  // "+31 (0)6 …": libphonenumber drops the national prefix written in brackets.
  if (text.startsWith('+')) return parsePhoneNumberFromString(text)?.number.slice(1) ?? typed;
  if (typed.startsWith('00')) return typed.slice(2);
  if (!typed.startsWith('0')) return undefined;
  const code = /^[A-Z]{2}$/.test(country) ? (country as CountryCode) : undefined;
  if (!code) return undefined;
  const parsed = parsePhoneNumberFromString(text, code);
  if (parsed?.isPossible()) return parsed.number.slice(1);
  try {
    // Half typed: the 0 is the trunk prefix in most of Europe, where the calling code goes.
    return getCountryCallingCode(code) + typed.slice(1);
  } catch {
    return undefined; // not a country libphonenumber knows
  }
}

import { getCountryCallingCode, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import { parsePhone } from '../customers/customer.rules.ts';
import { formatPostcode, leadingZeroCountries, postcodeFormats } from '../addresses/postcode-formats.ts';
import { ok } from '../shared/result.ts';
import { fail, isScientificNotation, scientificNotationError, type CellResult } from './cell-result.ts';

/**
 * Pure: phone and postcode cells of the import, with the spreadsheet damage they suffer (a
 * leading zero Excel dropped), reported with a suggestion and fixed only when the user accepts it.
 */

/** Fixes for spreadsheet damage, applied only when the user accepts them for a column. */
export const suggestedFixCodes = ['leading_zero_lost'] as const;
export type SuggestedFixCode = (typeof suggestedFixCodes)[number];

/** Countries whose national numbers start with a 0 that Excel drops when it reads them as numbers. */
const trunkZeroCountries = new Set(['NL', 'BE', 'DE', 'FR', 'GB', 'AT', 'CH']);

const isValidPhone = (value: string, country?: CountryCode) => parsePhoneNumberFromString(value, country)?.isValid() === true;

/**
 * A phone number in international format, national numbers read in `country`. Digits that only
 * make a valid number with a 0 in front (`612345678`) lost it in Excel: that is reported with the
 * suggestion, and fixed only when `isFixAccepted`. A national number that does not read in
 * `country` (the row's) but does in `shopCountry` (the import's country for numbers without a
 * country code) is refused with that number in international form as the suggestion.
 */
export function parsePhoneCell(value: string, country: string, isFixAccepted = false, shopCountry = country): CellResult<string> {
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
      return parsePhoneCell(withZero, country, false, shopCountry);
    }
  }
  const phone = parsePhone(text, defaultCountry);
  if (phone.ok) return ok(phone.value);
  const inShopCountry = phoneInShopCountry(text, defaultCountry, shopCountry);
  if (inShopCountry !== undefined) {
    return fail('phone_invalid', `“${text}” is not a valid phone number in ${defaultCountry}, the row's country; as a number in ${shopCountry} without its country code it is ${inShopCountry}.`, { value: text, country: defaultCountry, shopCountry, suggestion: inShopCountry }, inShopCountry);
  }
  // The right length for the country, in a range the numbering plan has not given out (06-0…, 06-7…).
  if (parsePhoneNumberFromString(text, defaultCountry)?.isPossible() === true) {
    return fail('phone_unassigned', `“${text}” has the form of a phone number, but its number range is not in use according to the numbering plan.`, { value: text });
  }
  return fail('phone_invalid', `“${text}” is not a valid phone number.`, { value: text });
}

/**
 * A number written without its country code, as people write numbers of their own country: when
 * it does not read in the row's country, the number it is in the shop's country (international
 * form, as the import stores phones). Undefined when it has a country code or reads in neither.
 */
export function phoneInShopCountry(text: string, rowCountry: string, shopCountry: string): string | undefined {
  const typed = text.trim();
  if (shopCountry === '' || shopCountry === rowCountry || typed.startsWith('+') || !/\d/.test(typed)) return undefined;
  const phone = parsePhone(typed, shopCountry);
  return phone.ok ? phone.value : undefined;
}

export { formatPostcode } from '../addresses/postcode-formats.ts';

/**
 * Checks postcodes of the countries of src/addresses/postcode-formats.ts (the EU, EFTA, the UK,
 * the US); others are kept as typed. Without a country the postcode is formatted as a
 * `defaultCountry` postcode when it looks like one, and not checked. Five-digit postcodes that
 * lost their leading 0 (DE, ES, FI, FR, IT, US) are a suggested fix.
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
  if (leadingZeroCountries.has(country) && /^\d{4}$/.test(postcode) && format.pattern.test(`0${postcode}`)) {
    const withZero = `0${postcode}`;
    if (isFixAccepted) return ok(withZero);
    return fail('leading_zero_lost', `“${text}” has four digits; Excel probably removed the leading 0 of ${withZero}.`, { value: text, suggestion: withZero }, withZero);
  }
  if (country === 'NL' && /^[1-9]\d{3} ?S[ADS]$/.test(postcode)) {
    return fail('postcode_not_issued', `“${text}” has the form of a Dutch postcode, but the letters SA, SD and SS are never given out.`, { value: text });
  }
  return fail('postcode_invalid', `“${text}” is not a valid postcode for ${country}, for example ${format.example}.`, { value: text, country, example: format.example });
}

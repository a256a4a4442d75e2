import countries from 'i18n-iso-countries';
import type { StorefrontLanguage } from './storefront.messages.ts';

export type CountryChoice = { code: string; name: string };

const cache = new Map<StorefrontLanguage, readonly CountryChoice[]>();

/**
 * Every country by its everyday name in the page's language (Intl.DisplayNames: "Nederland",
 * "Verenigd Koninkrijk"), sorted by that name; the value stored is the ISO 3166-1 alpha-2 code,
 * as the back office's country list (web/src/i18n/countries.ts) does.
 */
function allCountries(language: StorefrontLanguage): readonly CountryChoice[] {
  const cached = cache.get(language);
  if (cached) return cached;
  const locale = language === 'nl' ? 'nl' : 'en-GB';
  const names = new Intl.DisplayNames([locale], { type: 'region', fallback: 'code' });
  const collator = new Intl.Collator(locale);
  const choices = Object.keys(countries.getAlpha2Codes())
    .map((code) => ({ code, name: names.of(code) ?? code }))
    .sort((a, b) => collator.compare(a.name, b.name));
  cache.set(language, choices);
  return choices;
}

/** The country list of an address form: the shop's own country first, then all by name. */
export function countryChoices(language: StorefrontLanguage, shopCountry: string): readonly CountryChoice[] {
  const all = allCountries(language);
  const first = all.find((choice) => choice.code === shopCountry);
  return first ? [first, ...all.filter((choice) => choice !== first)] : all;
}

/** A stored country code by its name in the page's language (the code itself when it is none). */
export function countryName(code: string, language: StorefrontLanguage): string {
  return allCountries(language).find((choice) => choice.code === code)?.name ?? code;
}

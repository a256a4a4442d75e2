import countries from 'i18n-iso-countries';
import type { UiLanguage } from './i18n.ts';

/**
 * The server stores ISO 3166-1 alpha-2 codes; people read country names in their own language.
 * Names come from the browser (Intl.DisplayNames): the everyday names ("Nederland", "Verenigd
 * Koninkrijk"), where the i18n-iso-countries data would give "Koninkrijk der Nederlanden".
 */
const displayNames = new Map<string, Intl.DisplayNames>();

function regionNames(language: string): Intl.DisplayNames {
  const locale = language === 'nl' ? 'nl' : 'en-GB';
  let names = displayNames.get(locale);
  if (!names) {
    names = new Intl.DisplayNames([locale], { type: 'region', fallback: 'code' });
    displayNames.set(locale, names);
  }
  return names;
}

export function countryLabel(code: string, language: string): string {
  if (code === '') return '';
  try {
    return regionNames(language).of(code) ?? code;
  } catch {
    return code; // Not a valid region code: show what is stored.
  }
}

const optionsCache = new Map<UiLanguage, { value: string; label: string }[]>();

/** Every country as a select option, sorted by name in the given language. */
export function countryOptions(language: UiLanguage): { value: string; label: string }[] {
  const cached = optionsCache.get(language);
  if (cached) return cached;
  const collator = new Intl.Collator(language);
  const options = Object.keys(countries.getAlpha2Codes())
    .map((value) => ({ value, label: countryLabel(value, language) }))
    .sort((a, b) => collator.compare(a.label, b.label));
  optionsCache.set(language, options);
  return options;
}

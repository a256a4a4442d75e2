import i18next, { type i18n } from 'i18next';
import { initReactI18next } from 'react-i18next';
import type { StaffLanguage } from '../../../src/staff/staff.schemas.ts';
import en from './en.json';
import { withFieldLabels } from './field-labels.ts';
import nl from './nl.json';
import exportsEn from './features/exports.en.json';
import exportsNl from './features/exports.nl.json';
import importsEn from './features/imports.en.json';
import importsNl from './features/imports.nl.json';
import fixRowsEn from './features/fix-rows.en.json';
import fixRowsNl from './features/fix-rows.nl.json';
import mailEn from './features/mail.en.json';
import mailNl from './features/mail.nl.json';
import staffEn from './features/staff.en.json';
import staffNl from './features/staff.nl.json';
import warningsEn from './features/warnings.en.json';
import warningsNl from './features/warnings.nl.json';
import shopEn from './features/shop.en.json';
import shopNl from './features/shop.nl.json';
import overviewEn from './features/overview.en.json';
import overviewNl from './features/overview.nl.json';
import bulkEn from './features/bulk.en.json';
import bulkNl from './features/bulk.nl.json';
import outageEn from './features/outage.en.json';
import outageNl from './features/outage.nl.json';
import addressesEn from './features/addresses.en.json';
import addressesNl from './features/addresses.nl.json';
import duplicatesEn from './features/duplicates.en.json';
import duplicatesNl from './features/duplicates.nl.json';
import privacyEn from './features/privacy.en.json';
import privacyNl from './features/privacy.nl.json';
import sourcesEn from './features/sources.en.json';
import sourcesNl from './features/sources.nl.json';
import companiesEn from './features/companies.en.json';
import companiesNl from './features/companies.nl.json';
import recipientsEn from './features/recipients.en.json';
import recipientsNl from './features/recipients.nl.json';
import { addressBookLabels } from '../../../src/customers/field-labels.ts';

export const uiLanguages = ['en', 'nl'] as const satisfies readonly StaffLanguage[];
export type UiLanguage = (typeof uiLanguages)[number];

/**
 * The language before anyone is signed in (login and setup pages): what this browser used last,
 * otherwise the browser's own preference. Once signed in, the staff user's saved language wins.
 */
const storageKey = 'clientele.language';

export function isUiLanguage(value: unknown): value is UiLanguage {
  return typeof value === 'string' && (uiLanguages as readonly string[]).includes(value);
}

function initialLanguage(): UiLanguage {
  try {
    const stored = window.localStorage.getItem(storageKey);
    if (isUiLanguage(stored)) return stored;
  } catch {
    // Storage can be disabled; the browser language is a fine fallback.
  }
  return navigator.language.toLowerCase().startsWith('nl') ? 'nl' : 'en';
}

/**
 * Each tool keeps its texts in its own files (features/<tool>.<language>.json), under its own
 * top-level key: `t('imports.…')`, `t('exports.…')`, `t('mail.…')`. Customer field names come
 * from the one source of field labels (field-labels.ts).
 */
export const translations = {
  en: {
    translation: {
      ...withFieldLabels(en, 'en'),
      imports: { ...importsEn, fix: fixRowsEn },
      exports: exportsEn,
      mail: mailEn,
      staff: staffEn,
      warnings: warningsEn,
      shop: shopEn,
      overview: overviewEn,
      bulk: bulkEn,
      duplicates: duplicatesEn,
      privacy: privacyEn,
      sources: sourcesEn,
      companies: companiesEn,
      recipients: recipientsEn,
      outage: outageEn,
      addresses: {
        ...addressesEn,
        fields: { label: addressBookLabels.label.en, phone: addressBookLabels.phone.en },
      },
    },
  },
  nl: {
    translation: {
      ...withFieldLabels(nl, 'nl'),
      imports: { ...importsNl, fix: fixRowsNl },
      exports: exportsNl,
      mail: mailNl,
      staff: staffNl,
      warnings: warningsNl,
      shop: shopNl,
      overview: overviewNl,
      bulk: bulkNl,
      duplicates: duplicatesNl,
      privacy: privacyNl,
      sources: sourcesNl,
      companies: companiesNl,
      recipients: recipientsNl,
      outage: outageNl,
      addresses: {
        ...addressesNl,
        fields: { label: addressBookLabels.label.nl, phone: addressBookLabels.phone.nl },
      },
    },
  },
};

export function createI18n(): i18n {
  const instance = i18next.createInstance();
  void instance.use(initReactI18next).init({
    resources: translations,
    lng: initialLanguage(),
    fallbackLng: 'en',
    interpolation: { escapeValue: false }, // React escapes everything it renders.
    returnNull: false,
  });
  document.documentElement.lang = instance.language;
  instance.on('languageChanged', (language) => {
    document.documentElement.lang = language;
    try {
      window.localStorage.setItem(storageKey, language);
    } catch {
      // Not remembering the login page language is harmless.
    }
  });
  return instance;
}

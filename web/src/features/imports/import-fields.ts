import type { TFunction } from 'i18next';
import { customerFieldByKey, customerFields } from '../../../../src/imports/customer-fields.ts';
import { addressFileFieldByKey, addressFileFields } from '../../../../src/imports/address-file-fields.ts';
import { companyFileFields } from '../../../../src/imports/company-file-fields.ts';

const companyFileFieldByKey = new Map(companyFileFields.map((field) => [field.key, field]));

/**
 * The customer field catalogue as the import screens show it: labels are the headings our
 * exporter writes (`headings.en/nl`), so the names a shop owner sees here are the column
 * headings of an export. Groups follow the customer form.
 */

export const fieldGroups = [
  'identity',
  'person',
  'contact',
  'company',
  'billing',
  'shipping',
  'marketing',
  'other',
  'account',
  'address',
] as const;

/** What an import holds: customers, or addresses of customers that exist (an address file). */
export type ImportType = 'customers' | 'addresses' | 'companies' | string;
const fieldsOf = (type: ImportType) =>
  type === 'addresses' ? addressFileFields : type === 'companies' ? companyFileFields : customerFields;
const definitionOf = (key: string, type: ImportType) =>
  (type === 'addresses' ? addressFileFieldByKey.get(key) : undefined) ??
  (type === 'companies' ? companyFileFieldByKey.get(key) : undefined) ??
  customerFieldByKey.get(key) ??
  addressFileFieldByKey.get(key);

const uiLanguage = (language: string): 'en' | 'nl' => (language.startsWith('nl') ? 'nl' : 'en');

/** The field's name in the UI language; an unknown key is shown as it is. */
export function fieldLabel(key: string, language: string, type: ImportType = 'customers'): string {
  return definitionOf(key, type)?.headings[uiLanguage(language)] ?? key;
}

export const isRequiredForNew = (key: string): boolean =>
  customerFieldByKey.get(key)?.isRequiredForNew === true;

export const fieldType = (key: string) => definitionOf(key, 'customers')?.type;

/** What a combined column fills: full name → first name, insertion, last name. */
export const fieldParts = (key: string): readonly string[] =>
  definitionOf(key, 'customers')?.splitsInto ?? [key];

type Option = { value: string; label: string };

/** The field dropdown of the mapping screen: "Do not import" (`noneValue`) first, then the fields by group. */
export function fieldSelectData(
  language: string,
  t: TFunction,
  noneValue: string,
  type: ImportType = 'customers',
): Array<Option | { group: string; items: Option[] }> {
  return [
    { value: noneValue, label: t('imports.fields.doNotImport') },
    ...fieldGroups
      .map((group) => ({
        group: t(`imports.fieldGroups.${group}`),
        items: fieldsOf(type)
          .filter((field) => field.group === group)
          .map((field) => ({ value: field.key, label: field.headings[uiLanguage(language)] })),
      }))
      .filter((group) => group.items.length > 0),
  ];
}

/** Keys in catalogue order, for showing values of a row in a stable order. */
export const fieldOrder: ReadonlyMap<string, number> = new Map(
  [...customerFields, ...addressFileFields.filter((field) => !customerFieldByKey.has(field.key))].map(
    (field, index) => [field.key, index],
  ),
);

/**
 * A value the server writes in its own words (booleans as yes/no, genders as male/female/other)
 * in the shop owner's language; anything else as it is.
 */
export function displayValue(field: string, value: string, t: TFunction): string {
  if (fieldType(field) === 'boolean' && (value === 'yes' || value === 'no'))
    return t(`imports.check.${value}`);
  if (field === 'gender' && ['male', 'female', 'other'].includes(value))
    return t(`customers.genders.${value}`);
  if (fieldType(field) === 'consent' && ['subscribed', 'unsubscribed', 'pending', 'not_set'].includes(value))
    return t(`imports.consent.states.${value}`);
  return value;
}

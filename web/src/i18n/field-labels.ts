import {
  addressLabels,
  addressPartLabels,
  customerFieldLabels,
  type FieldLabel,
  type LabelLanguage,
} from '../../../src/customers/field-labels.ts';

/**
 * The customer field names of the back office, from the one source of field labels
 * (src/customers/field-labels.ts) rather than from en.json/nl.json: `t('customers.fields.<key>')`
 * and the customer list's column headings read these, so the customer page says what the
 * import, the export and the storefront say.
 */
const pick = (labels: Record<string, FieldLabel>, language: LabelLanguage) =>
  Object.fromEntries(Object.entries(labels).map(([key, label]) => [key, label[language]]));

export const fieldLabelTexts = (language: LabelLanguage): Record<string, string> => ({
  ...pick(customerFieldLabels, language),
  ...pick(addressPartLabels, language),
});

/** Customer list columns that show one field (name and location combine several). */
export const listColumnTexts = (language: LabelLanguage): Record<string, string> => ({
  email: customerFieldLabels.email[language],
  groups: customerFieldLabels.groups[language],
  customerSince: customerFieldLabels.customerSince[language],
});

type Translation = { customers: { fields: object; sections: object; list: { columns: object } } };

/** The translation with the field names of the one source laid over it. */
export function withFieldLabels<T extends Translation>(translation: T, language: LabelLanguage): T {
  const { customers } = translation;
  return {
    ...translation,
    customers: {
      ...customers,
      fields: { ...customers.fields, ...fieldLabelTexts(language) },
      sections: { ...customers.sections, billing: addressLabels.billing[language], shipping: addressLabels.shipping[language] },
      list: { ...customers.list, columns: { ...customers.list.columns, ...listColumnTexts(language) } },
    },
  };
}

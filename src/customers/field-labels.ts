/**
 * The one name of every customer field, in English and Dutch. The import (mapping, check,
 * reports), the back office (customer page, list, export column picker), the storefront's
 * My account, the export headings and the API docs all read their labels here, so a field is
 * called the same everywhere (test/ui/field-labels.test.ts compares each surface with this file).
 *
 * The labels are also the export headings (an address part with its address's prefix:
 * "Billing postcode" / "Factuuradres postcode"), which the importer matches exactly: changing
 * one breaks re-importing files exported before, unless the old name becomes an import alias
 * (src/imports/customer-fields.ts). Aliases are for reading files, never for labels.
 */
export type LabelLanguage = 'en' | 'nl';
export type FieldLabel = Readonly<Record<LabelLanguage, string>>;

export const customerFieldLabels = {
  id: { en: 'Clientele ID', nl: 'Clientele-ID' },
  externalId: { en: 'External ID', nl: 'Extern ID' },
  email: { en: 'E-mail', nl: 'E-mail' },
  fullName: { en: 'Full name', nl: 'Volledige naam' },
  firstName: { en: 'First name', nl: 'Voornaam' },
  middleName: { en: 'First name (middle part)', nl: 'Voornaam (tweede deel)' },
  nameInsertion: { en: 'Name insertion', nl: 'Tussenvoegsel' },
  lastName: { en: 'Last name', nl: 'Achternaam' },
  gender: { en: 'Gender', nl: 'Geslacht' },
  birthDate: { en: 'Date of birth', nl: 'Geboortedatum' },
  language: { en: 'Language', nl: 'Taal' },
  phone: { en: 'Phone', nl: 'Telefoon' },
  mobile: { en: 'Mobile', nl: 'Mobiel' },
  isCompany: { en: 'Business customer', nl: 'Zakelijke klant' },
  companyName: { en: 'Company name', nl: 'Bedrijfsnaam' },
  cocNumber: { en: 'Chamber of Commerce number', nl: 'KvK-nummer' },
  vatNumber: { en: 'VAT number', nl: 'Btw-nummer' },
  // The customer's link to a company (#19): its role there and whether it is the primary contact.
  companyRole: { en: 'Company role', nl: 'Rol bij bedrijf' },
  isPrimaryContact: { en: 'Primary contact', nl: 'Hoofdcontactpersoon' },
  // Export only: the linked company's reverse-charge flag (set by staff, never by an import).
  companyReverseCharge: { en: 'Reverse charge', nl: 'Btw verlegd' },
  shippingSameAsBilling: { en: 'Shipping same as billing', nl: 'Afleveradres gelijk aan factuuradres' },
  newsletter: { en: 'Newsletter', nl: 'Nieuwsbrief' },
  emailConsentLevel: { en: 'Newsletter opt-in level', nl: 'Nieuwsbrief opt-in-niveau' },
  emailConsentAt: { en: 'Newsletter consent date', nl: 'Nieuwsbrief toestemmingsdatum' },
  emailConsentSource: { en: 'Newsletter consent source', nl: 'Nieuwsbrief toestemmingsbron' },
  smsConsent: { en: 'SMS marketing', nl: 'Sms-marketing' },
  smsConsentLevel: { en: 'SMS opt-in level', nl: 'Sms opt-in-niveau' },
  smsConsentAt: { en: 'SMS consent date', nl: 'Sms-toestemmingsdatum' },
  smsConsentSource: { en: 'SMS consent source', nl: 'Sms-toestemmingsbron' },
  groups: { en: 'Customer groups', nl: 'Klantgroepen' },
  tags: { en: 'Tags', nl: 'Tags' },
  tagsCommand: { en: 'Tags command', nl: 'Tagsopdracht' },
  rowCommand: { en: 'Command', nl: 'Opdracht' },
  notes: { en: 'Notes', nl: 'Notities' },
  customerSince: { en: 'Customer since', nl: 'Klant sinds' },
  passwordHash: { en: 'Password hash', nl: 'Wachtwoord-hash' },
} as const satisfies Record<string, FieldLabel>;
export type LabelledField = keyof typeof customerFieldLabels;

/** An address part as a form shows it inside its address ("Postcode" under "Billing address"). */
export const addressPartLabels = {
  company: { en: 'Company', nl: 'Bedrijfsnaam' },
  attention: { en: 'Attention', nl: 'T.a.v.' },
  street: { en: 'Street', nl: 'Straat' },
  number: { en: 'House number', nl: 'Huisnummer' },
  extension: { en: 'House number extension', nl: 'Toevoeging' },
  streetWithNumber: { en: 'Street and number', nl: 'Straat en huisnummer' },
  address2: { en: 'Address line 2', nl: 'Adresregel 2' },
  postcode: { en: 'Postcode', nl: 'Postcode' },
  city: { en: 'City', nl: 'Plaats' },
  region: { en: 'Region', nl: 'Provincie' },
  country: { en: 'Country', nl: 'Land' },
} as const satisfies Record<string, FieldLabel>;
export type AddressPart = keyof typeof addressPartLabels;

/**
 * The address book (issue #16): the parts an address of the book has beyond the customer's own
 * billing/shipping columns, its default flags, and the per-row command of an address file.
 */
export const addressBookLabels = {
  addresses: { en: 'Addresses', nl: 'Adressen' },
  label: { en: 'Address label', nl: 'Adreslabel' },
  phone: { en: 'Address phone', nl: 'Telefoon bij adres' },
  defaultBilling: { en: 'Default billing address', nl: 'Standaard factuuradres' },
  defaultShipping: { en: 'Default shipping address', nl: 'Standaard afleveradres' },
  addressCommand: { en: 'Address command', nl: 'Adresopdracht' },
} as const satisfies Record<string, FieldLabel>;
export type AddressKind = 'billing' | 'shipping';

export const addressLabels = {
  billing: { en: 'Billing address', nl: 'Factuuradres' },
  shipping: { en: 'Shipping address', nl: 'Afleveradres' },
} as const satisfies Record<AddressKind, FieldLabel>;

const addressPrefixes = {
  billing: { en: 'Billing', nl: 'Factuuradres' },
  shipping: { en: 'Shipping', nl: 'Afleveradres' },
} as const satisfies Record<AddressKind, FieldLabel>;

const lowerFirst = (text: string) => text.charAt(0).toLowerCase() + text.slice(1);

/** An address part's full name outside its address: "Billing postcode" / "Factuuradres postcode". */
export function addressFieldLabel(kind: AddressKind, part: AddressPart): FieldLabel {
  return {
    en: `${addressPrefixes[kind].en} ${lowerFirst(addressPartLabels[part].en)}`,
    nl: `${addressPrefixes[kind].nl} ${lowerFirst(addressPartLabels[part].nl)}`,
  };
}

/**
 * The label of a field key as the import writes it (`billing.postcode`) or as the API nests it
 * (`billingAddress.postcode`); undefined for a key that is no customer field.
 */
export function labelOfField(key: string): FieldLabel | undefined {
  if (Object.hasOwn(customerFieldLabels, key)) return customerFieldLabels[key as LabelledField];
  if (key === 'isDefaultBilling') return addressBookLabels.defaultBilling;
  if (key === 'isDefaultShipping') return addressBookLabels.defaultShipping;
  const match = /^(billing|shipping)(?:Address)?\.(\w+)$/.exec(key);
  if (!match || !Object.hasOwn(addressPartLabels, match[2] ?? '')) return undefined;
  return addressFieldLabel(match[1] as AddressKind, match[2] as AddressPart);
}

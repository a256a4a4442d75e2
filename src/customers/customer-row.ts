import type { z } from 'zod';
import { foldForSearch, normalizeEmail } from './customer.rules.ts';
import type { Customer, normalizedCustomerSchema } from './customer.schemas.ts';
import type { ConsentLevel, ConsentState } from '../consent/consent.ts';

/**
 * A customer's three shapes and the mappings between them: the database row (`CustomerRow`), the
 * customer the API returns (`Customer`) and the validated record the services write
 * (`CustomerRecord`), with the column values a record is stored as.
 */

/** A validated, normalised customer as the service writes it (output of normalizedCustomerSchema). */
export type CustomerRecord = Omit<z.output<ReturnType<typeof normalizedCustomerSchema>>, 'newsletter'>;

type GroupRef = { id: number; name: string };
export type CustomerRow = {
  id: number;
  email: string;
  first_name: string;
  name_insertion: string;
  last_name: string;
  gender: Customer['gender'];
  birth_date: string | null;
  phone: string;
  mobile: string;
  language: string;
  is_company: boolean;
  company_name: string;
  coc_number: string;
  vat_number: string;
  shipping_same_as_billing: boolean;
  newsletter: boolean;
  email_consent: ConsentState;
  email_consent_level: ConsentLevel | null;
  email_consent_at: Date | string | null;
  email_consent_source: string | null;
  sms_consent: ConsentState;
  sms_consent_level: ConsentLevel | null;
  sms_consent_at: Date | string | null;
  sms_consent_source: string | null;
  notes: string;
  tags: string[];
  external_id: string | null;
  customer_since: string | null;
  password_state: Customer['passwordState'];
  groups: GroupRef[];
  created_at: Date;
  updated_at: Date;
  version: number;
} & Record<
  `billing_${(typeof addressKeys)[number]}` | `shipping_${(typeof addressKeys)[number] | 'company'}`,
  string
>;

const addressKeys = [
  'attention',
  'street',
  'number',
  'extension',
  'address2',
  'postcode',
  'city',
  'region',
  'country',
] as const;

/**
 * The folded text that partial search (`q`) matches with trigrams: names, company, e-mail, city,
 * postcode and the digits of the phone numbers. Built here, never by the database locale.
 */
export function searchTextOf(customer: CustomerRecord): string {
  const digits = (phone: string) => phone.replace(/\D/g, '');
  const { billingAddress: billing } = customer;
  return foldForSearch(
    [
      customer.firstName,
      customer.nameInsertion,
      customer.lastName,
      customer.companyName,
      customer.email,
      billing.city,
      billing.postcode,
      // Both "1234AB" and "1234 AB" should find the customer.
      billing.postcode.replace(/\s/g, ''),
      digits(customer.phone),
      digits(customer.mobile),
    ]
      .filter((part) => part !== '')
      .join(' '),
  );
}

export function toCustomer(row: CustomerRow): Customer {
  const address = (prefix: 'billing' | 'shipping') =>
    Object.fromEntries(
      addressKeys.map((key) => [key, row[`${prefix}_${key}`]]),
    ) as Customer['billingAddress'];
  return {
    id: row.id,
    email: row.email,
    firstName: row.first_name,
    nameInsertion: row.name_insertion,
    lastName: row.last_name,
    gender: row.gender,
    birthDate: row.birth_date,
    phone: row.phone,
    mobile: row.mobile,
    language: row.language,
    isCompany: row.is_company,
    companyName: row.company_name,
    cocNumber: row.coc_number,
    vatNumber: row.vat_number,
    billingAddress: address('billing'),
    shippingSameAsBilling: row.shipping_same_as_billing,
    shippingAddress: { ...address('shipping'), company: row.shipping_company },
    newsletter: row.newsletter,
    emailConsent: row.email_consent,
    emailConsentLevel: row.email_consent_level,
    emailConsentAt: isoOrNull(row.email_consent_at),
    emailConsentSource: row.email_consent_source,
    smsConsent: row.sms_consent,
    smsConsentLevel: row.sms_consent_level,
    smsConsentAt: isoOrNull(row.sms_consent_at),
    smsConsentSource: row.sms_consent_source,
    notes: row.notes,
    tags: row.tags,
    externalId: row.external_id,
    customerSince: row.customer_since,
    passwordState: row.password_state,
    groups: row.groups,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    version: row.version,
  };
}

/** A timestamp as read from the database (a Date), or laid over a row from JSON (a string). */
const isoOrNull = (value: Date | string | null): string | null =>
  value === null ? null : new Date(value).toISOString();

/** The stored customer in the shape of a validated record, to merge a patch into and to compare with. */
export function recordOf(customer: Customer): CustomerRecord {
  return {
    email: customer.email,
    firstName: customer.firstName,
    nameInsertion: customer.nameInsertion,
    lastName: customer.lastName,
    gender: customer.gender,
    birthDate: customer.birthDate,
    phone: customer.phone,
    mobile: customer.mobile,
    language: customer.language as CustomerRecord['language'],
    isCompany: customer.isCompany,
    companyName: customer.companyName,
    cocNumber: customer.cocNumber,
    vatNumber: customer.vatNumber,
    billingAddress: customer.billingAddress,
    shippingSameAsBilling: customer.shippingSameAsBilling,
    shippingAddress: customer.shippingAddress,
    emailConsent: customer.emailConsent,
    emailConsentLevel: customer.emailConsentLevel,
    emailConsentAt: customer.emailConsentAt,
    emailConsentSource: customer.emailConsentSource,
    smsConsent: customer.smsConsent,
    smsConsentLevel: customer.smsConsentLevel,
    smsConsentAt: customer.smsConsentAt,
    smsConsentSource: customer.smsConsentSource,
    notes: customer.notes,
    tags: customer.tags,
    externalId: customer.externalId,
    customerSince: customer.customerSince,
  };
}

/** Column → new value, for the columns `updateFields` may write. */
export type ColumnPatch = Record<string, unknown>;

/**
 * The columns whose value differs between two versions of a customer (derived ones included:
 * `email_normalized` when the e-mail changes, `search_text` when a searched field changes).
 */
export function changedColumns(before: CustomerRecord, after: CustomerRecord): ColumnPatch {
  const old = columnValues(before);
  const same = (a: unknown, b: unknown) =>
    a === b ||
    (Array.isArray(a) &&
      Array.isArray(b) &&
      a.length === b.length &&
      a.every((item, index) => item === b[index]));
  return Object.fromEntries(
    Object.entries(columnValues(after)).filter(([column, value]) => !same(old[column], value)),
  );
}

/** Column → value for every column the back office edits, plus the derived identity and search columns. */
export function columnValues(customer: CustomerRecord): Record<string, unknown> {
  const values: Record<string, unknown> = {
    email: customer.email.normalize('NFC'),
    email_normalized: normalizeEmail(customer.email),
    first_name: customer.firstName,
    name_insertion: customer.nameInsertion,
    last_name: customer.lastName,
    gender: customer.gender,
    birth_date: customer.birthDate,
    phone: customer.phone,
    mobile: customer.mobile,
    language: customer.language,
    is_company: customer.isCompany,
    company_name: customer.companyName,
    coc_number: customer.cocNumber,
    vat_number: customer.vatNumber,
    shipping_same_as_billing: customer.shippingSameAsBilling,
    shipping_company: customer.shippingAddress.company,
    newsletter: customer.emailConsent === 'subscribed',
    email_consent: customer.emailConsent,
    email_consent_level: customer.emailConsentLevel,
    email_consent_at: customer.emailConsentAt,
    email_consent_source: customer.emailConsentSource,
    sms_consent: customer.smsConsent,
    sms_consent_level: customer.smsConsentLevel,
    sms_consent_at: customer.smsConsentAt,
    sms_consent_source: customer.smsConsentSource,
    notes: customer.notes,
    tags: customer.tags,
    external_id: customer.externalId,
    customer_since: customer.customerSince,
    search_text: searchTextOf(customer),
  };
  for (const key of addressKeys) {
    values[`billing_${key}`] = customer.billingAddress[key];
    values[`shipping_${key}`] = customer.shippingAddress[key];
  }
  return values;
}

import type { Catalogue, Preset } from './mapping.ts';
import { customerFields } from './customer-fields.ts';

/**
 * Customer file presets of other platforms (facts: docs shared/platform-headings.md). Headings
 * are compared normalised, so "E-Mail" and "e_mail" are the same. `null` marks a column we
 * know and deliberately skip (export-only figures, the platform's internal ids, plain-text
 * passwords), so fuzzy matching does not guess a field for it.
 */

const addressColumns = (prefix: string, kind: 'billing' | 'shipping') => ({
  [`${prefix}Attn`]: `${kind}.attention`,
  [`${prefix}Streetname`]: `${kind}.street`,
  [`${prefix}Address 2`]: `${kind}.address2`,
  [`${prefix}Number`]: `${kind}.number`,
  [`${prefix}Extension`]: `${kind}.extension`,
  [`${prefix}Zipcode`]: `${kind}.postcode`,
  [`${prefix}City`]: `${kind}.city`,
  [`${prefix}Region`]: `${kind}.region`,
  [`${prefix}Country`]: `${kind}.country`,
});

export const lightspeedPreset: Preset = {
  id: 'lightspeed',
  name: 'Lightspeed eCom',
  distinctiveHeadings: ['Internal ID', 'LastnamePreposition', 'Customer type', 'Coc number', 'Attn', 'Streetname', 'Zipcode', 'Shipping Streetname', 'Shipping Zipcode'],
  minimumMatches: 3,
  columns: {
    'Internal ID': 'externalId',
    Registered: 'customerSince',
    Language: 'language',
    Firstname: 'firstName',
    LastnamePreposition: 'nameInsertion',
    Lastname: 'lastName',
    'E-Mail': 'email',
    Phone: 'phone',
    Mobile: 'mobile',
    'Customer type': 'isCompany',
    Company: 'companyName',
    'Coc number': 'cocNumber',
    'Vat number': 'vatNumber',
    ...addressColumns('', 'billing'),
    'Shipping company': 'shipping.company',
    ...addressColumns('Shipping ', 'shipping'),
    Groups: 'groups',
    'Date of birth': 'birthDate',
    Birthdate: 'birthDate',
    Gender: 'gender',
    Confirmed: null,
  },
};

/** Shopify writes a customer-level phone (used for SMS, so: mobile) and an address phone. */
const shopifyCommon = {
  'First Name': 'firstName',
  'Last Name': 'lastName',
  Email: 'email',
  'Accepts Email Marketing': 'newsletter',
  'Accepts Marketing': 'newsletter',
  'Accepts SMS Marketing': 'smsConsent',
  'Total Spent': null,
  'Total Orders': null,
  Tags: 'tags',
  Note: 'notes',
  'Tax Exempt': null,
} as const;

export const shopifyPreset: Preset = {
  id: 'shopify',
  name: 'Shopify',
  distinctiveHeadings: ['Customer ID', 'Default Address Address1', 'Default Address Zip', 'Default Address Country Code', 'Default Address Province Code', 'Accepts Email Marketing', 'Total Spent', 'Tax Exempt'],
  minimumMatches: 3,
  columns: {
    ...shopifyCommon,
    'Customer ID': 'externalId',
    'Default Address Company': 'companyName',
    'Default Address Address1': 'billing.streetWithNumber',
    'Default Address Address2': 'billing.address2',
    'Default Address City': 'billing.city',
    'Default Address Province Code': 'billing.region',
    'Default Address Country Code': 'billing.country',
    'Default Address Zip': 'billing.postcode',
    'Default Address Phone': 'phone',
    Phone: 'mobile',
  },
};

export const shopifyLegacyPreset: Preset = {
  id: 'shopify-legacy',
  name: 'Shopify (older export)',
  distinctiveHeadings: ['Address1', 'Province Code', 'Country Code', 'Accepts Email Marketing', 'Accepts Marketing', 'Total Spent', 'Total Orders', 'Tax Exempt'],
  minimumMatches: 3,
  columns: {
    ...shopifyCommon,
    Company: 'companyName',
    Address1: 'billing.streetWithNumber',
    Address2: 'billing.address2',
    City: 'billing.city',
    Province: 'billing.region',
    'Province Code': null, // Province (the name) is kept; the code is the same information.
    Country: null, // Country Code is kept: a code needs no translation.
    'Country Code': 'billing.country',
    Zip: 'billing.postcode',
    Phone: 'phone',
  },
};

export const magentoPreset: Preset = {
  id: 'magento',
  name: 'Magento 2',
  distinctiveHeadings: ['_website', '_store', 'created_in', 'disable_auto_group_change', 'website_id', 'store_id', 'taxvat', 'rp_token', 'password_hash', '_address_street'],
  minimumMatches: 3,
  // The file Magento's import reads with the behaviour "Delete Entities" (mode delete here).
  exactHeadingSets: [['email', '_website']],
  columns: {
    email: 'email',
    _website: null,
    _store: null,
    confirmation: null,
    created_at: 'customerSince',
    created_in: null,
    disable_auto_group_change: null,
    dob: 'birthDate',
    firstname: 'firstName',
    gender: 'gender',
    group_id: null, // A Magento group number, not a name.
    lastname: 'lastName',
    // Dutch shops often keep the insertion ("van den") here; otherwise a middle name or initial ("A.") that joins the first name.
    middlename: ['nameInsertion', 'middleName'],
    password_hash: 'passwordHash',
    prefix: null, // A title (Mr., Dr.): neither a name insertion nor a reliable gender.
    reward_update_notification: null,
    reward_warning_notification: null,
    rp_token: null,
    rp_token_created_at: null,
    store_id: null,
    suffix: null,
    taxvat: 'vatNumber',
    updated_at: null,
    website_id: null,
    password: null, // Never import plain-text passwords.
    _address_city: 'billing.city',
    _address_company: 'companyName',
    _address_country_id: 'billing.country',
    _address_firstname: null,
    _address_lastname: null,
    _address_middlename: null,
    _address_postcode: 'billing.postcode',
    _address_region: 'billing.region',
    _address_street: 'billing.streetWithNumber',
    _address_telephone: 'phone',
    _address_vat_id: 'vatNumber',
    _address_default_billing_: 'isDefaultBilling',
    _address_default_shipping_: 'isDefaultShipping',
  },
};

const wooAddress = (kind: 'billing' | 'shipping') => ({
  [`${kind}_first_name`]: null,
  [`${kind}_last_name`]: null,
  [`${kind}_company`]: kind === 'billing' ? 'companyName' : 'shipping.company',
  [`${kind}_address_1`]: `${kind}.streetWithNumber`,
  [`${kind}_address_2`]: `${kind}.address2`,
  [`${kind}_city`]: `${kind}.city`,
  [`${kind}_postcode`]: `${kind}.postcode`,
  [`${kind}_country`]: `${kind}.country`,
  [`${kind}_state`]: `${kind}.region`,
});

export const woocommercePreset: Preset = {
  id: 'woocommerce',
  name: 'WooCommerce / WordPress',
  distinctiveHeadings: ['user_login', 'user_pass', 'user_nicename', 'user_email', 'user_registered', 'display_name', 'billing_address_1', 'billing_postcode', 'shipping_address_1'],
  minimumMatches: 3,
  columns: {
    ID: 'externalId',
    customer_id: null,
    user_login: null,
    user_pass: 'passwordHash',
    user_nicename: null,
    user_email: 'email',
    user_url: null,
    user_registered: 'customerSince',
    display_name: null,
    first_name: 'firstName',
    last_name: 'lastName',
    roles: null,
    locale: 'language',
    ...wooAddress('billing'),
    billing_email: null, // The account e-mail (user_email) identifies the customer.
    billing_phone: 'phone',
    ...wooAddress('shipping'),
  },
};

export const customerPresets: readonly Preset[] = [lightspeedPreset, shopifyPreset, shopifyLegacyPreset, magentoPreset, woocommercePreset];

/** Everything the mapping step needs to import customers. */
export const customerCatalogue: Catalogue = { fields: customerFields, presets: customerPresets };

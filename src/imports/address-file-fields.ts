import { addressBookLabels, addressPartLabels, customerFieldLabels } from '../customers/field-labels.ts';
import { addressParts, customerFieldByKey } from './customer-fields.ts';
import type { FieldDefinition, Preset } from './mapping.ts';

/**
 * The field catalogue of the import type *Customer addresses* (address-file.ts), on its own so
 * the back office's mapping screen can show it without the import's code.
 */

export const importTypes = ['customers', 'addresses', 'companies'] as const;
export type ImportTypeId = (typeof importTypes)[number];

export const addressCommands = ['merge', 'replace', 'delete'] as const;
export type AddressCommand = (typeof addressCommands)[number];

const words = (part: string) => addressParts.find((candidate) => candidate.part === part)?.words ?? [];
const prefixed = (part: string) => ['', 'billing', 'shipping', 'delivery', 'factuur', 'aflever', 'bezorg'].flatMap((prefix) => words(part).map((word) => `${prefix} ${word}`.trim()));

const identity = (key: 'id' | 'externalId' | 'email', extra: readonly string[] = []): FieldDefinition => {
  const field = customerFieldByKey.get(key)!;
  return { ...field, aliases: [...field.aliases, ...extra], isRequiredForNew: false, isExported: true };
};

/** Fields only an address file has; `parseField` reads them too (boolean flags, text label, command). */
export const addressFileOnlyFields: readonly FieldDefinition[] = [
  {
    key: 'addressLabel',
    headings: addressBookLabels.label,
    type: 'text',
    group: 'address',
    maxLength: 100,
    values: 'numbers',
    aliases: ['label', 'address label', 'address name', 'address type', 'adres label', 'adresnaam', 'soort adres', 'omschrijving'],
    isExported: true,
  },
  { ...customerFieldByKey.get('isDefaultBilling')!, group: 'address', isExported: true },
  { ...customerFieldByKey.get('isDefaultShipping')!, group: 'address', isExported: true },
  {
    key: 'addressCommand',
    headings: addressBookLabels.addressCommand,
    type: 'text',
    group: 'address',
    maxLength: 20,
    aliases: ['command', 'address command', 'action', 'opdracht', 'adres opdracht', 'actie'],
    isExported: false,
  },
];

/** The catalogue of an address file: the customer's key, the address's parts, its defaults. */
export const addressFileFields: readonly FieldDefinition[] = [
  identity('email', ['customer email', 'customer e-mail', 'e-mail klant', 'klant e-mail']),
  identity('externalId'),
  identity('id', ['customer id', 'klant id']),
  addressFileOnlyFields[0]!,
  {
    key: 'billing.attention',
    headings: addressPartLabels.attention,
    type: 'text',
    group: 'address',
    maxLength: 255,
    aliases: [...prefixed('attention'), 'full name', 'recipient', 'ontvanger', 'volledige naam'],
    isExported: true,
  },
  { ...customerFieldByKey.get('firstName')!, group: 'address', isRequiredForNew: false, isExported: false },
  { ...customerFieldByKey.get('lastName')!, group: 'address', isRequiredForNew: false, isExported: false },
  { ...customerFieldByKey.get('companyName')!, headings: addressPartLabels.company, group: 'address', aliases: [...prefixed('company'), 'organisation', 'organization', 'firma'] },
  ...addressParts
    .filter(({ part }) => part !== 'company' && part !== 'attention')
    .map(({ part, type, maxLength, values }): FieldDefinition => ({
      key: `billing.${part}`,
      headings: addressPartLabels[part],
      type,
      group: 'address',
      ...(maxLength !== undefined && { maxLength }),
      ...(values !== undefined && { values }),
      aliases: prefixed(part),
      isExported: type !== 'combined',
      ...(part === 'streetWithNumber' && { splitsInto: ['billing.street', 'billing.number', 'billing.extension'] }),
    })),
  { ...customerFieldByKey.get('phone')!, headings: addressBookLabels.phone, group: 'address', aliases: [...customerFieldByKey.get('phone')!.aliases, 'phone', customerFieldLabels.phone.en.toLowerCase()] },
  ...addressFileOnlyFields.slice(1),
];

export const addressFileFieldByKey: ReadonlyMap<string, FieldDefinition> = new Map(addressFileFields.map((field) => [field.key, field]));

/** Magento 2 "Customer Addresses" (entity customer_address): one row per address, keyed by `_email`. */
export const magentoAddressFilePreset: Preset = {
  id: 'magento-addresses',
  name: 'Magento 2 (addresses)',
  distinctiveHeadings: ['_email', '_entity_id', 'region_id', 'vat_is_valid', 'vat_request_date', 'vat_request_id', 'vat_request_success', '_address_default_billing_', '_address_default_shipping_'],
  minimumMatches: 3,
  columns: {
    _website: null,
    _email: 'email',
    _entity_id: null, // Magento's own address id.
    city: 'billing.city',
    company: 'companyName',
    country_id: 'billing.country',
    fax: null,
    firstname: 'firstName',
    lastname: 'lastName',
    middlename: null,
    postcode: 'billing.postcode',
    prefix: null,
    region: 'billing.region',
    region_id: null,
    street: 'billing.streetWithNumber',
    suffix: null,
    telephone: 'phone',
    vat_id: null, // A VAT number belongs to the customer, which an address file does not change.
    vat_is_valid: null,
    vat_request_date: null,
    vat_request_id: null,
    vat_request_success: null,
    _address_default_billing_: 'isDefaultBilling',
    _address_default_shipping_: 'isDefaultShipping',
  },
};


import type { BookAddressFields } from '../addresses/address-book.schemas.ts';
import { isEmptyAddress } from '../addresses/address-key.ts';
import { err, ok, type Result } from '../shared/result.ts';
import { customerFieldByKey } from './customer-fields.ts';
import { addressFileFieldByKey, addressFileFields, addressFileOnlyFields, magentoAddressFilePreset, type AddressCommand, type ImportTypeId } from './address-file-fields.ts';

import { detectPreset, normalizeHeading, type Catalogue, type FieldDefinition, type Mapping } from './mapping.ts';
import { customerCatalogue } from './presets.ts';
import { companyFileCatalogue, companyFileFields, suggestCompanyFileMapping } from './company-file.ts';
import { companyFileLabels } from '../exports/company-export-type.ts';
import type { RawRow } from './read.ts';
import { rowError, type CustomerDraft, type ExtraAddress, type RowError } from './row-draft.ts';

export * from './address-file-fields.ts';

/**
 * The import type *Customer addresses* (issue #16): an address file, one row per address, keyed
 * by the customer's e-mail address (or customer number, or id), as Magento 2 exports it
 * (entity customer_address) and as Clientele's own Addresses export writes it. A row adds its
 * address to the book of a customer that exists, or changes the address that is the same place
 * (its label, name, company or phone); the default flags make it the customer's default billing
 * or shipping address; an *address command* column may delete it instead. A row never changes
 * the customer itself, and a row for a customer that does not exist is rejected.
 *
 * The cells are read by the customer import's own validator (so a postcode, country or phone
 * reads the same in both imports): the address parts are mapped onto the billing address's keys,
 * the name on the address onto the first and last name, and the address's company and phone onto
 * the customer's; `toAddressRow` then turns that draft into the address of the row.
 */

export const addressFileCatalogue: Catalogue = { fields: addressFileFields, presets: [magentoAddressFilePreset] };

/** What an address file's row does, once its customer is known. */
export type AddressRow = ExtraAddress & { isDefaultBilling: boolean; isDefaultShipping: boolean; command: AddressCommand; customerKey: string };

const commandWords: Record<string, AddressCommand> = {
  '': 'merge', merge: 'merge', add: 'merge', update: 'merge', upsert: 'merge', new: 'merge', toevoegen: 'merge', bijwerken: 'merge', samenvoegen: 'merge',
  replace: 'replace', vervangen: 'replace', vervang: 'replace',
  delete: 'delete', remove: 'delete', verwijderen: 'delete', verwijder: 'delete', wissen: 'delete',
};

/**
 * A validated address-file row as the customer import's plan reads it: the customer's key only
 * (so nothing of the customer changes and an unknown customer is rejected), with the row's
 * address in `extraAddresses`. Warnings stay with the row but flag nothing on the customer: the
 * value kept as typed is the address's, not the customer's.
 */
export function toAddressRow(row: RawRow, draft: CustomerDraft, mapping: Mapping): Result<CustomerDraft, RowError[]> {
  const commandColumn = mapping.columns.find((column) => column.field === 'addressCommand');
  const commandCell = commandColumn && { text: (row.cells[commandColumn.index] ?? '').trim(), column: commandColumn.heading || null, columnIndex: commandColumn.index };
  const { values } = draft;
  const billing = values.billingAddress ?? {};
  const text = (value: unknown) => (typeof value === 'string' ? value : '');
  const flagsOf = values as Record<string, unknown>;
  const attention = text(billing.attention) || [text(values.firstName), text(values.lastName)].filter(Boolean).join(' ');
  const address: BookAddressFields = {
    label: text(flagsOf.addressLabel),
    attention,
    company: text(values.companyName),
    street: text(billing.street),
    number: text(billing.number),
    extension: text(billing.extension),
    address2: text(billing.address2),
    postcode: text(billing.postcode),
    city: text(billing.city),
    region: text(billing.region),
    country: text(billing.country),
    phone: text(values.phone),
  };
  const command = commandWords[(commandCell?.text ?? '').trim().toLowerCase()];
  const errors: RowError[] = [];
  if (command === undefined) {
    errors.push({
      rowNumber: row.rowNumber, column: commandCell?.column ?? null, columnIndex: commandCell?.columnIndex ?? null, field: 'addressCommand', value: commandCell?.text ?? '',
      code: 'address_command_invalid',
      message: `“${commandCell?.text ?? ''}” is not an address command. Leave it empty or write merge to add or change the address, replace to make the file's addresses the customer's whole address book, delete to remove it.`,
      params: { value: commandCell?.text ?? '' },
    });
  }
  if (isEmptyAddress(address)) {
    errors.push(rowError(row.rowNumber, 'billing.street', undefined, {
      code: 'address_empty',
      message: 'This row holds no address: give at least a street, postcode, city or country.',
      params: {},
    }));
  }
  if (errors.length > 0) return err(errors);
  const matchKey = draft.match.on === 'email' ? 'email' : draft.match.on;
  const keyValue = (values as Record<string, unknown>)[matchKey];
  const addressRow: AddressRow = {
    rowNumber: row.rowNumber,
    cells: row.cells,
    address,
    isDefaultBilling: flagsOf.isDefaultBilling === true,
    isDefaultShipping: flagsOf.isDefaultShipping === true,
    command: command ?? 'merge',
    customerKey: String(draft.match.value),
  };
  return ok({
    ...draft,
    values: { [matchKey]: keyValue } as CustomerDraft['values'],
    presentFields: [matchKey],
    missingForNew: [],
    originals: {},
    warnings: draft.warnings.map(({ isFlagged: _flagged, ...warning }) => warning),
    extraAddresses: [addressRow],
  });
}

const addressFileOnlyByKey: ReadonlyMap<string, FieldDefinition> = new Map(addressFileOnlyFields.map((field) => [field.key, field]));

/** A field of either import type by its key (the types share the keys they have in common). */
export const importFieldByKey = (key: string): FieldDefinition | undefined => customerFieldByKey.get(key) ?? addressFileOnlyByKey.get(key);

/** The catalogue of an import type. */
export const catalogueOf = (type: string): Catalogue => (type === 'addresses' ? addressFileCatalogue : type === 'companies' ? companyFileCatalogue : customerCatalogue);

const companyFileFieldByKey: ReadonlyMap<string, FieldDefinition> = new Map(companyFileFields.map((field) => [field.key, field]));

/** The fields of an import type by key. */
export const fieldByKeyOf = (type: string): ReadonlyMap<string, FieldDefinition> => (type === 'addresses' ? addressFileFieldByKey : type === 'companies' ? companyFileFieldByKey : customerFieldByKey);

/** A Companies file's mapping leaves the export's read-only columns out (company-file.ts). */
export { suggestCompanyFileMapping };

/**
 * What a file holds, from its headings: Magento's address file, or a file with an address's
 * default flags or label (Clientele's own Addresses export), is an address file; anything else
 * is customers. The staff can change it in step Type.
 */
export function detectImportType(headings: readonly string[]): ImportTypeId {
  // The Companies export's file (English or Dutch): a Company ID column and no e-mail column.
  const normalized = headings.map(normalizeHeading);
  const companyId = [companyFileLabels.companyId.en, companyFileLabels.companyId.nl].map(normalizeHeading);
  const email = customerFieldByKey.get('email')!;
  const emailHeadings = new Set([email.headings.en, email.headings.nl, ...email.aliases].map(normalizeHeading));
  if (normalized.some((heading) => companyId.includes(heading)) && !normalized.some((heading) => emailHeadings.has(heading))) return 'companies';
  // Magento's composite customers file has the default flags too, with its address in `_address_*` columns.
  const isComposite = headings.some((heading) => /^_address_/.test(heading.trim()) && !/^_address_default_(billing|shipping)_$/.test(heading.trim()));
  if (!isComposite && detectPreset(headings, [magentoAddressFilePreset])) return 'addresses';
  // Another platform's customers file (Magento's composite one has default flags too) is customers.
  if (detectPreset(headings, customerCatalogue.presets)) return 'customers';
  const addressOnly = new Set(addressFileOnlyFields.filter((field) => field.key !== 'addressCommand').flatMap((field) => [field.headings.en, field.headings.nl]).map(normalizeHeading));
  return headings.some((heading) => addressOnly.has(normalizeHeading(heading))) ? 'addresses' : 'customers';
}

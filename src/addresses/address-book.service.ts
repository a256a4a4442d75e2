import type { Database, Queryable } from '../db/database.ts';
import type { Clock } from '../shared/clock.ts';
import { AppError, notFound } from '../shared/errors.ts';
import { parseOrThrow } from '../shared/validation.ts';
import type { ShopIdentity } from '../shop/shop-settings.service.ts';
import { parseCountry } from '../customers/customer.rules.ts';
import { customerRepository } from '../customers/customer.repository.ts';
import { changedColumns, recordOf, type CustomerRecord } from '../customers/customer-row.ts';
import { parsePhoneCell, parsePostcodeCell } from '../imports/phone-postcode-cells.ts';
import { addressBookRepository as repo } from './address-book.repository.ts';
import { addressMatchKey, isEmptyAddress } from './address-key.ts';
import {
  bookAddressCreateSchema,
  bookAddressFieldsSchema,
  bookAddressParts,
  bookAddressPatchSchema,
  type BookAddress,
  type BookAddressFields,
  type BookAddressWarning,
  type DefaultKind,
} from './address-book.schemas.ts';

export type AddressBookDeps = { db: Database; clock: Clock; shop?: ShopIdentity };
export type AddressBookService = ReturnType<typeof createAddressBookService>;
export type AddressBookWrite = { address: BookAddress; warnings: BookAddressWarning[] };

const customerAddressParts = ['attention', 'street', 'number', 'extension', 'address2', 'postcode', 'city', 'region', 'country'] as const;

async function lockCustomer(tx: Queryable, customerId: number) {
  const customer = await customerRepository.findByIdForUpdate(tx, customerId);
  if (!customer) throw notFound(`Customer #${customerId}`);
  return customer;
}

/**
 * The customer's billing/shipping columns made equal to the book's default rows (after a
 * default flag moved, or a default address changed or went). Writes only the columns that differ.
 */
export async function writeDefaultsToCustomer(tx: Queryable, customerId: number, now: Date): Promise<void> {
  const customer = await lockCustomer(tx, customerId);
  const book = await repo.list(tx, customerId);
  const billing = book.find((address) => address.isDefaultBilling);
  const shipping = book.find((address) => address.isDefaultShipping);
  const before = recordOf(customer);
  const partsOf = (address: BookAddress | undefined) =>
    Object.fromEntries(customerAddressParts.map((part) => [part, address?.[part] ?? ''])) as CustomerRecord['billingAddress'];
  const sameAsBilling = billing !== undefined ? billing.isDefaultShipping : shipping === undefined && customer.shippingSameAsBilling;
  const after: CustomerRecord = {
    ...before,
    billingAddress: partsOf(billing),
    shippingSameAsBilling: sameAsBilling,
    shippingAddress: sameAsBilling
      ? { ...partsOf(billing), company: '' }
      : { ...partsOf(shipping), company: shipping?.company ?? '' },
  };
  const columns = changedColumns(before, after);
  if (Object.keys(columns).length === 0) return;
  await customerRepository.updateFields(tx, customerId, customer.version, columns, now);
}

/**
 * A customer's address book: list, add, change, remove, make default. Every write locks the
 * customer's row first (as every customer write does), so two staff, the customer in "My
 * account" and an import take turns and nobody's change is lost. A change to a default address
 * is also written to the customer's billing/shipping columns (only the columns that changed), in
 * the same transaction, which raises the customer's version.
 */
export function createAddressBookService({ db, clock, shop }: AddressBookDeps) {
  const shopCountry = async () => (shop ? (await shop.current()).country : 'NL');

  /**
   * The address as it is stored: country as its code (an unknown country is refused: it cannot be
   * shown or exported as a country), postcode and phone formatted for the country where they fit
   * and otherwise kept as typed, with a warning — as the import reads them.
   */
  function normalise(fields: BookAddressFields, defaultCountry: string): { fields: BookAddressFields; warnings: BookAddressWarning[] } {
    const result = { ...fields };
    const warnings: BookAddressWarning[] = [];
    const country = parseCountry(fields.country);
    if (!country.ok) {
      throw new AppError('invalid_input', 'Some fields are not valid.', {
        country: { code: 'country_unknown', message: `Unknown country “${fields.country}”. Use a code such as NL or a name such as Netherlands.` },
      });
    }
    result.country = country.value;
    const postcode = parsePostcodeCell(fields.postcode, result.country, defaultCountry);
    if (postcode.ok) result.postcode = postcode.value;
    else warnings.push({ field: 'postcode', value: fields.postcode, code: postcode.error.code, message: postcode.error.message });
    const phone = parsePhoneCell(fields.phone, result.country || defaultCountry);
    if (phone.ok) result.phone = phone.value;
    else warnings.push({ field: 'phone', value: fields.phone, code: phone.error.code, message: phone.error.message });
    return { fields: result, warnings };
  }

  async function findOrThrow(tx: Queryable, customerId: number, id: number): Promise<BookAddress> {
    const address = await repo.find(tx, customerId, id);
    if (!address) throw notFound(`Address #${id}`);
    return address;
  }

  function refuseDuplicate(book: readonly BookAddress[], fields: BookAddressFields, exceptId?: number) {
    const key = addressMatchKey(fields);
    const same = book.find((address) => address.id !== exceptId && addressMatchKey(address) === key);
    if (same) {
      throw new AppError('conflict', 'This address is already in the address book.', undefined, { addressId: same.id });
    }
  }

  return {
    async list(customerId: number): Promise<BookAddress[]> {
      const customer = await customerRepository.findById(db.pool, customerId);
      if (!customer) throw notFound(`Customer #${customerId}`);
      return repo.list(db.pool, customerId);
    },

    /**
     * `isSelfService`: the customer edits their own book (My account): a value that does not fit
     * is refused with its message instead of kept as typed — a customer fixes their own typo.
     */
    async add(customerId: number, input: unknown, options: { isSelfService?: boolean } = {}): Promise<AddressBookWrite> {
      const { isDefaultBilling, isDefaultShipping, ...raw } = parseOrThrow(bookAddressCreateSchema, input);
      const { fields, warnings } = normalise(raw, await shopCountry());
      if (options.isSelfService) refuseWarnings(warnings);
      if (isEmptyAddress(fields)) {
        throw new AppError('invalid_input', 'Some fields are not valid.', { street: { code: 'required', message: 'An address needs at least a street, postcode, city or country.' } });
      }
      const id = await db.transaction(async (tx) => {
        await lockCustomer(tx, customerId);
        const book = await repo.list(tx, customerId);
        refuseDuplicate(book, fields);
        const now = clock.now();
        const newId = await repo.insert(tx, customerId, fields, now);
        // A customer's first address is its default billing and shipping address, as in every shop.
        const asBilling = isDefaultBilling || !book.some((address) => address.isDefaultBilling);
        const asShipping = isDefaultShipping || !book.some((address) => address.isDefaultShipping);
        if (asBilling) await repo.moveDefault(tx, customerId, newId, 'billing', now);
        if (asShipping) await repo.moveDefault(tx, customerId, newId, 'shipping', now);
        if (asBilling || asShipping) await writeDefaultsToCustomer(tx, customerId, now);
        return newId;
      });
      return { address: await findOrThrow(db.pool, customerId, id), warnings };
    },

    /** Changes the parts sent (merged with the stored address under the customer's lock). */
    async update(customerId: number, id: number, input: unknown, options: { isSelfService?: boolean } = {}): Promise<AddressBookWrite> {
      const patch = parseOrThrow(bookAddressPatchSchema, input);
      const country = await shopCountry();
      let warnings: BookAddressWarning[] = [];
      await db.transaction(async (tx) => {
        await lockCustomer(tx, customerId);
        const stored = await findOrThrow(tx, customerId, id);
        const merged = bookAddressFieldsSchema.parse({ ...pick(stored), ...definedOnly(patch) });
        const normalised = normalise(merged, country);
        // A part the user did not send keeps its stored form (no reformatting of untouched values).
        for (const part of bookAddressParts) if (patch[part] === undefined) normalised.fields[part] = stored[part];
        warnings = normalised.warnings.filter((warning) => patch[warning.field as keyof BookAddressFields] !== undefined);
        if (options.isSelfService) refuseWarnings(warnings);
        if (isEmptyAddress(normalised.fields)) {
          throw new AppError('invalid_input', 'Some fields are not valid.', { street: { code: 'required', message: 'An address needs at least a street, postcode, city or country.' } });
        }
        refuseDuplicate(await repo.list(tx, customerId), normalised.fields, id);
        const now = clock.now();
        const isChanged = await repo.update(tx, id, normalised.fields, now);
        if (isChanged && (stored.isDefaultBilling || stored.isDefaultShipping)) await writeDefaultsToCustomer(tx, customerId, now);
      });
      return { address: await findOrThrow(db.pool, customerId, id), warnings };
    },

    /** Removes an address; a default one leaves the customer without that default address. */
    async remove(customerId: number, id: number): Promise<void> {
      await db.transaction(async (tx) => {
        await lockCustomer(tx, customerId);
        const stored = await findOrThrow(tx, customerId, id);
        const now = clock.now();
        await repo.delete(tx, id);
        if (stored.isDefaultBilling || stored.isDefaultShipping) await writeDefaultsToCustomer(tx, customerId, now);
      });
    },

    /** Makes an address the default billing or shipping address; the previous one stays in the book. */
    async makeDefault(customerId: number, id: number, kind: DefaultKind): Promise<BookAddress> {
      await db.transaction(async (tx) => {
        await lockCustomer(tx, customerId);
        await findOrThrow(tx, customerId, id);
        const now = clock.now();
        await repo.moveDefault(tx, customerId, id, kind, now);
        await writeDefaultsToCustomer(tx, customerId, now);
      });
      return findOrThrow(db.pool, customerId, id);
    },
  };
}

function refuseWarnings(warnings: readonly BookAddressWarning[]): void {
  if (warnings.length === 0) return;
  throw new AppError('invalid_input', 'Some fields are not valid.', Object.fromEntries(warnings.map((warning) => [warning.field, { code: warning.code, message: warning.message }])));
}

function pick(address: BookAddress): BookAddressFields {
  return Object.fromEntries(bookAddressParts.map((part) => [part, address[part]])) as BookAddressFields;
}

function definedOnly<T extends Record<string, unknown>>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, part]) => part !== undefined)) as Partial<T>;
}

import type { Database, Queryable } from '../db/database.ts';
import type { Clock } from '../shared/clock.ts';
import { AppError, notFound } from '../shared/errors.ts';
import { parseOrThrow } from '../shared/validation.ts';
import type { ShopIdentity } from '../shop/shop-settings.service.ts';
import { normaliseBookAddress } from '../addresses/address-book.service.ts';
import { addressMatchKey, isEmptyAddress } from '../addresses/address-key.ts';
import {
  bookAddressCreateSchema,
  bookAddressFieldsSchema,
  bookAddressParts,
  bookAddressPatchSchema,
  type BookAddressFields,
  type BookAddressWarning,
  type DefaultKind,
} from '../addresses/address-book.schemas.ts';
import { companyAddressRepository as repo } from './company-address.repository.ts';
import { companyRepository } from './company.repository.ts';
import type { CompanyAddress } from './company.schemas.ts';

export type CompanyAddressDeps = { db: Database; clock: Clock; shop?: ShopIdentity };
export type CompanyAddressService = ReturnType<typeof createCompanyAddressService>;
export type CompanyAddressWrite = { address: CompanyAddress; warnings: BookAddressWarning[] };

const emptyAddress = () =>
  new AppError('invalid_input', 'Some fields are not valid.', {
    street: { code: 'required', message: 'An address needs at least a street, postcode, city or country.' },
  });

/**
 * A company's address book, with the rules of the customers' one (address-book.service.ts): the
 * same normalising (country code; postcode and phone formatted where they fit, else kept with a
 * warning), the same place only once, one default billing and one default shipping address, the
 * first address both. Every write locks the company's row, so writes to one book take turns.
 */
export function createCompanyAddressService({ db, clock, shop }: CompanyAddressDeps) {
  const shopCountry = async () => (shop ? (await shop.current()).country : 'NL');

  async function lockCompany(tx: Queryable, companyId: number): Promise<void> {
    if (!(await companyRepository.findById(tx, companyId, { forUpdate: true })))
      throw notFound(`Company #${companyId}`);
  }

  async function findOrThrow(tx: Queryable, companyId: number, id: number): Promise<CompanyAddress> {
    const address = await repo.find(tx, companyId, id);
    if (!address) throw notFound(`Address #${id}`);
    return address;
  }

  function refuseDuplicate(
    book: readonly CompanyAddress[],
    fields: BookAddressFields,
    exceptId?: number,
  ): void {
    const key = addressMatchKey(fields);
    const same = book.find((address) => address.id !== exceptId && addressMatchKey(address) === key);
    if (same)
      throw new AppError('conflict', 'This address is already in the address book.', undefined, {
        addressId: same.id,
      });
  }

  return {
    async list(companyId: number): Promise<CompanyAddress[]> {
      if (!(await companyRepository.findById(db.pool, companyId))) throw notFound(`Company #${companyId}`);
      return repo.list(db.pool, companyId);
    },

    async add(companyId: number, input: unknown): Promise<CompanyAddressWrite> {
      const { isDefaultBilling, isDefaultShipping, ...raw } = parseOrThrow(bookAddressCreateSchema, input);
      const { fields, warnings } = normaliseBookAddress(raw, await shopCountry());
      if (isEmptyAddress(fields)) throw emptyAddress();
      const id = await db.transaction(async (tx) => {
        await lockCompany(tx, companyId);
        const book = await repo.list(tx, companyId);
        refuseDuplicate(book, fields);
        const now = clock.now();
        const newId = await repo.insert(tx, companyId, fields, now);
        if (isDefaultBilling || !book.some((address) => address.isDefaultBilling))
          await repo.moveDefault(tx, companyId, newId, 'billing', now);
        if (isDefaultShipping || !book.some((address) => address.isDefaultShipping))
          await repo.moveDefault(tx, companyId, newId, 'shipping', now);
        return newId;
      });
      return { address: await findOrThrow(db.pool, companyId, id), warnings };
    },

    /** Changes the parts sent; a part not sent keeps its stored form. */
    async update(companyId: number, id: number, input: unknown): Promise<CompanyAddressWrite> {
      const patch = parseOrThrow(bookAddressPatchSchema, input);
      const country = await shopCountry();
      let warnings: BookAddressWarning[] = [];
      await db.transaction(async (tx) => {
        await lockCompany(tx, companyId);
        const stored = await findOrThrow(tx, companyId, id);
        const sent = Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined));
        const merged = bookAddressFieldsSchema.parse({ ...pick(stored), ...sent });
        const normalised = normaliseBookAddress(merged, country);
        for (const part of bookAddressParts)
          if (patch[part] === undefined) normalised.fields[part] = stored[part];
        warnings = normalised.warnings.filter(
          (warning) => patch[warning.field as keyof BookAddressFields] !== undefined,
        );
        if (isEmptyAddress(normalised.fields)) throw emptyAddress();
        refuseDuplicate(await repo.list(tx, companyId), normalised.fields, id);
        await repo.update(tx, id, normalised.fields, clock.now());
      });
      return { address: await findOrThrow(db.pool, companyId, id), warnings };
    },

    /** Removes an address; a default one leaves the company without that default. */
    async remove(companyId: number, id: number): Promise<void> {
      await db.transaction(async (tx) => {
        await lockCompany(tx, companyId);
        await findOrThrow(tx, companyId, id);
        await repo.delete(tx, id);
      });
    },

    async makeDefault(companyId: number, id: number, kind: DefaultKind): Promise<CompanyAddress> {
      await db.transaction(async (tx) => {
        await lockCompany(tx, companyId);
        await findOrThrow(tx, companyId, id);
        await repo.moveDefault(tx, companyId, id, kind, clock.now());
      });
      return findOrThrow(db.pool, companyId, id);
    },
  };
}

function pick(address: CompanyAddress): BookAddressFields {
  return Object.fromEntries(bookAddressParts.map((part) => [part, address[part]])) as BookAddressFields;
}

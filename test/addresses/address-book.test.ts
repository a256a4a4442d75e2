import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppError } from '../../src/shared/errors.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';

/**
 * The address book service on a real database: the book and the customer's billing/shipping
 * columns stay one truth, concurrent writers lose nothing, and a bulk delete's undo brings the
 * book back whole.
 */

let app: TestApp;
let seq = 0;

beforeAll(async () => {
  app = await createTestApp();
});
afterAll(() => app.close());

async function newCustomer(extra: Record<string, unknown> = {}) {
  seq += 1;
  return app.services.customers.create({
    email: `book${seq}@example.com`,
    firstName: 'Anna',
    lastName: `Book ${seq}`,
    billingAddress: { street: 'Kerkstraat', number: '1', postcode: '3511AB', city: 'Utrecht', country: 'NL' },
    ...extra,
  });
}

const errorOf = async (promise: Promise<unknown>) => {
  try {
    await promise;
  } catch (error) {
    return error as AppError;
  }
  throw new Error('expected an error');
};

describe('the address book', () => {
  it('holds the billing address of a new customer as its default billing and shipping address', async () => {
    const customer = await newCustomer();
    const book = await app.services.addressBook.list(customer.id);
    expect(book).toHaveLength(1);
    expect(book[0]).toMatchObject({ street: 'Kerkstraat', postcode: '3511 AB', isDefaultBilling: true, isDefaultShipping: true });
  });

  it('adds addresses, formats their postcode and phone, and refuses the same address twice', async () => {
    const customer = await newCustomer();
    const { address, warnings } = await app.services.addressBook.add(customer.id, {
      label: 'Werk', street: 'Stationsplein', number: '9', postcode: '1012ab', city: 'Amsterdam', country: 'Nederland', phone: '020 123 4567',
    });
    expect(warnings).toEqual([]);
    expect(address).toMatchObject({ label: 'Werk', postcode: '1012 AB', country: 'NL', phone: '+31 20 123 4567', isDefaultBilling: false, isDefaultShipping: false });
    const again = await errorOf(app.services.addressBook.add(customer.id, { street: ' stationsplein', number: '9', postcode: '1012 AB', city: 'AMSTERDAM', country: 'NL' }));
    expect(again.code).toBe('conflict');
    expect(await app.services.addressBook.list(customer.id)).toHaveLength(2);
  });

  it('keeps a postcode that does not fit its country as typed, with a warning', async () => {
    const customer = await newCustomer();
    const { address, warnings } = await app.services.addressBook.add(customer.id, { street: 'Dorpsstraat', postcode: '1234 ABC', city: 'Ergens', country: 'NL' });
    expect(address.postcode).toBe('1234 ABC');
    expect(warnings.map((warning) => warning.field)).toEqual(['postcode']);
  });

  it('refuses an unknown country with a message that names it', async () => {
    const customer = await newCustomer();
    const error = await errorOf(app.services.addressBook.add(customer.id, { street: 'Hoofdweg', city: 'Nergens', country: 'Atlantis' }));
    expect(error.code).toBe('invalid_input');
    expect(error.fields?.country?.message).toContain('Atlantis');
  });

  it('makes another address the default billing address; the old one stays in the book as the shipping address', async () => {
    const customer = await newCustomer();
    const { address: work } = await app.services.addressBook.add(customer.id, { street: 'Stationsplein', number: '9', postcode: '1012 AB', city: 'Amsterdam', country: 'NL' });
    await app.services.addressBook.makeDefault(customer.id, work.id, 'billing');
    const stored = await app.services.customers.get(customer.id);
    expect(stored.billingAddress).toMatchObject({ street: 'Stationsplein', city: 'Amsterdam' });
    expect(stored.shippingSameAsBilling).toBe(false);
    expect(stored.shippingAddress).toMatchObject({ street: 'Kerkstraat', city: 'Utrecht' });
    expect(stored.version).toBeGreaterThan(customer.version);
    const book = await app.services.addressBook.list(customer.id);
    expect(book.map((address) => [address.street, address.isDefaultBilling, address.isDefaultShipping])).toEqual([
      ['Stationsplein', true, false],
      ['Kerkstraat', false, true],
    ]);
    await app.services.addressBook.makeDefault(customer.id, work.id, 'shipping');
    const both = await app.services.customers.get(customer.id);
    expect(both.shippingSameAsBilling).toBe(true);
    expect((await app.services.addressBook.list(customer.id)).map((address) => [address.street, address.isDefaultBilling, address.isDefaultShipping])).toEqual([
      ['Stationsplein', true, true],
      ['Kerkstraat', false, false],
    ]);
  });

  it('writes a change of the default address to the customer, and a change of the customer to the book', async () => {
    const customer = await newCustomer();
    const [billing] = await app.services.addressBook.list(customer.id);
    await app.services.addressBook.update(customer.id, billing!.id, { city: 'Zeist', postcode: '3701AA' });
    const stored = await app.services.customers.get(customer.id);
    expect(stored.billingAddress).toMatchObject({ street: 'Kerkstraat', city: 'Zeist', postcode: '3701 AA' });
    await app.services.customers.update(customer.id, { billingAddress: { city: 'Bunnik' } });
    const [after] = await app.services.addressBook.list(customer.id);
    expect(after).toMatchObject({ id: billing!.id, city: 'Bunnik', postcode: '3701 AA' });
  });

  it('finds a customer by the city of an address other than its billing address', async () => {
    const customer = await newCustomer();
    await app.services.addressBook.add(customer.id, { street: 'Marktplein', city: 'Hoogezand-Sappemeer', country: 'NL' });
    const page = await app.services.customers.list({ q: 'sappemeer', sort: 'id', direction: 'asc', limit: 50 });
    expect(page.items.map((item) => item.id)).toEqual([customer.id]);
  });

  it('removes a plain address, and a default one leaves the customer without that address', async () => {
    const customer = await newCustomer();
    const { address: extra } = await app.services.addressBook.add(customer.id, { street: 'Laan', number: '1', city: 'Gouda', country: 'NL' });
    await app.services.addressBook.remove(customer.id, extra.id);
    const [billing] = await app.services.addressBook.list(customer.id);
    await app.services.addressBook.remove(customer.id, billing!.id);
    expect(await app.services.addressBook.list(customer.id)).toEqual([]);
    expect((await app.services.customers.get(customer.id)).billingAddress.street).toBe('');
  });

  it('loses nothing when two staff add addresses and a third edits the customer at the same time', async () => {
    const customer = await newCustomer();
    await Promise.all([
      app.services.addressBook.add(customer.id, { street: 'A-straat', city: 'Delft', country: 'NL' }),
      app.services.addressBook.add(customer.id, { street: 'B-straat', city: 'Delft', country: 'NL', isDefaultShipping: true }),
      app.services.customers.update(customer.id, { notes: 'called on Monday' }),
      app.services.addressBook.add(customer.id, { street: 'C-straat', city: 'Delft', country: 'NL' }),
    ]);
    const book = await app.services.addressBook.list(customer.id);
    expect(book.map((address) => address.street).sort()).toEqual(['A-straat', 'B-straat', 'C-straat', 'Kerkstraat']);
    const stored = await app.services.customers.get(customer.id);
    expect(stored.notes).toBe('called on Monday');
    expect(stored.shippingAddress.street).toBe('B-straat');
  });

  it('brings the whole book back when a bulk delete is undone', async () => {
    const customer = await newCustomer();
    await app.services.addressBook.add(customer.id, { label: 'Oma', street: 'Hofje', number: '3', city: 'Leiden', country: 'NL', phone: '071 512 3456' });
    const before = await app.services.addressBook.list(customer.id);
    const deletion = await app.services.customerBulk.deleteSelection({ selection: { customerIds: [customer.id] }, expectedCount: 1 }, null);
    expect(await app.services.db.pool.query('SELECT 1 FROM customer_addresses WHERE customer_id = $1', [customer.id])).toMatchObject({ rowCount: 0 });
    await app.services.customerBulk.undoDeletion(deletion.id, null);
    expect(await app.services.addressBook.list(customer.id)).toEqual(before);
    expect((await app.services.customers.list({ q: 'leiden', sort: 'id', direction: 'asc', limit: 50 })).items.map((item) => item.id)).toContain(customer.id);
  });
});

import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customerFilterSql } from '../../src/customers/customer.repository.ts';
import { migrate } from '../../src/db/migrate.ts';
import { createEmptyDatabase } from '../support/test-database.ts';

/**
 * Migration 015 moves every customer's billing and shipping address into the address book. A
 * database of the previous schema (014), filled with customers of every address shape, is
 * migrated, and every value of every address is compared with what the customer row held.
 */

const parts = ['attention', 'street', 'number', 'extension', 'address2', 'postcode', 'city', 'region', 'country'] as const;
type Address = Record<(typeof parts)[number], string>;
type Seed = { email: string; billing: Address; sameAsBilling: boolean; shipping: Address & { company: string } };

const blank = (): Address => Object.fromEntries(parts.map((part) => [part, ''])) as Address;
const cities = ['Utrecht', 'Zürich', "'s-Hertogenbosch", 'Kraków', 'Gent', 'Düsseldorf'];

/** Customers with no address, billing only, billing = shipping, separate shipping, shipping only, odd characters. */
function seeds(): Seed[] {
  const result: Seed[] = [];
  for (let index = 0; index < 240; index += 1) {
    const shape = index % 6;
    const billing = blank();
    const shipping = { ...blank(), company: '' };
    if (shape !== 0 && shape !== 4) {
      Object.assign(billing, {
        attention: index % 2 ? `Dhr. ${index}` : '',
        street: `Kerkstraat`,
        number: String(index),
        extension: index % 3 ? 'II' : '',
        address2: index % 5 ? '' : 'achterom',
        postcode: `${3500 + index} AB`,
        city: cities[index % cities.length]!,
        region: index % 4 ? '' : 'Utrecht',
        country: index % 2 ? 'NL' : 'BE',
      });
    }
    const separate = shape === 3 || shape === 4 || shape === 5;
    if (separate) {
      Object.assign(shipping, {
        attention: 'Magazijn',
        company: shape === 5 ? 'Bakker & Zn. "B.V."' : '',
        street: 'Industrieweg',
        number: String(1000 + index),
        postcode: `${1000 + index} ZZ`,
        city: cities[(index + 1) % cities.length]!,
        country: 'NL',
      });
    } else if (shape === 2) {
      Object.assign(shipping, billing);
    }
    result.push({ email: `customer${index}@example.com`, billing, sameAsBilling: !separate, shipping });
  }
  return result;
}

let database: { url: string; drop: () => Promise<void> };
let pool: pg.Pool;
const customers = seeds();

beforeAll(async () => {
  database = await createEmptyDatabase();
  pool = new pg.Pool({ connectionString: database.url, max: 2 });
  await migrate(pool, { upTo: '014_trust_remainders.sql' });
  for (const seed of customers) {
    const columns = ['email', 'email_normalized', 'shipping_same_as_billing', 'shipping_company'];
    const values: unknown[] = [seed.email, seed.email, seed.sameAsBilling, seed.shipping.company];
    for (const part of parts) {
      columns.push(`billing_${part}`, `shipping_${part}`);
      values.push(seed.billing[part], seed.shipping[part]);
    }
    await pool.query(
      `INSERT INTO customers (${columns.join(', ')}) VALUES (${values.map((_, i) => `$${i + 1}`).join(', ')})`,
      values,
    );
  }
  expect(await migrate(pool)).toContain('015_address_book.sql');
}, 120_000);

afterAll(async () => {
  await pool.end();
  await database.drop();
});

type BookRow = Address & { company: string; is_default_billing: boolean; is_default_shipping: boolean };

async function bookOf(email: string): Promise<BookRow[]> {
  const { rows } = await pool.query<BookRow>(
    `SELECT a.* FROM customer_addresses a JOIN customers c ON c.id = a.customer_id WHERE c.email = $1 ORDER BY a.id`,
    [email],
  );
  return rows;
}

const valuesOf = (row: BookRow): Address => Object.fromEntries(parts.map((part) => [part, row[part]])) as Address;
const hasValue = (address: Record<string, string>) => Object.values(address).some((value) => value !== '');

describe('migration 015: billing and shipping columns into the address book', () => {
  it('keeps every value of every address, with the right default flags', async () => {
    let addresses = 0;
    for (const seed of customers) {
      const book = await bookOf(seed.email);
      const billing = book.filter((row) => row.is_default_billing);
      const shipping = book.filter((row) => row.is_default_shipping);
      if (hasValue(seed.billing)) {
        expect(billing).toHaveLength(1);
        expect(valuesOf(billing[0]!), seed.email).toEqual(seed.billing);
        expect(billing[0]!.company).toBe('');
      } else {
        expect(billing, seed.email).toHaveLength(0);
      }
      if (seed.sameAsBilling) {
        expect(shipping, seed.email).toEqual(billing);
      } else {
        expect(shipping, seed.email).toHaveLength(1);
        expect(valuesOf(shipping[0]!), seed.email).toEqual(Object.fromEntries(parts.map((part) => [part, seed.shipping[part]])));
        expect(shipping[0]!.company).toBe(seed.shipping.company);
        expect(shipping[0]!.is_default_billing).toBe(false);
      }
      expect(book.every((row) => row.is_default_billing || row.is_default_shipping)).toBe(true);
      addresses += book.length;
    }
    // 240 customers in six shapes of 40: none, billing, billing = shipping, both, shipping only, both.
    expect(addresses).toBe(40 * 0 + 40 * 1 + 40 * 1 + 40 * 2 + 40 * 1 + 40 * 2);
  });

  it('makes the separate shipping addresses searchable by city and postcode', async () => {
    const searchTextOf = async (email: string) => {
      const { rows } = await pool.query<{ search_text: string }>(
        `SELECT a.search_text FROM customer_addresses a JOIN customers c ON c.id = a.customer_id
          WHERE c.email = $1 AND NOT a.is_default_billing`,
        [email],
      );
      return rows.map((row) => row.search_text);
    };
    // Customer 3 ships to Industrieweg 1003, 1003 ZZ in the fifth city (Gent), folded.
    expect(await searchTextOf('customer3@example.com')).toEqual(['gent 1003 zz 1003zz']);
    expect(await searchTextOf('customer5@example.com')).toEqual(['utrecht 1005 zz 1005zz']);
    // The customer list's own search: Düsseldorf found without the accent, by a shipping address
    // only (customer 10 ships there, its billing city is another); a city no address has finds nobody.
    const found = async (q: string) => {
      const params: unknown[] = [];
      const { rows } = await pool.query<{ email: string }>(
        `SELECT c.email FROM customers c WHERE ${customerFilterSql({ q }, params)} ORDER BY c.id`,
        params,
      );
      return rows.map((row) => row.email);
    };
    expect(await found('dusseldorf 1010zz')).toEqual(['customer10@example.com']);
    expect(await found('Düsseldorf')).toContain('customer10@example.com');
    expect(await found('krakow 1010')).toEqual([]);
  });
});

describe('the book follows the customer row after the migration', () => {
  it('updates the default billing row in place when the billing address changes', async () => {
    const [before] = await bookOf('customer1@example.com');
    await pool.query(`UPDATE customers SET billing_city = 'Amersfoort', billing_postcode = '3811 AA' WHERE email = 'customer1@example.com'`);
    const after = await bookOf('customer1@example.com');
    expect(after).toHaveLength(1);
    expect(after[0]).toMatchObject({ city: 'Amersfoort', postcode: '3811 AA', street: before!.street, is_default_billing: true });
  });

  it('keeps the old shipping address in the book when shipping becomes "same as billing"', async () => {
    await pool.query(`UPDATE customers SET shipping_same_as_billing = true WHERE email = 'customer3@example.com'`);
    const book = await bookOf('customer3@example.com');
    expect(book).toHaveLength(2);
    expect(book.find((row) => row.is_default_billing)?.is_default_shipping).toBe(true);
    const kept = book.find((row) => !row.is_default_billing)!;
    expect(kept).toMatchObject({ street: 'Industrieweg', number: '1003', is_default_shipping: false });
  });

  it('gives a customer whose shipping becomes separate a shipping row of its own, leaving billing as it was', async () => {
    await pool.query(
      `UPDATE customers SET shipping_same_as_billing = false, shipping_street = 'Havenweg', shipping_city = 'Delft'
        WHERE email = 'customer2@example.com'`,
    );
    const book = await bookOf('customer2@example.com');
    expect(book).toHaveLength(2);
    const billing = book.find((row) => row.is_default_billing)!;
    expect(billing).toMatchObject({ street: 'Kerkstraat', is_default_shipping: false });
    expect(book.find((row) => row.is_default_shipping)).toMatchObject({ street: 'Havenweg', city: 'Delft', is_default_billing: false });
  });

  it('writes nothing to the book when a customer changes without touching an address', async () => {
    const before = await pool.query(`SELECT id, updated_at FROM customer_addresses ORDER BY id`);
    await pool.query(`UPDATE customers SET notes = 'called', first_name = 'Ann'`);
    const after = await pool.query(`SELECT id, updated_at FROM customer_addresses ORDER BY id`);
    expect(after.rows).toEqual(before.rows);
  });

  it('removes the default billing row when the billing address is emptied on purpose', async () => {
    const emptied = parts.map((part) => `billing_${part} = ''`).join(', ');
    await pool.query(`UPDATE customers SET ${emptied} WHERE email = 'customer7@example.com'`);
    expect(await bookOf('customer7@example.com')).toEqual([]);
  });
});

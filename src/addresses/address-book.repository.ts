import type { Queryable } from '../db/database.ts';
import { bookAddressParts, type BookAddress, type BookAddressFields } from './address-book.schemas.ts';

export type BookAddressRow = BookAddressFields & {
  id: number;
  customer_id: number;
  is_default_billing: boolean;
  is_default_shipping: boolean;
  import_id: number | null;
  created_at: Date;
  updated_at: Date;
};

export function toBookAddress(row: BookAddressRow): BookAddress {
  const fields = Object.fromEntries(bookAddressParts.map((part) => [part, row[part]])) as BookAddressFields;
  return {
    id: Number(row.id),
    customerId: Number(row.customer_id),
    ...fields,
    isDefaultBilling: row.is_default_billing,
    isDefaultShipping: row.is_default_shipping,
    importId: row.import_id === null ? null : Number(row.import_id),
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/**
 * The rows of `customer_addresses` (migration 015). The default rows follow the customer's
 * address columns by trigger; code that moves a default flag does it here first and then writes
 * the customer's columns (address-book.service.ts), so the trigger finds the right row flagged.
 */
export const addressBookRepository = {
  /** The book, defaults first (billing, then shipping), then the others in the order they came. */
  async list(db: Queryable, customerId: number): Promise<BookAddress[]> {
    const { rows } = await db.query<BookAddressRow>(
      `SELECT * FROM customer_addresses WHERE customer_id = $1
        ORDER BY is_default_billing DESC, is_default_shipping DESC, id`,
      [customerId],
    );
    return rows.map(toBookAddress);
  },

  async find(db: Queryable, customerId: number, id: number): Promise<BookAddress | undefined> {
    const { rows } = await db.query<BookAddressRow>('SELECT * FROM customer_addresses WHERE id = $1 AND customer_id = $2', [id, customerId]);
    return rows[0] && toBookAddress(rows[0]);
  },

  async insert(db: Queryable, customerId: number, fields: BookAddressFields, now: Date, importId: number | null = null): Promise<number> {
    const params: unknown[] = [customerId, ...bookAddressParts.map((part) => fields[part]), importId, now];
    const { rows } = await db.query<{ id: number }>(
      `INSERT INTO customer_addresses (customer_id, ${bookAddressParts.join(', ')}, import_id, created_at, updated_at)
       VALUES ($1, ${bookAddressParts.map((_, index) => `$${index + 2}`).join(', ')}, $${bookAddressParts.length + 2}, $${bookAddressParts.length + 3}, $${bookAddressParts.length + 3})
       RETURNING id`,
      params,
    );
    return Number(rows[0]!.id);
  },

  /** Writes the parts that differ; returns whether anything did. */
  async update(db: Queryable, id: number, fields: Partial<BookAddressFields>, now: Date): Promise<boolean> {
    const parts = bookAddressParts.filter((part) => fields[part] !== undefined);
    if (parts.length === 0) return false;
    const assignments = parts.map((part, index) => `${part} = $${index + 2}`);
    const changed = parts.map((part, index) => `${part} IS DISTINCT FROM $${index + 2}`);
    const { rowCount } = await db.query(
      `UPDATE customer_addresses SET ${assignments.join(', ')}, updated_at = $${parts.length + 2}
        WHERE id = $1 AND (${changed.join(' OR ')})`,
      [id, ...parts.map((part) => fields[part]), now],
    );
    return (rowCount ?? 0) > 0;
  },

  async delete(db: Queryable, id: number): Promise<void> {
    await db.query('DELETE FROM customer_addresses WHERE id = $1', [id]);
  },

  /** Moves a default flag: off the row that has it, then onto `id` (the unique indexes allow one each). */
  async moveDefault(db: Queryable, customerId: number, id: number, kind: 'billing' | 'shipping', now: Date): Promise<void> {
    const flag = kind === 'billing' ? 'is_default_billing' : 'is_default_shipping';
    await db.query(`UPDATE customer_addresses SET ${flag} = false, updated_at = $3 WHERE customer_id = $1 AND ${flag} AND id <> $2`, [customerId, id, now]);
    await db.query(`UPDATE customer_addresses SET ${flag} = true, updated_at = $3 WHERE customer_id = $1 AND id = $2 AND NOT ${flag}`, [customerId, id, now]);
  },
};

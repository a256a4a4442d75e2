import type { Queryable } from '../db/database.ts';
import { bookAddressParts, type BookAddress, type BookAddressFields } from './address-book.schemas.ts';
import { addressMatchKey } from './address-key.ts';

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

  /**
   * Adds the addresses an import found for customers (set-based: one read of their books, one
   * insert): an address already in the book (the same place, address-key.ts) or twice in the
   * list is not added again, so importing the same file twice adds nothing. Returns how many
   * were added; they carry the import's id, so its undo can remove them.
   */
  async addImported(db: Queryable, importId: number, items: ReadonlyArray<{ customerId: number; address: BookAddressFields }>, now: Date): Promise<number> {
    const fresh = await addressBookRepository.notInBooks(db, items);
    if (fresh.length === 0) return 0;
    await db.query(
      `INSERT INTO customer_addresses (customer_id, ${bookAddressParts.join(', ')}, import_id, created_at, updated_at)
       SELECT r.customer_id, ${bookAddressParts.map((part) => `r.${part}`).join(', ')}, $2, $3, $3
         FROM jsonb_to_recordset($1::jsonb) AS r(customer_id bigint, ${bookAddressParts.map((part) => `${part} text`).join(', ')})`,
      [JSON.stringify(fresh.map((item) => ({ customer_id: item.customerId, ...item.address }))), importId, now],
    );
    return fresh.length;
  },

  /**
   * The items whose address is not in its customer's book yet (nor earlier in the list): what
   * `addImported` would add, also for the dry run (customers still to be created have no book:
   * give them ids that match no row, such as negative ones).
   */
  async notInBooks<T extends { customerId: number; address: BookAddressFields }>(db: Queryable, items: readonly T[]): Promise<T[]> {
    if (items.length === 0) return [];
    const customerIds = [...new Set(items.map((item) => item.customerId).filter((id) => id > 0))];
    const { rows } = customerIds.length > 0
      ? await db.query<BookAddressRow>('SELECT * FROM customer_addresses WHERE customer_id = ANY($1::bigint[])', [customerIds])
      : { rows: [] };
    const known = new Set(rows.map((row) => `${row.customer_id}|${addressMatchKey(row)}`));
    return items.filter((item) => {
      const key = `${item.customerId}|${addressMatchKey(item.address)}`;
      if (known.has(key)) return false;
      known.add(key);
      return true;
    });
  },

  /**
   * Moves a default flag: off the row that has it, then onto `id` (the unique indexes allow one
   * each). The row that loses the flag was not edited, so its `updated_at` stays: an address an
   * import added and nobody changed is still the import's to take back on undo.
   */
  async moveDefault(db: Queryable, customerId: number, id: number, kind: 'billing' | 'shipping', now: Date): Promise<void> {
    const flag = kind === 'billing' ? 'is_default_billing' : 'is_default_shipping';
    await db.query(`UPDATE customer_addresses SET ${flag} = false WHERE customer_id = $1 AND ${flag} AND id <> $2`, [customerId, id]);
    await db.query(`UPDATE customer_addresses SET ${flag} = true, updated_at = $3 WHERE customer_id = $1 AND id = $2 AND NOT ${flag}`, [customerId, id, now]);
  },
};

import type { Queryable } from '../db/database.ts';
import { addressBookRepository as repo, type BookAddressRow } from './address-book.repository.ts';
import { bookAddressParts, type BookAddressFields, type DefaultKind } from './address-book.schemas.ts';
import { writeDefaultsToCustomer } from './address-book.service.ts';
import { changeableParts, loadBooks } from './address-import.ts';
import { addressMatchKey } from './address-key.ts';

/**
 * What an import did to address books, kept so that its undo gives it back (issue #16), and the
 * undo itself. An import that touches address books keeps
 * - each address it changed (the parts before, and what it wrote) and removed (the whole address
 *   with its default flags): `import_address_changes`;
 * - each default it moved: which address was the customer's default billing or shipping address
 *   before, and which the import left as that default: `import_address_defaults`;
 * - the addresses it added carry its id (`customer_addresses.import_id`).
 * Undo gives back what still holds what the import wrote; whatever anyone changed since stays.
 */

type ChangeRow = {
  address_id: string;
  customer_id: string;
  action: 'changed' | 'removed';
  before: BookAddressFields & { isDefaultBilling?: boolean; isDefaultShipping?: boolean };
  written: BookAddressFields | null;
};
type Books = ReadonlyMap<number, readonly BookAddressRow[]>;
type DefaultRow = { customer_id: string; kind: DefaultKind; before_id: string | null; written_id: string | null };

/**
 * Undoes what an import did to address books, in the caller's transaction, in this order:
 * 1. removed addresses come back with their ids (unless the customer is gone or has the same
 *    place in its book again);
 * 2. changed addresses get their parts back while they still hold what the import wrote;
 * 3. defaults go back to where they were while they are still where the import put them; a
 *    removed default that comes back is that default again if the customer has none by then;
 * 4. the addresses the import added go, unless someone changed one since or made it a default;
 * 5. the customers whose defaults moved get their billing/shipping columns from the book.
 */
export async function undoAddressImport(tx: Queryable, importId: number, now: Date): Promise<void> {
  // Taken before anything below touches them: the added addresses nobody changed since.
  const { rows: untouched } = await tx.query<{ id: string }>(
    'SELECT id FROM customer_addresses WHERE import_id = $1 AND updated_at = created_at',
    [importId],
  );
  const { rows: changes } = await tx.query<ChangeRow>(
    'SELECT address_id, customer_id, action, before, written FROM import_address_changes WHERE import_id = $1 ORDER BY customer_id, address_id',
    [importId],
  );
  const { rows: moves } = await tx.query<DefaultRow>(
    'SELECT customer_id, kind, before_id, written_id FROM import_address_defaults WHERE import_id = $1',
    [importId],
  );
  const customerIds = [...new Set([...changes, ...moves].map((row) => Number(row.customer_id)))];
  const touched = new Set<number>(moves.map((move) => Number(move.customer_id)));
  if (customerIds.length > 0) {
    await tx.query('SELECT id FROM customers WHERE id = ANY($1::bigint[]) ORDER BY id FOR UPDATE', [customerIds]);
    const books = await loadBooks(tx, customerIds);
    // (A customer deleted since gets nothing back: restoreRemoved inserts only for customers that exist.)
    const removed = changes.filter((row) => {
      if (row.action !== 'removed') return false;
      const key = addressMatchKey(row.before);
      return !(books.get(Number(row.customer_id)) ?? []).some((address) => addressMatchKey(address) === key);
    });
    await restoreRemoved(tx, removed, now);
    await restoreChanged(tx, books, changes, now);
    const after = await loadBooks(tx, customerIds);
    for (const move of moves) await moveBack(tx, after, move, now);
    // A removed default comes back as that default if the customer has none of its kind by then
    // (also for imports made before their default moves were kept).
    for (const row of removed) {
      const customerId = Number(row.customer_id);
      const book = await repo.list(tx, customerId);
      for (const [kind, wasDefault] of [['billing', row.before.isDefaultBilling], ['shipping', row.before.isDefaultShipping]] as const) {
        if (!wasDefault || book.some((address) => (kind === 'billing' ? address.isDefaultBilling : address.isDefaultShipping))) continue;
        await repo.moveDefault(tx, customerId, Number(row.address_id), kind, now);
        touched.add(customerId);
      }
    }
    for (const row of changes) if (row.action === 'changed') touched.add(Number(row.customer_id));
  }
  await tx.query(
    'DELETE FROM customer_addresses WHERE id = ANY($1::bigint[]) AND NOT is_default_billing AND NOT is_default_shipping',
    [untouched.map((row) => row.id)],
  );
  for (const customerId of touched) await writeDefaultsToCustomer(tx, customerId, now);
}

async function restoreRemoved(tx: Queryable, removed: readonly ChangeRow[], now: Date): Promise<void> {
  if (removed.length === 0) return;
  await tx.query(
    `INSERT INTO customer_addresses (id, customer_id, ${bookAddressParts.join(', ')}, created_at, updated_at)
     OVERRIDING SYSTEM VALUE
     SELECT r.id, r.customer_id, ${bookAddressParts.map((part) => `r.${part}`).join(', ')}, $2, $2
       FROM jsonb_to_recordset($1::jsonb) AS r(id bigint, customer_id bigint, ${bookAddressParts.map((part) => `${part} text`).join(', ')})
      WHERE EXISTS (SELECT 1 FROM customers c WHERE c.id = r.customer_id)
     ON CONFLICT (id) DO NOTHING`,
    [JSON.stringify(removed.map((row) => ({ id: row.address_id, customer_id: row.customer_id, ...Object.fromEntries(bookAddressParts.map((part) => [part, row.before[part] ?? ''])) }))), now],
  );
}

/** Changed addresses get their parts back, set-based, where they still hold what the import wrote. */
async function restoreChanged(tx: Queryable, books: Books, changes: readonly ChangeRow[], now: Date): Promise<void> {
  const restorable = changes.flatMap((row) => {
    if (row.action !== 'changed' || !row.written) return [];
    const current = (books.get(Number(row.customer_id)) ?? []).find((address) => Number(address.id) === Number(row.address_id));
    if (!current || changeableParts.some((part) => current[part] !== row.written![part])) return [];
    return [{ id: row.address_id, ...Object.fromEntries(changeableParts.map((part) => [part, row.before[part]])) }];
  });
  if (restorable.length === 0) return;
  await tx.query(
    `UPDATE customer_addresses a SET ${changeableParts.map((part) => `${part} = r.${part}`).join(', ')}, updated_at = $2
       FROM jsonb_to_recordset($1::jsonb) AS r(id bigint, ${changeableParts.map((part) => `${part} text`).join(', ')})
      WHERE a.id = r.id`,
    [JSON.stringify(restorable), now],
  );
}

/** A default back where it was, while it is still where the import put it. */
async function moveBack(tx: Queryable, books: Books, move: DefaultRow, now: Date): Promise<void> {
  const customerId = Number(move.customer_id);
  const book = books.get(customerId) ?? [];
  const flag = move.kind === 'billing' ? 'is_default_billing' : 'is_default_shipping';
  const current = book.find((address) => address[flag]);
  if ((current ? Number(current.id) : null) !== (move.written_id === null ? null : Number(move.written_id))) return;
  const before = move.before_id === null ? undefined : book.find((address) => Number(address.id) === Number(move.before_id));
  if (before) await repo.moveDefault(tx, customerId, Number(before.id), move.kind, now);
  else if (current && move.before_id === null) {
    await tx.query(`UPDATE customer_addresses SET ${flag} = false WHERE id = $1`, [current.id]);
  }
}

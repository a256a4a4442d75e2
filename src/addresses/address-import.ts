import type { Queryable } from '../db/database.ts';
import type { AddressCommand } from '../imports/address-file.ts';
import { addressBookRepository as repo, type BookAddressRow } from './address-book.repository.ts';
import { bookAddressParts, type BookAddressFields, type DefaultKind } from './address-book.schemas.ts';
import { writeDefaultsToCustomer } from './address-book.service.ts';
import { addressMatchKey } from './address-key.ts';

/**
 * What the rows of an address file (import type *Customer addresses*, issue #16) do to the
 * address books of their customers, planned in one pure step (`planAddressRows`, shared by the
 * check and the import) and written in a few set-based statements (`writeAddressRows`).
 *
 * - *merge* (the default): an address that is not in the book yet is added; the same place
 *   (address-key.ts: after normalising case, spaces, postcode and country) already in the book
 *   is changed where the row's label, name, company or phone differ — an empty cell keeps what
 *   the book has, as an empty cell keeps a customer's value; otherwise it is unchanged.
 * - *delete*: the same place is removed from the book.
 * - The default flags make the address the customer's default billing or shipping address; a
 *   customer whose book was empty gets its first address as both, as everywhere else.
 * Rows of one customer are planned in file order against the book as the earlier rows left it.
 */

export type AddressRowItem = {
  customerId: number;
  rowNumber: number;
  address: BookAddressFields;
  isDefaultBilling: boolean;
  isDefaultShipping: boolean;
  command: AddressCommand;
  /** The customer as the row names it (its e-mail address, customer number or id), for the check's list. */
  customerKey?: string;
};

export type RowOutcome = 'added' | 'changed' | 'unchanged' | 'removed' | 'not_found';

/** A book entry while planning: a stored row (`id`) or one this batch adds (`id` undefined). */
type Entry = { id?: number; fields: BookAddressFields; isDefaultBilling: boolean; isDefaultShipping: boolean; isNew: boolean; isChanged: boolean; isRemoved: boolean; before?: BookAddressFields };

export type AddressPlan = {
  outcomes: Map<number, RowOutcome>;
  /** The book entry each merge or replace row names (its id once written). */
  targets: Map<number, Entry>;
  books: Map<number, Entry[]>;
  counts: { added: number; changed: number; unchanged: number; removed: number };
};

/** What an address file changes of an address already in the book (and undo gives back). */
export const changeableParts = ['label', 'attention', 'company', 'phone'] as const;
const fieldsOf = (row: BookAddressRow): BookAddressFields => Object.fromEntries(bookAddressParts.map((part) => [part, row[part]])) as BookAddressFields;

export function planAddressRows(stored: ReadonlyMap<number, readonly BookAddressRow[]>, items: readonly AddressRowItem[]): AddressPlan {
  const books = new Map<number, Entry[]>();
  const bookOf = (customerId: number) => {
    let book = books.get(customerId);
    if (!book) {
      book = (stored.get(customerId) ?? []).map((row) => ({ id: Number(row.id), fields: fieldsOf(row), isDefaultBilling: row.is_default_billing, isDefaultShipping: row.is_default_shipping, isNew: false, isChanged: false, isRemoved: false }));
      books.set(customerId, book);
    }
    return book;
  };
  const outcomes = new Map<number, RowOutcome>();
  const targets = new Map<number, Entry>();
  // Only a customer whose book was empty gets its first address as default (as on the customer
  // page); a book without a default (its default was deleted) is left so.
  const wasEmpty = (customerId: number) => (stored.get(customerId) ?? []).length === 0;
  for (const item of items) {
    const book = bookOf(item.customerId);
    const key = addressMatchKey(item.address);
    const entry = book.find((candidate) => !candidate.isRemoved && addressMatchKey(candidate.fields) === key);
    if (item.command === 'delete') {
      if (entry) entry.isRemoved = true;
      outcomes.set(item.rowNumber, entry ? 'removed' : 'not_found');
      continue;
    }
    let outcome: RowOutcome = 'unchanged';
    let target = entry;
    if (!target) {
      target = { fields: { ...item.address }, isDefaultBilling: false, isDefaultShipping: false, isNew: true, isChanged: false, isRemoved: false };
      book.push(target);
      outcome = 'added';
    } else {
      for (const part of changeableParts) {
        const value = item.address[part];
        if (value === '' || value === target.fields[part]) continue;
        target.before ??= { ...target.fields };
        target.fields = { ...target.fields, [part]: value };
        if (!target.isNew) target.isChanged = true;
        outcome = 'changed';
      }
    }
    const live = book.filter((candidate) => !candidate.isRemoved);
    for (const kind of ['billing', 'shipping'] as const) {
      const flag = kind === 'billing' ? 'isDefaultBilling' : 'isDefaultShipping';
      const wanted = item[flag] || (wasEmpty(item.customerId) && !live.some((candidate) => candidate[flag]));
      if (!wanted || target[flag]) continue;
      for (const candidate of live) candidate[flag] = false;
      target[flag] = true;
      if (outcome === 'unchanged') outcome = 'changed';
    }
    outcomes.set(item.rowNumber, outcome);
    targets.set(item.rowNumber, target);
  }
  const counts = { added: 0, changed: 0, unchanged: 0, removed: 0 };
  for (const outcome of outcomes.values()) if (outcome !== 'not_found') counts[outcome]++;
  return { outcomes, targets, books, counts };
}

/** The stored books of these customers (locked with their customers by the caller when it writes). */
export async function loadBooks(db: Queryable, customerIds: readonly number[]): Promise<Map<number, BookAddressRow[]>> {
  const ids = [...new Set(customerIds.filter((id) => id > 0))];
  const books = new Map<number, BookAddressRow[]>();
  if (ids.length === 0) return books;
  const { rows } = await db.query<BookAddressRow>('SELECT * FROM customer_addresses WHERE customer_id = ANY($1::bigint[]) ORDER BY customer_id, id', [ids]);
  for (const row of rows) {
    const list = books.get(Number(row.customer_id)) ?? [];
    list.push(row);
    books.set(Number(row.customer_id), list);
  }
  return books;
}

/**
 * Writes a batch's plan: removals, changes (with what they were, for undo), additions, then the
 * default flags and the customers' billing/shipping columns of the customers whose defaults moved.
 * The caller holds the customers' row locks (the import locks them while it plans).
 */
export async function writeAddressRows(tx: Queryable, importId: number, items: readonly AddressRowItem[], now: Date, options: { keepsRows?: boolean } = {}): Promise<AddressPlan> {
  const stored = await loadBooks(tx, items.map((item) => item.customerId));
  const plan = planAddressRows(stored, items);
  const storedDefaults = new Map([...stored.values()].flat().map((row) => [Number(row.id), { billing: row.is_default_billing, shipping: row.is_default_shipping }]));
  const history: { address_id: number; customer_id: number; action: 'changed' | 'removed'; before: BookAddressFields & { isDefaultBilling?: boolean; isDefaultShipping?: boolean }; written: BookAddressFields | null }[] = [];
  const defaultsMoved = new Set<number>();
  const removedIds: number[] = [];
  const changed: { id: number; fields: BookAddressFields }[] = [];
  const added: { customerId: number; entry: Entry }[] = [];
  for (const [customerId, book] of plan.books) {
    for (const entry of book) {
      if (entry.id === undefined) {
        if (!entry.isRemoved) added.push({ customerId, entry });
        if (entry.isDefaultBilling || entry.isDefaultShipping) defaultsMoved.add(customerId);
        continue;
      }
      const defaults = storedDefaults.get(entry.id);
      const wasDefault = defaults?.billing === true || defaults?.shipping === true;
      if (entry.isRemoved) {
        removedIds.push(entry.id);
        // A removed default comes back as that default (undo), if the customer has none of its kind by then.
        history.push({ address_id: entry.id, customer_id: customerId, action: 'removed', before: { ...(entry.before ?? entry.fields), isDefaultBilling: defaults?.billing ?? false, isDefaultShipping: defaults?.shipping ?? false }, written: null });
        if (wasDefault) defaultsMoved.add(customerId);
        continue;
      }
      if (entry.isChanged) {
        changed.push({ id: entry.id, fields: entry.fields });
        history.push({ address_id: entry.id, customer_id: customerId, action: 'changed', before: entry.before ?? entry.fields, written: entry.fields });
        if (wasDefault) defaultsMoved.add(customerId);
      }
      if (defaults && (defaults.billing !== entry.isDefaultBilling || defaults.shipping !== entry.isDefaultShipping)) defaultsMoved.add(customerId);
    }
  }
  // Set-based: one statement each for the removed, the changed and the new addresses of the batch.
  if (removedIds.length > 0) await tx.query('DELETE FROM customer_addresses WHERE id = ANY($1::bigint[])', [removedIds]);
  if (changed.length > 0) {
    await tx.query(
      `UPDATE customer_addresses a SET ${changeableParts.map((part) => `${part} = r.${part}`).join(', ')}, updated_at = $2
         FROM jsonb_to_recordset($1::jsonb) AS r(id bigint, ${changeableParts.map((part) => `${part} text`).join(', ')})
        WHERE a.id = r.id`,
      [JSON.stringify(changed.map(({ id, fields }) => ({ id, ...Object.fromEntries(changeableParts.map((part) => [part, fields[part]])) }))), now],
    );
  }
  if (added.length > 0) {
    // The new rows' ids are taken from the table's sequence first, so each planned entry knows its row.
    const { rows: ids } = await tx.query<{ id: string }>(
      `SELECT nextval(pg_get_serial_sequence('customer_addresses', 'id')) AS id FROM generate_series(1, $1)`,
      [added.length],
    );
    added.forEach((item, index) => (item.entry.id = Number(ids[index]!.id)));
    await tx.query(
      `INSERT INTO customer_addresses (id, customer_id, ${bookAddressParts.join(', ')}, import_id, created_at, updated_at)
       OVERRIDING SYSTEM VALUE
       SELECT r.id, r.customer_id, ${bookAddressParts.map((part) => `r.${part}`).join(', ')}, $2, $3, $3
         FROM jsonb_to_recordset($1::jsonb) AS r(id bigint, customer_id bigint, ${bookAddressParts.map((part) => `${part} text`).join(', ')})`,
      [JSON.stringify(added.map(({ customerId, entry }) => ({ id: entry.id, customer_id: customerId, ...entry.fields }))), importId, now],
    );
  }
  const moves: DefaultMove[] = [];
  for (const customerId of defaultsMoved) {
    const book = (plan.books.get(customerId) ?? []).filter((entry) => !entry.isRemoved);
    for (const kind of ['billing', 'shipping'] as const) {
      const target = book.find((entry) => (kind === 'billing' ? entry.isDefaultBilling : entry.isDefaultShipping));
      if (target?.id !== undefined) await repo.moveDefault(tx, customerId, target.id, kind, now);
      const before = stored.get(customerId)?.find((row) => (kind === 'billing' ? row.is_default_billing : row.is_default_shipping));
      moves.push({ customerId, kind, beforeId: before ? Number(before.id) : null, writtenId: target?.id ?? null });
    }
    await writeDefaultsToCustomer(tx, customerId, now);
  }
  await recordDefaultMoves(tx, importId, moves);
  if (options.keepsRows) await keepRows(tx, importId, plan, items);
  if (history.length > 0) {
    await tx.query(
      `INSERT INTO import_address_changes (import_id, address_id, customer_id, action, before, written)
       SELECT $1, h.address_id, h.customer_id, h.action, h.before, h.written
         FROM jsonb_to_recordset($2::jsonb) AS h(address_id bigint, customer_id bigint, action text, before jsonb, written jsonb)
       ON CONFLICT (import_id, address_id) DO UPDATE SET action = EXCLUDED.action, written = EXCLUDED.written`,
      [importId, JSON.stringify(history)],
    );
  }
  return plan;
}

/**
 * The address command *replace* (a file with an address command column): the addresses its rows
 * name are noted per customer (`import_address_keep`), and the customers with a replace row.
 */
async function keepRows(tx: Queryable, importId: number, plan: AddressPlan, items: readonly AddressRowItem[]): Promise<void> {
  const rows = items.flatMap((item) => {
    const target = plan.targets.get(item.rowNumber);
    return item.command === 'delete' || target?.id === undefined || target.isRemoved ? [] : [{ customer_id: item.customerId, address_id: target.id, is_replace: item.command === 'replace' }];
  });
  if (rows.length === 0) return;
  await tx.query(
    `INSERT INTO import_address_keep (import_id, customer_id, address_id, is_replace)
     SELECT $1, r.customer_id, r.address_id, r.is_replace FROM jsonb_to_recordset($2::jsonb) AS r(customer_id bigint, address_id bigint, is_replace boolean)`,
    [importId, JSON.stringify(rows)],
  );
}

/** What *replace* removes: per customer with a replace row, the book's addresses no row named. */
export function replacedAddresses(books: ReadonlyMap<number, readonly BookAddressRow[]>, kept: ReadonlyMap<number, ReadonlySet<number>>): BookAddressRow[] {
  return [...kept].flatMap(([customerId, ids]) => (books.get(customerId) ?? []).filter((row) => !ids.has(Number(row.id))));
}

/**
 * When the whole file is in: the addresses of the customers with a replace row that no row of
 * the file named are removed (kept for undo); a customer left without a default gets its first
 * remaining address as that default, and its columns follow. Returns how many were removed.
 * Idempotent: a second run finds nothing more to remove.
 */
export async function finishReplace(tx: Queryable, importId: number, now: Date): Promise<number> {
  const { rows } = await tx.query<{ customer_id: string; address_id: string | null }>(
    `SELECT k.customer_id, k.address_id FROM import_address_keep k
      WHERE k.import_id = $1 AND k.customer_id IN (SELECT customer_id FROM import_address_keep WHERE import_id = $1 AND is_replace)`,
    [importId],
  );
  if (rows.length === 0) return 0;
  const kept = new Map<number, Set<number>>();
  for (const row of rows) {
    const ids = kept.get(Number(row.customer_id)) ?? new Set<number>();
    if (row.address_id !== null) ids.add(Number(row.address_id));
    kept.set(Number(row.customer_id), ids);
  }
  await tx.query('SELECT id FROM customers WHERE id = ANY($1::bigint[]) ORDER BY id FOR UPDATE', [[...kept.keys()]]);
  const books = await loadBooks(tx, [...kept.keys()]);
  const removed = replacedAddresses(books, kept);
  if (removed.length === 0) return 0;
  await tx.query('DELETE FROM customer_addresses WHERE id = ANY($1::bigint[])', [removed.map((row) => row.id)]);
  await tx.query(
    `INSERT INTO import_address_changes (import_id, address_id, customer_id, action, before, written)
     SELECT $1, h.address_id, h.customer_id, 'removed', h.before, NULL FROM jsonb_to_recordset($2::jsonb) AS h(address_id bigint, customer_id bigint, before jsonb)
     ON CONFLICT (import_id, address_id) DO NOTHING`,
    [importId, JSON.stringify(removed.map((row) => ({ address_id: row.id, customer_id: row.customer_id, before: { ...fieldsOf(row), isDefaultBilling: row.is_default_billing, isDefaultShipping: row.is_default_shipping } })))],
  );
  const moves: DefaultMove[] = [];
  for (const customerId of new Set(removed.filter((row) => row.is_default_billing || row.is_default_shipping).map((row) => Number(row.customer_id)))) {
    const remaining = await repo.list(tx, customerId);
    for (const kind of ['billing', 'shipping'] as const) {
      const flag = kind === 'billing' ? 'isDefaultBilling' : 'isDefaultShipping';
      const before = removed.find((row) => Number(row.customer_id) === customerId && (kind === 'billing' ? row.is_default_billing : row.is_default_shipping));
      const first = [...remaining].sort((a, b) => a.id - b.id)[0];
      if (!before || remaining.some((address) => address[flag])) continue;
      if (first) await repo.moveDefault(tx, customerId, first.id, kind, now);
      moves.push({ customerId, kind, beforeId: Number(before.id), writtenId: first?.id ?? null });
    }
    await writeDefaultsToCustomer(tx, customerId, now);
  }
  await recordDefaultMoves(tx, importId, moves);
  return removed.length;
}

export type DefaultMove = { customerId: number; kind: DefaultKind; beforeId: number | null; writtenId: number | null };

/**
 * Records moved defaults. A customer whose defaults move in several batches of one import keeps
 * the first `before` (what it was before the import) and the last `written`.
 */
/** Kept for undo (address-import-undo.ts). */
export async function recordDefaultMoves(tx: Queryable, importId: number, moves: readonly DefaultMove[]): Promise<void> {
  const changed = moves.filter((move) => move.beforeId !== move.writtenId);
  if (changed.length === 0) return;
  await tx.query(
    `INSERT INTO import_address_defaults (import_id, customer_id, kind, before_id, written_id)
     SELECT $1, m."customerId", m.kind, m."beforeId", m."writtenId"
       FROM jsonb_to_recordset($2::jsonb) AS m("customerId" bigint, kind text, "beforeId" bigint, "writtenId" bigint)
     ON CONFLICT (import_id, customer_id, kind) DO UPDATE SET written_id = EXCLUDED.written_id`,
    [importId, JSON.stringify(changed)],
  );
}

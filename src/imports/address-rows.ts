import { createKeyIndex } from './key-index.ts';
import type { Mapping } from './mapping.ts';
import type { RawRow } from './read.ts';

/**
 * The duplicate rule "adds an address" (issue #16): a customer on several rows of a file, one row
 * per address (a shop owner's own sheet: home, work, a parent's address), and Magento's composite
 * layout, where a row with an empty key right after a customer row is another address of that
 * customer (a *continuation row*).
 *
 * One pass before the import (`scanAddressRows`) collects, per customer whose key occurs again or
 * is followed by continuation rows, those later rows (their cells: only customers that have them
 * cost memory), and the continuation rows that have no customer row above them. In file order the
 * pipeline then meets each customer's first row with its later rows in hand and decides per later
 * row (`decideLaterRow`): a row that differs from the first row only in its address columns (or
 * leaves the others empty) adds its address to that customer; a row that says something else
 * about the customer is rejected as a duplicate, so nothing it says is lost silently.
 */

export type LaterRow = { rowNumber: number; cells: string[]; isContinuation: boolean };

export type AddressRowScan = {
  /** The rows after the customer's first row that belong to it (same key, or continuation rows). */
  laterRowsOf: (key: string, firstRowNumber: number) => readonly LaterRow[];
  /** A continuation row: an empty key, only address cells, right after a row of customer `key`. */
  isContinuation: (rowNumber: number) => boolean;
  /** A row with an empty key and only address cells, but no customer row above it. */
  isOrphan: (rowNumber: number) => boolean;
};

/** The columns that hold an address part (billing or shipping, a combined street column too). */
export function addressColumnIndexes(mapping: Mapping): Set<number> {
  return new Set(
    mapping.columns
      .filter((column) => column.field !== null && /^(billing|shipping)\./.test(column.field))
      .map((column) => column.index),
  );
}

/**
 * Fields an extra-address row of a Magento export fills besides the address (`_address_telephone`,
 * `_address_company`, `_address_vat_id`): on a continuation row they belong to its address.
 */
const addressCompanions = new Set(['phone', 'companyName', 'vatNumber', 'isDefaultBilling', 'isDefaultShipping']);
export function companionColumnIndexes(mapping: Mapping): Set<number> {
  return new Set(mapping.columns.filter((column) => column.field !== null && addressCompanions.has(column.field)).map((column) => column.index));
}

const isBlank = (cell: string | undefined) => cell === undefined || cell.trim() === '';

/** Whether a row with an empty key holds nothing but address cells (and at least one of them). */
export function isAddressOnly(cells: readonly string[], addressColumns: ReadonlySet<number>, mappedColumns: ReadonlySet<number>): boolean {
  let hasAddress = false;
  for (let index = 0; index < cells.length; index++) {
    if (isBlank(cells[index]) || !mappedColumns.has(index)) continue;
    if (!addressColumns.has(index)) return false;
    hasAddress = true;
  }
  return hasAddress;
}

export async function scanAddressRows(
  rows: AsyncIterable<RawRow>,
  keyOf: (row: RawRow) => string | undefined,
  isKeyBlank: (row: RawRow) => boolean,
  mapping: Mapping,
): Promise<AddressRowScan> {
  const addressColumns = new Set([...addressColumnIndexes(mapping), ...companionColumnIndexes(mapping)]);
  const mappedColumns = new Set(mapping.columns.filter((column) => column.field !== null).map((column) => column.index));
  const firstRows = createKeyIndex();
  const later = new Map<string, LaterRow[]>();
  const continuations = new Set<number>();
  const orphans = new Set<number>();
  let currentKey: string | undefined;
  for await (const row of rows) {
    const key = keyOf(row);
    if (key === undefined) {
      // Only a row whose key cell is empty and that holds nothing but an address continues the
      // customer above; a malformed e-mail or a customer without one stays a row of its own.
      if (!isKeyBlank(row) || !isAddressOnly(row.cells, addressColumns, mappedColumns)) {
        currentKey = undefined;
        continue;
      }
      if (currentKey === undefined) {
        orphans.add(row.rowNumber);
        continue;
      }
      continuations.add(row.rowNumber);
      const list = later.get(currentKey) ?? [];
      list.push({ rowNumber: row.rowNumber, cells: [...row.cells], isContinuation: true });
      later.set(currentKey, list);
      continue;
    }
    currentKey = key;
    if (firstRows.firstRowOf(key, row.rowNumber) === undefined) continue;
    const list = later.get(key) ?? [];
    list.push({ rowNumber: row.rowNumber, cells: [...row.cells], isContinuation: false });
    later.set(key, list);
  }
  return {
    laterRowsOf: (key, firstRowNumber) => (firstRows.rowOf(key) === firstRowNumber ? (later.get(key) ?? []) : []),
    isContinuation: (rowNumber) => continuations.has(rowNumber),
    isOrphan: (rowNumber) => orphans.has(rowNumber),
  };
}

/**
 * A later row of a customer: the columns (other than the key and the address) where it says
 * something the first row does not, or an empty list when it only adds an address.
 */
export function conflictingColumns(first: readonly string[], later: readonly string[], addressColumns: ReadonlySet<number>, keyColumn: number | undefined, mappedColumns: ReadonlySet<number>): number[] {
  const conflicts: number[] = [];
  for (let index = 0; index < later.length; index++) {
    if (index === keyColumn || addressColumns.has(index) || !mappedColumns.has(index) || isBlank(later[index])) continue;
    if ((later[index] ?? '').trim() !== (first[index] ?? '').trim()) conflicts.push(index);
  }
  return conflicts;
}

import { ok } from '../shared/result.ts';
import { cleanCell, parseEmailCell, parseIntegerCell } from './cells.ts';
import { addressColumnIndexes, companionColumnIndexes } from './address-rows.ts';
import { createKeyIndex } from './key-index.ts';
import type { Mapping } from './mapping.ts';
import type { RawRow } from './read.ts';
import { labelOf, matchField, phoneKey, rowError, type MatchOn, type RowError } from './row-draft.ts';

export type DuplicateDetector = {
  check: (row: RawRow) => RowError | undefined;
  /** The row's customer key (normalised e-mail, id or external id), or undefined when it has none. */
  keyOf: (row: RawRow) => string | undefined;
  /** Makes room for the keys of `rows` rows at once (see key-index.ts). */
  reserve: (rows: number) => void;
  /** The key column's index, when a column holds the key. */
  keyColumn: number | undefined;
  /** Whether the row's key cell is empty (not: holds something that is no key). */
  isKeyBlank: (row: RawRow) => boolean;
};

/**
 * The same customer twice in one file. Rule: the first row wins; every later row with the same
 * normalised e-mail (or id / external id / phone number, per `matchOn`; for the combination
 * "external ID, else e-mail address" whichever of the two the row is keyed by) is rejected with "same e-mail address
 * as row 12", also when the first row was itself rejected for another reason, so the error file
 * holds both rows to merge. Streaming-friendly: nothing is buffered but a 64-bit hash and a row
 * number per customer (`key-index.ts`: about 16 MB for a million rows).
 */
export function createDuplicateDetector(mapping: Mapping, matchOn: MatchOn = 'email'): DuplicateDetector {
  const first = matchField(matchOn);
  const firstColumn = mapping.columns.find((candidate) => candidate.field === first);
  // The combination "external ID, else e-mail address": a row without an external ID is keyed by its e-mail address.
  const emailColumn = matchOn === 'externalIdThenEmail' ? mapping.columns.find((candidate) => candidate.field === 'email') : undefined;
  const keyColumnOf = (row: RawRow) => (firstColumn && cleanCell(row.cells[firstColumn.index] ?? '') !== '' ? firstColumn : (emailColumn ?? firstColumn));
  const column = firstColumn ?? emailColumn;
  const firstRows = createKeyIndex();
  // A later row that differs from its customer's first row only in the address (or leaves the
  // rest empty) is said to be one: the rule "adds an address" would add it (issue #16). The first
  // row keeps a 32-bit tag — 16 bits of a hash of its other mapped cells, 16 of its address cells —
  // so nothing else is held per customer (a false hint, 1 in 65,536, only words a message).
  const addressColumns = new Set([...addressColumnIndexes(mapping), ...companionColumnIndexes(mapping)]);
  const otherColumns = mapping.columns.filter((candidate) => candidate.field !== null && candidate.index !== column?.index && !addressColumns.has(candidate.index)).map((candidate) => candidate.index);
  const cellOf = (row: RawRow, index: number) => cleanCell(row.cells[index] ?? '');
  function cellsHash(row: RawRow, columns: Iterable<number>): number {
    let hash = 0x811c9dc5;
    for (const index of columns) {
      const text = cellOf(row, index);
      for (let at = 0; at < text.length; at++) hash = Math.imul(hash ^ text.charCodeAt(at), 0x01000193);
      hash = Math.imul(hash ^ 0x1f, 0x01000193);
    }
    return (hash ^ (hash >>> 16)) & 0xffff;
  }
  const tagOf = (row: RawRow) => ((cellsHash(row, otherColumns) << 16) | cellsHash(row, addressColumns)) >>> 0;
  function isAddressOnly(row: RawRow, firstTag: number | undefined): boolean {
    if (firstTag === undefined || ![...addressColumns].some((index) => cellOf(row, index) !== '')) return false;
    const isOtherSame = otherColumns.every((index) => cellOf(row, index) === '') || cellsHash(row, otherColumns) === firstTag >>> 16;
    return isOtherSame && cellsHash(row, addressColumns) !== (firstTag & 0xffff);
  }
  function keyOf(row: RawRow): string | undefined {
    const keyColumn = keyColumnOf(row);
    if (!keyColumn) return undefined;
    const field = keyColumn.field;
    const text = cleanCell(row.cells[keyColumn.index] ?? '');
    const parsed = field === 'email' ? parseEmailCell(text) : field === 'id' ? parseIntegerCell(text) : ok(field === 'phone' ? phoneKey(text) : text);
    if (!parsed.ok || parsed.value === '' || parsed.value === null) return undefined;
    return keyColumn === emailColumn && emailColumn !== firstColumn ? `@${String(parsed.value)}` : String(parsed.value);
  }
  return {
    keyOf,
    check(row: RawRow): RowError | undefined {
      const key = keyOf(row);
      const column = keyColumnOf(row);
      if (!column || key === undefined) return undefined;
      const field = column.field ?? first;
      const text = cleanCell(row.cells[column.index] ?? '');
      const firstRow = firstRows.firstRowOf(key, row.rowNumber, addressColumns.size > 0 ? tagOf(row) : 0);
      if (firstRow === undefined) return undefined;
      const what = field === 'email' ? 'e-mail address' : labelOf(field);
      if (addressColumns.size > 0 && isAddressOnly(row, firstRows.tagOf(key))) {
        return rowError(row.rowNumber, field, { text, column, cellText: text }, {
          code: 'duplicate_in_file',
          message: `Same ${what} as row ${firstRow}, with another address: choose “adds an address” for the same customer on several rows to add it to the customer's address book; now only the first row of a customer is imported.`,
          params: { firstRow, reason: 'address_only' },
        });
      }
      return rowError(row.rowNumber, field, { text, column, cellText: text }, {
        code: 'duplicate_in_file',
        message: `Same ${what} as row ${firstRow}; only the first row of a customer is imported.`,
        params: { firstRow },
      });
    },
    reserve: (rows) => firstRows.reserve(rows),
    keyColumn: column?.index,
    isKeyBlank: (row) => {
      const keyColumn = keyColumnOf(row);
      return keyColumn === undefined || cleanCell(row.cells[keyColumn.index] ?? '') === '';
    },
  };
}

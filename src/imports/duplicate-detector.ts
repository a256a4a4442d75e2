import { ok } from '../shared/result.ts';
import { cleanCell, parseEmailCell, parseIntegerCell } from './cells.ts';
import { createKeyIndex } from './key-index.ts';
import type { Mapping } from './mapping.ts';
import type { RawRow } from './read.ts';
import { labelOf, matchField, rowError, type MatchOn, type RowError } from './row-draft.ts';

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
 * normalised e-mail (or id / external id, per `matchOn`) is rejected with "same e-mail address
 * as row 12", also when the first row was itself rejected for another reason, so the error file
 * holds both rows to merge. Streaming-friendly: nothing is buffered but a 64-bit hash and a row
 * number per customer (`key-index.ts`: about 16 MB for a million rows).
 */
export function createDuplicateDetector(mapping: Mapping, matchOn: MatchOn = 'email'): DuplicateDetector {
  const field = matchField(matchOn);
  const column = mapping.columns.find((candidate) => candidate.field === field);
  const firstRows = createKeyIndex();
  function keyOf(row: RawRow): string | undefined {
    if (!column) return undefined;
    const text = cleanCell(row.cells[column.index] ?? '');
    const parsed = field === 'email' ? parseEmailCell(text) : field === 'id' ? parseIntegerCell(text) : ok(text);
    return !parsed.ok || parsed.value === '' || parsed.value === null ? undefined : String(parsed.value);
  }
  return {
    keyOf,
    check(row: RawRow): RowError | undefined {
      const key = keyOf(row);
      if (!column || key === undefined) return undefined;
      const text = cleanCell(row.cells[column.index] ?? '');
      const firstRow = firstRows.firstRowOf(key, row.rowNumber);
      if (firstRow === undefined) return undefined;
      const what = field === 'email' ? 'e-mail address' : labelOf(field);
      return rowError(row.rowNumber, field, { text, column, cellText: text }, {
        code: 'duplicate_in_file',
        message: `Same ${what} as row ${firstRow}; only the first row of a customer is imported.`,
        params: { firstRow },
      });
    },
    reserve: (rows) => firstRows.reserve(rows),
    keyColumn: column?.index,
    isKeyBlank: (row) => column === undefined || cleanCell(row.cells[column.index] ?? '') === '',
  };
}

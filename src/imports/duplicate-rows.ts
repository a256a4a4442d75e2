import type { DuplicateRule } from './import.schemas.ts';
import { createKeyIndex, type KeyIndex } from './key-index.ts';
import type { RawRow } from './read.ts';

/**
 * The rules "last row wins" and "combine" for the same customer on several rows of one file.
 * Both need to know, at a customer's first row, what comes later, so the pipeline reads the file
 * once before (`scanDuplicates`); that pass keeps the same compact key table as the duplicate
 * check (22 bytes a customer) and, for "combine" only, the later rows' filled cells of the
 * customers that do occur twice. Rule "first" (the default) needs no pass: later rows are
 * rejected as before, so they are in the rejected-rows file to merge by hand.
 *
 * - last: a customer's earlier rows are not imported ("replaced by row 12"); its last row is.
 * - combine: the first row is imported with its empty cells filled from the later rows (the
 *   earliest later row with a value wins); the later rows are "combined into row 3".
 */

export type DuplicateOutcome = { action: 'replaced' | 'combined' | 'address'; intoRow: number };
/** A row the duplicate rule did not import on its own: replaced by a later row, or combined into the first. */
export type DuplicateRow = { rowNumber: number } & DuplicateOutcome;

export type DuplicateScan = {
  /** What happens to the row: undefined when it is imported (perhaps with filled cells, `cellsOf`). */
  outcomeOf: (row: RawRow, key: string | undefined) => DuplicateOutcome | undefined;
  /** The cells to import for the row: a first row's cells filled from its later rows (combine). */
  cellsOf: (row: RawRow, key: string | undefined) => string[];
};

const isBlank = (cell: string | undefined) => cell === undefined || cell.trim() === '';

/** Later rows' cells fill the blanks of the first row's cells. */
export function combineCells(first: readonly string[], fill: readonly string[]): string[] {
  const width = Math.max(first.length, fill.length);
  return Array.from({ length: width }, (_, index) => (isBlank(first[index]) && !isBlank(fill[index]) ? fill[index]! : (first[index] ?? '')));
}

export async function scanDuplicates(
  rows: AsyncIterable<RawRow>,
  keyOf: (row: RawRow) => string | undefined,
  rule: Exclude<DuplicateRule, 'first' | 'address'>,
  expectedRows?: number,
): Promise<DuplicateScan> {
  const index: KeyIndex = createKeyIndex();
  if (expectedRows) index.reserve(Math.ceil(expectedRows * 1.1));
  /** Combine: per key seen twice, the later rows' cells merged (first non-blank wins). */
  const fills = new Map<string, string[]>();
  for await (const row of rows) {
    const key = keyOf(row);
    if (key === undefined) continue;
    if (rule === 'last') {
      index.recordLast(key, row.rowNumber);
      continue;
    }
    if (index.firstRowOf(key, row.rowNumber) === undefined) continue;
    const fill = fills.get(key);
    fills.set(key, fill ? combineCells(fill, row.cells) : [...row.cells]);
  }
  return {
    outcomeOf(row, key) {
      if (key === undefined) return undefined;
      const kept = index.rowOf(key);
      if (kept === undefined || kept === row.rowNumber) return undefined;
      return { action: rule === 'last' ? 'replaced' : 'combined', intoRow: kept };
    },
    cellsOf(row, key) {
      const fill = rule === 'combine' && key !== undefined && index.rowOf(key) === row.rowNumber ? fills.get(key) : undefined;
      return fill ? combineCells(row.cells, fill) : row.cells;
    },
  };
}

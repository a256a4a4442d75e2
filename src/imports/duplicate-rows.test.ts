import { describe, expect, it } from 'vitest';
import { combineCells, scanDuplicates } from './duplicate-rows.ts';
import { createKeyIndex } from './key-index.ts';
import type { RawRow } from './read.ts';

const rows: RawRow[] = [
  { rowNumber: 2, cells: ['ann@x.test', 'Ann', '', ''] },
  { rowNumber: 3, cells: ['bob@x.test', 'Bob', '', ''] },
  { rowNumber: 4, cells: ['ann@x.test', 'Anna', '0201234567', ''] },
  { rowNumber: 5, cells: ['ann@x.test', '', '0209999999', 'note'] },
];
const keyOf = (row: RawRow) => row.cells[0] || undefined;
async function* stream() {
  yield* rows;
}

describe('duplicate rows: last row wins, combine', () => {
  it('last: earlier rows are replaced by the last one', async () => {
    const scan = await scanDuplicates(stream(), keyOf, 'last');
    expect(rows.map((row) => scan.outcomeOf(row, keyOf(row)))).toEqual([
      { action: 'replaced', intoRow: 5 }, undefined, { action: 'replaced', intoRow: 5 }, undefined,
    ]);
    expect(scan.cellsOf(rows[3]!, 'ann@x.test')).toBe(rows[3]!.cells);
  });

  it('combine: the first row keeps its values and its blanks are filled by the earliest later value', async () => {
    const scan = await scanDuplicates(stream(), keyOf, 'combine');
    expect(rows.map((row) => scan.outcomeOf(row, keyOf(row)))).toEqual([
      undefined, undefined, { action: 'combined', intoRow: 2 }, { action: 'combined', intoRow: 2 },
    ]);
    expect(scan.cellsOf(rows[0]!, 'ann@x.test')).toEqual(['ann@x.test', 'Ann', '0201234567', 'note']);
    expect(scan.cellsOf(rows[1]!, 'bob@x.test')).toBe(rows[1]!.cells);
  });

  it('combineCells fills only blank cells, also beyond the first row\'s width', () => {
    expect(combineCells(['a', ' ', ''], ['x', 'y', '', 'z'])).toEqual(['a', 'y', '', 'z']);
  });

  it('the key index keeps the last row with recordLast', () => {
    const index = createKeyIndex();
    index.recordLast('k', 2);
    index.recordLast('k', 9);
    expect(index.rowOf('k')).toBe(9);
    expect(index.rowOf('other')).toBeUndefined();
    expect(index.size).toBe(1);
  });
});

import { describe, expect, it } from 'vitest';
import type { FileStore } from '../files/file-store.ts';
import { inputOf } from './apply.ts';
import type { ImportRow } from './import.repository.ts';
import { oneAhead } from './pipeline.ts';

async function* numbers(log: string[], failAt?: number) {
  try {
    for (let index = 1; index <= 4; index++) {
      log.push(`make ${index}`);
      await new Promise((resolve) => setTimeout(resolve, 1));
      if (index === failAt) throw new Error(`broken at ${index}`);
      yield index;
    }
  } finally {
    log.push('closed');
  }
}

describe('oneAhead', () => {
  it('gives every item in order and makes the next one while the caller works on the current one', async () => {
    const log: string[] = [];
    const seen: number[] = [];
    for await (const item of oneAhead(numbers(log))) {
      log.push(`use ${item}`);
      // The caller's slow work (the database write): the next item is made meanwhile.
      await new Promise((resolve) => setTimeout(resolve, 5));
      seen.push(item);
    }
    expect(seen).toEqual([1, 2, 3, 4]);
    // Read one by one it would be make 1, use 1, make 2, use 2, …
    expect(log.slice(0, 6)).toEqual(['make 1', 'make 2', 'use 1', 'make 3', 'use 2', 'make 4']);
    expect(log).toContain('closed');
  });

  it('reports a failure of the source at the item that failed, after the ones before it', async () => {
    const seen: number[] = [];
    await expect(async () => {
      for await (const item of oneAhead(numbers([], 3))) seen.push(item);
    }).rejects.toThrow('broken at 3');
    expect(seen).toEqual([1, 2]);
  });

  it('closes the source when the caller stops early, also when the item made ahead failed', async () => {
    const log: string[] = [];
    for await (const item of oneAhead(numbers(log, 2))) if (item === 1) break;
    expect(log).toContain('closed');
  });
});

describe('inputOf', () => {
  it("passes the analysis's row estimate and the file's size on, for the duplicate table and the thread", () => {
    const record = {
      file_key: 'imports/2026-12/a.csv',
      file_size_bytes: 31_000_000,
      settings: { format: 'csv', encoding: 'utf-8', delimiter: ',', quote: '"', headerRowNumber: 1 },
      analysis: { warnings: [], sheets: [], estimatedRows: 98_500, headings: ['E-mail'] },
      mapping: { columns: [] },
      options: {},
    } as unknown as ImportRow;
    const deps = { clock: { now: () => new Date('2026-12-01T12:00:00Z') }, fileStore: {} as FileStore, defaultCountry: 'NL' };
    expect(inputOf(deps, record)).toMatchObject({ expectedRows: 98_500, fileBytes: 31_000_000, today: '2026-12-01' });
    // An upload whose rows could not be estimated leaves the table to grow as it goes.
    expect(inputOf(deps, { ...record, analysis: { ...(record.analysis as object), estimatedRows: null } }).expectedRows).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import { detectorSizing, oneAhead, type PipelineInput } from './pipeline.ts';

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

describe('detectorSizing', () => {
  const csvInput = (fileBytes: number | undefined, format: 'csv' | 'xlsx' = 'csv') =>
    ({ settings: { format }, fileBytes }) as unknown as PipelineInput;
  const rowOf = (rowNumber: number) => ({ rowNumber, cells: [`klant${rowNumber}@example.nl`, 'Jan', 'de Vries', 'Groningen'] });

  it("reserves room for the rows the file's size promises, once, after its first thousand rows", () => {
    const reserved: number[] = [];
    const sizing = detectorSizing(csvInput(0), { check: () => undefined, reserve: (rows) => reserved.push(rows) });
    expect(sizing).toBeUndefined();

    // 250,000 rows like these: each row's cells and separators, plus a line ending.
    const rowBytes = rowOf(500_000).cells.join(',').length + 2;
    const size = detectorSizing(csvInput(250_000 * rowBytes), { check: () => undefined, reserve: (rows) => reserved.push(rows) })!;
    for (let row = 1; row <= 999; row++) size(rowOf(row));
    expect(reserved).toEqual([]);
    for (let row = 1000; row <= 3000; row++) size(rowOf(row));
    expect(reserved).toHaveLength(1);
    // Never fewer than the rows there are (the short first rows make it err on the large side).
    expect(reserved[0]).toBeGreaterThanOrEqual(250_000);
    expect(reserved[0]).toBeLessThan(300_000);
  });

  it('leaves a workbook alone: its size says nothing about its rows', () => {
    expect(detectorSizing(csvInput(10_000_000, 'xlsx'), { check: () => undefined, reserve: () => {} })).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import { createKeyIndex } from './key-index.ts';

describe('createKeyIndex', () => {
  it('returns the first row of a key seen before, and undefined for a new key', () => {
    const index = createKeyIndex(4);
    expect(index.firstRowOf('anna@example.com', 2)).toBeUndefined();
    expect(index.firstRowOf('bert@example.com', 3)).toBeUndefined();
    expect(index.firstRowOf('anna@example.com', 9)).toBe(2);
    expect(index.firstRowOf('anna@example.com', 12)).toBe(2);
    expect(index.size).toBe(2);
  });

  it('keeps every key apart while growing far past its initial capacity', () => {
    const index = createKeyIndex(16);
    for (let row = 1; row <= 200_000; row++) expect(index.firstRowOf(`customer${row}@example.com`, row)).toBeUndefined();
    expect(index.size).toBe(200_000);
    for (const row of [1, 17, 65_536, 199_999]) expect(index.firstRowOf(`customer${row}@example.com`, 300_000)).toBe(row);
    // Keys that differ in one character, or only in order, are different keys.
    expect(index.firstRowOf('customer1@example.co', 1)).toBeUndefined();
    expect(index.firstRowOf('ab', 1)).toBeUndefined();
    expect(index.firstRowOf('ba', 2)).toBeUndefined();
  });

  it('takes 22 bytes a key when room is reserved, and keeps the keys it had when reserving', () => {
    const index = createKeyIndex();
    for (let row = 1; row <= 1000; row++) index.firstRowOf(`early${row}@example.com`, row);
    index.reserve(300_000);
    const reserved = index.bytes;
    expect(reserved).toBeLessThanOrEqual(Math.ceil((300_000 / 0.75 + 1) * 16));
    for (let row = 1001; row <= 300_000; row++) expect(index.firstRowOf(`late${row}@example.com`, row)).toBeUndefined();
    // Filled to what was reserved without growing; the early keys still answer.
    expect(index.bytes).toBe(reserved);
    expect(index.firstRowOf('early7@example.com', 400_000)).toBe(7);
    expect(index.firstRowOf('late299999@example.com', 400_000)).toBe(299_999);
    // A key's tag survives the growth of the table.
    const tagged = createKeyIndex();
    tagged.firstRowOf('tagged@example.com', 3, 0xdeadbeef);
    for (let row = 4; row <= 5000; row++) tagged.firstRowOf(`more${row}@example.com`, row);
    expect(tagged.tagOf('tagged@example.com')).toBe(0xdeadbeef);
    expect(tagged.tagOf('unknown@example.com')).toBeUndefined();
    // Reserving less than it has room for changes nothing.
    index.reserve(10);
    expect(index.bytes).toBe(reserved);
  });
});

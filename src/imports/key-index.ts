/**
 * Remembers, for every customer key of a file (normalised e-mail, id or external id), the row
 * it first appeared on, and a 32-bit tag — in 22 bytes per key (16-byte slots, at most three quarters full)
 * instead of the ~100 of a Map of strings, so a million-row import's duplicate check costs
 * ~16 MB. Keys are stored as 64-bit hashes (two independent 32-bit FNV-1a hashes) in an
 * open-addressing table; two different keys share a hash with a probability of about n² / 2⁶⁵
 * (1 in 37 billion for a million keys).
 *
 * The table grows by doubling, and while it is copied both tables are in memory. A caller that
 * can estimate the number of keys (the pipeline does, from the upload's analysis) `reserve`s room once,
 * early, so a large file never pays for a copy at its largest.
 */
export type KeyIndex = {
  /** The row the key was first seen on; records `rowNumber` and returns undefined when it is new. */
  firstRowOf: (key: string, rowNumber: number, tag?: number) => number | undefined;
  /** The 32-bit tag recorded with the key's first row (the duplicate check: a hash of its other cells). */
  tagOf: (key: string) => number | undefined;
  /** The row last recorded for the key: `recordLast` overwrites, so a pass over a file leaves each key's last row. */
  rowOf: (key: string) => number | undefined;
  recordLast: (key: string, rowNumber: number) => void;
  /** Makes room for `keys` keys in all, so the table does not grow before it holds them. */
  reserve: (keys: number) => void;
  readonly size: number;
  /** The bytes its table takes. */
  readonly bytes: number;
};

const maxLoad = 0.75;
const bytesPerSlot = 16;

function hashes(key: string): [number, number] {
  let a = 0x811c9dc5;
  let b = 0x9747b28c;
  for (let index = 0; index < key.length; index++) {
    const code = key.charCodeAt(index);
    a = Math.imul(a ^ code, 0x01000193);
    b = Math.imul(b ^ code, 0x5bd1e995);
    b ^= b >>> 15;
  }
  // Row 0 never occurs, so an all-zero slot means "empty"; a zero hash pair is nudged.
  return [a >>> 0 || 1, b >>> 0];
}

type Table = { high: Uint32Array; low: Uint32Array; rows: Uint32Array; tags: Uint32Array };

const slotsFor = (keys: number) => Math.max(16, Math.ceil(keys / maxLoad) + 1);
const newTable = (slots: number): Table => ({ high: new Uint32Array(slots), low: new Uint32Array(slots), rows: new Uint32Array(slots), tags: new Uint32Array(slots) });

/** The slot of hash (h, l): where it is stored, or the empty slot where it belongs. */
function slotOf(table: Table, h: number, l: number): number {
  const slots = table.high.length;
  let slot = ((h ^ Math.imul(l, 0x9e3779b1)) >>> 0) % slots;
  while (table.high[slot] !== 0 && (table.high[slot] !== h || table.low[slot] !== l)) slot = slot + 1 === slots ? 0 : slot + 1;
  return slot;
}

export function createKeyIndex(expectedKeys = 768): KeyIndex {
  let table = newTable(slotsFor(expectedKeys));
  let size = 0;

  function rehash(slots: number) {
    const old = table;
    table = newTable(slots);
    for (let slot = 0; slot < old.high.length; slot++) {
      if (old.high[slot] === 0) continue;
      const target = slotOf(table, old.high[slot]!, old.low[slot]!);
      table.high[target] = old.high[slot]!;
      table.low[target] = old.low[slot]!;
      table.rows[target] = old.rows[slot]!;
      table.tags[target] = old.tags[slot]!;
    }
  }

  return {
    firstRowOf(key, rowNumber, tag = 0) {
      const [h, l] = hashes(key);
      const slot = slotOf(table, h, l);
      if (table.high[slot] !== 0) return table.rows[slot];
      table.high[slot] = h;
      table.low[slot] = l;
      table.rows[slot] = rowNumber;
      table.tags[slot] = tag;
      size++;
      if (size > table.high.length * maxLoad) rehash(table.high.length * 2);
      return undefined;
    },
    tagOf(key) {
      const [h, l] = hashes(key);
      const slot = slotOf(table, h, l);
      return table.high[slot] === 0 ? undefined : table.tags[slot];
    },
    rowOf(key) {
      const [h, l] = hashes(key);
      const slot = slotOf(table, h, l);
      return table.high[slot] === 0 ? undefined : table.rows[slot];
    },
    recordLast(key, rowNumber) {
      const [h, l] = hashes(key);
      const slot = slotOf(table, h, l);
      if (table.high[slot] !== 0) {
        table.rows[slot] = rowNumber;
        return;
      }
      this.firstRowOf(key, rowNumber);
    },
    reserve(keys) {
      const slots = slotsFor(keys);
      if (slots > table.high.length) rehash(slots);
    },
    get size() {
      return size;
    },
    get bytes() {
      return table.high.length * bytesPerSlot;
    },
  };
}

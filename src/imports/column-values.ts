import { foldForSearch } from '../customers/customer.rules.ts';

/**
 * Pure: what a sample of a column's values looks like, and whether a field fits it. The mapping
 * step proposes a field only when the column's values could be that field's values: a column of
 * only 0/1 or yes/no, of only numbers, or of record ids is never proposed for a name, street,
 * city or other text field, and a name insertion column must hold name insertions ("van",
 * "de"), not titles ("Mr.") or initials ("A.").
 *
 * Only the profile is stored with an import (never the customer data of the sample).
 */

/** Name insertions (tussenvoegsels), longest first so "van der" wins over "van". */
export const nameInsertions: ReadonlyArray<readonly string[]> = [
  'van de la', 'van der', 'van den', 'van de', 'van het', "van 't", 'van ter', "in 't", 'in de', 'in den', 'in het', 'uit de', 'uit den',
  'uit het', 'op de', 'op den', 'op het', "op 't", 'aan de', 'aan den', 'aan het', 'bij de', 'onder de', 'over de', 'von der', 'von dem',
  'de la', 'van', 'von', 'vom', 'zu', 'de', 'den', 'der', 'het', "'t", 'te', 'ten', 'ter', 'du', 'da', 'di', 'dos', 'del',
].map((insertion) => insertion.split(' '));

const insertionTexts = new Set(nameInsertions.map((words) => words.join(' ')));

/** How many non-empty values of a column are looked at (from its first rows). */
export const sampleSize = 200;

export type ColumnProfile = {
  /** Non-empty values looked at. */
  count: number;
  /** Every value is a yes/no word or 0/1 (`1`, `nee`, `TRUE`). */
  isFlags: boolean;
  /** Every value is a number (`12`, `-3`, `4.5`, `1.234,50`). */
  isNumbers: boolean;
  /** At least five values, all distinct whole numbers, in ascending or descending order: record ids. */
  isSequence: boolean;
  /** Share (0..1) of the values that are name insertions (`van der`, `de`). */
  insertionShare: number;
};

const flagWords = new Set(['0', '1', 'yes', 'no', 'y', 'n', 'true', 'false', 'ja', 'nee', 'j', 'waar', 'onwaar']);
const numberPattern = /^[-+]?(?:\d+|\d{1,3}(?:[.,]\d{3})+)(?:[.,]\d+)?$/;

/** Up to `sampleSize` non-empty, trimmed values of one column. */
export function profileColumn(values: readonly string[]): ColumnProfile {
  const sample = values.map((value) => value.trim()).filter((value) => value !== '').slice(0, sampleSize);
  const count = sample.length;
  const folded = sample.map((value) => foldForSearch(value).replace(/\s+/g, ' ').trim());
  const isFlags = count > 0 && folded.every((value) => flagWords.has(value));
  const isNumbers = count > 0 && sample.every((value) => numberPattern.test(value.replace(/\s/g, '')));
  const integers = sample.every((value) => /^\d{1,15}$/.test(value)) ? sample.map(Number) : [];
  const isAscending = integers.every((value, index) => index === 0 || value > (integers[index - 1] ?? 0));
  const isDescending = integers.every((value, index) => index === 0 || value < (integers[index - 1] ?? 0));
  const isSequence = integers.length >= 5 && (isAscending || isDescending);
  const insertions = folded.filter((value) => insertionTexts.has(value)).length;
  return { count, isFlags, isNumbers, isSequence, insertionShare: count === 0 ? 0 : insertions / count };
}

/** Profiles of every column from the sample rows (cells by column index). */
export function profileColumns(columnCount: number, rows: ReadonlyArray<readonly string[]>): ColumnProfile[] {
  return Array.from({ length: columnCount }, (_, index) => profileColumn(rows.map((cells) => cells[index] ?? '')));
}

/**
 * What values a field takes: `words` (names, streets, cities, e-mail: never only flags, numbers
 * or ids), `name_insertion` (words that are name insertions), `numbers` (house numbers,
 * registration numbers, notes: numbers fine, ids and flags not), `any` (ids, yes/no fields,
 * dates, phones: not checked).
 */
export type ValueKind = 'words' | 'name_insertion' | 'numbers' | 'any';

export const valueMismatches = ['flags', 'numbers', 'ids', 'not_insertions'] as const;
export type ValueMismatch = (typeof valueMismatches)[number];

/** "_entity_id", "Internal ID", "customerId": a heading that names a record id. */
export function isIdHeading(heading: string): boolean {
  const words = heading.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase().split(/[^a-z0-9]+/).filter(Boolean);
  return words.at(-1) === 'id';
}

/**
 * Why a column's values do not fit a field of this kind, or undefined when they may. The heading
 * rule (a heading ending in "id") and the name insertion rule are for guesses only (`isGuess`:
 * similar headings, a preset's alternatives): our own headings and aliases such as "VAT ID" or
 * "Tussenvoegsel" name their field on purpose ("v.d." is an insertion we do not list).
 */
export function valueMismatch(kind: ValueKind, profile: ColumnProfile | undefined, heading: string, isGuess: boolean): ValueMismatch | undefined {
  if (kind === 'any') return undefined;
  // A column named for a number field ("House number", "Huisnummer") keeps it whatever its numbers
  // are: a sheet whose houses are all number 1, or numbered 1, 2, 3 in row order, is no yes/no or id column.
  if (kind === 'numbers' && !isGuess && profile?.isNumbers) return undefined;
  if (profile?.isFlags && profile.count > 0) return 'flags';
  if (profile?.isSequence || (isGuess && isIdHeading(heading))) return 'ids';
  if (kind === 'numbers') return undefined;
  if (profile?.isNumbers) return 'numbers';
  if (kind === 'name_insertion' && isGuess && profile && profile.count > 0 && profile.insertionShare < 0.5) return 'not_insertions';
  return undefined;
}

/** English explanation of a mismatch, for the mapping note. */
export const mismatchReason: Record<ValueMismatch, string> = {
  flags: 'the column holds only yes/no values (such as 0/1)',
  numbers: 'the column holds only numbers',
  ids: 'the column holds record ids',
  not_insertions: 'its values are not name insertions such as “van” or “de” (titles and initials are not)',
};

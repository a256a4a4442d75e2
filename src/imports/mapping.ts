import { distance } from 'fastest-levenshtein';
import { foldForSearch } from '../customers/customer.rules.ts';
import { mismatchReason, valueMismatch, type ColumnProfile, type ValueKind, type ValueMismatch } from './column-values.ts';

/**
 * Pure: file headings → a suggested column → field mapping. Generic over an import type's
 * catalogue (its field definitions and platform presets), so products would bring their own
 * catalogue and reuse this file unchanged.
 *
 * Order of trust per column: a saved mapping, a detected platform preset (within a recognised
 * platform's file the platform's meaning of a heading wins), our own export headings, aliases,
 * then fuzzy similarity. A field is never given to two columns: the later or weaker column gets
 * `field: null` and a note saying which column has it. Given profiles of the columns' values
 * (column-values.ts), a preset, exact, alias or fuzzy match is only made when the values fit
 * the field; a saved mapping is the user's own choice and is taken as it is. A fuzzy match
 * ("similar") is a guess: the user confirms it (`isConfirmed`) before the import goes on.
 */

export const fieldTypes = [
  'text', 'email', 'phone', 'postcode', 'country', 'date', 'boolean', 'enum', 'list', 'integer', 'password_hash', 'combined',
  'consent', 'consent_level', 'datetime', 'tags_command', 'row_command',
] as const;
export type FieldType = (typeof fieldTypes)[number];

export type FieldDefinition = {
  /** Stable key; for customers the flattened `CustomerInput` path (`billing.street`). */
  readonly key: string;
  /** The headings our exporter writes; matched exactly (after normalisation). */
  readonly headings: { readonly en: string; readonly nl: string };
  readonly type: FieldType;
  /** For grouping fields in the mapping screen. */
  readonly group: string;
  readonly maxLength?: number;
  /** Hand-made headings in English and Dutch. */
  readonly aliases: readonly string[];
  readonly choices?: readonly string[];
  /** A combined column (full name, street with number) fills these fields. */
  readonly splitsInto?: readonly string[];
  readonly isRequiredForNew?: boolean;
  readonly isExported: boolean;
  /** What values fit (column-values.ts); by default `words` for text, combined, e-mail and country fields, else `any`. */
  readonly values?: ValueKind;
};

export type Preset = {
  readonly id: string;
  readonly name: string;
  /** Headings that (almost) only this platform writes; enough of them present → preset detected. */
  readonly distinctiveHeadings: readonly string[];
  readonly minimumMatches: number;
  /** Whole heading rows that are this platform's however few they are (Magento's Delete Entities file: email, _website). */
  readonly exactHeadingSets?: readonly (readonly string[])[];
  /**
   * Heading → field; `null` = a known column we deliberately ignore (e.g. "Total Spent"); a list =
   * the first field the column's values fit (Magento's `middlename`: insertions or a middle name).
   */
  readonly columns: Readonly<Record<string, string | null | readonly string[]>>;
};

export type Catalogue = { readonly fields: readonly FieldDefinition[]; readonly presets: readonly Preset[] };

export const mappingConfidences = ['saved', 'preset', 'exact', 'alias', 'fuzzy', 'manual', 'none'] as const;
export type MappingConfidence = (typeof mappingConfidences)[number];

export type MappingNote = {
  code: 'field_already_mapped' | 'ignored_by_preset' | 'no_heading' | 'moved_to_other_column' | 'values_do_not_fit';
  message: string;
  params: Record<string, string | number>;
};

export type ColumnMapping = {
  index: number;
  heading: string;
  field: string | null;
  confidence: MappingConfidence;
  /** 0..1; 1 for exact, alias, preset, saved and manual. */
  score: number;
  /** A fuzzy ("similar") match the user has confirmed. */
  isConfirmed?: boolean;
  note?: MappingNote;
};

export type Mapping = {
  preset?: { id: string; name: string };
  /** The saved mapping applied because its headings are the file's headings. */
  savedMapping?: { id: number; name: string };
  columns: ColumnMapping[];
};

/** Fuzzy matches still waiting for the user's confirmation. */
export const unconfirmedGuesses = (mapping: Mapping): ColumnMapping[] =>
  mapping.columns.filter((column) => column.field !== null && column.confidence === 'fuzzy' && column.isConfirmed !== true);

export function valueKindOf(field: FieldDefinition): ValueKind {
  return field.values ?? (['text', 'combined', 'email', 'country'].includes(field.type) ? 'words' : 'any');
}

/** A mapping saved under a name: normalised heading → field (null = ignore). */
export type SavedMapping = Readonly<Record<string, string | null>>;

/** "E-mailadres", "e_mail adres " and "E-MAIL-ADRES" all become "emailadres". */
export function normalizeHeading(heading: string): string {
  return foldForSearch(heading).replace(/[^a-z0-9]/g, '');
}

/** Spreadsheet column letter for messages: 0 → A, 27 → AB. */
export function columnLetter(index: number): string {
  let letters = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  return letters;
}

export function columnLabel(column: { index: number; heading: string }): string {
  return column.heading.trim() === '' ? `column ${columnLetter(column.index)}` : `“${column.heading.trim()}”`;
}

export function detectPreset(headings: readonly string[], presets: readonly Preset[]): Preset | undefined {
  const present = new Set(headings.map(normalizeHeading));
  const isExactly = (set: readonly string[]) => set.length === present.size && set.every((heading) => present.has(normalizeHeading(heading)));
  const exact = presets.find((preset) => preset.exactHeadingSets?.some(isExactly));
  if (exact) return exact;
  let best: { preset: Preset; share: number } | undefined;
  for (const preset of presets) {
    const matches = preset.distinctiveHeadings.filter((heading) => present.has(normalizeHeading(heading))).length;
    const share = matches / preset.distinctiveHeadings.length;
    if (matches >= preset.minimumMatches && (!best || share > best.share)) best = { preset, share };
  }
  return best?.preset;
}

type Candidate = { field: string | null; confidence: MappingConfidence; score: number };

function lookupTables(catalogue: Catalogue) {
  const exact = new Map<string, string>();
  const alias = new Map<string, string>();
  for (const field of catalogue.fields) {
    exact.set(normalizeHeading(field.headings.en), field.key);
    exact.set(normalizeHeading(field.headings.nl), field.key);
  }
  for (const field of catalogue.fields) {
    for (const name of field.aliases) if (!exact.has(normalizeHeading(name))) alias.set(normalizeHeading(name), field.key);
  }
  return { exact, alias };
}

/** Similarity 0..1 of two normalised headings: edit distance, containment or shared words. */
export function headingSimilarity(heading: string, candidate: string): number {
  const a = normalizeHeading(heading);
  const b = normalizeHeading(candidate);
  if (a.length < 3 || b.length < 3) return a === b ? 1 : 0;
  const edit = 1 - distance(a, b) / Math.max(a.length, b.length);
  const [longer, shorter] = a.length >= b.length ? [a, b] : [b, a];
  const share = shorter.length / longer.length;
  const containment = shorter.length >= 5 && share >= 0.5 && longer.includes(shorter) ? 0.6 + 0.35 * share : 0;
  const wordsA = new Set(foldForSearch(heading).split(/[^a-z0-9]+/).filter(Boolean));
  const wordsB = new Set(foldForSearch(candidate).split(/[^a-z0-9]+/).filter(Boolean));
  const shared = [...wordsA].filter((word) => wordsB.has(word)).length;
  const dice = wordsA.size + wordsB.size === 0 ? 0 : (2 * shared) / (wordsA.size + wordsB.size);
  return Math.max(edit, containment, dice);
}

/** The keys a field occupies: a combined field occupies the fields it splits into. */
function occupied(field: string, catalogue: Catalogue): string[] {
  const definition = catalogue.fields.find((candidate) => candidate.key === field);
  return [field, ...(definition?.splitsInto ?? [])];
}

/** `profiles[i]`: the values of column i (column-values.ts `profileColumns`); without one only headings count. */
export type SuggestOptions = { saved?: SavedMapping; fuzzyThreshold?: number; profiles?: ReadonlyArray<ColumnProfile | undefined> };

function mismatchOf(catalogue: Catalogue, field: string, profile: ColumnProfile | undefined, heading: string, isGuess: boolean): ValueMismatch | undefined {
  const definition = catalogue.fields.find((candidate) => candidate.key === field);
  return definition ? valueMismatch(valueKindOf(definition), profile, heading, isGuess) : undefined;
}

export function suggestMapping(headings: readonly string[], catalogue: Catalogue, options: SuggestOptions = {}): Mapping {
  const preset = detectPreset(headings, catalogue.presets);
  const presetColumns = new Map(Object.entries(preset?.columns ?? {}).map(([heading, field]) => [normalizeHeading(heading), field]));
  const saved = new Map(Object.entries(options.saved ?? {}).map(([heading, field]) => [normalizeHeading(heading), field]));
  const { exact, alias } = lookupTables(catalogue);
  const isCombined = (field: string | null) => field !== null && catalogue.fields.some((f) => f.key === field && f.type === 'combined');

  const presetField = (field: string | null | readonly string[], index: number): string | null => {
    if (field === null || typeof field === 'string') return field;
    return field.find((key) => !mismatchOf(catalogue, key, options.profiles?.[index], headings[index] ?? '', true)) ?? field[0] ?? null;
  };
  const candidates: Array<Candidate | undefined> = headings.map((heading, index) => {
    const key = normalizeHeading(heading);
    if (saved.has(key)) return { field: saved.get(key) ?? null, confidence: 'saved', score: 1 };
    if (presetColumns.has(key)) return { field: presetField(presetColumns.get(key) ?? null, index), confidence: 'preset', score: 1 };
    if (exact.has(key)) return { field: exact.get(key) ?? null, confidence: 'exact', score: 1 };
    if (alias.has(key)) return { field: alias.get(key) ?? null, confidence: 'alias', score: 1 };
    return undefined;
  });

  const columns: ColumnMapping[] = headings.map((heading, index) => ({ index, heading, field: null, confidence: 'none', score: 0 }));
  const owner = new Map<string, number>();
  const take = (column: ColumnMapping, candidate: Candidate) => {
    const mismatch = candidate.field === null || candidate.confidence === 'saved' ? undefined : mismatchOf(catalogue, candidate.field, options.profiles?.[column.index], column.heading, false);
    if (candidate.field !== null && mismatch) {
      column.note = valuesDoNotFitNote(catalogue, candidate.field, mismatch);
      return;
    }
    if (candidate.field === null) {
      Object.assign(column, { confidence: candidate.confidence, score: candidate.score });
      if (candidate.confidence === 'preset') column.note = ignoredNote(preset?.name ?? '');
      return;
    }
    const clash = occupied(candidate.field, catalogue).find((key) => owner.has(key));
    if (clash !== undefined) {
      const other = columns[owner.get(clash) ?? 0];
      column.note = alreadyMappedNote(candidate.field, other ?? column);
      return;
    }
    for (const key of occupied(candidate.field, catalogue)) owner.set(key, column.index);
    Object.assign(column, candidate);
  };
  // Stronger evidence first; within a tier plain fields before combined ones, then left to right.
  for (const confidence of ['saved', 'preset', 'exact', 'alias'] as const) {
    for (const combined of [false, true]) {
      for (const column of columns) {
        const candidate = candidates[column.index];
        if (candidate?.confidence === confidence && isCombined(candidate.field) === combined) take(column, candidate);
      }
    }
  }
  fuzzyFill(columns, candidates, catalogue, owner, options.fuzzyThreshold ?? 0.75, options.profiles ?? []);
  for (const column of columns) {
    if (column.heading.trim() === '' && column.field === null) column.note = { code: 'no_heading', message: `Column ${columnLetter(column.index)} has no heading.`, params: { column: columnLetter(column.index) } };
  }
  return preset ? { preset: { id: preset.id, name: preset.name }, columns } : { columns };
}

/**
 * Greedy: the most similar (column, field) pairs first, each column and field used once. A
 * column is only offered its best field: when another column has that field already, it most
 * likely repeats it, so it stays unmapped rather than getting a worse guess. Fields whose values
 * the column's values do not fit are not offered; when the most similar field is one of them,
 * the column says so in a note.
 */
function fuzzyFill(
  columns: ColumnMapping[],
  candidates: ReadonlyArray<Candidate | undefined>,
  catalogue: Catalogue,
  owner: Map<string, number>,
  threshold: number,
  profiles: ReadonlyArray<ColumnProfile | undefined>,
) {
  const pairs: Array<{ column: ColumnMapping; field: string; score: number }> = [];
  for (const column of columns) {
    if (candidates[column.index] !== undefined || column.heading.trim() === '') continue;
    let best: { field: string; score: number } | undefined;
    let unfit: { field: string; score: number; mismatch: ValueMismatch } | undefined;
    for (const field of catalogue.fields) {
      if (field.key === 'id') continue; // Never guess the column that selects which customer is updated.
      const names = [field.headings.en, field.headings.nl, ...field.aliases];
      const score = Math.max(...names.map((name) => headingSimilarity(column.heading, name)));
      const mismatch = valueMismatch(valueKindOf(field), profiles[column.index], column.heading, true);
      if (mismatch) {
        if (score > (unfit?.score ?? 0)) unfit = { field: field.key, score, mismatch };
      } else if (score > (best?.score ?? 0)) best = { field: field.key, score };
    }
    if (best && best.score >= threshold) pairs.push({ column, ...best });
    else if (unfit && unfit.score >= threshold) column.note = valuesDoNotFitNote(catalogue, unfit.field, unfit.mismatch);
  }
  pairs.sort((a, b) => b.score - a.score || a.column.index - b.column.index);
  for (const { column, field, score } of pairs) {
    if (occupied(field, catalogue).some((key) => owner.has(key))) continue;
    for (const key of occupied(field, catalogue)) owner.set(key, column.index);
    Object.assign(column, { field, confidence: 'fuzzy', score: Math.round(score * 100) / 100 });
  }
}

function alreadyMappedNote(field: string, other: ColumnMapping): MappingNote {
  return {
    code: 'field_already_mapped',
    message: `Not imported: ${columnLabel(other)} is already mapped to this field (${field}).`,
    params: { field, otherColumn: other.heading, otherIndex: other.index },
  };
}

function valuesDoNotFitNote(catalogue: Catalogue, field: string, reason: ValueMismatch): MappingNote {
  const headings = catalogue.fields.find((candidate) => candidate.key === field)?.headings ?? { en: field, nl: field };
  return {
    code: 'values_do_not_fit',
    message: `Not matched to “${headings.en}”: ${mismatchReason[reason]}.`,
    params: { field, label: headings.en, labelNl: headings.nl, reason },
  };
}

function ignoredNote(presetName: string): MappingNote {
  return {
    code: 'ignored_by_preset',
    message: `Not imported: ${presetName} writes this column for information only.`,
    params: { preset: presetName },
  };
}

/**
 * The user maps a column by hand (or ignores it with `null`). A column that had the field (or an
 * overlapping combined field) loses it, with a note, so no field is mapped twice.
 */
export function remapColumn(mapping: Mapping, index: number, field: string | null, catalogue: Catalogue): Mapping {
  const wanted = field === null ? [] : occupied(field, catalogue);
  const columns = mapping.columns.map((column): ColumnMapping => {
    if (column.index === index) return { index, heading: column.heading, field, confidence: 'manual', score: 1 };
    if (column.field !== null && occupied(column.field, catalogue).some((key) => wanted.includes(key))) {
      return {
        index: column.index,
        heading: column.heading,
        field: null,
        confidence: 'none',
        score: 0,
        note: { code: 'moved_to_other_column', message: `${column.field} is now taken from another column.`, params: { field: column.field, otherIndex: index } },
      };
    }
    return column;
  });
  return { ...mapping, columns };
}

/** The user confirms a fuzzy ("similar") match as it is (or takes the confirmation back); other columns are left alone. */
export function confirmColumn(mapping: Mapping, index: number, isConfirmed = true): Mapping {
  return { ...mapping, columns: mapping.columns.map((column) => (column.index === index && column.confidence === 'fuzzy' && column.field !== null ? { ...column, isConfirmed } : column)) };
}

/** Required-for-new fields that no column fills (a combined column fills its parts). */
export function missingRequired(mapping: Mapping, catalogue: Catalogue, required?: readonly string[]): string[] {
  const requiredKeys = required ?? catalogue.fields.filter((field) => field.isRequiredForNew).map((field) => field.key);
  const filled = new Set(mapping.columns.flatMap((column) => (column.field === null ? [] : occupied(column.field, catalogue))));
  return requiredKeys.filter((key) => !filled.has(key));
}

/** What to store when the user saves a mapping under a name. */
export function toSavedMapping(mapping: Mapping): SavedMapping {
  return Object.fromEntries(mapping.columns.filter((column) => column.heading.trim() !== '').map((column) => [normalizeHeading(column.heading), column.field]));
}

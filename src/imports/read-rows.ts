import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import type { StoredFileSource } from '../files/file-store.ts';
import type { Delimiter, Quote, TextEncoding } from './sniff.ts';
import type { ZipLimits } from './zip-directory.ts';

/**
 * What every reader of an import file shares: the limits, the settings, a row as read (its cells
 * as text, numbered as the user sees them), the file errors that stop reading, the sources a file
 * is read from, and `finishRow`, which every reader's rows go through. The readers themselves:
 * read.ts (CSV, and the entry points), read-xlsx.ts (XLSX), xlsx-sheets.ts (a workbook's sheets).
 */

export type ReadLimits = {
  maxColumns: number;
  /** Longer cells are cut to this length and make a row issue; the row is still yielded. */
  maxCellChars: number;
  /** Longer CSV records stop reading (usually a quote that is never closed). */
  maxRecordChars: number;
  maxRows: number;
  /** XLSX: bytes of sheet and shared-strings XML after unzipping. */
  maxDecompressedBytes: number;
} & Omit<ZipLimits, 'maxDecompressedBytes'>;

export const defaultReadLimits: ReadLimits = {
  maxColumns: 2_000,
  maxCellChars: 32 * 1024,
  maxRecordChars: 8 * 1024 * 1024,
  maxRows: 5_000_000,
  maxDecompressedBytes: 2 * 1024 * 1024 * 1024,
  maxZipEntries: 10_000,
  maxCompressionRatio: 200,
  ratioCheckFromBytes: 1024 * 1024,
};

export type CsvReadSettings = { format: 'csv'; encoding: TextEncoding; delimiter: Delimiter; quote: Quote; limits?: Partial<ReadLimits> };
/** `sheet`: a name from `listSheets`, or a 0-based position among the sheets as stored; default the first visible sheet. */
export type XlsxReadSettings = { format: 'xlsx'; sheet?: string | number; limits?: Partial<ReadLimits> };
export type ReadSettings = CsvReadSettings | XlsxReadSettings;

export type RowIssue = { code: 'cell_too_long'; message: string; params: Record<string, string | number> };
/**
 * `issues`: cells longer than `maxCellChars`, which are cut to that length (one issue per cell).
 * `fileCells`: the cells as the file has them, when edits made in the app are laid over `cells`
 * (fixing rejected rows before the run; pipeline.ts).
 */
export type RawRow = { rowNumber: number; cells: string[]; issues?: RowIssue[]; fileCells?: string[] };

export const importFileErrorCodes = [
  'unterminated_quote',
  'record_too_large',
  'too_many_columns',
  'too_many_rows',
  'decompressed_too_large',
  'compression_too_high',
  'too_many_zip_entries',
  'sheet_not_found',
  'damaged_file',
] as const;
export type ImportFileErrorCode = (typeof importFileErrorCodes)[number];

export class ImportFileError extends Error {
  override name = 'ImportFileError';
  constructor(
    readonly code: ImportFileErrorCode,
    message: string,
    readonly params: Record<string, string | number> = {},
  ) {
    super(message);
  }
}

/**
 * What the readers read: a path, a stream, or a stored file (`storedFileSource`). A stored CSV
 * is streamed from the store; a stored XLSX is copied to this machine for the time of the read,
 * because the zip directory is checked (random access) before anything is unpacked.
 */
export type ReadSource = string | Readable | StoredFileSource;

export const isStoredFile = (source: ReadSource): source is StoredFileSource => typeof source === 'object' && 'localCopy' in source && typeof source.localCopy === 'function';

/** The bytes of a source, streamed: a path is opened, a stored file read from its store. */
export const openSource = (source: ReadSource): Readable => (typeof source === 'string' ? createReadStream(source) : isStoredFile(source) ? source.openRead() : source);

/** Drops trailing empty cells (spreadsheets pad rows), removes NUL characters, checks the limits. */
export function finishRow(rowNumber: number, raw: readonly string[], limits: ReadLimits): RawRow | undefined {
  let end = raw.length;
  while (end > 0 && (raw[end - 1] ?? '') === '') end--;
  if (end === 0) return undefined;
  if (end > limits.maxColumns) {
    throw new ImportFileError('too_many_columns', `Row ${rowNumber} has ${end} columns; at most ${limits.maxColumns} can be imported.`, { rowNumber, columns: end, max: limits.maxColumns });
  }
  const cells = raw.slice(0, end).map((cell) => (cell.includes('\0') ? cell.replaceAll('\0', '') : cell));
  const issues: RowIssue[] = [];
  cells.forEach((cell, columnIndex) => {
    if (cell.length <= limits.maxCellChars) return;
    // Cut here, so no later step (validation, the plan, the report files) holds the whole cell.
    cells[columnIndex] = cell.slice(0, limits.maxCellChars);
    issues.push({
      code: 'cell_too_long',
      message: `A cell in column ${columnIndex + 1} holds ${cell.length} characters; at most ${limits.maxCellChars} can be imported.`,
      params: { columnIndex, length: cell.length, max: limits.maxCellChars },
    });
  });
  return issues.length === 0 ? { rowNumber, cells } : { rowNumber, cells, issues };
}

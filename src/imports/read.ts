import { parse } from 'csv-parse';
import iconv from 'iconv-lite';
import { finishRow, ImportFileError, openSource, type CsvReadSettings, type RawRow, type ReadLimits, type ReadSettings, type ReadSource, defaultReadLimits } from './read-rows.ts';
import { readXlsxRows } from './read-xlsx.ts';
import { detectHeaderRow } from './sniff.ts';

// The shared types and the other readers, for the modules that read files through this one.
export { defaultReadLimits, ImportFileError, importFileErrorCodes, openSource } from './read-rows.ts';
export type { CsvReadSettings, ImportFileErrorCode, RawRow, ReadLimits, ReadSettings, ReadSource, RowIssue, XlsxReadSettings } from './read-rows.ts';
export { cellText, formatNumber } from './read-xlsx.ts';
export { listSheets, type SheetInfo } from './xlsx-sheets.ts';

/**
 * Streaming: an uploaded file → its rows as text cells, one at a time. Memory does not grow
 * with the file: rows are never collected (CSV through csv-parse with back-pressure; XLSX
 * through exceljs' streaming WorkbookReader, sheet XML parsed as it is unzipped). Only XLSX's
 * shared-strings table is held whole, which the decompressed-size cap bounds.
 *
 * Row numbers are what the user sees: the spreadsheet row, 1-based, heading row included
 * (for CSV: the record number, counting blank lines; a quoted multi-line cell is one row).
 * A damaged file (quote never closed, a record of megabytes, too many columns, a zip bomb)
 * ends the iteration with an `ImportFileError`; a damaged row (a cell too long) is a row with
 * `issues` (the cell cut to the cap, so memory stays bounded downstream), and reading goes on.
 */

export function readRows(source: ReadSource, settings: ReadSettings): AsyncGenerator<RawRow> {
  const limits = { ...defaultReadLimits, ...settings.limits };
  return settings.format === 'csv' ? readCsvRows(source, settings, limits) : readXlsxRows(source, settings, limits);
}

const csvErrors: Record<string, (line: number, limits: ReadLimits) => ImportFileError> = {
  CSV_QUOTE_NOT_CLOSED: (line) =>
    new ImportFileError('unterminated_quote', `A quote (") opened in the row starting on line ${line} is never closed, so the rest of the file cannot be read. Close the quote or remove it, and upload the file again.`, { line }),
  CSV_MAX_RECORD_SIZE: (line, limits) =>
    new ImportFileError('record_too_large', `The row starting on line ${line} is longer than ${limits.maxRecordChars} characters; probably a quote (") is never closed. Fix the file and upload it again.`, { line, max: limits.maxRecordChars }),
};

async function* readCsvRows(source: ReadSource, settings: CsvReadSettings, limits: ReadLimits): AsyncGenerator<RawRow> {
  const input = openSource(source);
  const codec = settings.encoding === 'utf-8-bom' ? 'utf-8' : settings.encoding;
  let lastLine = 0; // csv-parse counts the line where a record ends; the next record starts after it
  const parser = parse({
    delimiter: settings.delimiter,
    quote: settings.quote,
    escape: settings.quote,
    relax_quotes: true,
    relax_column_count: true,
    skip_empty_lines: false,
    // Mixed line endings: csv-parse would otherwise keep the first ending it sees.
    record_delimiter: ['\r\n', '\n', '\r'],
    max_record_size: limits.maxRecordChars,
    bom: false,
    // Called as each record is parsed (before it is consumed), so a parse error knows where the
    // last good record ended even when it happens in the same chunk.
    on_record: (record: string[], context: { lines: number }) => {
      lastLine = context.lines;
      return record;
    },
  });
  const decoder = iconv.decodeStream(codec, { stripBOM: true });
  input.on('error', (error: Error) => parser.destroy(error));
  decoder.on('error', (error: Error) => parser.destroy(error));
  input.pipe(decoder).pipe(parser);
  let rowNumber = 0;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      rowNumber++;
      if (rowNumber > limits.maxRows) throw new ImportFileError('too_many_rows', `The file has more than ${limits.maxRows} rows.`, { max: limits.maxRows });
      const row = finishRow(rowNumber, record, limits);
      if (row) yield row;
    }
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const known = typeof code === 'string' ? csvErrors[code] : undefined;
    throw known ? known(lastLine + 1, limits) : error;
  } finally {
    input.destroy();
    parser.destroy();
  }
}

export type Table = { headerRowNumber: number; headings: string[]; rows: AsyncGenerator<RawRow> };

/**
 * The heading row and the data rows below it, in one pass. Without `headerRowNumber` the
 * heading row is detected in the first rows (title rows above it are skipped).
 */
export async function readTable(source: ReadSource, settings: ReadSettings, headerRowNumber?: number, scanRows = 30): Promise<Table> {
  const iterator = readRows(source, settings);
  const head: RawRow[] = [];
  let header: RawRow | undefined;
  for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
    head.push(next.value);
    if (headerRowNumber !== undefined ? next.value.rowNumber >= headerRowNumber : head.length >= scanRows) break;
  }
  if (headerRowNumber !== undefined) header = head.find((row) => row.rowNumber === headerRowNumber);
  else if (head.length > 0) header = head[detectHeaderRow(head.map((row) => row.cells))];
  const headerNumber = header?.rowNumber ?? headerRowNumber ?? 1;
  async function* rows(): AsyncGenerator<RawRow> {
    try {
      for (const row of head) if (row.rowNumber > headerNumber) yield row;
      for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
    } finally {
      await iterator.return(undefined);
    }
  }
  const generator = rows();
  // `return()` on a generator that never started skips its `finally`: the reader would stay open
  // (a file descriptor, and for XLSX an unpacked temporary copy) after every upload's analysis.
  const finish = generator.return.bind(generator);
  generator.return = async (value) => {
    const result = await finish(value);
    await iterator.return(undefined);
    return result;
  };
  return { headerRowNumber: headerNumber, headings: header?.cells ?? [], rows: generator };
}

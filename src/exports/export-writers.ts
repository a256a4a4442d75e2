import { Transform, type Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import yazl from 'yazl';
import type { ExportColumn } from './export-types.ts';
import type { ExportFormat, ExportLanguage } from './export.schemas.ts';
import {
  columnLetters,
  csvRecord,
  formatRow,
  headingsRow,
  parseCopyLine,
  sheetRowXml,
  type CellContext,
  type CsvDialect,
} from './export-format.ts';
import { xlsxPackageParts } from './xlsx-package.ts';

/**
 * Streams: `COPY … TO STDOUT` bytes → rows of cells → CSV or XLSX bytes → a destination. Rows go
 * through in batches (one per COPY chunk) with back-pressure all the way, so memory does not
 * grow with the export: nothing is collected, and XLSX cells are inline strings (no
 * shared-strings table to hold).
 */
export type FileSpec = {
  format: ExportFormat;
  columns: readonly ExportColumn[];
  context: CellContext;
  /** Sheet name for XLSX. */
  title: string;
  /** Written into the XLSX package (zip entry dates, document properties), so a retry gives the same bytes. */
  createdAt: Date;
};

type RowBatch = string[][];

const utf8Bom = '\uFEFF';

/** COPY text bytes → batches of formatted rows; lines are split across chunks, so the tail waits for the next one. */
function copyRows(spec: FileSpec, onRows: (total: number) => void): Transform {
  const decoder = new TextDecoder('utf-8');
  let rest = '';
  let total = 0;
  const toRows = (text: string): RowBatch => {
    const lines = (rest + text).split('\n');
    rest = lines.pop() ?? '';
    const batch = lines.map((line) => formatRow(spec.columns, parseCopyLine(line), spec.context));
    total += batch.length;
    onRows(total);
    return batch;
  };
  return new Transform({
    readableObjectMode: true,
    transform(chunk: Buffer, _encoding, callback) {
      try {
        const batch = toRows(decoder.decode(chunk, { stream: true }));
        callback(null, batch.length > 0 ? batch : undefined);
      } catch (error) {
        callback(error as Error);
      }
    },
    flush(callback) {
      const batch = toRows(decoder.decode());
      if (rest !== '') batch.push(formatRow(spec.columns, parseCopyLine(rest), spec.context));
      callback(null, batch.length > 0 ? batch : undefined);
    },
  });
}

function csvEncoder(spec: FileSpec, dialect: CsvDialect, language: ExportLanguage): Transform {
  const encoder = new Transform({
    writableObjectMode: true,
    transform(batch: RowBatch, _encoding, callback) {
      let text = '';
      for (const row of batch) text += csvRecord(row, dialect);
      callback(null, Buffer.from(text, 'utf8'));
    },
  });
  encoder.push(Buffer.from(utf8Bom + csvRecord(headingsRow(spec.columns, language), dialect), 'utf8'));
  return encoder;
}

/** The worksheet XML, streamed row by row, inside a zip written by yazl with fixed entry dates. */
function xlsxEncoder(spec: FileSpec, language: ExportLanguage): { input: Writable; output: Readable } {
  const letters = columnLetters(spec.columns.length);
  const headings = headingsRow(spec.columns, language);
  const parts = xlsxPackageParts({ title: spec.title, createdAt: spec.createdAt, headings });
  let rowNumber = 1;
  const sheet = new Transform({
    writableObjectMode: true,
    transform(batch: RowBatch, _encoding, callback) {
      let xml = '';
      for (const row of batch) xml += sheetRowXml(++rowNumber, row, letters);
      callback(null, xml);
    },
    flush(callback) {
      callback(null, parts.sheetEnd);
    },
  });
  sheet.push(parts.sheetStart + sheetRowXml(1, headings, letters, 2));
  const zip = new yazl.ZipFile();
  // yazl reports a failing entry stream on the zip object; end the output with it.
  const output = zip.outputStream as Readable;
  zip.on('error', (error: Error) => output.destroy(error));
  const options = { mtime: spec.createdAt, compress: true };
  for (const [name, content] of parts.files) zip.addBuffer(Buffer.from(content, 'utf8'), name, options);
  zip.addReadStream(sheet, 'xl/worksheets/sheet1.xml', options);
  zip.end();
  return { input: sheet, output };
}

/**
 * Writes the whole file to `destination` (which is not ended: the file store's writer publishes
 * it on commit) and returns the number of data rows. Any failure rejects; the caller aborts.
 */
export async function writeExportFile(
  source: Readable,
  spec: FileSpec,
  destination: Writable,
  onRows: (total: number) => void = () => {},
): Promise<number> {
  let rows = 0;
  const parse = copyRows(spec, (total) => {
    rows = total;
    onRows(total);
  });
  const language = spec.context.language;
  if (spec.format !== 'xlsx') {
    const dialect: CsvDialect = { delimiter: spec.format === 'csv' ? ',' : ';' };
    await pipeline(source, parse, csvEncoder(spec, dialect, language), destination, { end: false });
    return rows;
  }
  const xlsx = xlsxEncoder(spec, language);
  await Promise.all([
    pipeline(source, parse, xlsx.input),
    pipeline(xlsx.output, destination, { end: false }),
  ]);
  return rows;
}

import { createRequire } from 'node:module';
import { Transform, type Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { crc32 } from 'node:zlib';
import yazl from 'yazl';
import type { ExportColumn } from './export-types.ts';
import type { ExportFormat } from './export.schemas.ts';
import {
  columnLetters,
  csvRecord,
  csvRecordOfCopyLine,
  headingsRow,
  sheetRowXml,
  sheetRowXmlOfCopyLine,
  type CellContext,
  type CsvDialect,
} from './export-format.ts';
import { xlsxPackageParts } from './xlsx-package.ts';

/**
 * Streams: `COPY … TO STDOUT` bytes → CSV text or worksheet XML → a destination. Lines go
 * through a COPY chunk at a time with back-pressure all the way, so memory does not
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

const utf8Bom = '\uFEFF';

/**
 * yazl 3 checksums every byte of an entry with buffer-crc32, a byte-at-a-time loop in JavaScript
 * on the main thread: at a million rows that was seconds of the XLSX export's CPU. Node's
 * `zlib.crc32` (20.15+) is the same CRC-32 (same polynomial, same running value), computed by
 * zlib natively. yazl calls it through its own copy of buffer-crc32's module object, so that
 * copy (and no one else's) gets the native function; the bytes written are identical. This
 * hooks yazl 3 (pinned by ^3): if yazl stops loading buffer-crc32 this throws at start-up, and
 * src/exports/export-writers.test.ts checks every entry's CRC against its inflated bytes.
 */
type Crc32Module = { unsigned: (data: Buffer | string, previous?: number | Buffer) => number };
const yazlCrc32 = createRequire(createRequire(import.meta.url).resolve('yazl'))(
  'buffer-crc32',
) as Crc32Module;
yazlCrc32.unsigned = (data, previous) =>
  crc32(data, Buffer.isBuffer(previous) ? previous.readUInt32BE(0) : (previous ?? 0));

/**
 * zlib level for the worksheet: 1 deflates XML several times faster than the default 6, for a
 * somewhat larger file (docs/benchmarks.md, "XLSX export speed"). The small fixed parts keep 6.
 */
export const sheetCompressionLevel = 1;

/**
 * The file's text goes out in buffers of this size, each line's text encoded straight into one.
 * Building a chunk's text as one long string first cost more than building it: V8 keeps a long
 * `+=` chain as a tree of pieces and flattening that tree to encode it was ~60 % of the XLSX
 * writer's CPU (a row's own short string flattens cheaply). Fewer, larger writes also suit deflate.
 */
const outputChunkBytes = 256 * 1024;

/**
 * COPY text bytes → the file's bytes, one line at a time through `encodeLine` (lines are split
 * across chunks, so a chunk's tail waits for the next one). Counts the rows as it goes.
 */
function encodeCopyLines(
  encodeLine: (line: string) => string,
  onRows: (total: number) => void,
  ends: { start: string; end?: string },
): Transform {
  const decoder = new TextDecoder('utf-8');
  let rest = '';
  let total = 0;
  let buffer = Buffer.allocUnsafe(outputChunkBytes);
  let used = 0;
  const send = () => {
    if (used === 0) return;
    transform.push(buffer.subarray(0, used));
    buffer = Buffer.allocUnsafe(outputChunkBytes);
    used = 0;
  };
  const write = (text: string) => {
    // A UTF-16 code unit takes at most 3 bytes of UTF-8.
    if (used + text.length * 3 > buffer.length) {
      send();
      if (text.length * 3 > buffer.length) return void transform.push(Buffer.from(text, 'utf8'));
    }
    used += buffer.write(text, used);
  };
  const encode = (text: string, isLast: boolean) => {
    const lines = (rest + text).split('\n');
    rest = lines.pop() ?? '';
    if (isLast && rest !== '') lines.push(rest);
    for (const line of lines) write(encodeLine(line));
    total += lines.length;
    onRows(total);
  };
  const transform: Transform = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      try {
        encode(decoder.decode(chunk, { stream: true }), false);
        callback();
      } catch (error) {
        callback(error as Error);
      }
    },
    flush(callback) {
      try {
        encode(decoder.decode(), true);
        write(ends.end ?? '');
        send();
        callback();
      } catch (error) {
        callback(error as Error);
      }
    },
  });
  write(ends.start);
  return transform;
}

/** The worksheet XML, streamed row by row, inside a zip written by yazl with fixed entry dates. */
function xlsxEncoder(spec: FileSpec, onRows: (total: number) => void): { input: Writable; output: Readable } {
  const letters = columnLetters(spec.columns.length);
  const headings = headingsRow(spec.columns, spec.context.language);
  const parts = xlsxPackageParts({ title: spec.title, createdAt: spec.createdAt, headings });
  let rowNumber = 1;
  const sheet = encodeCopyLines(
    (line) => sheetRowXmlOfCopyLine(line, ++rowNumber, spec.columns, spec.context, letters),
    onRows,
    { start: parts.sheetStart + sheetRowXml(1, headings, letters, 2), end: parts.sheetEnd },
  );
  const zip = new yazl.ZipFile();
  // yazl reports a failing entry stream on the zip object; end the output with it.
  const output = zip.outputStream as Readable;
  zip.on('error', (error: Error) => output.destroy(error));
  const options = { mtime: spec.createdAt, compress: true };
  for (const [name, content] of parts.files) zip.addBuffer(Buffer.from(content, 'utf8'), name, options);
  zip.addReadStream(sheet, 'xl/worksheets/sheet1.xml', {
    mtime: spec.createdAt,
    compressionLevel: sheetCompressionLevel,
  });
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
  const count = (total: number) => {
    rows = total;
    onRows(total);
  };
  if (spec.format !== 'xlsx') {
    const dialect: CsvDialect = { delimiter: spec.format === 'csv' ? ',' : ';' };
    const start = utf8Bom + csvRecord(headingsRow(spec.columns, spec.context.language), dialect);
    const encode = encodeCopyLines(
      (line) => csvRecordOfCopyLine(line, spec.columns, spec.context, dialect),
      count,
      { start },
    );
    await pipeline(source, encode, destination, { end: false });
    return rows;
  }
  const xlsx = xlsxEncoder(spec, count);
  await Promise.all([pipeline(source, xlsx.input), pipeline(xlsx.output, destination, { end: false })]);
  return rows;
}

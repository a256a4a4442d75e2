import { createReadStream, ReadStream, WriteStream } from 'node:fs';
import { createRequire } from 'node:module';
import { rm } from 'node:fs/promises';
import type { Readable, Writable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import type ExcelJS from 'exceljs';
import { excelSerialToIso } from './cells.ts';
import { finishRow, ImportFileError, isStoredFile, type RawRow, type ReadLimits, type ReadSource, type XlsxReadSettings } from './read-rows.ts';
import { listSheets } from './xlsx-sheets.ts';

/**
 * Streaming XLSX: a workbook → its rows as text cells, through exceljs' streaming WorkbookReader,
 * with the zip directory checked before anything is unpacked and every unpacked byte counted
 * (a zip bomb's sizes can lie). Only the shared-strings table is held whole, which the
 * decompressed-size cap bounds. Rows go through `finishRow` like CSV rows.
 */

const decompressedTooLarge = (limits: ReadLimits) =>
  new ImportFileError('decompressed_too_large', `The workbook unpacks to more than ${Math.round(limits.maxDecompressedBytes / 1024 / 1024)} MB; it cannot be imported.`, { max: limits.maxDecompressedBytes });

type ReaderInternals = { _parseWorksheet: (iterator: unknown, sheetNo: string) => Iterable<unknown> };
// exceljs (~28 MB once loaded) is loaded by the first workbook read, not by every process or
// thread that reads CSV files (the validation thread never needs it).
const requireModule = createRequire(import.meta.url);
let loadedExcelJs: typeof ExcelJS | undefined;
const excelJs = (): typeof ExcelJS => (loadedExcelJs ??= decodingOnce(requireModule('exceljs') as typeof ExcelJS));

/**
 * exceljs 4.4 decodes the XML entities of inline-string and formula-string cells a second time,
 * after its XML parser (saxes) has already decoded them: a cell holding "R&amp;amp;D" (the text
 * "R&amp;D", as our exporter writes it) was read as "R&D". Its decoder is made to leave the
 * already decoded text alone (the module is exceljs' own, shared by its readers; our exporter
 * writes its XML itself). test/exports/awkward-values-round-trip.test.ts fails if an upgrade changes this.
 */
function decodingOnce(module: typeof ExcelJS): typeof ExcelJS {
  const utils = createRequire(requireModule.resolve('exceljs'))('./lib/utils/utils.js') as { xmlDecode: (text: string) => string };
  utils.xmlDecode = (text) => text;
  return module;
}
const readerPrototype = (): ReaderInternals => excelJs().stream.xlsx.WorkbookReader.prototype as unknown as ReaderInternals;

/** A part of the zip as unzipper 0.10 hands it to exceljs: a PassThrough the inflater writes into. */
type ZipPart = Readable & { path: string; vars: { flags: number; uncompressedSize: number }; write: (chunk: Buffer, ...rest: unknown[]) => boolean };

const lyingPart = (path: string) =>
  new ImportFileError('damaged_file', `The Excel file is damaged: its part ${path} unpacks to more than its size says. Open it in Excel, save it again as .xlsx and upload that file.`, { reason: 'size_mismatch', part: path });

/**
 * exceljs' streaming reader with every unpacked byte counted, whatever the zip's headers claim (a
 * zip bomb's sizes can lie). Counting happens where unzipper writes a part's unpacked bytes, so
 * it covers every part and every way exceljs consumes one: parsed (sheets, shared strings,
 * styles), spooled to a temporary file (sheets that come before the shared strings, as in every
 * file Excel writes) or drained unread (document properties, themes). At the cap reading stops
 * with `decompressed_too_large`; a part that unpacks to more than its local header says stops it
 * at once (`damaged_file`: a sound zip never does that; parts written with a data descriptor
 * declare no size and only count towards the cap). This hooks exceljs 4.4 and unzipper 0.10 (pinned; the zip-bomb
 * tests in read.test.ts and the hostile corpus fail if they change): exceljs pipes our input
 * into its unzipper, so the unzipper is found through our input's `pipe`.
 */
/** Removes a temporary file of `tmp` and closes its descriptor; does nothing the second time. */
type RemoveTemporaryFile = () => Promise<void>;
type TemporaryFileCallback = (error: Error | null, name: string, fd: number, remove: (next?: () => void) => void) => void;

/**
 * exceljs spools sheets to files from `tmp` (the instance exceljs itself resolves) and removes
 * each one, closing its descriptor, only after reading that sheet to the end — else at process
 * exit. Every read that stops earlier (each upload's analysis, each preview, each reader that
 * returns after its sheet) would keep a descriptor and an unpacked copy of the sheets on disk in
 * a long-running server. So each file gets a remover that exceljs and the reader that spooled it
 * share: whoever comes first removes it.
 */
const exceljsTmp = createRequire(createRequire(import.meta.url).resolve('exceljs'))('tmp') as { file: (...args: unknown[]) => void };
const temporaryFileRemovers = new Map<string, RemoveTemporaryFile>();
const createTemporaryFile = exceljsTmp.file;
exceljsTmp.file = (...args: unknown[]) => {
  const callback = args.pop() as TemporaryFileCallback;
  createTemporaryFile.call(exceljsTmp, ...args, ((error, name, fd, remove) => {
    if (error) return callback(error, name, fd, remove);
    let removed: Promise<void> | undefined;
    const removeOnce = () => (removed ??= new Promise<void>((resolve) => remove(() => resolve())));
    temporaryFileRemovers.set(name, removeOnce);
    callback(error, name, fd, () => void removeOnce());
  }) satisfies TemporaryFileCallback);
};

/**
 * unzipper 0.10 emits 'end' itself as soon as its input is written, while the last parts of the
 * zip may still wait in its buffer; exceljs stops at that 'end' and never sees them. A workbook
 * whose shared strings are the last part (after a spooled sheet) then read as an empty sheet,
 * without any error. That early 'end' is held back until the buffer is empty.
 */
function holdEarlyEnd(zip: Readable): void {
  const emit = zip.emit.bind(zip);
  let isEndHeld = false;
  zip.emit = ((event: string | symbol, ...args: unknown[]) => {
    if (event === 'end' && !zip.readableEnded && zip.readableLength > 0) {
      isEndHeld = true;
      return false;
    }
    const result = emit(event, ...args);
    if (event === 'data' && isEndHeld && zip.readableLength === 0) {
      isEndHeld = false;
      emit('end');
    }
    return result;
  }) as typeof zip.emit;
}

/**
 * A sheet's bytes as text, decoded across chunk boundaries. exceljs decodes each chunk of the
 * sheet XML on its own, so a character whose UTF-8 bytes straddle two chunks (a Chinese note
 * somewhere in a large sheet) became two replacement characters; it passes text through as is.
 */
function wholeCharacters(chunks: unknown): unknown {
  if (typeof (chunks as AsyncIterable<unknown> | null)?.[Symbol.asyncIterator] !== 'function') return chunks;
  return (async function* () {
    const decoder = new StringDecoder('utf8');
    for await (const chunk of chunks as AsyncIterable<Buffer | string>) {
      const text = typeof chunk === 'string' ? chunk : decoder.write(chunk);
      if (text !== '') yield text;
    }
    const rest = decoder.end();
    if (rest !== '') yield rest;
  })();
}

function createGuardedReader(input: Readable, limits: ReadLimits) {
  let unpackedBytes = 0;
  let failure: ImportFileError | undefined;
  const spools: { path: string; remove?: RemoveTemporaryFile }[] = [];
  /** The parts being unpacked: an error of the zip must reach whatever of exceljs waits on them. */
  const liveParts = new Set<(error: Error) => void>();
  const guardPart = (zip: Readable, part: ZipPart) => {
    // Errors reach exceljs through the part, a spool's file stream and the zip; a part nobody reads must not throw.
    part.on('error', () => {});
    let spool: Writable | undefined;
    let partError: Error | undefined;
    const fail = (error: Error) => {
      liveParts.delete(fail);
      partError = error;
      spool?.destroy(error);
      part.emit('error', error);
    };
    liveParts.add(fail);
    part.once('end', () => liveParts.delete(fail));
    // exceljs may start reading a part only after it failed (the zip's error came first): tell it then.
    const on = part.on.bind(part);
    part.on = ((event: string | symbol, listener: (...args: unknown[]) => void) => {
      on(event, listener);
      const error = partError;
      if (event === 'error' && error) process.nextTick(() => listener(error));
      return part;
    }) as typeof part.on;
    // Bit 3: sizes follow the data (streaming writers); 0xffffffff: the real size is in the ZIP64 field.
    const declared = (part.vars.flags & 0x08) === 0 && part.vars.uncompressedSize !== 0xffffffff ? part.vars.uncompressedSize : Infinity;
    let partBytes = 0;
    const pipe = part.pipe.bind(part);
    part.pipe = ((destination: Writable, options?: { end?: boolean }) => {
      if (destination instanceof WriteStream) {
        spool = destination;
        const spoolPath = String(destination.path);
        spools.push({ path: spoolPath, remove: temporaryFileRemovers.get(spoolPath) });
        temporaryFileRemovers.delete(spoolPath);
        if (partError) destination.destroy(partError);
      }
      return pipe(destination, options);
    }) as typeof part.pipe;
    const write = part.write.bind(part);
    part.write = (chunk: Buffer, ...rest: unknown[]) => {
      if (failure) return false;
      unpackedBytes += chunk.length;
      partBytes += chunk.length;
      if (unpackedBytes <= limits.maxDecompressedBytes && partBytes <= declared) return write(chunk, ...rest);
      failure = partBytes > declared ? lyingPart(part.path) : decompressedTooLarge(limits);
      zip.emit('error', failure); // reaches this part through the listener below
      return false;
    };
  };
  const pipe = input.pipe.bind(input);
  input.pipe = ((zip: Writable & Readable, options?: { end?: boolean }) => {
    holdEarlyEnd(zip);
    // unzipper reports a damaged deflate stream on the zip only; exceljs, waiting on the part
    // (or on the file it spools the part to), would wait forever.
    zip.on('error', (error: Error) => {
      for (const fail of [...liveParts]) fail(error);
    });
    const push = zip.push.bind(zip);
    zip.push = (chunk: unknown, encoding?: BufferEncoding) => {
      if (chunk !== null && typeof chunk === 'object' && typeof (chunk as Partial<ZipPart>).path === 'string') guardPart(zip, chunk as ZipPart);
      return push(chunk, encoding);
    };
    return pipe(zip, options);
  }) as typeof input.pipe;
  const reader = new (excelJs().stream.xlsx.WorkbookReader)(input, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    styles: 'cache', // number formats: dates become dates, "00000" keeps leading zeros
    entries: 'ignore',
  });
  // A spooled sheet is parsed from a read stream exceljs opens on its file. For a sheet we skip,
  // exceljs removes that file at once, and the stream's open can lose the race: an 'error' event
  // nobody listens to, which would end the process. Reading it (an async iterator) still sees errors.
  const internals = reader as unknown as ReaderInternals;
  internals._parseWorksheet = (iterator, sheetNo) => {
    if (iterator instanceof ReadStream) iterator.on('error', () => {});
    return readerPrototype()._parseWorksheet.call(reader, wholeCharacters(iterator), sheetNo);
  };
  return {
    reader,
    failure: () => failure,
    /** Removes the files exceljs spooled sheets to, and closes them (see `temporaryFileRemovers`). */
    removeSpools: () =>
      Promise.all(spools.map((spool) => (spool.remove ? spool.remove() : rm(spool.path, { force: true })))),
  };
}

export async function* readXlsxRows(source: ReadSource, settings: XlsxReadSettings, limits: ReadLimits): AsyncGenerator<RawRow> {
  if (!isStoredFile(source)) return yield* readXlsxFileRows(source, settings, limits);
  const copy = await source.localCopy();
  try {
    yield* readXlsxFileRows(copy.path, settings, limits);
  } finally {
    await copy.release();
  }
}

async function* readXlsxFileRows(source: string | Readable, settings: XlsxReadSettings, limits: ReadLimits): AsyncGenerator<RawRow> {
  let wanted = settings.sheet;
  const input = typeof source === 'string' ? createReadStream(source) : source;
  const { reader, failure, removeSpools } = createGuardedReader(input, limits);
  let position = 0;
  try {
    if (typeof source === 'string') {
      // The zip directory is checked first: declared sizes over the cap never reach the unzipper.
      const sheets = await listSheets(source, limits);
      if (wanted === undefined) wanted = sheets.find((sheet) => sheet.state === 'visible')?.name ?? sheets[0]?.name;
    }
    for await (const worksheet of reader) {
      const sheet = worksheet as unknown as AsyncIterable<ExcelJS.Row> & { name: string };
      const isWanted = wanted === undefined ? position === 0 : typeof wanted === 'number' ? position === wanted : sheet.name === wanted;
      position++;
      if (!isWanted) continue; // exceljs drains the sheets we skip
      let rows = 0;
      for await (const row of sheet) {
        if (++rows > limits.maxRows) throw new ImportFileError('too_many_rows', `The sheet has more than ${limits.maxRows} rows.`, { max: limits.maxRows });
        const result = finishRow(row.number, rowTexts(row, limits), limits);
        if (result) yield result;
      }
      return;
    }
    if (wanted === undefined) throw new ImportFileError('damaged_file', 'This file has no worksheets: it is a ZIP archive but not an Excel workbook. Open it in Excel, save it as .xlsx and upload that file.', { reason: 'no_sheets' });
    throw new ImportFileError('sheet_not_found', `The workbook has no sheet “${String(wanted)}”.`, { sheet: String(wanted) });
  } catch (error) {
    if (error instanceof ImportFileError) throw error;
    if (failure()) throw failure();
    throw unreadableWorkbook(error);
  } finally {
    input.destroy();
    await removeSpools();
  }
}

/**
 * What exceljs or the XML parser threw, in words for people: the exception's own text
 * ("Cannot read properties of undefined", "Unexpected end") is never shown.
 */
function unreadableWorkbook(error: unknown): ImportFileError {
  const text = error instanceof Error ? error.message : String(error);
  if (/entity/i.test(text)) {
    return new ImportFileError('damaged_file', 'The Excel file could not be read: it declares XML entities (a DOCTYPE), which Excel never writes and which are refused for safety. Open it in Excel, save it again as .xlsx and upload that file.', { reason: 'xml_entities' });
  }
  return new ImportFileError('damaged_file', 'The Excel file could not be read: its contents are not those of a workbook Excel can open. Open it in Excel, save it again as .xlsx and upload that file.', { reason: 'unreadable' });
}

function rowTexts(row: ExcelJS.Row, limits: ReadLimits): string[] {
  const cells: string[] = [];
  row.eachCell({ includeEmpty: false }, (cell, column) => {
    if (column > limits.maxColumns) return; // finishRow reports the width
    while (cells.length < column - 1) cells.push('');
    cells[column - 1] = cellText(cell.value, cell.numFmt);
  });
  if (row.cellCount > limits.maxColumns) {
    throw new ImportFileError('too_many_columns', `Row ${row.number} has ${row.cellCount} columns; at most ${limits.maxColumns} can be imported.`, { rowNumber: row.number, columns: row.cellCount, max: limits.maxColumns });
  }
  return cells;
}

const isDateFormat = (format: string | undefined) => format !== undefined && /[dmy]/i.test(format.replace(/\[[^\]]*\]|"[^"]*"|\\./g, '')) && !/^general$/i.test(format);

/** Dates → ISO; numbers as Excel shows them where that is simple ("00000" keeps leading zeros); never a formula. */
export function cellText(value: ExcelJS.CellValue, numFmt?: string): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (typeof value === 'number') return isDateFormat(numFmt) ? excelSerialToIso(value) : formatNumber(value, numFmt);
  if (value instanceof Date) {
    const iso = value.toISOString();
    return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso.slice(0, 19);
  }
  if ('richText' in value) return value.richText.map((part) => part.text).join('');
  if ('error' in value) return String(value.error);
  if ('formula' in value || 'sharedFormula' in value) {
    // The cached result as Excel last computed it; formulas are never evaluated.
    const result = (value as { result?: ExcelJS.CellValue }).result;
    return result === undefined ? '' : cellText(result, numFmt);
  }
  if ('text' in value) return String(value.text);
  return '';
}

export function formatNumber(value: number, numFmt?: string): string {
  const format = (numFmt ?? '').trim();
  const zeros = /^0+$/.exec(format);
  if (zeros && Number.isInteger(value) && value >= 0) return String(value).padStart(format.length, '0');
  const decimals = /^0\.(0+)$/.exec(format);
  if (decimals) return value.toFixed(decimals[1]?.length ?? 0);
  // Excel keeps 15 significant digits; JavaScript would add binary noise (0.30000000000000004).
  if (Number.isInteger(value) && Math.abs(value) < 1e21) return value.toFixed(0);
  return String(Number(value.toPrecision(15)));
}

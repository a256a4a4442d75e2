import iconv from 'iconv-lite';

/**
 * Pure: the head of an uploaded file (first ~64 KiB) + its name → how to read it. Decides by
 * content, not by extension (a PNG renamed .csv is still a PNG). Refusals carry a message the
 * shop owner can act on. For XLSX only the format is known here; the header row of a sheet is
 * found with `detectHeaderRow` on its first rows (see read.ts).
 */

export const sniffHeadBytes = 64 * 1024;

export type FileFormat = 'csv' | 'xlsx' | 'xls' | 'unknown';
export type TextEncoding = 'utf-8' | 'utf-8-bom' | 'utf-16le' | 'utf-16be' | 'windows-1252';
export type Delimiter = ',' | ';' | '\t' | '|';
export type Quote = '"' | "'";
export const delimiters: readonly Delimiter[] = [',', ';', '\t', '|'];

export type SniffRefusal = {
  code: 'empty' | 'legacy_xls' | 'pdf' | 'image' | 'archive' | 'office_document' | 'html' | 'binary';
  message: string;
};
export type SniffWarning = { code: 'nul_bytes' | 'no_data_rows' | 'unterminated_quote'; message: string };

export type SniffResult = {
  format: FileFormat;
  encoding: TextEncoding;
  delimiter: Delimiter;
  quote: Quote;
  /** 0-based record index of the heading row (title and blank rows above it are skipped). */
  headerRowIndex: number;
  /** Data rows below the heading row; exact when the whole file fitted in the head. */
  estimatedRows: number | null;
  refused?: SniffRefusal;
  warnings: SniffWarning[];
};

/** Settings the user changed on the analysis screen; the rest is detected again. */
export type SniffOverrides = { encoding?: TextEncoding; delimiter?: Delimiter; quote?: Quote; headerRowIndex?: number };

const saveAsAdvice = 'Open it in Excel (or LibreOffice) and choose File › Save As › “Excel Workbook (.xlsx)” or “CSV UTF-8”, then upload that file.';

const startsWith = (head: Buffer, bytes: readonly number[]) => bytes.every((byte, index) => head[index] === byte);

/** `isMatch`: more than the first bytes must fit, where those bytes are also plain text. */
const magicRefusals: ReadonlyArray<{ bytes: number[]; refusal: SniffRefusal; format?: FileFormat; isMatch?: (head: Buffer) => boolean }> = [
  {
    bytes: [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1],
    format: 'xls',
    refusal: { code: 'legacy_xls', message: `This is an old Excel 97–2003 workbook (.xls), which Clientele does not read. ${saveAsAdvice}` },
  },
  { bytes: [0x25, 0x50, 0x44, 0x46], refusal: { code: 'pdf', message: 'This is a PDF document, not a spreadsheet. Export the customers from the original program as CSV or Excel (.xlsx).' } },
  ...[[0x89, 0x50, 0x4e, 0x47], [0xff, 0xd8, 0xff], [0x47, 0x49, 0x46, 0x38], [0x42, 0x4d]].map((bytes) => ({
    bytes,
    refusal: { code: 'image' as const, message: 'This is an image, not a spreadsheet. Upload a CSV or Excel (.xlsx) file.' },
    // "BM" is also how a CSV can start ("BM Fietsen klantenlijst"): a bitmap has four zero bytes at 6–9.
    ...(bytes[0] === 0x42 && { isMatch: (head: Buffer) => head.length >= 14 && head.readUInt32LE(6) === 0 }),
  })),
  ...[[0x1f, 0x8b], [0x37, 0x7a, 0xbc, 0xaf], [0x52, 0x61, 0x72, 0x21]].map((bytes) => ({
    bytes,
    refusal: { code: 'archive' as const, message: 'This is a compressed archive. Unpack it and upload the CSV or Excel (.xlsx) file inside.' },
  })),
];

function sniffZip(head: Buffer, fileName: string): Pick<SniffResult, 'format' | 'refused'> {
  const names = head.toString('latin1');
  const isOfficeDocument = names.includes('word/') || names.includes('ppt/') || names.includes('opendocument');
  // The name decides only when the head shows nothing: a big workbook may name xl/ beyond it,
  // but a Word, PowerPoint or OpenDocument file renamed .xlsx is still what its parts say.
  if (names.includes('xl/') || (!isOfficeDocument && /\.xlsx$/i.test(fileName))) return { format: 'xlsx' };
  const message = isOfficeDocument
    ? `This is a text document, presentation or OpenDocument file, not an Excel workbook. ${saveAsAdvice}`
    : 'This is a ZIP archive. Unpack it and upload the CSV or Excel (.xlsx) file inside.';
  return { format: 'unknown', refused: { code: isOfficeDocument ? 'office_document' : 'archive', message } };
}

/** BOM first; then UTF-16 without BOM by its NUL pattern; then valid UTF-8; else Windows-1252. */
export function detectEncoding(head: Buffer, isTruncated: boolean): TextEncoding {
  if (startsWith(head, [0xef, 0xbb, 0xbf])) return 'utf-8-bom';
  if (startsWith(head, [0xff, 0xfe])) return 'utf-16le';
  if (startsWith(head, [0xfe, 0xff])) return 'utf-16be';
  const pairs = Math.floor(Math.min(head.length, 4096) / 2);
  let oddNuls = 0;
  let evenNuls = 0;
  for (let index = 0; index < pairs * 2; index += 2) {
    if (head[index] === 0) evenNuls++;
    if (head[index + 1] === 0) oddNuls++;
  }
  if (pairs > 0 && oddNuls / pairs > 0.3 && evenNuls / pairs < 0.05) return 'utf-16le';
  if (pairs > 0 && evenNuls / pairs > 0.3 && oddNuls / pairs < 0.05) return 'utf-16be';
  return isValidUtf8(head, isTruncated) ? 'utf-8' : 'windows-1252';
}

function isValidUtf8(head: Buffer, isTruncated: boolean): boolean {
  let end = head.length;
  if (isTruncated) {
    // The head may cut a multi-byte character in two: ignore an incomplete last sequence.
    let start = end - 1;
    while (start > 0 && end - start < 4 && ((head[start] ?? 0) & 0xc0) === 0x80) start--;
    const lead = head[start] ?? 0;
    const length = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
    if (end - start < length) end = start;
  }
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(head.subarray(0, end));
    return true;
  } catch {
    return false;
  }
}

export function decodeText(bytes: Buffer, encoding: TextEncoding): string {
  const codec = encoding === 'utf-8-bom' ? 'utf-8' : encoding;
  return iconv.decode(bytes, codec, { stripBOM: true });
}

export type SampleRecords = { records: string[][]; isQuoteOpen: boolean };

/** A small quote-aware CSV tokenizer for the sample only; the real reading is csv-parse's. */
export function tokenizeSample(text: string, delimiter: string, quote: Quote, isTruncated: boolean): SampleRecords {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let isQuoted = false;
  for (let index = 0; index < text.length; index++) {
    const char = text[index];
    if (isQuoted) {
      if (char === quote && text[index + 1] === quote) {
        field += quote;
        index++;
      } else if (char === quote) isQuoted = false;
      else field += char;
    } else if (char === quote && field === '') isQuoted = true;
    else if (char === delimiter) {
      record.push(field);
      field = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[index + 1] === '\n') index++;
      record.push(field);
      records.push(record);
      record = [];
      field = '';
    } else field += char;
  }
  const hasRest = field !== '' || record.length > 0;
  // A truncated head ends in the middle of a record: that partial record is not a sample.
  if (hasRest && !isTruncated && !isQuoted) records.push([...record, field]);
  return { records, isQuoteOpen: isQuoted };
}

const isBlankRecord = (record: readonly string[]) => record.every((cell) => cell.trim() === '');

/** The delimiter whose field count is the same on most sample lines (more columns break ties). */
export function detectDelimiter(text: string, quote: Quote, isTruncated: boolean): Delimiter {
  let best: { delimiter: Delimiter; score: number } = { delimiter: ',', score: 0 };
  for (const delimiter of delimiters) {
    const records = tokenizeSample(text, delimiter, quote, isTruncated).records.filter((record) => !isBlankRecord(record)).slice(0, 200);
    const counts = new Map<number, number>();
    for (const record of records) if (record.length > 1) counts.set(record.length, (counts.get(record.length) ?? 0) + 1);
    const [modal, frequency] = [...counts].sort((a, b) => b[1] - a[1] || b[0] - a[0])[0] ?? [1, 0];
    const score = records.length === 0 ? 0 : (frequency / records.length) * (1 - 1 / (modal + 1));
    if (score > best.score) best = { delimiter, score };
  }
  return best.delimiter;
}

/** Single quotes only when fields are wrapped in them and never in double quotes. */
export function detectQuote(text: string, delimiter: Delimiter): Quote {
  const escaped = delimiter === '|' ? '\\|' : delimiter;
  const wrapped = (quote: string) => (text.match(new RegExp(`(?:^|${escaped})${quote}[^${quote}\\r\\n]*${quote}(?=${escaped}|\\r?$)`, 'gm')) ?? []).length;
  const singles = wrapped("'");
  return singles >= 2 && wrapped('"') === 0 ? "'" : '"';
}

const isLabel = (cell: string) => cell.length <= 80 && /\p{L}/u.test(cell) && !cell.includes('@') && !/^[\d\s.,:;+\-/€$%()']+$/.test(cell);

/**
 * The heading row: the first row whose filled cells cover at least half of the table's width and
 * are (nearly) all labels — not numbers, dates or e-mail addresses. Title rows ("Customer list
 * May 2024") and blank rows above it are skipped.
 */
export function detectHeaderRow(rows: ReadonlyArray<readonly string[]>, maxScanRows = 30): number {
  const scanned = rows.slice(0, maxScanRows).map((row) => row.map((cell) => cell.trim()).filter((cell) => cell !== ''));
  const width = Math.max(0, ...scanned.map((cells) => cells.length));
  const wideEnough = (cells: readonly string[]) => cells.length > 0 && cells.length >= Math.max(width === 1 ? 1 : 2, Math.ceil(width / 2));
  const header = scanned.findIndex((cells) => wideEnough(cells) && cells.filter(isLabel).length / cells.length >= 0.75);
  if (header >= 0) return header;
  return Math.max(0, scanned.findIndex(wideEnough));
}

function textProblems(text: string): { binaryShare: number; nulCount: number } {
  let control = 0;
  let nulCount = 0;
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    if (code === 0) nulCount++;
    else if ((code < 32 && char !== '\t' && char !== '\n' && char !== '\r' && char !== '\f') || code === 0xfffd) control++;
  }
  return { binaryShare: text.length === 0 ? 0 : control / text.length, nulCount };
}

export function sniffFile(head: Buffer, fileName: string, totalBytes: number = head.length, overrides: SniffOverrides = {}): SniffResult {
  const base: SniffResult = { format: 'csv', encoding: 'utf-8', delimiter: ',', quote: '"', headerRowIndex: 0, estimatedRows: null, warnings: [] };
  if (totalBytes === 0 || head.length === 0) return { ...base, format: 'unknown', refused: { code: 'empty', message: 'The file is empty.' } };
  const magic = magicRefusals.find(({ bytes, isMatch }) => startsWith(head, bytes) && (isMatch?.(head) ?? true));
  if (magic) return { ...base, format: magic.format ?? 'unknown', refused: magic.refusal };
  if (startsWith(head, [0x50, 0x4b, 0x03, 0x04])) return { ...base, ...sniffZip(head, fileName), estimatedRows: null };

  const isTruncated = totalBytes > head.length;
  const encoding = overrides.encoding ?? detectEncoding(head, isTruncated);
  const text = decodeText(head, encoding);
  const { binaryShare, nulCount } = textProblems(text.slice(0, 16_384));
  if (binaryShare > 0.02 || nulCount / Math.max(1, text.length) > 0.1) {
    return { ...base, format: 'unknown', encoding, refused: { code: 'binary', message: 'This file is not text (CSV) or an Excel workbook. Upload a CSV, TSV or XLSX file.' } };
  }
  // An empty sheet saved as CSV is rows of delimiters only (";;;;" where a cell was ever formatted).
  const isBlank = text.trim() === '' || (!isTruncated && /^[\s,;|"']*$/.test(text));
  if (isBlank) return { ...base, encoding, refused: { code: 'empty', message: 'The file is empty.' } };
  if (/^\s*<(?:!doctype html|html|table|\?xml)/i.test(text)) {
    return { ...base, format: 'unknown', encoding, refused: { code: 'html', message: `This is a web page or XML file with a spreadsheet name. ${saveAsAdvice}` } };
  }
  const quote = overrides.quote ?? detectQuote(text, overrides.delimiter ?? detectDelimiter(text, '"', isTruncated));
  const delimiter = overrides.delimiter ?? detectDelimiter(text, quote, isTruncated);
  const { records, isQuoteOpen } = tokenizeSample(text, delimiter, quote, isTruncated);
  const headerRowIndex = overrides.headerRowIndex ?? detectHeaderRow(records);
  const dataRecords = records.slice(headerRowIndex + 1).filter((record) => !isBlankRecord(record));
  const warnings: SniffWarning[] = [];
  if (nulCount > 0) warnings.push({ code: 'nul_bytes', message: 'The file contains NUL characters; they are left out when reading.' });
  if (isQuoteOpen && !isTruncated) warnings.push({ code: 'unterminated_quote', message: 'A quote (") is opened and never closed; the rows after it cannot be read.' });
  if (!isTruncated && dataRecords.length === 0) warnings.push({ code: 'no_data_rows', message: 'The file has headings but no rows of data.' });
  return { ...base, encoding, delimiter, quote, headerRowIndex, estimatedRows: estimateRows(records, headerRowIndex, dataRecords.length, text, head.length, totalBytes), warnings };
}

function estimateRows(records: readonly string[][], headerRowIndex: number, dataRows: number, text: string, headBytes: number, totalBytes: number): number {
  if (totalBytes <= headBytes || dataRows === 0) return dataRows;
  const charsPerRecord = records.slice(headerRowIndex + 1).reduce((sum, record) => sum + record.join(' ').length + 1, 0) / Math.max(1, records.length - headerRowIndex - 1);
  const bytesPerChar = headBytes / Math.max(1, text.length);
  return Math.round(dataRows + (totalBytes - headBytes) / Math.max(1, charsPerRecord * bytesPerChar));
}

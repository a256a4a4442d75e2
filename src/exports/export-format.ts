import { consentStateWords, describeConsentSource } from '../consent/consent.ts';
import { guardCellForExport, keepCellForImport } from '../imports/cells.ts';
import { columnLetter } from '../imports/mapping.ts';
import type { ColumnKind, ExportColumn } from './export-types.ts';
import type { ExportLanguage } from './export.schemas.ts';

/**
 * Pure: database values → the cells of the file, and cells → CSV text or SpreadsheetML.
 *
 * A CSV for a spreadsheet goes through `guardCellForExport` (OWASP "CSV Injection": a leading
 * = + - @ tab or CR gets an apostrophe), and the importer's `cleanCell` undoes exactly that, so
 * round trips are lossless. An XLSX cell is a typed string (it cannot be a formula), and a CSV
 * for a mailing platform or another program carries the raw values: neither gets the guard's
 * apostrophe. The policy is written down in docs/export-format.md.
 */
export type CellContext = {
  language: ExportLanguage;
  /** The storefront's "Forgot your password?" page, without query. */
  resetPageUrl: string;
  /**
   * `formula-guard`: CSV for a spreadsheet. `import-safe`: XLSX, where only a value that itself
   * looks like a guarded one gets an apostrophe, so the importer reads it back exactly.
   * `raw`: CSV for a mailing platform or another program, values as stored.
   */
  cellGuard: CellGuard;
};

export const cellGuards = ['formula-guard', 'import-safe', 'raw'] as const;
export type CellGuard = (typeof cellGuards)[number];

const yesNo: Record<ExportLanguage, readonly [string, string]> = { en: ['yes', 'no'], nl: ['ja', 'nee'] };
// Words the importer reads back (cells.ts: parseGenderCell).
const genderWords: Record<ExportLanguage, Record<string, string>> = {
  en: { male: 'male', female: 'female', other: 'other' },
  nl: { male: 'man', female: 'vrouw', other: 'anders' },
};
const storefrontLanguages = new Set(['en', 'nl']);
// Words the importer reads back (consent.ts: parseConsentLevel).
const consentLevelWords: Record<ExportLanguage, Record<string, string>> = {
  en: { single: 'single', confirmed: 'confirmed' },
  nl: { single: 'enkel', confirmed: 'bevestigd' },
};

/** One database value (text, or null for empty) as the file's cell text, guarded as the context says. */
export function formatCell(kind: ColumnKind, value: string | null, context: CellContext): string {
  const text = cellText(kind, value, context);
  // The guards only ever touch values starting with one of these; most cells skip the call.
  if (text === '' || context.cellGuard === 'raw' || !guardFirstCharacters.has(text.charCodeAt(0)))
    return text;
  return context.cellGuard === 'formula-guard' ? guardCellForExport(text) : keepCellForImport(text);
}

const guardFirstCharacters = new Set([...`=+-@\t\r'`].map((character) => character.charCodeAt(0)));

function cellText(kind: ColumnKind, value: string | null, context: CellContext): string {
  if (value === null) return kind === 'reset-link' ? context.resetPageUrl : '';
  switch (kind) {
    case 'boolean':
      // Anything else is a flagged value as typed (“misschien”): written as it was in the file.
      return value === 'true'
        ? yesNo[context.language][0]
        : value === 'false'
          ? yesNo[context.language][1]
          : value;
    case 'gender':
      return genderWords[context.language][value] ?? value;
    case 'consent':
      // "not set" too: the importer reads it as "says nothing", so a round trip changes nothing.
      return (consentStateWords[context.language] as Record<string, string>)[value] ?? value;
    case 'consent-level':
      return consentLevelWords[context.language][value] ?? value;
    case 'consent-source':
      return describeConsentSource(value, context.language);
    case 'reset-link':
      // The page in the customer's own language where the storefront has it.
      return storefrontLanguages.has(value) ? `${context.resetPageUrl}?lang=${value}` : context.resetPageUrl;
    default:
      return value;
  }
}

export function formatRow(
  columns: readonly ExportColumn[],
  values: readonly (string | null)[],
  context: CellContext,
): string[] {
  const cells = new Array<string>(columns.length);
  for (let index = 0; index < columns.length; index++)
    cells[index] = formatCell(columns[index]!.kind, values[index] ?? null, context);
  return cells;
}

export const headingsRow = (columns: readonly ExportColumn[], language: ExportLanguage): string[] =>
  columns.map((column) => column.headings[language]);

const copyEscapes: Record<string, string> = {
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\\': '\\',
};

/**
 * One line of `COPY … TO STDOUT` text format → its values (`\N` = null). COPY TO only writes the
 * escapes \\ \b \f \n \r \t \v (never octal or hex ones), so this is the whole decoding.
 */
export function parseCopyLine(line: string): (string | null)[] {
  const fields = line.split('\t');
  for (let index = 0; index < fields.length; index++) {
    const field = fields[index]!;
    if (field === '\\N') fields[index] = null as unknown as string;
    else if (field.includes('\\'))
      fields[index] = field.replace(/\\(.)/g, (_match, code: string) => copyEscapes[code] ?? code);
  }
  return fields;
}

/** One field of a COPY text line (`\\N` = null), unescaped where it has to be. */
const copyFieldValue = (field: string): string | null =>
  field === '\\N'
    ? null
    : field.includes('\\')
      ? field.replace(/\\(.)/g, (_match, code: string) => copyEscapes[code] ?? code)
      : field;

/**
 * The values of one COPY line for `columns`. A line may carry one more field: a JSON object of
 * flagged values as typed ({ "birthDate": "2090-05-01" }, export-types.ts: typedValues), NULL for
 * almost every row; each goes into its column's empty cell.
 */
export function rowValues(line: string, columns: readonly ExportColumn[]): (string | null)[] {
  const values = parseCopyLine(line);
  const typed = values.length > columns.length ? values[columns.length] : null;
  if (typed) {
    const byKey = JSON.parse(typed) as Record<string, unknown>;
    for (let index = 0; index < columns.length; index++) {
      const column = columns[index]!;
      const value = byKey[column.key];
      // A yes/no column is never empty; its typed value comes only while its flag is open (export-types.ts).
      if (
        typeof value === 'string' &&
        (!values[index] || column.kind === 'boolean' || column.kind === 'consent')
      )
        values[index] = value;
    }
  }
  return values;
}

export type CsvDialect = { delimiter: ',' | ';' };

/**
 * One CSV record (RFC 4180) with CRLF: a field is quoted when it holds the delimiter, a quote,
 * CR or LF, and quotes inside are doubled. Excel reads multi-line quoted fields as one cell.
 */
const needsQuotesComma = /[",\r\n]/;
const needsQuotesSemicolon = /[";\r\n]/;

export function csvRecord(cells: readonly string[], dialect: CsvDialect): string {
  const needsQuotes = dialect.delimiter === ',' ? needsQuotesComma : needsQuotesSemicolon;
  let line = '';
  for (let index = 0; index < cells.length; index++) {
    const cell = cells[index]!;
    if (index > 0) line += dialect.delimiter;
    line += needsQuotes.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell;
  }
  return `${line}\r\n`;
}

/**
 * One COPY text line straight to one CSV record: the same as
 * `csvRecord(formatRow(columns, rowValues(line, columns), context), dialect)`, without the arrays in
 * between (this runs for every cell of a million-row export).
 */
export function csvRecordOfCopyLine(
  line: string,
  columns: readonly ExportColumn[],
  context: CellContext,
  dialect: CsvDialect,
): string {
  const needsQuotes = dialect.delimiter === ',' ? needsQuotesComma : needsQuotesSemicolon;
  let record = '';
  let start = 0;
  for (let index = 0; index < columns.length; index++) {
    let end = line.indexOf('\t', start);
    if (end === -1) end = line.length;
    const field = line.slice(start, end);
    start = end + 1;
    const cell = formatCell(columns[index]!.kind, copyFieldValue(field), context);
    if (index > 0) record += dialect.delimiter;
    record += needsQuotes.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell;
  }
  // Flagged values as typed (rare): the row again, with them.
  if (start < line.length && line.slice(start) !== '\\N')
    return csvRecord(formatRow(columns, rowValues(line, columns), context), dialect);
  return `${record}\r\n`;
}

// XML 1.0 cannot carry these characters at all (not even as &#…;); they are never customer data.
const invalidXmlCharacters =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const xmlSpecial = /[&<>\r]/g;
// eslint-disable-next-line no-control-regex
const needsXmlWork = /[&<>\u0000-\u0008\u000B-\u001F\uD800-\uDFFF\uFFFE\uFFFF]/;
const xmlEntities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '\r': '&#13;' };

/** Text for an XML text node; CR as a character reference, because XML parsers turn a raw CR into LF. */
export function xmlText(value: string): string {
  if (!needsXmlWork.test(value)) return value; // most cells: nothing to escape, nothing allocated
  return value.replace(invalidXmlCharacters, '').replace(xmlSpecial, (character) => xmlEntities[character]!);
}

const isSpace = (code: number) => code === 32 || code === 9 || code === 10 || code === 13;
const hasSignificantSpace = (cell: string) =>
  isSpace(cell.charCodeAt(0)) || isSpace(cell.charCodeAt(cell.length - 1)) || cell.includes('\n');

export const columnLetters = (count: number): string[] =>
  Array.from({ length: count }, (_, index) => columnLetter(index));

/**
 * One spreadsheet row: every cell an inline string with the Text number format (style 1; the
 * heading row style 2, bold), so postcodes, phone numbers, ids and long numbers stay exactly as
 * written and Excel keeps them text when they are edited. Empty cells are left out.
 */
export function sheetRowXml(
  rowNumber: number,
  cells: readonly string[],
  letters: readonly string[],
  style: 1 | 2 = 1,
): string {
  let xml = `<row r="${rowNumber}">`;
  for (let index = 0; index < cells.length; index++) {
    const cell = cells[index]!;
    if (cell === '') continue;
    const space = hasSignificantSpace(cell) ? ' xml:space="preserve"' : '';
    xml += `<c r="${letters[index]}${rowNumber}" s="${style}" t="inlineStr"><is><t${space}>${xmlText(cell)}</t></is></c>`;
  }
  return `${xml}</row>`;
}

/**
 * One COPY text line straight to one spreadsheet row: the same as
 * `sheetRowXml(rowNumber, formatRow(columns, rowValues(line, columns), context), letters)`, without
 * the arrays in between, and with one look at the whole line for characters XML must escape
 * instead of one per cell (this runs for every cell of a million-row export).
 */
export function sheetRowXmlOfCopyLine(
  line: string,
  rowNumber: number,
  columns: readonly ExportColumn[],
  context: CellContext,
  letters: readonly string[],
): string {
  // Escapes of COPY (\n, \r, \t) hide such characters from this look; those fields are unescaped below.
  const isLineClean = !needsXmlWork.test(line);
  const cellMiddle = `${rowNumber}" s="1" t="inlineStr"><is><t`;
  let xml = `<row r="${rowNumber}">`;
  let start = 0;
  for (let index = 0; index < columns.length; index++) {
    let end = line.indexOf('\t', start);
    if (end === -1) end = line.length;
    const field = line.slice(start, end);
    start = end + 1;
    const cell = formatCell(columns[index]!.kind, copyFieldValue(field), context);
    if (cell === '') continue;
    // A cell that is the line's own clean field needs no escaping; anything else (words, guards) is checked.
    const text = isLineClean && cell === field ? cell : xmlText(cell);
    xml += `<c r="${letters[index]}${cellMiddle}${hasSignificantSpace(cell) ? ' xml:space="preserve">' : '>'}${text}</t></is></c>`;
  }
  // Flagged values as typed (rare): the row again, with them.
  if (start < line.length && line.slice(start) !== '\\N')
    return sheetRowXml(rowNumber, formatRow(columns, rowValues(line, columns), context), letters);
  return `${xml}</row>`;
}

import { Transform, type Writable } from 'node:stream';
import { stringify } from 'csv-stringify';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import type { Database } from '../db/database.ts';
import type { StaffLanguage } from '../staff/staff.schemas.ts';
import { guardCellForExport } from './cells.ts';
import { readCompanyFileRow, type CompanyFileRow } from './company-file.ts';
import type { StoredAnalysis } from './import-detail.ts';
import { fixRowsRepository } from './fix-rows.repository.ts';
import type { ImportRow } from './import.repository.ts';
import { importWarningsRepository } from './import-warnings.repository.ts';
import { importOptionsSchema, type ImportPreview, type StoredReadSettings } from './import.schemas.ts';
import type { Mapping } from './mapping.ts';
import { localized } from './messages.ts';
import { validateOptionsOf, type PipelineInput, toReadSettings } from './pipeline.ts';
import { readTable } from './read.ts';
import { customerImport, type CustomerDraft, type RowError } from './validate.ts';

/** Reading back what an import saw: the preview of the first rows, the rejected rows and their file. */

/** A draft's values as field → text, combined columns split into their parts (what the preview shows). */
export function draftDisplayValues(draft: CustomerDraft): Record<string, string> {
  const values: Record<string, string> = {};
  const text = (value: unknown) => (value === null || value === undefined ? '' : Array.isArray(value) ? value.join(', ') : typeof value === 'boolean' ? (value ? 'yes' : 'no') : String(value));
  for (const [key, value] of Object.entries(draft.values)) {
    if (key === 'billingAddress' || key === 'shippingAddress') {
      for (const [part, partValue] of Object.entries(value as Record<string, unknown>)) values[`${key === 'billingAddress' ? 'billing' : 'shipping'}.${part}`] = text(partValue);
    } else if (key === 'password') values.passwordHash = '(hidden)';
    else values[key] = text(value);
  }
  return values;
}

/** A Companies file's row as the preview shows it: field → text, by the keys of its catalogue (company-file-fields.ts). */
function companyFileDisplayValues(row: CompanyFileRow): Record<string, string> {
  const values: Record<string, string> = {};
  const own = {
    companyId: row.companyId,
    companyName: row.name,
    cocCountry: row.cocCountry,
    cocNumber: row.cocNumber,
    vatNumber: row.vatNumber,
    tags: row.tags?.join(', '),
    notes: row.notes,
  };
  for (const [key, value] of Object.entries(own)) if (value !== undefined) values[key] = String(value);
  for (const [part, value] of Object.entries(row.address))
    if (value !== undefined) values[`billing.${part}`] = value;
  return values;
}

export async function previewRows(input: PipelineInput, language: StaffLanguage, limit = 10): Promise<ImportPreview> {
  const table = await readTable(input.file, toReadSettings(input.settings), input.settings.headerRowNumber);
  const detector = customerImport.createDuplicateDetector(input.mapping, input.options.matchOn);
  const rows: ImportPreview['rows'] = [];
  const options = validateOptionsOf(input);
  try {
    for await (const row of table.rows) {
      if (input.type === 'companies') {
        // A Companies file's row is read by its own rules (company-file.ts), not as a customer's: no e-mail.
        const result = readCompanyFileRow(row.rowNumber, row.cells, input.mapping, input.defaultCountry);
        const problems = result.ok ? result.value.warnings : result.error;
        rows.push({
          rowNumber: row.rowNumber,
          cells: row.cells,
          values: result.ok ? companyFileDisplayValues(result.value) : {},
          errors: problems.map((error) => localized(error, language)),
        });
        if (rows.length >= limit) break;
        continue;
      }
      // Under the rules "last" and "combine" a repeated customer is not an error (duplicate-rows.ts).
      const duplicate = input.options.duplicates === 'first' ? detector.check(row) : undefined;
      const result = customerImport.validateRow(row, input.mapping, options);
      const errors = [...(duplicate ? [duplicate] : []), ...(result.ok ? result.value.warnings : result.error)].map((error) => localized(error, language));
      rows.push({ rowNumber: row.rowNumber, cells: row.cells, values: result.ok ? draftDisplayValues(result.value) : {}, errors });
      if (rows.length >= limit) break;
    }
  } finally {
    await table.rows.return(undefined);
  }
  return { headerRowNumber: table.headerRowNumber, headings: table.headings, rows };
}

/** Every rejected row, in file order, a page at a time from the database: the edits made in the app applied, with its problems now. */
export async function* allRejections(db: Database, importId: number, pageSize = 1000) {
  for (let afterRow = 0; ; ) {
    const page = await fixRowsRepository.allAfter(db.pool, importId, afterRow, pageSize);
    for (const rejection of page) yield rejection;
    const last = page.at(-1);
    if (!last || page.length < pageSize) return;
    afterRow = last.row_number;
  }
}

/** Every row an import took in with warnings, in file order, a page at a time. */
export async function* allWarnings(db: Database, importId: number, pageSize = 1000) {
  for (let afterRow = 0; ; ) {
    const page = await importWarningsRepository.list(db.pool, importId, afterRow, pageSize);
    for (const row of page) yield { row_number: row.row_number, cells: row.cells, errors: row.warnings };
    const last = page.at(-1);
    if (!last || page.length < pageSize) return;
    afterRow = last.row_number;
  }
}

export type ReportRows = 'rejected' | 'warnings';
export type ReportRow = { row_number: number; cells: string[]; errors: RowError[] };

const errorHeading = { rejected: { en: 'Import errors', nl: 'Importfouten' }, warnings: { en: 'Import warnings', nl: 'Importwaarschuwingen' } } as const;
/** The extra column of the rejected-rows file; a corrected file's import leaves it out. */
export const rejectedErrorHeadings = errorHeading.rejected;

function errorText(rowNumber: number, errors: readonly RowError[], language: StaffLanguage): string {
  const row = language === 'nl' ? 'Rij' : 'Row';
  return errors
    .map((error) => {
      const message = localized(error, language).message;
      return `${row} ${rowNumber}${error.column ? ` – ${error.column}` : ''}: ${message}`;
    })
    .join(' | ');
}

/**
 * The rejected rows in the file's own layout — same format, encoding, delimiter and headings —
 * with one extra column saying what is wrong, ready to fix and import again. Cells are guarded
 * against formula injection exactly as our exports are (the importer undoes the guard).
 */
export async function writeRejectedRows(db: Database, record: ImportRow, language: StaffLanguage, out: Writable, kind: ReportRows = 'rejected', only?: readonly ReportRow[]): Promise<void> {
  // `only`: these rows and no error column (the file of "Import the fixed rows").
  const rows = (): AsyncIterable<ReportRow> | Iterable<ReportRow> => (only ?? (kind === 'warnings' ? allWarnings(db, record.id) : allRejections(db, record.id)));
  const errorsOf = (row: ReportRow) => (only ? [] : [errorText(row.row_number, row.errors, language)]);
  const settings = record.settings as StoredReadSettings;
  const headings = (record.analysis as StoredAnalysis).headings;
  const width = headings.length;
  const fix = acceptedFixesOf(record);
  const line = (rowCells: readonly string[], extra: readonly string[], rowNumber = 0) => {
    const cells = rowNumber === 0 ? rowCells : fix(rowNumber, rowCells);
    return [...Array.from({ length: width }, (_, index) => guardCellForExport(cells[index] ?? '')), ...cells.slice(width).map(guardCellForExport), ...extra.map(guardCellForExport)];
  };
  const headingExtra = only ? [] : [errorHeading[kind][language]];
  if (settings.format === 'xlsx') {
    const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: false, useStyles: true });
    const sheet = workbook.addWorksheet(settings.sheet ?? 'Sheet1');
    const addRow = (values: string[]) => {
      const row = sheet.addRow(values);
      // Text cells, so postcodes and phone numbers keep their leading zeros.
      row.eachCell((cell) => (cell.numFmt = '@'));
      row.commit();
    };
    addRow(line(headings, headingExtra));
    for await (const rejection of rows()) addRow(line(rejection.cells, errorsOf(rejection), rejection.row_number));
    sheet.commit();
    await workbook.commit();
    return;
  }
  const encoding = settings.encoding === 'utf-8-bom' ? 'utf-8' : settings.encoding;
  const hasBom = ['utf-8-bom', 'utf-16le', 'utf-16be'].includes(settings.encoding);
  const csv = stringify({ delimiter: settings.delimiter, quote: settings.quote, record_delimiter: 'windows', bom: false });
  let isFirstChunk = true;
  // csv-stringify emits UTF-8 bytes; they become text again and are encoded as the file was.
  const encoder = new Transform({
    transform(chunk: Buffer | string, _encoding, callback) {
      const bytes = iconv.encode(chunk.toString(), encoding, { addBOM: hasBom && isFirstChunk });
      isFirstChunk = false;
      callback(null, bytes);
    },
  });
  const done = new Promise<void>((resolve, reject) => {
    csv.on('error', reject);
    encoder.on('error', reject);
    out.on('error', reject);
    out.on('finish', resolve);
    out.on('close', resolve);
  });
  csv.pipe(encoder).pipe(out);
  const write = async (values: string[]) => {
    if (!csv.write(values)) await new Promise((resolve) => csv.once('drain', resolve));
  };
  await write(line(headings, headingExtra));
  for await (const rejection of rows()) await write(line(rejection.cells, errorsOf(rejection), rejection.row_number));
  csv.end();
  await done;
}

/**
 * The fixes the user accepted, applied to a rejected row's cells as the import applied them
 * (a phone cell 612345678 is written as 0612345678), so the corrected file needs fixing only
 * where the row is still wrong. Found by validating the row without the fixes: each accepted
 * fix's suggestion replaces the cell of its column.
 */
function acceptedFixesOf(record: ImportRow): (rowNumber: number, cells: readonly string[]) => readonly string[] {
  const options = importOptionsSchema.parse(record.options ?? {});
  const mapping = record.mapping as Mapping | null;
  const accepted = options.acceptedFixes;
  if (!mapping || Object.values(accepted).every((codes) => codes.length === 0)) return (_rowNumber, cells) => cells;
  const validateOptions = { ...validateOptionsOf({ options, today: new Date().toISOString().slice(0, 10), defaultCountry: 'NL' }), acceptedFixes: {} };
  return (rowNumber, cells) => {
    const result = customerImport.validateRow({ rowNumber, cells: [...cells] }, mapping, validateOptions);
    // Under "keep as typed" a fixable value is a warning of an imported row, not an error.
    const problems = result.ok ? result.value.warnings : result.error;
    if (problems.length === 0) return cells;
    const fixed = [...cells];
    for (const error of problems) {
      const isAccepted = (accepted[error.field] as readonly string[] | undefined)?.includes(error.code) === true;
      const isWholeCell = mapping.columns.some((column) => column.index === error.columnIndex && column.field === error.field);
      if (isAccepted && isWholeCell && error.suggestion !== undefined && error.columnIndex !== null) fixed[error.columnIndex] = error.suggestion;
    }
    return fixed;
  };
}

/** A download name: the original's name with "-rejected" (or "-afgekeurd"), only safe characters. */
export function rejectedFileName(record: ImportRow, language: StaffLanguage, kind: ReportRows = 'rejected'): string {
  const base = record.file_name.replace(/\.[^.]*$/, '').normalize('NFKD').replace(/[^\w.-]+/g, '_').replace(/^[._]+/, '').slice(0, 80) || 'import';
  const suffix = kind === 'warnings' ? (language === 'nl' ? 'waarschuwingen' : 'warnings') : language === 'nl' ? 'afgekeurd' : 'rejected';
  return `${base}-${suffix}.${record.format === 'xlsx' ? 'xlsx' : 'csv'}`;
}

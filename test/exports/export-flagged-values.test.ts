import { readFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customerByEmail, importFile } from '../imports/import-helpers.ts';
import { createTestApp, type StaffAgent, type TestApp } from '../support/test-app.ts';
import { exportToLocalFile } from './export-test-helpers.ts';

/**
 * Issue #15: "flagged values … export as typed". A value the import could not store (a date that
 * does not exist or lies in the future, an unknown gender, a language the shop does not know, a
 * yes/no column holding neither, whose column cannot be empty) is
 * written in the export as it was in the file, so export → fix in a spreadsheet → import keeps
 * what the shop's file said; the export imported unchanged changes nothing.
 */
let app: TestApp;
let staff: StaffAgent;

beforeAll(async () => {
  app = await createTestApp({ LOGIN_RATE_LIMIT_PER_MINUTE: '100' });
  await app.services.startWorkers();
  staff = await app.loginAsStaff();
});
afterAll(() => app?.close());

const shopFile = [
  'E-mail,First name,Last name,Gender,Date of birth,Language,Customer since,Newsletter',
  'ada@example.com,Ada,Lovelace,vrouwelijk,2090-05-01,Klingon,2019-03-04,misschien',
  'bob@example.com,Bob,Bakker,male,1980-02-30,nl,,yes',
  'cas@example.com,Cas,Clean,female,1975-06-07,en,2020-01-02,',
].join('\r\n');

type Cells = Record<string, string>;

async function csvRows(file: string): Promise<Cells[]> {
  return parse(await readFile(file), { bom: true, columns: true }) as Cells[];
}

async function xlsxRows(file: string): Promise<Cells[]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(file);
  const sheet = workbook.worksheets[0]!;
  const headings = (sheet.getRow(1).values as unknown[]).slice(1).map(String);
  const rows: Cells[] = [];
  for (let rowNumber = 2; rowNumber <= sheet.rowCount; rowNumber++) {
    const row = sheet.getRow(rowNumber);
    rows.push(Object.fromEntries(headings.map((heading, index) => [heading, String(row.getCell(index + 1).value ?? '')])));
  }
  return rows;
}

const byEmail = (rows: Cells[], email: string) => rows.find((row) => row['E-mail'] === email)!;
const personCells = (row: Cells) => [row.Gender, row['Date of birth'], row.Language, row.Newsletter];

describe('an export writes flagged values that could not be stored as typed', () => {
  it('the import keeps the customers, leaves the bad values out of their columns and flags them', async () => {
    const detail = await importFile(staff, 'shop.csv', shopFile);
    expect(detail.check?.options.badValues).toBe('keep-flagged');
    expect(detail.counts).toMatchObject({ created: 3, rejected: 0, warned: 2 });
    expect(await customerByEmail(app, 'ada@example.com')).toMatchObject({ gender: null, birthDate: null, language: '', newsletter: false });
    expect(await customerByEmail(app, 'bob@example.com')).toMatchObject({ gender: 'male', birthDate: null, language: 'nl' });
  });

  it.each([['csv'], ['xlsx']] as const)('as %s: the cells hold what the file said, stored values as stored', async (format) => {
    const file = await exportToLocalFile(app, { type: 'customers', format, language: 'en' });
    const rows = format === 'csv' ? await csvRows(file) : await xlsxRows(file);
    expect(rows).toHaveLength(3);
    expect(personCells(byEmail(rows, 'ada@example.com'))).toEqual(['vrouwelijk', '2090-05-01', 'Klingon', 'misschien']);
    expect(byEmail(rows, 'ada@example.com')['Customer since']).toBe('2019-03-04');
    expect(personCells(byEmail(rows, 'bob@example.com'))).toEqual(['male', '1980-02-30', 'nl', 'subscribed']);
    expect(byEmail(rows, 'bob@example.com')['Customer since']).toBe('');
    expect(personCells(byEmail(rows, 'cas@example.com'))).toEqual(['female', '1975-06-07', 'en', 'not set']);
  });

  it('a filtered export (customers without a language) writes them too', async () => {
    const file = await exportToLocalFile(app, { type: 'customers', format: 'csv', language: 'en', filters: { language: '' } });
    const rows = await csvRows(file);
    expect(rows.map((row) => row['E-mail'])).toEqual(['ada@example.com']);
    expect(personCells(rows[0]!)).toEqual(['vrouwelijk', '2090-05-01', 'Klingon', 'misschien']);
  });

  it.each([['csv'], ['xlsx']] as const)('the %s export imported unchanged creates and updates nothing, and the flags stay', async (format) => {
    const file = await exportToLocalFile(app, { type: 'customers', format, language: 'en' });
    const detail = await importFile(staff, `export.${format}`, await readFile(file));
    expect(detail.status).toBe('done');
    expect(detail.counts).toMatchObject({ created: 0, updated: 0, unchanged: 3, rejected: 0, warned: 2 });
    const ada = (await customerByEmail(app, 'ada@example.com'))!;
    expect(ada).toMatchObject({ gender: null, birthDate: null, language: '', newsletter: false });
    const flags = await staff.request({ method: 'GET', url: `/api/v1/customers/${ada.id}/flags` });
    expect((flags.json() as { items: Array<{ field: string; value: string }> }).items.map((flag) => [flag.field, flag.value])).toEqual([
      ['birthDate', '2090-05-01'],
      ['gender', 'vrouwelijk'],
      ['language', 'Klingon'],
      ['newsletter', 'misschien'],
    ]);
  });

  it('a value corrected in the back office is exported as stored, no longer as typed', async () => {
    const ada = (await customerByEmail(app, 'ada@example.com'))!;
    const fixed = await staff.request({ method: 'PATCH', url: `/api/v1/customers/${ada.id}`, payload: { birthDate: '1990-05-01', newsletter: true } });
    expect(fixed.statusCode, fixed.body).toBe(200);
    const rows = await csvRows(await exportToLocalFile(app, { type: 'customers', format: 'csv', language: 'en' }));
    expect(personCells(byEmail(rows, 'ada@example.com'))).toEqual(['vrouwelijk', '1990-05-01', 'Klingon', 'subscribed']);
  });
});

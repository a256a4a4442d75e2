import { createReadStream } from 'node:fs';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customerRepository } from '../../src/customers/customer.repository.ts';
import type { Customer } from '../../src/customers/customer.schemas.ts';
import { csvRecord } from '../../src/exports/export-format.ts';
import type { ExportFormat } from '../../src/exports/export.schemas.ts';
import { factoryCustomers, insertFactoryCustomers } from '../support/customer-factory.ts';
import { draftDifferences, importerView } from '../support/round-trip.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';
import { exportToLocalFile } from './export-test-helpers.ts';

/**
 * Export → the importer's own reading, mapping and validation → nothing would change; then a
 * handful of cells edited as a spreadsheet user would → exactly those fields would change.
 * 2,500 varied customers, in each format, headings in English (CSV) and in Dutch (the others).
 *
 * The size is not the point (bench/export.bench.ts and bench/import.bench.ts measure size): it
 * only has to be large enough that every path a large file takes is taken. 2,500 rows are more
 * than one import batch (2,000), every awkward value of the factory is in more than 70 rows, the
 * XLSX sheet is read in many chunks, and the CSV files go through the validation thread, which
 * takes files from 2 MB in production (the 10,000 rows this test used to export, 4× slower, were
 * over that line): here the line is lowered to 64 KiB so the same threaded path is proven.
 */
const customerCount = 2_500;
const validationThreadFromBytes = 64 * 1024;
let app: TestApp;
const stored = new Map<number, Customer>();

beforeAll(async () => {
  app = await createTestApp({}, { importTuning: { threadFromBytes: validationThreadFromBytes } });
  const ids = await insertFactoryCustomers(app.services, factoryCustomers(customerCount));
  for (let start = 0; start < ids.length; start += 50) {
    const batch = ids.slice(start, start + 50);
    const customers = await Promise.all(
      batch.map((id) => customerRepository.findById(app.services.db.pool, id)),
    );
    for (const customer of customers) stored.set(customer!.id, customer!);
  }
}, 120_000);
afterAll(async () => {
  await app?.close();
});

/** Upload → check → apply through the import service, run in this process (as the CLI does). */
async function importInline(file: string, format: ExportFormat) {
  const imports = app.services.imports;
  const uploaded = await imports.upload(
    createReadStream(file),
    `round-trip.${format === 'xlsx' ? 'xlsx' : 'csv'}`,
    { id: null, name: 'round trip', language: 'en' },
  );
  const checked = await imports.check(uploaded.id, { blank: 'clear' }, 'en', { isInline: true });
  await imports.start(uploaded.id, { blank: 'clear' }, 'en', { isInline: true });
  await imports.runInline(uploaded.id);
  const done = await imports.detail(uploaded.id, 'en');
  return { check: checked.check!.result!, counts: done.counts };
}

/** Edits as a spreadsheet user would: CSV rewritten record by record, XLSX opened and saved again. */
async function editCells(
  file: string,
  format: ExportFormat,
  edits: { row: number; heading: string; value: string }[],
) {
  if (format === 'xlsx') {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(file);
    const sheet = workbook.worksheets[0]!;
    const headings = (sheet.getRow(1).values as unknown[]).slice(1).map(String);
    for (const edit of edits)
      sheet.getRow(edit.row).getCell(headings.indexOf(edit.heading) + 1).value = edit.value;
    await workbook.xlsx.writeFile(file);
    return;
  }
  const delimiter = format === 'csv' ? ',' : ';';
  const records = parse(await readFile(file), {
    bom: true,
    delimiter,
    relax_column_count: true,
  }) as string[][];
  for (const edit of edits) records[edit.row - 1]![records[0]!.indexOf(edit.heading)] = edit.value;
  await writeFile(file, `\uFEFF${records.map((record) => csvRecord(record, { delimiter })).join('')}`);
}

describe.each([
  ['csv', 'en'],
  ['csv-semicolon', 'nl'],
  ['xlsx', 'nl'],
] as const)(`round trip of ${customerCount.toLocaleString('en')} customers as %s with %s headings`, (format, language) => {
  let file: string;

  it('maps every column exactly, validates every row, and changes nothing', async () => {
    file = await exportToLocalFile(app, { type: 'customers', format, language });
    // A CSV file this size is validated on the import's thread of its own (see the top).
    if (format !== 'xlsx') expect((await stat(file)).size).toBeGreaterThan(validationThreadFromBytes);
    const view = await importerView(file);
    expect(view.settings).toMatchObject(
      format === 'xlsx'
        ? { format: 'xlsx' }
        : { format: 'csv', encoding: 'utf-8-bom', delimiter: format === 'csv' ? ',' : ';' },
    );
    expect(view.mapping.preset).toBeUndefined();
    // Every column but the company's Reverse charge flag, which only staff set (docs/companies.md): left unmapped.
    const readOnly = new Set(['Reverse charge', 'Btw verlegd']);
    expect(view.mapping.columns.filter((column) => readOnly.has(column.heading)).map((column) => column.field)).toEqual([null]);
    expect(view.mapping.columns.filter((column) => column.confidence !== 'exact' && !readOnly.has(column.heading))).toEqual([]);
    expect(view.mapping.columns).toHaveLength(view.headings.length);
    expect(view.errors).toEqual([]);
    expect(view.drafts).toHaveLength(customerCount);
    const changed = view.drafts.flatMap((draft) => {
      const differences = draftDifferences(draft, stored.get(draft.values.id!)!);
      return differences.length > 0 ? [{ id: draft.values.id, differences }] : [];
    });
    expect(changed).toEqual([]);
    // The awkward values really went through (the factory puts each in every 33rd row).
    const values = view.drafts.map((draft) => draft.values);
    const many = customerCount / 40;
    expect(values.filter((value) => value.firstName === '=SUM(1)').length).toBeGreaterThan(many);
    expect(values.filter((value) => value.lastName === "'=al beschermd").length).toBeGreaterThan(many);
    expect(values.filter((value) => value.firstName === 'Αλέξανδρος').length).toBeGreaterThan(many);
    expect(values.filter((value) => value.notes?.includes('\n\n  ingesprongen')).length).toBeGreaterThan(many);
    expect(values.filter((value) => value.externalId?.startsWith('000')).length).toBeGreaterThan(many);
    expect(values.filter((value) => value.billingAddress?.postcode === '01067').length).toBeGreaterThan(many);
    expect(values.filter((value) => value.groups?.includes('Κρήτη 2025')).length).toBeGreaterThan(customerCount / 20);
  }, 120_000);

  it('imported through the import job unchanged, it creates and updates nothing', async () => {
    const result = await importInline(file, format);
    expect(result.check).toMatchObject({
      rows: customerCount,
      created: 0,
      updated: 0,
      unchanged: customerCount,
      rejected: 0,
    });
    expect(result.counts).toEqual({ created: 0, updated: 0, unchanged: customerCount, rejected: 0, warned: 0, passwordsDropped: 0, addressesAdded: 0, addressesChanged: 0, addressesRemoved: 0, deleted: 0, ignored: 0, companiesCreated: 0, companiesUpdated: 0, contactsLinked: 0, contactsChanged: 0 });
  }, 120_000);

  it('after editing a handful of cells, exactly those fields differ', async () => {
    const heading = (en: string, nl: string) => (language === 'en' ? en : nl);
    const edits = [
      { row: 2, heading: heading('City', 'Plaats'), value: 'ignored' },
      { row: 2, heading: heading('Billing city', 'Factuuradres plaats'), value: 'Ærøskøbing' },
      { row: 5, heading: heading('First name', 'Voornaam'), value: '=SUM(2)' },
      { row: 10, heading: heading('Notes', 'Notities'), value: 'Nieuwe regel 1\nregel 2' },
      { row: 20, heading: heading('Newsletter', 'Nieuwsbrief'), value: '' },
    ].filter((edit) => edit.value !== 'ignored');
    await editCells(file, format, edits);
    const view = await importerView(file);
    expect(view.errors).toEqual([]);
    const changed = new Map(
      view.drafts.flatMap((draft) => {
        const differences = draftDifferences(draft, stored.get(draft.values.id!)!);
        return differences.length > 0 ? [[draft.rowNumber, differences] as const] : [];
      }),
    );
    const byRow = (row: number) => changed.get(row) ?? [];
    expect(byRow(2)).toContain('billing.city');
    expect(byRow(5)).toEqual(['firstName']);
    expect(view.drafts.find((draft) => draft.rowNumber === 5)?.values.firstName).toBe('=SUM(2)');
    expect(byRow(10)).toEqual(['notes']);
    // An emptied newsletter cell is no evidence of anything: consent stays, also where blank cells clear.
    expect(byRow(20)).toEqual([]);
    expect([...changed.keys()].every((row) => [2, 5, 10, 20].includes(row))).toBe(true);
    expect(changed.size).toBeGreaterThanOrEqual(3);

    // The import job agrees, and writes exactly those changes.
    const result = await importInline(file, format);
    expect(result.counts).toMatchObject({ created: 0, updated: changed.size, rejected: 0 });
    expect(
      new Map(
        result.check.changes.map((change) => [
          change.rowNumber,
          change.changes.map((item) => item.field).filter((field) => !field.startsWith('shipping.')),
        ]),
      ),
    ).toEqual(
      new Map(
        [...changed].map(([row, fields]) => [row, fields.filter((field) => !field.startsWith('shipping.'))]),
      ),
    );
    const row5 = (await customerRepository.findById(
      app.services.db.pool,
      view.drafts.find((draft) => draft.rowNumber === 5)!.values.id!,
    ))!;
    expect(row5.firstName).toBe('=SUM(2)');
    // Put them back for the next format.
    for (const id of new Set(result.check.changes.map((change) => change.customerId))) {
      const original = stored.get(id)!;
      await app.services.customers.update(id, {
        firstName: original.firstName,
        notes: original.notes,
        newsletter: original.newsletter,
        billingAddress: original.billingAddress,
      });
      stored.set(id, (await customerRepository.findById(app.services.db.pool, id))!);
    }
  }, 120_000);
});

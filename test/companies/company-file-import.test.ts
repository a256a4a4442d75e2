import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CompanyDetail } from '../../src/companies/company.schemas.ts';
import { readCompanyFileRow, suggestCompanyFileMapping } from '../../src/imports/company-file.ts';
import {
  applyCompanyFile,
  checkCompanyFile,
  countsOfCompanyFile,
} from '../../src/imports/company-file.repository.ts';
import { undoCompanyFile } from '../../src/imports/company-file-undo.ts';
import { localizeMessage } from '../../src/imports/messages.ts';
import { readTable } from '../../src/imports/read.ts';
import { exportToLocalFile } from '../exports/export-test-helpers.ts';
import { uploadOk } from '../imports/import-helpers.ts';
import { createTestApp, type StaffAgent, type TestApp } from '../support/test-app.ts';
import { companyApi } from './company-test-helpers.ts';

/**
 * Issue #19, point 2: the import type *Companies* (company-file.ts, company-file.repository.ts) —
 * the Companies export read back changes nothing (companies with 0, 1 and 5 contacts); rows are
 * matched by Company ID, CoC number, VAT number, then name (with a warning); a malformed number
 * is left out with a warning; a row without name or number is rejected; undo puts back what it changed.
 */

let app: TestApp;
let staff: StaffAgent;
let companies: ReturnType<typeof companyApi>;
const ids: Record<'zero' | 'one' | 'five', number> = { zero: 0, one: 0, five: 0 };
const now = () => new Date();

beforeAll(async () => {
  app = await createTestApp();
  staff = await app.loginAsStaff();
  companies = companyApi(staff);
  ids.zero = (
    await companies.createCompany({
      name: 'Zero Contacts BV',
      cocNumber: '50000000',
      notes: 'No one here yet',
    })
  ).id;
  ids.one = (
    await companies.createCompany({
      name: 'One Contact BV',
      cocNumber: '50000001',
      vatNumber: 'NL100000630B01',
    })
  ).id;
  ids.five = (
    await companies.createCompany({
      name: 'Five Contacts, Ltd',
      vatNumber: 'NL100000721B01',
      tags: ['B2B', 'Big, "quoted"'],
    })
  ).id;
  const address = await companies.api('POST', `/companies/${ids.one}/addresses`, {
    street: 'Kade',
    number: '1',
    postcode: '8011 AA',
    city: 'Zwolle',
    country: 'NL',
  });
  expect(address.statusCode, address.body).toBe(201);
  const link = async (companyId: number, role: string) => {
    const customer = await companies.createCustomer(role || 'Anon');
    expect(
      (await companies.api('POST', `/companies/${companyId}/contacts`, { customerId: customer.id, role }))
        .statusCode,
    ).toBe(200);
  };
  await link(ids.one, 'Finance');
  for (const role of ['Purchasing', 'Finance', '', 'Owner', 'Sales']) await link(ids.five, role);
});
afterAll(() => app.close());

/** A CSV text read as the Companies import reads it: mapped by its headings, each row read. */
async function readFile(source: string | Readable) {
  const table = await readTable(source, { format: 'csv', encoding: 'utf-8', delimiter: ',', quote: '"' });
  const mapping = suggestCompanyFileMapping(table.headings);
  const rows = [];
  for await (const row of table.rows) rows.push(readCompanyFileRow(row.rowNumber, row.cells, mapping, 'NL'));
  return { mapping, rows };
}

async function newImportId(): Promise<number> {
  return (await uploadOk(staff, 'companies.csv', 'Company name\nx\n')).id;
}

async function apply(rows: Awaited<ReturnType<typeof readFile>>['rows']) {
  const importId = await newImportId();
  const checked = await checkCompanyFile(app.services.db, importId, rows, {
    defaultCountry: 'NL',
    now: now(),
  });
  const outcomes = await app.services.db.transaction((tx) =>
    applyCompanyFile(tx, importId, rows, { defaultCountry: 'NL', now: now() }),
  );
  expect(countsOfCompanyFile(checked)).toEqual(countsOfCompanyFile(outcomes));
  return { importId, outcomes, counts: countsOfCompanyFile(outcomes) };
}

/** The companies as the back office shows them; `withoutVersion`: an undo writes again, so the version counts on. */
async function snapshot(withoutVersion = false): Promise<unknown[]> {
  const { rows } = await app.services.db.pool.query('SELECT count(*)::int AS count FROM companies');
  const details = await Promise.all(
    Object.values(ids).map(async (id) => {
      const { updatedAt: _updated, ...detail } = (
        await companies.api('GET', `/companies/${id}`)
      ).json() as CompanyDetail;
      if (withoutVersion) return { ...detail, version: 0 };
      return detail;
    }),
  );
  return [rows[0], ...details];
}

/** A CSV file's bytes, as a stream (a string source is a path). */
const csv = (...lines: string[]) => Readable.from([Buffer.from(lines.join('\r\n') + '\r\n')]);

describe('the Companies export imported back', () => {
  it('changes nothing: companies with 0, 1 and 5 contacts, an address, quoted tags; read-only columns unmapped', async () => {
    const before = await snapshot();
    const file = await exportToLocalFile(app, { type: 'companies', format: 'csv', language: 'en' });
    const { mapping, rows } = await readFile(file);
    const fieldOf = (heading: string) =>
      mapping.columns.find((column) => column.heading === heading)?.field ?? null;
    expect(
      [
        'Contacts',
        'Primary contact e-mail',
        'VIES result',
        'VIES checked on',
        'Reverse charge',
        'Customer groups',
      ].map(fieldOf),
    ).toEqual([null, null, null, null, null, null]);
    expect(
      [
        'Company ID',
        'Company name',
        'Country of registration',
        'Chamber of Commerce number',
        'VAT number',
        'Billing city',
        'Tags',
        'Notes',
      ].map(fieldOf),
    ).toEqual([
      'companyId',
      'companyName',
      'cocCountry',
      'cocNumber',
      'vatNumber',
      'billing.city',
      'tags',
      'notes',
    ]);
    const { counts } = await apply(rows);
    expect(counts).toEqual({ created: 0, updated: 0, unchanged: 3, rejected: 0, warned: 0 });
    expect(await snapshot()).toEqual(before);
  });

  it('the XLSX export too', async () => {
    const before = await snapshot();
    const file = await exportToLocalFile(app, { type: 'companies', format: 'xlsx', language: 'en' });
    const table = await readTable(file, { format: 'xlsx' });
    const mapping = suggestCompanyFileMapping(table.headings);
    const rows = [];
    for await (const row of table.rows)
      rows.push(readCompanyFileRow(row.rowNumber, row.cells, mapping, 'NL'));
    expect((await apply(rows)).counts).toEqual({
      created: 0,
      updated: 0,
      unchanged: 3,
      rejected: 0,
      warned: 0,
    });
    expect(await snapshot()).toEqual(before);
  });

  it('the Dutch export too', async () => {
    const before = await snapshot();
    const file = await exportToLocalFile(app, { type: 'companies', format: 'csv', language: 'nl' });
    const { rows } = await readFile(file);
    expect((await apply(rows)).counts).toMatchObject({ unchanged: 3, created: 0, updated: 0 });
    expect(await snapshot()).toEqual(before);
  });
});

describe('matching, warnings and rejections', () => {
  it('finds by Company ID, CoC, VAT, then name (with a warning); creates the rest; undo puts everything back', async () => {
    const before = await snapshot(true);
    const { rows } = await readFile(
      csv(
        'Company ID,Company name,Chamber of Commerce number,VAT number,Notes,Billing city,Contacts,Reverse charge',
        `${ids.zero},Zero Renamed BV,,,,Deventer,9,yes`,
        ',,50000001,,By CoC,,,',
        ',,,NL100000721B01,By VAT,,,',
        ',zero renamed b.v.,,,By name,,,',
        ',New Company BV,12345678,,,Utrecht,,',
        ',new company bv,,,Again,,,',
      ),
    );
    const { importId, outcomes, counts } = await apply(rows);
    expect(outcomes.map((outcome) => outcome.kind)).toEqual([
      'update',
      'update',
      'update',
      'update',
      'create',
      'unchanged',
    ]);
    expect(counts).toEqual({ created: 1, updated: 4, unchanged: 1, rejected: 0, warned: 1 });
    const byName = outcomes[3]!;
    expect(byName.kind !== 'reject' && byName.companyId).toBe(ids.zero);
    const warning = byName.kind !== 'reject' ? byName.warnings[0]! : undefined;
    expect(warning).toMatchObject({ rowNumber: 5, code: 'company_matched_by_name', isWarning: true });
    expect(warning!.message).toContain(`Zero Renamed BV (#${ids.zero})`);
    expect(localizeMessage(warning!, 'nl')).toContain('Gevonden op de naam alleen');
    const zero = (await companies.api('GET', `/companies/${ids.zero}`)).json() as CompanyDetail;
    expect(zero).toMatchObject({ name: 'Zero Renamed BV', cocNumber: '50000000', notes: 'By name' });
    expect(((await companies.api('GET', `/companies/${ids.one}`)).json() as CompanyDetail).notes).toBe(
      'By CoC',
    );
    expect(((await companies.api('GET', `/companies/${ids.five}`)).json() as CompanyDetail).notes).toBe(
      'By VAT',
    );
    const created = outcomes[4]!.kind === 'create' ? outcomes[4]!.companyId : 0;
    expect((await companies.api('GET', `/companies/${created}`)).json() as CompanyDetail).toMatchObject({
      name: 'New Company BV',
      cocCountry: 'NL',
      cocNumber: '12345678',
      notes: 'Again',
    });
    const { rows: addresses } = await app.services.db.pool.query(
      'SELECT city FROM company_addresses WHERE company_id = ANY($1) AND is_default_billing ORDER BY company_id',
      [[ids.zero, created]],
    );
    expect(addresses.map((row) => row.city)).toEqual(['Deventer', 'Utrecht']);

    expect(await app.services.db.transaction((tx) => undoCompanyFile(tx, importId, now()))).toEqual({
      companiesRestored: 3,
      companiesDeleted: 1,
    });
    expect((await companies.api('GET', `/companies/${created}`)).statusCode).toBe(404);
    expect(await snapshot(true)).toEqual(before);
    const { rows: left } = await app.services.db.pool.query(
      'SELECT count(*)::int AS count FROM company_addresses WHERE company_id = $1',
      [ids.zero],
    );
    expect(left[0].count).toBe(0);
  });

  it('a malformed CoC or VAT number: the company comes in without it, with a warning naming row, column, value and form', async () => {
    const { rows } = await readFile(
      csv('Company name,Chamber of Commerce number,VAT number', 'Bad Numbers BV,1234,NL12'),
    );
    const { importId, outcomes, counts } = await apply(rows);
    expect(counts).toMatchObject({ created: 1, rejected: 0, warned: 1 });
    const outcome = outcomes[0]!;
    if (outcome.kind === 'reject') throw new Error('rejected');
    expect(
      outcome.warnings.map(({ rowNumber, column, value, code, isWarning }) => ({
        rowNumber,
        column,
        value,
        code,
        isWarning,
      })),
    ).toEqual([
      {
        rowNumber: 2,
        column: 'Chamber of Commerce number',
        value: '1234',
        code: 'company_file_number_left_out',
        isWarning: true,
      },
      {
        rowNumber: 2,
        column: 'VAT number',
        value: 'NL12',
        code: 'company_file_number_left_out',
        isWarning: true,
      },
    ]);
    expect(outcome.warnings[0]!.message).toContain('8 digits, like 12345678');
    expect(outcome.warnings[0]!.message).toContain('cannot hold a malformed number');
    expect(outcome.warnings[1]!.message).toContain('like NL000099998B57');
    expect(localizeMessage(outcome.warnings[0]!, 'nl')).toContain(
      'een bedrijf kan geen onjuist nummer hebben',
    );
    expect(
      (await companies.api('GET', `/companies/${outcome.companyId}`)).json() as CompanyDetail,
    ).toMatchObject({ name: 'Bad Numbers BV', cocNumber: '', vatNumber: '' });
    await app.services.db.transaction((tx) => undoCompanyFile(tx, importId, now()));
  });

  it('rejects a row without name and number, an unknown Company ID, and a number without a name that matches nothing', async () => {
    const before = await snapshot();
    const { rows } = await readFile(
      csv(
        'Company ID,Company name,Chamber of Commerce number,Notes',
        ',,,Only a note',
        '999999,Ghost BV,,',
        ',,87654321,',
      ),
    );
    const { outcomes, counts } = await apply(rows);
    expect(counts).toMatchObject({ created: 0, updated: 0, rejected: 3 });
    expect(
      outcomes.map((outcome) =>
        outcome.kind === 'reject' ? [outcome.rowNumber, outcome.errors[0]!.code] : outcome.kind,
      ),
    ).toEqual([
      [2, 'company_file_row_empty'],
      [3, 'company_file_id_unknown'],
      [4, 'company_file_name_missing'],
    ]);
    const empty = outcomes[0]!.kind === 'reject' ? outcomes[0]!.errors[0]! : undefined;
    expect(empty!.message).toContain('a company cannot exist without a name');
    expect(localizeMessage(empty!, 'nl')).toContain('een bedrijf kan niet bestaan zonder naam');
    expect(await snapshot()).toEqual(before);
  });

  it('undo leaves what changed since: a note edited by staff, a created company that got a contact', async () => {
    const { rows } = await readFile(
      csv('Company ID,Company name,Notes,Tags', `${ids.one},,Imported note,Imported`, ',Kept Since BV,,'),
    );
    const { importId, outcomes } = await apply(rows);
    expect(outcomes.map((outcome) => outcome.kind)).toEqual(['update', 'create']);
    const created = outcomes[1]!.kind === 'create' ? outcomes[1]!.companyId : 0;
    const one = (await companies.api('GET', `/companies/${ids.one}`)).json() as CompanyDetail;
    const edited = await companies.api('PATCH', `/companies/${ids.one}`, {
      notes: 'Staff note',
      version: one.version,
    });
    expect(edited.statusCode, edited.body).toBe(200);
    const customer = await companies.createCustomer('Later');
    expect(
      (await companies.api('POST', `/companies/${created}/contacts`, { customerId: customer.id, role: '' }))
        .statusCode,
    ).toBe(200);
    expect(await app.services.db.transaction((tx) => undoCompanyFile(tx, importId, now()))).toEqual({
      companiesRestored: 1,
      companiesDeleted: 0,
    });
    expect((await companies.api('GET', `/companies/${ids.one}`)).json()).toMatchObject({
      notes: 'Staff note',
      tags: [],
    });
    expect((await companies.api('GET', `/companies/${created}`)).json()).toMatchObject({
      name: 'Kept Since BV',
    });
  });
});

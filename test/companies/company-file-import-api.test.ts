import { readFileSync } from 'node:fs';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CompanyDetail } from '../../src/companies/company.schemas.ts';
import type { ImportDetail, ImportPreview } from '../../src/imports/import.schemas.ts';
import { exportToLocalFile } from '../exports/export-test-helpers.ts';
import { getImport, post, uploadOk, waitForStatus } from '../imports/import-helpers.ts';
import { createTestApp, type StaffAgent, type TestApp } from '../support/test-app.ts';
import { companyApi } from './company-test-helpers.ts';

/**
 * Issue #19, point 2: the import type *Companies* wired into the import pipeline, through the API:
 * the Companies export uploaded is recognised as a Companies file, checked (no changes), run and
 * reported; an edited file (a name changed, a new company, a malformed VAT number) is checked,
 * run, reported with its warning, and undone back to the companies as they were.
 */

let app: TestApp;
let staff: StaffAgent;
let companies: ReturnType<typeof companyApi>;
const ids: Record<'plain' | 'linked', number> = { plain: 0, linked: 0 };

beforeAll(async () => {
  app = await createTestApp();
  await app.services.startWorkers();
  staff = await app.loginAsStaff();
  companies = companyApi(staff);
  ids.plain = (
    await companies.createCompany({ name: 'Plain Trading BV', cocNumber: '50000000', notes: 'Note' })
  ).id;
  ids.linked = (await companies.createCompany({ name: 'Linked Goods BV', vatNumber: 'NL100000630B01' })).id;
  const customer = await companies.createCustomer('Finance');
  const linked = await companies.api('POST', `/companies/${ids.linked}/contacts`, {
    customerId: customer.id,
    role: 'Finance',
  });
  expect(linked.statusCode, linked.body).toBe(200);
});
afterAll(() => app.close());

const ok = (response: LightMyRequestResponse, status = 200) => {
  expect(response.statusCode, response.body).toBe(status);
  return response;
};

async function allCompanies(): Promise<
  { id: number; name: string; vatNumber: string; cocNumber: string; notes: string }[]
> {
  const { rows } = await app.services.db.pool.query<{
    id: number;
    name: string;
    vatNumber: string;
    cocNumber: string;
    notes: string;
  }>(
    'SELECT id::int, name, vat_number AS "vatNumber", coc_number AS "cocNumber", notes FROM companies ORDER BY id',
  );
  return rows;
}

async function checkAndRun(id: number): Promise<{ checked: ImportDetail; done: ImportDetail }> {
  ok(await post(staff, `/api/v1/imports/${id}/check`, {}), 202);
  const checked = await waitForStatus(staff, id, ['checked']);
  ok(await post(staff, `/api/v1/imports/${id}/start`), 202);
  const done = await waitForStatus(staff, id, ['done', 'done_with_errors', 'failed']);
  return { checked, done };
}

describe('the Companies import type through the API', () => {
  it('recognises the Companies export, imports it without changes, imports an edited file and undoes it', async () => {
    const exported = readFileSync(
      await exportToLocalFile(app, { type: 'companies', format: 'csv' } as never),
      'utf8',
    );
    const before = await allCompanies();

    // The export read back: recognised as companies, checked and run without a change.
    const first = await uploadOk(staff, 'companies.csv', exported);
    expect(first.type).toBe('companies');
    const mapped = first.mapping.columns
      .filter((column) => column.field !== null)
      .map((column) => column.field);
    expect(mapped).toEqual(
      expect.arrayContaining(['companyId', 'companyName', 'cocNumber', 'vatNumber', 'notes']),
    );
    const unchangedRun = await checkAndRun(first.id);
    expect(unchangedRun.checked.check?.result).toMatchObject({
      rows: 2,
      companiesToCreate: 0,
      companiesToUpdate: 0,
      unchanged: 2,
      rejected: 0,
    });
    expect(unchangedRun.done.status).toBe('done');
    expect(unchangedRun.done.counts).toMatchObject({
      companiesCreated: 0,
      companiesUpdated: 0,
      unchanged: 2,
      rejected: 0,
    });
    expect(await allCompanies()).toEqual(before);

    // Edited: one name changed, one new company, one new company with a malformed VAT number.
    const lines = exported.split(/\r?\n/).filter((line) => line !== '');
    const headings = lines[0]!.replace(/^\uFEFF/, '').split(',');
    const row = (values: Record<string, string>) =>
      headings.map((heading) => values[heading] ?? '').join(',');
    const edited = [
      ...lines.map((line) => line.replace('Plain Trading BV', 'Plain Trading Europe BV')),
      row({ 'Company name': 'Brand New BV', 'Chamber of Commerce number': '50000001', Notes: 'New' }),
      row({ 'Company name': 'Bad Number BV', 'VAT number': 'NL12345' }),
    ].join('\r\n');
    const second = await uploadOk(staff, 'companies-edited.csv', edited);
    expect(second.type).toBe('companies');
    // The mapping step's preview reads the rows as companies (not as customers needing an e-mail address).
    const preview = ok(
      await staff.request({ method: 'GET', url: `/api/v1/imports/${second.id}/preview` }),
    ).json() as ImportPreview;
    expect(
      preview.rows.map((row) => [
        row.values.companyName,
        row.values.vatNumber,
        row.errors.map((e) => e.code),
      ]),
    ).toEqual([
      ['Linked Goods BV', 'NL100000630B01', []],
      ['Plain Trading Europe BV', undefined, []],
      ['Brand New BV', undefined, []],
      ['Bad Number BV', undefined, ['company_file_number_left_out']],
    ]);
    const run = await checkAndRun(second.id);
    expect(run.checked.check?.result).toMatchObject({
      rows: 4,
      companiesToCreate: 2,
      companiesToUpdate: 1,
      unchanged: 1,
      rejected: 0,
      warned: 1,
    });
    expect(run.done.status).toBe('done');
    expect(run.done.counts).toMatchObject({
      companiesCreated: 2,
      companiesUpdated: 1,
      unchanged: 1,
      rejected: 0,
      warned: 1,
    });
    const warnings = ok(
      await staff.request({ method: 'GET', url: `/api/v1/imports/${second.id}/warnings` }),
    ).json() as {
      items: { rowNumber: number; errors: { code: string; column: string | null; value: string }[] }[];
    };
    expect(warnings.items).toEqual([
      expect.objectContaining({
        rowNumber: 5,
        errors: [
          expect.objectContaining({
            code: 'company_file_number_left_out',
            column: 'VAT number',
            value: 'NL12345',
          }),
        ],
      }),
    ]);
    const after = await allCompanies();
    expect(after.find((company) => company.id === ids.plain)?.name).toBe('Plain Trading Europe BV');
    expect(after.find((company) => company.name === 'Brand New BV')).toMatchObject({
      cocNumber: '50000001',
      notes: 'New',
    });
    expect(after.find((company) => company.name === 'Bad Number BV')).toMatchObject({ vatNumber: '' });
    const linked = ok(await companies.api('GET', `/companies/${ids.linked}`)).json() as CompanyDetail;
    expect(linked.name).toBe('Linked Goods BV');

    // Undo: the name back, the two created companies gone.
    ok(await post(staff, `/api/v1/imports/${second.id}/undo`), 202);
    const undone = await waitForStatus(staff, second.id, ['undone']);
    expect(undone.undo).toMatchObject({ companiesDeleted: 2, companiesRestored: 1 });
    expect(await allCompanies()).toEqual(before);
    expect((await getImport(staff, first.id)).status).toBe('done');
  });
});

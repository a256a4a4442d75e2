import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CompanyDetail } from '../../src/companies/company.schemas.ts';
import type { ImportDetail } from '../../src/imports/import.schemas.ts';
import { exportToLocalFile } from '../exports/export-test-helpers.ts';
import { post, uploadOk, waitForStatus } from '../imports/import-helpers.ts';
import { createTestApp, type StaffAgent, type TestApp } from '../support/test-app.ts';
import { companyApi } from './company-test-helpers.ts';

/**
 * Issue #19, point 2: export → import changes nothing, for companies with 0, 1 and 5 contacts —
 * the customers export (its company columns: name, CoC and VAT number, role, primary contact,
 * reverse charge) imported back into the same shop, and the Companies export imported back as
 * a Companies file. Batches of two rows.
 */

let app: TestApp;
let staff: StaffAgent;
let companies: ReturnType<typeof companyApi>;
const ids: Record<'zero' | 'one' | 'five', number> = { zero: 0, one: 0, five: 0 };

beforeAll(async () => {
  app = await createTestApp({}, { importTuning: { batchSize: 2 } });
  await app.services.startWorkers();
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
    await companies.createCompany({ name: 'Five Contacts BV', vatNumber: 'NL100000721B01', tags: ['B2B'] })
  ).id;
  const link = async (companyId: number, customerId: number, role: string, isPrimary = false) => {
    const response = await companies.api('POST', `/companies/${companyId}/contacts`, {
      customerId,
      role,
      isPrimary,
    });
    expect(response.statusCode, response.body).toBe(200);
  };
  const single = await companies.createCustomer('Olga');
  // Her own company fields name the company (as a file would): the import recognises it as hers.
  await companies.api('PATCH', `/customers/${single.id}`, {
    companyName: 'One Contact BV',
    cocNumber: '50000001',
    isCompany: true,
  });
  await link(ids.one, single.id, 'Finance');
  for (const [index, role] of ['Purchasing', 'Finance', '', 'Owner', 'Sales'].entries()) {
    const customer = await companies.createCustomer(`Vijf${index}`);
    // Some with the company's name, some with none of their own (linked in the back office only).
    if (index % 2 === 0)
      await companies.api('PATCH', `/customers/${customer.id}`, { companyName: 'five contacts b.v.' });
    await link(ids.five, customer.id, role, index === 3);
  }
  // Her own company fields were never linked to a company: the round trip leaves her unlinked.
  const loose = await companies.createCustomer('Loes');
  await companies.api('PATCH', `/customers/${loose.id}`, {
    companyName: 'Loose Ends BV',
    cocNumber: '50000009',
  });
});
afterAll(() => app.close());

async function snapshot(): Promise<unknown[]> {
  const details = await Promise.all(
    Object.values(ids).map(
      async (id) => (await companies.api('GET', `/companies/${id}`)).json() as CompanyDetail,
    ),
  );
  const { rows } = await app.services.db.pool.query('SELECT count(*)::int AS count FROM companies');
  return [rows[0], ...details.map(({ updatedAt: _updated, ...detail }) => detail)];
}

async function checkAndStart(
  fileName: string,
  body: Buffer,
  type?: string,
): Promise<{ checked: ImportDetail; done: ImportDetail }> {
  const uploaded = await uploadOk(staff, fileName, body);
  if (type)
    expect(
      (await staff.request({ method: 'PUT', url: `/api/v1/imports/${uploaded.id}/type`, payload: { type } }))
        .statusCode,
    ).toBe(200);
  expect((await post(staff, `/api/v1/imports/${uploaded.id}/check`, {})).statusCode).toBe(202);
  const checked = await waitForStatus(staff, uploaded.id, ['checked']);
  expect((await post(staff, `/api/v1/imports/${uploaded.id}/start`)).statusCode).toBe(202);
  return { checked, done: await waitForStatus(staff, uploaded.id, ['done', 'done_with_errors']) };
}

describe('export → import changes nothing', () => {
  it('the customers export, with its company columns', async () => {
    const before = await snapshot();
    const file = await exportToLocalFile(app, { type: 'customers', format: 'csv', language: 'en' });
    const text = readFileSync(file, 'utf8');
    expect(text.split('\r\n')[0]).toContain(
      'Company name,Chamber of Commerce number,VAT number,Company role,Primary contact,Reverse charge',
    );
    const { checked, done } = await checkAndStart('customers.csv', readFileSync(file));
    expect(
      checked.mapping.columns.find((column) => column.heading === 'Reverse charge')?.field ?? null,
    ).toBeNull();
    expect(checked.check!.result).toMatchObject({
      created: 0,
      updated: 0,
      rejected: 0,
      warned: 0,
      companiesToCreate: 0,
      companiesToUpdate: 0,
      contactsToLink: 0,
      contactsToChange: 0,
    });
    expect(done.counts).toMatchObject({
      created: 0,
      updated: 0,
      unchanged: 7,
      rejected: 0,
      companiesCreated: 0,
      companiesUpdated: 0,
      contactsLinked: 0,
      contactsChanged: 0,
    });
    expect(await snapshot()).toEqual(before);
  });

  it('the Companies export: one row per company, with its contacts counted and the reverse-charge flag', async () => {
    const file = await exportToLocalFile(app, { type: 'companies', format: 'csv', language: 'en' });
    const [heading, ...rows] = readFileSync(file, 'utf8')
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(heading).toBe(
      'Company ID,Company name,Country of registration,Chamber of Commerce number,VAT number,Billing street,Billing house number,' +
        'Billing house number extension,Billing address line 2,Billing postcode,Billing city,Billing region,Billing country,' +
        'Customer groups,Tags,Notes,Contacts,Primary contact e-mail,VIES result,VIES checked on,Reverse charge',
    );
    const cells = rows.map((row) => row.split(','));
    expect(cells.map((row) => [row[1], row[3], row[4], row[14], row[15], row[16], row[20]])).toEqual([
      ['Five Contacts BV', '', 'NL100000721B01', 'B2B', '', '5', 'no'],
      ['One Contact BV', '50000001', 'NL100000630B01', '', '', '1', 'no'],
      ['Zero Contacts BV', '50000000', '', '', 'No one here yet', '0', 'no'],
    ]);
    expect(cells[0]![17]).toMatch(/^contact\d+\.\w+@companies\.test$/);
    expect(cells[2]![17]).toBe('');
    const dutch = await exportToLocalFile(app, { type: 'companies', format: 'xlsx', language: 'nl' });
    expect(readFileSync(dutch).length).toBeGreaterThan(0);
  });
});

import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Customer, CustomerPage } from '../../src/customers/customer.schemas.ts';
import { exportToLocalFile } from '../exports/export-test-helpers.ts';
import { createTestApp, type StaffAgent, type TestApp } from '../support/test-app.ts';
import { customerByEmail, fixture, importFile } from './import-helpers.ts';

/** "Customer since": the registration date kept from the old shop, imported, shown, filtered, exported. */

let app: TestApp;
let staff: StaffAgent;
const now = new Date('2024-06-15T10:00:00.000Z');

beforeAll(async () => {
  app = await createTestApp({}, { clock: { now: () => now } });
  await app.services.startWorkers();
  staff = await app.loginAsStaff();
});
afterAll(() => app.close());

async function list(query: Record<string, string>): Promise<CustomerPage> {
  const response = await staff.request({ method: 'GET', url: `/api/v1/customers?${new URLSearchParams(query)}` });
  expect(response.statusCode, response.body).toBe(200);
  return response.json() as CustomerPage;
}

describe('customer since', () => {
  it('comes from Lightspeed Registered, WooCommerce user_registered and Magento created_at', async () => {
    await importFile(staff, 'lightspeed.csv', fixture('lightspeed-export.csv'));
    await importFile(staff, 'woocommerce.csv', fixture('woocommerce-users.csv'));
    await importFile(staff, 'magento.csv', fixture('magento-composite.csv'));
    expect((await customerByEmail(app, 'daan@example.nl'))?.customerSince).toBe('2022-06-01');
    expect((await customerByEmail(app, 'wim@example.nl'))?.customerSince).toBe('2021-04-01');
    expect((await customerByEmail(app, 'magda@example.nl'))?.customerSince).toBe('2023-01-05');
  });

  it('maps our own headings in English and Dutch; a date in the future is a warning, never a lost customer', async () => {
    const done = await importFile(staff, 'klanten.csv', 'E-mail;Voornaam;Achternaam;Klant sinds\nsanne@since.test;Sanne;Smit;03-02-2015\ntoekomst@since.test;Tom;Toekomst;2031-01-01\n');
    expect(done.counts).toMatchObject({ created: 2, rejected: 0, warned: 1 });
    expect((await customerByEmail(app, 'sanne@since.test'))?.customerSince).toBe('2015-02-03');
    // A date column cannot hold the text: the date is not stored, and the flag keeps what the file said.
    const tom = await customerByEmail(app, 'toekomst@since.test');
    expect(tom?.customerSince).toBeNull();
    const warnings = await staff.request({ method: 'GET', url: `/api/v1/imports/${done.id}/warnings` });
    expect(warnings.body).toContain('The customer-since date is in the future.');
    const flags = await staff.request({ method: 'GET', url: `/api/v1/customers/${tom!.id}/flags` });
    expect(flags.body).toContain('2031-01-01');
  });

  it('is set and cleared through the API; empty means not known', async () => {
    const created = await staff.request({ method: 'POST', url: '/api/v1/customers', payload: { email: 'api@since.test', firstName: 'Api', lastName: 'Aap' } });
    expect(created.statusCode, created.body).toBe(201);
    const customer = created.json() as Customer;
    expect(customer.customerSince).toBeNull();
    const patched = await staff.request({ method: 'PATCH', url: `/api/v1/customers/${customer.id}`, payload: { customerSince: '2010-05-06' } });
    expect(patched.statusCode, patched.body).toBe(200);
    expect((patched.json() as Customer).customerSince).toBe('2010-05-06');
    const future = await staff.request({ method: 'PATCH', url: `/api/v1/customers/${customer.id}`, payload: { customerSince: '2030-01-01' } });
    expect(future.statusCode).toBe(422);
    expect(future.body).toContain('The customer-since date is in the future.');
    const cleared = await staff.request({ method: 'PATCH', url: `/api/v1/customers/${customer.id}`, payload: { customerSince: null } });
    expect((cleared.json() as Customer).customerSince).toBeNull();
  });

  it('filters the list on since/before, with the created date standing in where it is not known', async () => {
    const emails = (page: CustomerPage) => page.items.map((item) => item.email).sort();
    expect(emails(await list({ sinceBefore: '2016-01-01' }))).toEqual(['sanne@since.test']);
    const between = emails(await list({ sinceFrom: '2021-01-01', sinceBefore: '2023-01-01' }));
    expect(between).toEqual(expect.arrayContaining(['daan@example.nl', 'wim@example.nl']));
    expect(between).not.toContain('magda@example.nl');
    expect(between).not.toContain('sanne@since.test');
    // A customer created here without a registration date counts from its created date (the test clock's today).
    const today = await list({ sinceFrom: '2024-06-15' });
    expect(today.items.map((item) => item.email)).toContain('api@since.test');
    expect(today.items.find((item) => item.email === 'api@since.test')?.customerSince).toBeNull();
    expect((await list({ sinceBefore: '2016-01-01' })).items[0]?.customerSince).toBe('2015-02-03');
  });

  it('is exported under its heading, and export → import changes nothing', async () => {
    const file = await exportToLocalFile(app, { type: 'customers', format: 'csv', language: 'nl' });
    const text = await readFile(file, 'utf8');
    expect(text.split('\r\n')[0]).toContain('Klant sinds');
    expect(text).toContain('2015-02-03');
    const again = await importFile(staff, 'export.csv', await readFile(file));
    expect(again.counts).toMatchObject({ created: 0, updated: 0, rejected: 0 });
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Customer, CustomerPage } from '../../src/customers/customer.schemas.ts';
import { overviewRepository } from '../../src/overview/overview.repository.ts';
import type { Overview } from '../../src/overview/overview.schemas.ts';
import { customerByEmail, importFile, post } from '../imports/import-helpers.ts';
import { createTestApp, type StaffAgent, type TestApp } from '../support/test-app.ts';

/**
 * The overview's figures come from counts kept by triggers (migration 013): after imports, edits,
 * deletes, an undo and a rolled-back write they must equal a direct COUNT over the customers, and
 * every figure must equal the total of the customer list filtered the way its chart links.
 */

let app: TestApp;
let staff: StaffAgent;
const now = new Date('2025-06-15T10:00:00.000Z');

beforeAll(async () => {
  app = await createTestApp({}, { clock: { now: () => now } });
  await app.services.startWorkers();
  staff = await app.loginAsStaff();
});
afterAll(() => app.close());

async function overview(): Promise<Overview> {
  const response = await staff.request({ method: 'GET', url: '/api/v1/overview' });
  expect(response.statusCode, response.body).toBe(200);
  return response.json() as Overview;
}

async function listTotal(query: Record<string, string>): Promise<number> {
  const response = await staff.request({ method: 'GET', url: `/api/v1/customers?${new URLSearchParams(query)}` });
  expect(response.statusCode, response.body).toBe(200);
  return (response.json() as CustomerPage).total;
}

/** The same figures straight from the customers table. */
async function directCounts() {
  const query = async (sql: string) => (await app.services.db.pool.query<{ key: string; count: number }>(sql)).rows;
  const asMap = (rows: { key: string; count: number }[]) => Object.fromEntries(rows.map((row) => [row.key, row.count]));
  return {
    total: (await query('SELECT \'\' AS key, count(*)::int AS count FROM customers'))[0]!.count,
    since: asMap(await query(`SELECT to_char(COALESCE(customer_since, (created_at AT TIME ZONE 'UTC')::date), 'YYYY-MM') AS key, count(*)::int AS count FROM customers GROUP BY 1`)),
    created: asMap(await query(`SELECT to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM') AS key, count(*)::int AS count FROM customers GROUP BY 1`)),
    countries: asMap(await query('SELECT billing_country AS key, count(*)::int AS count FROM customers GROUP BY 1')),
    newsletter: asMap(await query('SELECT newsletter::text AS key, count(*)::int AS count FROM customers GROUP BY 1')),
    sinceKnown: (await query('SELECT \'\' AS key, count(*)::int AS count FROM customers WHERE customer_since IS NOT NULL'))[0]!.count,
  };
}

const byMonth = (months: { month: string; count: number }[]) => Object.fromEntries(months.map((item) => [item.month, item.count]));

/** The overview equals a direct count, and each chart's link lists exactly that many customers. */
async function expectTrueFigures(): Promise<Overview> {
  const [figures, direct] = [await overview(), await directCounts()];
  expect(figures.totalCustomers).toBe(direct.total);
  expect(byMonth(figures.customersSince.months)).toEqual(direct.since);
  expect(figures.customersSince.knownCount).toBe(direct.sinceKnown);
  expect(byMonth(figures.customersCreated.months)).toEqual(direct.created);
  expect(Object.fromEntries(figures.countries.items.map((item) => [item.country, item.count]))).toEqual(direct.countries);
  expect(figures.newsletter).toEqual({ subscribed: direct.newsletter.true ?? 0, notSubscribed: direct.newsletter.false ?? 0 });

  for (const { month, count } of figures.customersSince.months) {
    expect(await listTotal({ sinceFrom: `${month}-01`, sinceBefore: nextMonth(month) })).toBe(count);
  }
  for (const { month, count } of figures.customersCreated.months) {
    expect(await listTotal({ createdFrom: `${month}-01`, createdBefore: nextMonth(month) })).toBe(count);
  }
  for (const { country, count } of figures.countries.items) {
    expect(await listTotal({ country: country === '' ? '-' : country })).toBe(count);
  }
  expect(await listTotal({ newsletter: 'true' })).toBe(figures.newsletter.subscribed);
  expect(await listTotal({ newsletter: 'false' })).toBe(figures.newsletter.notSubscribed);
  return figures;
}

const nextMonth = (month: string) => {
  const [year, monthNumber] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(year, monthNumber, 1)).toISOString().slice(0, 10);
};

const customersFile = [
  'E-mail;Voornaam;Achternaam;Land;Nieuwsbrief;Klant sinds',
  'anna@overview.test;Anna;Bakker;NL;ja;2023-01-10',
  'bram@overview.test;Bram;de Vries;NL;nee;2023-01-28',
  'carla@overview.test;Carla;Jansen;NL;ja;2024-11-02',
  'dirk@overview.test;Dirk;Peeters;BE;nee;',
  'els@overview.test;Els;Claes;BE;ja;2019-05-05',
  'finn@overview.test;Finn;Zonder;;nee;',
].join('\n');

describe('the overview', () => {
  it('starts empty: no customers, and twelve empty months of imports and bulk sends', async () => {
    const figures = await overview();
    expect(figures.totalCustomers).toBe(0);
    expect(figures.customersSince.months).toEqual([]);
    expect(figures.countries).toEqual({ items: [], otherCount: 0, otherCountries: 0 });
    expect(figures.imports.map((item) => item.month)).toEqual([
      '2024-07', '2024-08', '2024-09', '2024-10', '2024-11', '2024-12', '2025-01', '2025-02', '2025-03', '2025-04', '2025-05', '2025-06',
    ]);
    expect(figures.imports.every((item) => item.imports === 0)).toBe(true);
    expect(figures.bulkSends.every((item) => item.sends === 0 && item.emails === 0)).toBe(true);
  });

  it('counts an import: months, countries, newsletter, and the import itself', async () => {
    const done = await importFile(staff, 'klanten.csv', customersFile);
    expect(done.counts).toMatchObject({ created: 6, rejected: 0 });
    const figures = await expectTrueFigures();
    expect(figures.totalCustomers).toBe(6);
    expect(figures.countries.items).toEqual([
      { country: 'NL', count: 3 },
      { country: 'BE', count: 2 },
      { country: '', count: 1 },
    ]);
    expect(byMonth(figures.customersSince.months)).toEqual({ '2019-05': 1, '2023-01': 2, '2024-11': 1, '2025-06': 2 });
    expect(figures.customersSince.knownCount).toBe(4);
    expect(figures.newsletter).toEqual({ subscribed: 3, notSubscribed: 3 });
    expect(figures.imports.at(-1)).toEqual({ month: '2025-06', imports: 1, created: 6, updated: 0 });
  });

  it('stays true after edits, a re-import that changes customers, deletes and an undo', async () => {
    const anna = (await customerByEmail(app, 'anna@overview.test'))!;
    const edited = await staff.request({
      method: 'PATCH',
      url: `/api/v1/customers/${anna.id}`,
      payload: { newsletter: false, customerSince: '2020-02-02', billingAddress: { country: 'DE' } },
    });
    expect(edited.statusCode, edited.body).toBe(200);
    expect((edited.json() as Customer).billingAddress.country).toBe('DE');
    await expectTrueFigures();

    const reimport = await importFile(staff, 'verhuisd.csv', 'E-mail;Voornaam;Achternaam;Land;Nieuwsbrief\nbram@overview.test;Bram;de Vries;BE;ja\ngert@overview.test;Gert;Fransen;FR;ja\n');
    expect(reimport.counts).toMatchObject({ created: 1, updated: 1 });
    let figures = await expectTrueFigures();
    expect(figures.countries.items.find((item) => item.country === 'BE')?.count).toBe(3);

    const dirk = (await customerByEmail(app, 'dirk@overview.test'))!;
    const deleted = await staff.request({ method: 'DELETE', url: `/api/v1/customers/${dirk.id}` });
    expect(deleted.statusCode, deleted.body).toBe(204);
    figures = await expectTrueFigures();
    expect(figures.totalCustomers).toBe(6);

    const undone = await post(staff, `/api/v1/imports/${reimport.id}/undo`);
    expect(undone.statusCode, undone.body).toBeLessThan(300);
    for (let attempt = 0; (await customerByEmail(app, 'gert@overview.test')) !== undefined; attempt += 1) {
      if (attempt > 200) throw new Error('the undo did not finish');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    figures = await expectTrueFigures();
    expect(figures.countries.items.some((item) => item.country === 'FR')).toBe(false);
  });

  it('ignores a write that was rolled back, and folding the pending changes changes no figure', async () => {
    const before = await overview();
    const client = await app.services.db.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(`INSERT INTO customers (email, email_normalized, billing_country, newsletter, email_consent) VALUES ('ghost@overview.test', 'ghost@overview.test', 'IT', true, 'subscribed')`);
      await client.query('UPDATE customers SET billing_country = $1', ['IT']);
      await client.query('ROLLBACK');
    } finally {
      client.release();
    }
    expect(await overview()).toEqual(before);

    const pending = await app.services.db.pool.query<{ count: number }>('SELECT count(*)::int AS count FROM customer_count_changes');
    expect(pending.rows[0]!.count).toBeGreaterThan(0);
    await app.services.db.transaction((tx) => overviewRepository.foldChanges(tx));
    const after = await app.services.db.pool.query<{ count: number }>('SELECT count(*)::int AS count FROM customer_count_changes');
    expect(after.rows[0]!.count).toBe(0);
    expect(await expectTrueFigures()).toEqual(before);
  });

  it('counts a bulk password send in its month', async () => {
    const imports = await staff.request({ method: 'GET', url: '/api/v1/imports' });
    const firstImport = (imports.json() as { items: { id: number }[] }).items.at(-1)!;
    const send = await staff.request({ method: 'POST', url: '/api/v1/password-emails/bulk', payload: { importId: firstImport.id } });
    expect(send.statusCode, send.body).toBe(202);
    const figures = await overview();
    expect(figures.bulkSends.at(-1)?.sends).toBe(1);
    expect(figures.bulkSends.at(-1)?.emails).toBeGreaterThan(0);
    expect(figures.bulkSends.slice(0, -1).every((item) => item.sends === 0)).toBe(true);
  });

  it('is for staff who may read customers', async () => {
    const response = await app.http.inject({ method: 'GET', url: '/api/v1/overview' });
    expect(response.statusCode).toBe(401);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fillWithDemoCustomers } from '../../src/cli/demo.ts';
import { customerListQuerySchema } from '../../src/customers/customer.schemas.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';
import { createTestDatabase } from '../support/test-database.ts';
import { runCli } from './cli-process.ts';

describe('demo data through the customer service', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(() => app.close());

  it('creates every generated customer (all pass validation) with their groups, and skips them on a second run', async () => {
    const first = await fillWithDemoCustomers(app.services, { count: 50, seed: 3 });
    expect(first).toMatchObject({ created: 50, skipped: 0 });

    const page = await app.services.customers.list(customerListQuerySchema.parse({ limit: 200 }));
    expect(page.total).toBe(50);
    const groups = await app.services.groups.list();
    for (const { name, added } of first.groups) {
      expect(groups.find((group) => group.name === name)?.memberCount, name).toBe(added);
    }
    expect(first.groups.find((group) => group.name === 'Nieuwsbrief')?.added).toBeGreaterThan(5);

    const agent = await app.loginAsStaff();
    const someone = page.items[7]!;
    const found = await agent.request({ method: 'GET', url: `/api/v1/customers?email=${encodeURIComponent(someone.email.toUpperCase())}` });
    expect(found.json().items.map((item: { id: number }) => item.id)).toEqual([someone.id]);

    const second = await fillWithDemoCustomers(app.services, { count: 50, seed: 3 });
    expect(second).toMatchObject({ created: 0, skipped: 50 });
    expect((await app.services.customers.list(customerListQuerySchema.parse({}))).total).toBe(50);
    expect((await app.services.groups.list()).map((group) => group.name).sort()).toEqual(['Groothandel', 'Nieuwsbrief', 'VIP', 'Vaste klanten']);
  });
});

describe('clientele demo', () => {
  it('fills the database named by DATABASE_URL and prints a summary', async () => {
    const database = await createTestDatabase();
    try {
      const run = await runCli(['demo', '--count', '25', '--seed', '9'], { DATABASE_URL: database.url });
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('25/25 customers');
      expect(run.stdout).toMatch(/25 customers created, 0 skipped/);
      const again = await runCli(['demo', '--count', '25', '--seed', '9'], { DATABASE_URL: database.url });
      expect(again.code).toBe(0);
      expect(again.stdout).toMatch(/0 customers created, 25 skipped because their e-mail address already exists/);
      expect(again.stdout).toContain('--seed 10');
    } finally {
      await database.drop();
    }
  }, 60_000);

  it('rejects a count that is not a number', async () => {
    const run = await runCli(['demo', '--count', 'many'], { DATABASE_URL: 'postgres://x:y@127.0.0.1:1/db' });
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('must be a whole number of at least 1');
  });
});

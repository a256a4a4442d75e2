import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CustomerPage } from '../../src/customers/customer.schemas.ts';
import { createTestApp, type StaffAgent, type TestApp } from '../support/test-app.ts';

/**
 * The customer list under load (issue #21): a statement timeout that answers "narrow your
 * search" instead of a 500, keyset pages that walk every customer once while others are added,
 * and the worst searches (one letter, two letters, `%`) answering right on the bounded plans.
 * The sizes that make those plans matter are measured by `npm run bench:load`, not here.
 */
let app: TestApp;
let staff: StaffAgent;
beforeAll(async () => {
  // A small timeout, so a statement kept waiting on a lock runs past it in a blink.
  app = await createTestApp({ LIST_STATEMENT_TIMEOUT_MS: '300' });
  staff = await app.loginAsStaff();
});
afterAll(() => app.close());

const get = (query: Record<string, string | number>) =>
  staff.request({
    method: 'GET',
    url: `/api/v1/customers?${new URLSearchParams(Object.entries(query).map(([key, value]): [string, string] => [key, String(value)]))}`,
  });
async function list(query: Record<string, string | number>): Promise<CustomerPage> {
  const response = await get(query);
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}

/** Customers straight into the table, with the search text the application would write. */
async function insertCustomers(sql: string, params: unknown[] = []) {
  await app.services.db.pool.query(
    `INSERT INTO customers (email, email_normalized, first_name, last_name, search_text, created_at, updated_at)
     SELECT email, lower(email), first_name, last_name, lower(first_name || ' ' || last_name || ' ' || email), created, created FROM (${sql}) AS rows`,
    params,
  );
}

describe('statement timeout', () => {
  it('answers a list that runs past it with 422 too_broad and a clear message, not 500', async () => {
    // A statement waiting on a lock counts against statement_timeout as one doing work does.
    const locker = new pg.Client({ connectionString: app.databaseUrl });
    await locker.connect();
    try {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE customers IN ACCESS EXCLUSIVE MODE');
      const response = await get({ q: 'anything' });
      expect(response.statusCode, response.body).toBe(422);
      expect(response.json()).toEqual({
        error: { code: 'too_broad', message: expect.stringMatching(/narrow it down/) },
      });
    } finally {
      await locker.query('ROLLBACK');
      await locker.end();
    }
    // The pooled connection kept no timeout or aborted transaction: the next list works.
    expect((await list({})).items).toBeDefined();
    const { rows } = await app.services.db.pool.query<{ statement_timeout: string }>(
      'SHOW statement_timeout',
    );
    expect(rows[0]!.statement_timeout).toBe('0');
  });
});

describe('keyset pages while customers are added', () => {
  it('walks every customer that was there exactly once, in order, with ties in the sort key', async () => {
    await app.services.db.pool.query('DELETE FROM customers');
    // 60 customers over 4 last names and 3 creation times: most sort values are shared.
    await insertCustomers(
      `SELECT 'tie' || i || '@example.com' AS email, 'Tie' AS first_name, (ARRAY['Bakker', 'Jansen', 'Smit', 'Visser'])[1 + i % 4] AS last_name,
              timestamptz '2024-01-01' + (i % 3) * interval '1 day' AS created
         FROM generate_series(1, 60) AS i`,
    );
    let batch = 0;
    const before = (await app.services.db.pool.query<{ id: number }>('SELECT id FROM customers')).rows.map(
      (row) => row.id,
    );
    for (const [sort, direction] of [
      ['lastName', 'asc'],
      ['createdAt', 'desc'],
      ['email', 'asc'],
    ] as const) {
      const seen: { id: number; key: string }[] = [];
      let cursor: string | null = null;
      let page = 0;
      do {
        const result: CustomerPage = await list({ sort, direction, limit: 7, ...(cursor && { cursor }) });
        seen.push(
          ...result.items.map((item) => ({
            id: item.id,
            key: sort === 'lastName' ? item.lastName : sort === 'email' ? item.email : item.createdAt,
          })),
        );
        cursor = result.nextCursor;
        page += 1;
        // Others add customers between the pages: some sort before the cursor, some after it.
        await insertCustomers(
          `SELECT 'new' || $1::int || '-' || i || '@example.com' AS email, 'New' AS first_name, (ARRAY['Aarts', 'Jansen', 'Zwart'])[i] AS last_name,
                  timestamptz '2024-01-02' AS created FROM generate_series(1, 3) AS i`,
          [(batch += 1)],
        );
      } while (cursor && page < 100);
      const ids = seen.map((item) => item.id);
      expect(new Set(ids).size, `${sort}: no customer twice`).toBe(ids.length);
      expect(
        ids.filter((id) => before.includes(id)).sort((a, b) => a - b),
        `${sort}: every earlier customer`,
      ).toEqual([...before].sort((a, b) => a - b));
      const keys = seen.map((item) => item.key);
      const sorted = [...keys].sort();
      expect(keys, `${sort}: in order`).toEqual(direction === 'asc' ? sorted : sorted.reverse());
    }
  });
});

describe('the worst searches', () => {
  beforeAll(async () => {
    await app.services.db.pool.query('DELETE FROM customers');
    // 30,000 customers, nine in ten named Emma or Eva: enough for the dense one-letter plan (a
    // sample of the table says clearly more than 10,000 match).
    await insertCustomers(
      `SELECT 'person' || i || '@example.com' AS email, CASE WHEN i % 10 = 0 THEN 'Anna' ELSE (ARRAY['Emma', 'Eva'])[1 + i % 2] END AS first_name,
              CASE WHEN i % 1000 = 0 THEN 'Quist' ELSE 'Bakker' END AS last_name, timestamptz '2024-01-01' + i * interval '1 minute' AS created
         FROM generate_series(1, 30000) AS i`,
    );
    await app.services.db.pool.query(
      `INSERT INTO customers (email, email_normalized, last_name, search_text) VALUES ('p%c@example.com', 'p%c@example.com', 'Percent', 'percent p%c@example.com')`,
    );
    await app.services.db.pool.query('ANALYZE customers');
  });

  it('one common letter: the newest customers whose words start with it, and "more than 10,000"', async () => {
    const page = await list({ q: 'E', limit: 5 });
    expect(page).toMatchObject({ total: 10_000, isTotalExact: false });
    // Emma and Eva start with e; everyone's e-mail domain (example.com) is not a word start here.
    expect(page.items.every((item) => ['Emma', 'Eva'].includes(item.firstName))).toBe(true);
    const newest = await app.services.db.pool.query<{ id: number }>(
      `SELECT id FROM customers WHERE first_name IN ('Emma', 'Eva') ORDER BY created_at DESC, id DESC LIMIT 5`,
    );
    expect(page.items.map((item) => item.id)).toEqual(newest.rows.map((row) => row.id));
  });

  it('one rare letter and two letters: an exact total', async () => {
    expect(await list({ q: 'q' })).toMatchObject({ total: 30, isTotalExact: true });
    expect(await list({ q: 'qu', sort: 'email', direction: 'asc', limit: 200 })).toMatchObject({
      total: 30,
      isTotalExact: true,
    });
    // A word start only: "ist" is inside Quist, "ui" is not the start of any word.
    expect((await list({ q: 'ui' })).total).toBe(0);
  });

  it('% and _ alone find nothing (and read nothing); with letters they are searched literally', async () => {
    for (const q of ['%', '_', '%%', '@', '%@%']) expect((await list({ q })).total, q).toBe(0);
    expect((await list({ q: 'p%c@' })).items.map((item) => item.email)).toEqual(['p%c@example.com']);
  });

  it('sorts 200 rows by e-mail and by last name, with deep pages by cursor', async () => {
    const first = await list({ sort: 'email', direction: 'desc', limit: 200 });
    const emails = first.items.map((item) => item.email);
    expect(emails).toEqual([...emails].sort().reverse());
    const byName = await list({ q: 'bakker', sort: 'lastName', direction: 'asc', limit: 200 });
    expect(byName).toMatchObject({ total: 10_000, isTotalExact: false });
    const second = await list({
      q: 'bakker',
      sort: 'lastName',
      direction: 'asc',
      limit: 200,
      cursor: byName.nextCursor!,
    });
    const ids = [...byName.items, ...second.items].map((item) => item.id);
    expect(ids).toEqual([...ids].sort((a, b) => a - b)); // one last name: ties broken by id
    expect(new Set(ids).size).toBe(400);
  });
});

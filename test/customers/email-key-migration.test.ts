import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../src/db/migrate.ts';
import { createEmptyDatabase } from '../support/test-database.ts';

/**
 * Migration 043 rewrites clientele_email_key (the mailbox an e-mail address reaches: Gmail's dots,
 * +tags at providers that ignore them) as one expression that PostgreSQL inlines. A database of
 * the previous schema with customers in the partial index of migration 032 is migrated: the key
 * is the same for every address (stored ones and awkward ones), the index built with the old body
 * still finds the customers, and the function is inlined where it is used.
 */

let database: { url: string; drop: () => Promise<void> };
let pool: pg.Pool;

const stored = [
  'jan.jansen@gmail.com',
  'Jan.Jansen+Shop@GoogleMail.com',
  'anna+news@outlook.com',
  'anna@outlook.com',
  'piet+x@example.nl',
  'ÉLODIE.Dupont+a@Hotmail.com',
  'mixed.Case@ICLOUD.COM',
  'x.y.z+a+b@pm.me',
  'plain@example.com',
  'no-at-sign',
];
const awkward = [
  '',
  '@',
  '@gmail.com',
  '+tag@gmail.com',
  '.@gmail.com',
  'a@b@gmail.com',
  'a@gmail.com@x',
  'a+@outlook.com',
  'A+B@OUTLOOK.NL',
  'ü.ß+q@gmail.com',
  'name@gmail.com.evil.example',
  'name@sub.gmail.com',
  ' spaced @gmail.com',
  'tab\t.x@gmail.com',
];
/** Many more, made of the characters that matter (seeded, so a failure can be repeated). */
function generated(count: number): string[] {
  const parts = [
    'a',
    'B',
    '.',
    '+',
    '@',
    'É',
    '-',
    'gmail.com',
    'GoogleMail.com',
    'outlook.com',
    'proton.me',
    'example.nl',
    '',
  ];
  let seed = 17;
  const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
  return Array.from({ length: count }, () =>
    Array.from({ length: 1 + Math.floor(next() * 6) }, () => parts[Math.floor(next() * parts.length)]).join(
      '',
    ),
  );
}
const everyAddress = [...stored, ...awkward, ...generated(2000)];

const keysOf = async (emails: string[]) =>
  (
    await pool.query<{ key: string | null }>(
      'SELECT clientele_email_key(e) AS key FROM unnest($1::text[]) WITH ORDINALITY AS t(e, n) ORDER BY n',
      [emails],
    )
  ).rows.map((row) => row.key);

/** A connection that used the index before the migration (its definition cached). */
let early: pg.Client;
const lookup = `SELECT email FROM customers WHERE clientele_email_key(email_normalized) = $1 AND clientele_email_key(email_normalized) <> email_normalized ORDER BY email_normalized`;
const planOf = async (client: pg.Client | pg.PoolClient) =>
  (await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${lookup}`, ['janjansen@gmail.com'])).rows
    .map((row) => row['QUERY PLAN'])
    .join('\n');

let keysBefore: (string | null)[] = [];
let nullBefore: string | null = '';

beforeAll(async () => {
  database = await createEmptyDatabase();
  pool = new pg.Pool({ connectionString: database.url, max: 2 });
  await migrate(pool, { upTo: '036_company_links_kept_and_vat_run_deliveries.sql' });
  for (const email of stored)
    await pool.query('INSERT INTO customers (email, email_normalized) VALUES ($1, lower($1))', [email]);
  keysBefore = await keysOf(everyAddress);
  early = new pg.Client({ connectionString: database.url });
  await early.connect();
  await early.query('SET enable_seqscan = off');
  expect(await planOf(early)).toContain('customers_email_variant_key');
  nullBefore = (await pool.query<{ key: string | null }>('SELECT clientele_email_key(NULL) AS key')).rows[0]!
    .key;
  expect(await migrate(pool)).toContain('043_email_key_inlined.sql');
}, 60_000);

afterAll(async () => {
  await early?.end();
  await pool?.end();
  await database?.drop();
});

describe('migration 043: the mailbox key as one inlined expression', () => {
  it('gives every address the key it had', async () => {
    expect(keysBefore.slice(0, 4)).toEqual([
      'janjansen@gmail.com',
      'janjansen@gmail.com',
      'anna@outlook.com',
      'anna@outlook.com',
    ]);
    expect(await keysOf(everyAddress)).toEqual(keysBefore);
    expect((await pool.query('SELECT clientele_email_key(NULL) AS key')).rows[0].key).toBe(nullBefore);
  });

  it('finds the stored customers through the rebuilt index, also on a connection that used it before', async () => {
    expect(await planOf(early)).toContain('customers_email_variant_key');
    expect((await early.query(lookup, ['janjansen@gmail.com'])).rows).toEqual([
      { email: 'Jan.Jansen+Shop@GoogleMail.com' },
      { email: 'jan.jansen@gmail.com' },
    ]);
    expect((await early.query(lookup, ['anna@outlook.com'])).rows).toEqual([
      { email: 'anna+news@outlook.com' },
    ]);
  });

  it('is inlined: no function call per row', async () => {
    const plan = (
      await pool.query<{ 'QUERY PLAN': string }>(
        'EXPLAIN VERBOSE SELECT clientele_email_key(email_normalized) FROM customers',
      )
    ).rows
      .map((row) => row['QUERY PLAN'])
      .join('\n');
    expect(plan).not.toContain('clientele_email_key');
    expect(plan).toContain('split_part');
  });
});

import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../src/db/migrate.ts';
import { createEmptyDatabase } from '../support/test-database.ts';

/**
 * Migration 023 turns the newsletter yes/no into consent with a state. A database of the previous
 * schema (022) with subscribed and not subscribed customers — one of them deleted within the undo
 * hour — is migrated: an opt-in becomes "subscribed" (single opt-in, source "legacy"), a "no"
 * becomes "not set" (never a made-up unsubscribe), versions do not move, and the deleted customer
 * comes back with its subscription.
 */

let database: { url: string; drop: () => Promise<void> };
let pool: pg.Pool;

beforeAll(async () => {
  database = await createEmptyDatabase();
  pool = new pg.Pool({ connectionString: database.url, max: 2 });
  await migrate(pool, { upTo: '022_address_sync_without_temp_table.sql' });
  for (let index = 0; index < 50; index += 1) {
    await pool.query('INSERT INTO customers (email, email_normalized, newsletter) VALUES ($1, $1, $2)', [`c${index}@example.com`, index % 3 === 0]);
  }
  // A customer deleted (with undo) before the upgrade: its snapshot holds the old columns only.
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO customer_deletions (customer_count, deleted_at, undo_until) VALUES (1, now(), now() + interval '1 hour') RETURNING id`,
  );
  await pool.query(
    `INSERT INTO deleted_customers (deletion_id, customer_id, email, customer, memberships, flags, known_clients, mails, addresses)
     SELECT $1, c.id, c.email, to_jsonb(c), '[]', '[]', '[]', '[]', '[]' FROM customers c WHERE c.email = 'c0@example.com'`,
    [rows[0]!.id],
  );
  await pool.query(`DELETE FROM customers WHERE email = 'c0@example.com'`);
  expect(await migrate(pool)).toContain('023_consent_evidence.sql');
}, 120_000);

afterAll(async () => {
  await pool.end();
  await database.drop();
});

describe('migration 023: newsletter opt-ins become consent with a state', () => {
  it('makes every opt-in "subscribed" (single, legacy) and every "no" "not set", without a new version', async () => {
    const { rows } = await pool.query<{ email: string; newsletter: boolean; email_consent: string; email_consent_level: string | null; email_consent_source: string | null; sms_consent: string; version: number }>(
      'SELECT email, newsletter, email_consent, email_consent_level, email_consent_source, sms_consent, version FROM customers ORDER BY id',
    );
    expect(rows).toHaveLength(49);
    for (const row of rows) {
      const wasSubscribed = Number(/\d+/.exec(row.email)![0]) % 3 === 0;
      expect(row).toEqual({
        email: row.email,
        newsletter: wasSubscribed,
        email_consent: wasSubscribed ? 'subscribed' : 'not_set',
        email_consent_level: wasSubscribed ? 'single' : null,
        email_consent_source: wasSubscribed ? 'legacy' : null,
        sms_consent: 'not_set',
        version: 1,
      });
    }
  });

  it('holds newsletter and the e-mail state together', async () => {
    await expect(pool.query(`UPDATE customers SET newsletter = true WHERE email = 'c1@example.com'`)).rejects.toThrow(/customers_newsletter_is_email_consent/);
  });

  it('gives a customer deleted before the upgrade its state, so undo brings it back subscribed', async () => {
    const { rows } = await pool.query<{ customer: Record<string, unknown> }>('SELECT customer FROM deleted_customers');
    expect(rows[0]!.customer).toMatchObject({ newsletter: true, email_consent: 'subscribed', email_consent_level: 'single', email_consent_source: 'legacy', sms_consent: 'not_set' });
  });
});

import type { Database } from '../src/db/database.ts';
import { hashToken } from '../src/shared/tokens.ts';
import type { ReceivedMail } from '../test/support/smtp-server.ts';

/**
 * The mail benchmark's data and checks: the import the customers came from, the floor, and what
 * must be true after queueing and after delivery. Only runs on a database whose customers the
 * bench generated (ensureDataset refuses any other), so emptying the outbox is safe.
 */
export type ImportIds = { importId: number; otherImportId: number };

async function ensureImport(db: Database, fileName: string, created: number): Promise<number> {
  const existing = (await db.pool.query<{ id: number }>('SELECT id::int FROM imports WHERE file_name = $1', [fileName])).rows[0];
  if (existing) {
    await db.pool.query('UPDATE imports SET created_count = $2, rows_done = $2, total_rows = $2 WHERE id = $1', [existing.id, created]);
    return existing.id;
  }
  const { rows } = await db.pool.query<{ id: number }>(
    `INSERT INTO imports (file_name, file_name_search, file_key, file_size_bytes, file_sha256, format, created_by_name, status,
                          settings, analysis, total_rows, rows_done, created_count, started_at, finished_at)
     VALUES ($1, $1, $1, 0, '', 'csv', 'bench', 'done', '{}', '{}', $2, $2, $2, now(), now()) RETURNING id::int`,
    [fileName, created],
  );
  return rows[0]!.id;
}

/**
 * The first `rows` customers (by id) are the ones the import created, the rest come from an
 * earlier import; none has a password yet, as after a migration from another platform.
 */
export async function prepareMailData(db: Database, size: { rows: number; others: number }): Promise<ImportIds> {
  const importId = await ensureImport(db, 'bench-mail-import.csv', size.rows);
  const otherImportId = await ensureImport(db, 'bench-mail-earlier-import.csv', size.others);
  const { rows: [last] } = await db.pool.query<{ id: number }>('SELECT id::int FROM customers ORDER BY id OFFSET $1 LIMIT 1', [size.rows - 1]);
  const { rowCount } = await db.pool.query(
    `UPDATE customers SET last_import_id = CASE WHEN id <= $1 THEN $2 ELSE $3 END::bigint, password_state = 'none', password_hash = NULL, password_algorithm = NULL
      WHERE last_import_id IS DISTINCT FROM CASE WHEN id <= $1 THEN $2 ELSE $3 END::bigint OR password_state <> 'none'`,
    [last!.id, importId, otherImportId],
  );
  if (rowCount) await db.pool.query('VACUUM (ANALYZE) customers');
  return { importId, otherImportId };
}

/** Every earlier bulk send, outbox row, reset token and mail job goes: each round starts alike. */
export async function resetOutbox(db: Database): Promise<void> {
  await db.pool.query('TRUNCATE mail_outbox, mailbox_messages, password_email_bulk_sends, password_reset_tokens');
  if ((await db.pool.query<{ table: string | null }>(`SELECT to_regclass('pgboss.job')::text AS table`)).rows[0]?.table)
    await db.pool.query(`DELETE FROM pgboss.job WHERE name IN ('mail.send', 'mail.bulk-send')`);
  await db.pool.query('VACUUM (ANALYZE) mail_outbox');
}

/**
 * The floor: the bulk send's own SELECT of the import's customers, inserted with one plain
 * `INSERT … SELECT` into a table as wide as mail_outbox (same columns, defaults and identity) but
 * without its five indexes and foreign keys, no counting, no bulk-send record, no job, no HTTP.
 */
export async function timeFloor(db: Database, importId: number): Promise<number> {
  const client = await db.pool.connect();
  try {
    await client.query('DROP TABLE IF EXISTS bench_outbox_floor');
    await client.query('CREATE TABLE bench_outbox_floor (LIKE mail_outbox INCLUDING DEFAULTS INCLUDING IDENTITY)');
    const startedAt = performance.now();
    await client.query(
      `INSERT INTO bench_outbox_floor (idempotency_key, reason, template_key, language, customer_id, bulk_send_id, requested_by,
                                       to_address, next_attempt_at, created_at)
       SELECT 'password_bulk:0:' || c.id, 'password_bulk', 'account_password',
              CASE WHEN c.language IN ('en', 'nl') THEN c.language ELSE 'en' END, c.id, 0, NULL, c.email, now(), now()
         FROM customers c WHERE c.last_import_id = $1 AND c.password_state IN ('none', 'must_reset') ORDER BY c.id`,
      [importId],
    );
    const elapsedMs = performance.now() - startedAt;
    await client.query('DROP TABLE bench_outbox_floor');
    return elapsedMs;
  } finally {
    client.release();
  }
}

/** After "Send password": what a shop owner and an operator would check, as messages for what is wrong. */
export async function checkQueued(db: Database, input: ImportIds & { bulkSendId: number; rows: number }): Promise<string[]> {
  const { rows: [counts] } = await db.pool.query<Record<string, number>>(
    `SELECT
       (SELECT count(*) FROM mail_outbox WHERE bulk_send_id = $3::bigint)::int AS queued,
       (SELECT count(*) FROM mail_outbox WHERE bulk_send_id = $3::bigint AND status = 'pending' AND attempts = 0
           AND reason = 'password_bulk' AND template_key = 'account_password' AND next_attempt_at <= now())::int AS ready,
       (SELECT count(*) FROM customers c WHERE c.last_import_id = $1::bigint
           AND (SELECT count(*) FROM mail_outbox o WHERE o.customer_id = c.id) <> 1)::int AS "notExactlyOne",
       (SELECT count(*) FROM mail_outbox o JOIN customers c ON c.id = o.customer_id
         WHERE c.last_import_id = $2::bigint)::int AS "otherImport",
       (SELECT count(*) FROM mail_outbox o JOIN customers c ON c.id = o.customer_id WHERE o.bulk_send_id = $3::bigint
           AND (o.to_address <> c.email OR o.language <> CASE WHEN c.language IN ('en', 'nl') THEN c.language ELSE 'en' END))::int AS "wrongAddress",
       (SELECT count(*) FROM pgboss.job WHERE name = 'mail.bulk-send' AND data ->> 'bulkSendId' = $3::bigint::text
           AND state IN ('created', 'retry', 'active'))::int AS jobs`,
    [input.importId, input.otherImportId, input.bulkSendId],
  );
  const wrong: string[] = [];
  const expect = (name: string, actual: number, expected: number, what: string) => {
    if (actual !== expected) wrong.push(`${what}: ${actual.toLocaleString('en')} instead of ${expected.toLocaleString('en')} (${name})`);
  };
  expect('queued', counts!.queued!, input.rows, 'outbox rows of the bulk send');
  expect('ready', counts!.ready!, input.rows, 'rows pending and due for delivery');
  expect('notExactlyOne', counts!.notExactlyOne!, 0, 'customers of the import without exactly one e-mail');
  expect('otherImport', counts!.otherImport!, 0, 'e-mails to customers of the other import');
  expect('wrongAddress', counts!.wrongAddress!, 0, "e-mails not to the customer's address or not in their language");
  expect('jobs', counts!.jobs!, 1, 'mail.bulk-send jobs waiting for a worker');
  return wrong;
}

/**
 * After delivery: the SMTP server received as many messages as outbox rows were sent, none to a
 * recipient twice; each message of the sample it kept is one sent outbox row, to its customer,
 * with the Message-ID recorded, and a reset link whose token's SHA-256 (and only that) is stored
 * for that customer, unused and valid.
 */
export async function checkDelivered(
  db: Database,
  bulkSendId: number,
  server: { accepted: number; repeats: number; kept: readonly ReceivedMail[] },
): Promise<string[]> {
  // Sent rows, and those a stopped worker was handing over (`sending`: the server may have them;
  // their Message-ID is recorded only once they are marked sent).
  const { rows: outboxRows } = await db.pool.query<{ email: string; status: string; messageId: string; customerId: number; tokenHash: Buffer | null; tokenCustomerId: number | null; isValid: boolean | null }>(
    `SELECT o.to_address AS email, o.status, o.message_id AS "messageId", o.customer_id::int AS "customerId", o.reset_token_hash AS "tokenHash",
            t.customer_id::int AS "tokenCustomerId", t.expires_at > now() AS "isValid"
       FROM mail_outbox o LEFT JOIN password_reset_tokens t ON t.token_hash = o.reset_token_hash
      WHERE o.bulk_send_id = $1 AND o.status IN ('sent', 'sending')`,
    [bulkSendId],
  );
  const rows = outboxRows.filter((row) => row.status === 'sent');
  const wrong: string[] = [];
  const sentTo = new Map(outboxRows.map((row) => [row.email, row]));
  // A worker stopped in the middle of a bulk send leaves the e-mails it was handing over as
  // `sending` (reported as "may not have arrived", never sent again): the server may have them.
  const { rows: [handingOver] } = await db.pool.query<{ count: number }>(
    `SELECT count(*)::int AS count FROM mail_outbox WHERE bulk_send_id = $1 AND status = 'sending'`,
    [bulkSendId],
  );
  if (server.accepted < rows.length || server.accepted > rows.length + handingOver!.count)
    wrong.push(`${server.accepted} e-mails received, ${rows.length} recorded as sent (${handingOver!.count} being sent when the worker stopped)`);
  if (server.repeats > 0) wrong.push(`${server.repeats} e-mails went to a customer who had received it already`);
  if (server.kept.length === 0 && rows.length > 0) wrong.push('no e-mail was kept to check its content');
  for (const mail of server.kept) {
    const row = sentTo.get(mail.to[0] ?? '');
    const token = /reset-password\?token=([A-Za-z0-9_-]{43})/.exec(mail.text)?.[1];
    const problem = !row
      ? 'no sent outbox row for its recipient'
      : row.status === 'sent' && mail.messageId !== row.messageId
        ? 'its Message-ID is not the recorded one'
        : !token
          ? 'no reset link in it'
          : !row.tokenHash?.equals(hashToken(token))
            ? "its token's hash is not the one stored for the e-mail"
            : row.tokenCustomerId !== row.customerId || !row.isValid
              ? 'its token is not a valid token of this customer'
              : undefined;
    if (problem) wrong.push(`e-mail to ${mail.to.join(',')}: ${problem}`);
    if (wrong.length > 10) break;
  }
  return wrong;
}

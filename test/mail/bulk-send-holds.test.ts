import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bulkSendRepository } from '../../src/mail/bulk-send.repository.ts';
import { hashToken } from '../../src/shared/tokens.ts';
import { startTestSmtpServer, type TestSmtpServer } from '../support/smtp-server.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';

/**
 * A bulk send prepares its rows in batches and holds them (still pending) until a lane sends
 * them; only the row being sent is "sending". What a worker that dies leaves of a batch is sent
 * by the next one, with new links: the dead worker's tokens never work.
 */
let app: TestApp;
let smtp: TestSmtpServer;

beforeAll(async () => {
  smtp = await startTestSmtpServer();
  app = await createTestApp({ SMTP_URL: smtp.url, MAIL_SEND_PER_MINUTE: 'off' });
});
afterAll(async () => {
  await app.close();
  await app.services.mailTransport.close();
  await smtp.close();
});

const mailsTo = (email: string) => smtp.received.filter((mail) => mail.to.includes(email));

describe('rows held by a worker that died', () => {
  it('sends the rows a dead worker had prepared but not begun to send once their hold has passed, with new links', async () => {
    const { pool } = app.services.db;
    await pool.query(
      `INSERT INTO customers (email, email_normalized, search_text, first_name, last_name, language, last_import_id, password_state)
       SELECT 'held' || g || '@example.com', 'held' || g || '@example.com', 'held' || g, 'Klant', 'Nummer ' || g, 'en', 8, 'none'
         FROM generate_series(1, 3) AS g`,
    );
    // Queued without its job, then left as a worker that died after preparing them leaves them:
    // pending, held for a moment longer, each with the token of a link nobody was sent.
    const bulkSendId = await app.services.db.transaction(async (tx) => {
      const selection = { importId: 8, includeImportedHashes: false, confirmResend: false };
      const now = new Date();
      const id = (await bulkSendRepository.insert(tx, {
        selection,
        includeImportedHashes: false,
        matchedCount: 3,
        skippedHasPassword: 0,
        skippedImportedHash: 0,
        createdBy: null,
        now,
      }))!;
      await bulkSendRepository.queueMessages(tx, {
        bulkSendId: id,
        selection,
        defaultLanguage: 'en',
        staffUserId: null,
        now,
      });
      return id;
    });
    const { rows: dead } = await pool.query<{ tokenHash: Buffer }>(
      `UPDATE mail_outbox SET next_attempt_at = now() + interval '1 second', reset_token_hash = sha256(convert_to('dead ' || id, 'UTF8'))
        WHERE bulk_send_id = $1 RETURNING reset_token_hash AS "tokenHash"`,
      [bulkSendId],
    );
    await pool.query(
      `INSERT INTO password_reset_tokens (token_hash, customer_id, origin, created_at, expires_at)
       SELECT reset_token_hash, customer_id, 'staff', now(), now() + interval '1 day' FROM mail_outbox WHERE bulk_send_id = $1`,
      [bulkSendId],
    );

    expect(await app.services.mailDelivery.drainBulk(bulkSendId, 5_000)).toEqual({ hasMore: false });
    expect((await app.services.passwordEmails.getBulk(bulkSendId)).progress).toMatchObject({
      sent: 3,
      pending: 0,
    });
    for (let index = 1; index <= 3; index += 1) {
      const mails = mailsTo(`held${index}@example.com`);
      expect(mails).toHaveLength(1);
      const token = /reset-password\?token=([A-Za-z0-9_-]{43})/.exec(mails[0]!.text)?.[1];
      const { rows } = await pool.query(
        `SELECT 1 FROM password_reset_tokens t JOIN customers c ON c.id = t.customer_id
          WHERE t.token_hash = $1 AND c.email = $2`,
        [hashToken(token!), `held${index}@example.com`],
      );
      expect(rows).toHaveLength(1);
    }
    const { rows: left } = await pool.query(
      'SELECT 1 FROM password_reset_tokens WHERE token_hash = ANY($1::bytea[])',
      [dead.map((row) => row.tokenHash)],
    );
    expect(left).toHaveLength(0);
  });
});

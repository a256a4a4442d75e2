import type { Queryable } from '../db/database.ts';
import type { TemplateLanguage } from './default-templates.ts';
import type { FailureReason } from './delivery-failure.ts';
import type { TemplateKey } from './placeholders.ts';

export const outboxReasons = [
  'password_staff',
  'password_bulk',
  'password_reset_request',
  'account_created',
  'password_changed',
  'template_test',
  'registration_attempt',
  'staff_password_link',
  /** A notice to a staff user (a recurring import waiting for approval), written whole by the caller. */
  'staff_notice',
] as const;
export type OutboxReason = (typeof outboxReasons)[number];
export const outboxStatuses = ['pending', 'sending', 'sent', 'failed', 'skipped'] as const;
export type OutboxStatus = (typeof outboxStatuses)[number];

export type NewOutboxMessage = {
  idempotencyKey: string;
  reason: OutboxReason;
  templateKey: TemplateKey;
  language: TemplateLanguage;
  customerId: number | null;
  requestedBy: number | null;
  toAddress: string;
  draft?: { subject: string; bodyHtml: string };
  now: Date;
};

export type OutboxRow = {
  id: number;
  idempotencyKey: string;
  reason: OutboxReason;
  templateKey: TemplateKey;
  language: TemplateLanguage;
  customerId: number | null;
  bulkSendId: number | null;
  toAddress: string;
  draftSubject: string | null;
  draftBodyHtml: string | null;
  status: OutboxStatus;
  attempts: number;
  resetTokenHash: Buffer | null;
  lastError: string | null;
  createdAt: Date;
  sentAt: Date | null;
};

const rowColumns = `id, idempotency_key AS "idempotencyKey", reason, template_key AS "templateKey", language,
  customer_id AS "customerId", bulk_send_id AS "bulkSendId", to_address AS "toAddress",
  draft_subject AS "draftSubject", draft_body_html AS "draftBodyHtml", status, attempts,
  reset_token_hash AS "resetTokenHash", last_error AS "lastError", created_at AS "createdAt", sent_at AS "sentAt"`;

const zeroCounts = () =>
  Object.fromEntries(outboxStatuses.map((status) => [status, 0])) as Record<OutboxStatus, number>;

export const outboxRepository = {
  /** Returns the new row's id, or undefined when a row with this idempotency key exists already. */
  async insert(db: Queryable, message: NewOutboxMessage): Promise<number | undefined> {
    const { rows } = await db.query<{ id: number }>(
      `INSERT INTO mail_outbox (idempotency_key, reason, template_key, language, customer_id, requested_by, to_address,
                                draft_subject, draft_body_html, next_attempt_at, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)
       ON CONFLICT (idempotency_key) DO NOTHING RETURNING id`,
      [
        message.idempotencyKey,
        message.reason,
        message.templateKey,
        message.language,
        message.customerId,
        message.requestedBy,
        message.toAddress,
        message.draft?.subject ?? null,
        message.draft?.bodyHtml ?? null,
        message.now,
      ],
    );
    return rows[0]?.id;
  },

  async findById(db: Queryable, id: number): Promise<OutboxRow | undefined> {
    const { rows } = await db.query<OutboxRow>(`SELECT ${rowColumns} FROM mail_outbox WHERE id = $1`, [id]);
    return rows[0];
  },

  /** Takes a pending row for one delivery attempt; undefined when it is not pending (done, or taken). */
  async claim(db: Queryable, id: number, lockedUntil: Date): Promise<OutboxRow | undefined> {
    const { rows } = await db.query<OutboxRow>(
      `UPDATE mail_outbox SET status = 'sending', attempts = attempts + 1, locked_until = $2
        WHERE id = $1 AND status = 'pending' RETURNING ${rowColumns}`,
      [id, lockedUntil],
    );
    return rows[0];
  },

  /** The next due row of a bulk send, skipping rows another worker holds. */
  async claimNextOfBulk(
    db: Queryable,
    bulkSendId: number,
    now: Date,
    lockedUntil: Date,
  ): Promise<OutboxRow | undefined> {
    const { rows } = await db.query<OutboxRow>(
      `UPDATE mail_outbox SET status = 'sending', attempts = attempts + 1, locked_until = $3
        WHERE id = (SELECT id FROM mail_outbox
                     WHERE bulk_send_id = $1 AND status = 'pending' AND next_attempt_at <= $2
                     ORDER BY next_attempt_at, id LIMIT 1 FOR UPDATE SKIP LOCKED)
        RETURNING ${rowColumns}`,
      [bulkSendId, now, lockedUntil],
    );
    return rows[0];
  },

  async setResetTokenHash(db: Queryable, id: number, tokenHash: Buffer | null): Promise<void> {
    await db.query('UPDATE mail_outbox SET reset_token_hash = $2 WHERE id = $1', [id, tokenHash]);
  },

  async setRecipient(db: Queryable, id: number, toAddress: string): Promise<void> {
    await db.query('UPDATE mail_outbox SET to_address = $2 WHERE id = $1', [id, toAddress]);
  },

  /** `serverResponse`: the server's reply to the message (its queue id), when it gave one. */
  async markSent(
    db: Queryable,
    id: number,
    result: { now: Date; subject: string; messageId: string; serverResponse?: string | null },
  ): Promise<void> {
    // A staff user's password link lives in its row's body until it is handed over, not after.
    await db.query(
      `UPDATE mail_outbox SET status = 'sent', sent_at = $2, subject = $3, message_id = $4, locked_until = NULL, last_error = NULL,
              failure_reason = NULL, smtp_response = $5,
              draft_body_html = CASE WHEN reason = 'staff_password_link' THEN NULL ELSE draft_body_html END
        WHERE id = $1`,
      [id, result.now, result.subject, result.messageId, result.serverResponse ?? null],
    );
  },

  /** Back to pending for a later attempt; the server's reply (a 4xx) stays readable meanwhile. */
  async markRetry(
    db: Queryable,
    id: number,
    nextAttemptAt: Date,
    error: string,
    serverResponse: string | null = null,
  ): Promise<void> {
    await db.query(
      `UPDATE mail_outbox SET status = 'pending', next_attempt_at = $2, last_error = $3, smtp_response = $4,
              locked_until = NULL, reset_token_hash = NULL
        WHERE id = $1`,
      [id, nextAttemptAt, error, serverResponse],
    );
  },

  /** `failure`: for a failed row, its category and the server's reply (none for a skipped row). */
  async markFinished(
    db: Queryable,
    id: number,
    status: 'failed' | 'skipped',
    now: Date,
    error: string,
    failure?: { reason: FailureReason; serverResponse: string | null },
  ): Promise<void> {
    await db.query(
      `UPDATE mail_outbox SET status = $2, failed_at = $3, last_error = $4, locked_until = NULL,
              failure_reason = $5, smtp_response = $6,
              draft_body_html = CASE WHEN reason = 'staff_password_link' THEN NULL ELSE draft_body_html END
        WHERE id = $1`,
      [id, status, now, error, failure?.reason ?? null, failure?.serverResponse ?? null],
    );
  },

  /**
   * Rows left in `sending` by a worker that died: the message may or may not have gone out, so it
   * is not sent again (at most one e-mail per cause); staff see why and can send a new one.
   */
  async failAbandoned(
    db: Queryable,
    now: Date,
    scope: { id?: number; bulkSendId?: number },
  ): Promise<number> {
    const { rowCount } = await db.query(
      `UPDATE mail_outbox SET status = 'failed', failed_at = $1, locked_until = NULL, failure_reason = 'interrupted',
              last_error = 'Delivery was interrupted (worker stopped while sending); the message may not have arrived and is not sent again automatically.'
        WHERE status = 'sending' AND locked_until < $1
          AND ($2::bigint IS NULL OR id = $2) AND ($3::bigint IS NULL OR bulk_send_id = $3)`,
      [now, scope.id ?? null, scope.bulkSendId ?? null],
    );
    return rowCount ?? 0;
  },

  /** When the n-th most recent bulk message since `since` was sent (undefined: fewer were), for the throttle. */
  async nthLatestBulkSend(db: Queryable, since: Date, n: number): Promise<Date | undefined> {
    const { rows } = await db.query<{ sentAt: Date }>(
      `SELECT sent_at AS "sentAt" FROM mail_outbox WHERE bulk_send_id IS NOT NULL AND sent_at > $1
        ORDER BY sent_at DESC OFFSET $2 LIMIT 1`,
      [since, n - 1],
    );
    return rows[0]?.sentAt;
  },

  async pendingOfBulk(
    db: Queryable,
    bulkSendId: number,
  ): Promise<{ count: number; nextAttemptAt: Date | null }> {
    const { rows } = await db.query<{ count: number; nextAttemptAt: Date | null }>(
      `SELECT count(*)::int AS count, min(next_attempt_at) AS "nextAttemptAt" FROM mail_outbox
        WHERE bulk_send_id = $1 AND status IN ('pending', 'sending')`,
      [bulkSendId],
    );
    return rows[0] ?? { count: 0, nextAttemptAt: null };
  },

  async countByStatusOfBulk(db: Queryable, bulkSendId: number): Promise<Record<OutboxStatus, number>> {
    return (await outboxRepository.countByStatusOfBulks(db, [bulkSendId])).get(bulkSendId) ?? zeroCounts();
  },

  /** Per bulk send: how many of its rows are in each status (every id is in the map). */
  async countByStatusOfBulks(
    db: Queryable,
    bulkSendIds: readonly number[],
  ): Promise<Map<number, Record<OutboxStatus, number>>> {
    const { rows } = await db.query<{ bulkSendId: number; status: OutboxStatus; count: number }>(
      `SELECT bulk_send_id::int AS "bulkSendId", status, count(*)::int AS count FROM mail_outbox
        WHERE bulk_send_id = ANY($1::bigint[]) GROUP BY bulk_send_id, status`,
      [bulkSendIds],
    );
    const counts = new Map(bulkSendIds.map((id) => [id, zeroCounts()]));
    for (const row of rows) {
      const ofBulk = counts.get(row.bulkSendId);
      if (ofBulk) ofBulk[row.status] = row.count;
    }
    return counts;
  },

  /** The latest e-mail with a reset link to a customer (staff, bulk, or the customer's own request). */
  async lastPasswordMailOfCustomer(
    db: Queryable,
    customerId: number,
  ): Promise<
    | {
        id: number;
        reason: OutboxReason;
        status: OutboxStatus;
        createdAt: Date;
        sentAt: Date | null;
        lastError: string | null;
      }
    | undefined
  > {
    const { rows } = await db.query<{
      id: number;
      reason: OutboxReason;
      status: OutboxStatus;
      createdAt: Date;
      sentAt: Date | null;
      lastError: string | null;
    }>(
      `SELECT id, reason, status, created_at AS "createdAt", sent_at AS "sentAt", last_error AS "lastError"
         FROM mail_outbox WHERE customer_id = $1 AND template_key IN ('account_password', 'password_reset') AND reason <> 'template_test'
        ORDER BY created_at DESC, id DESC LIMIT 1`,
      [customerId],
    );
    return rows[0];
  },
};

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

/** A row whose message went out: what `markSent` records. */
export type SentRow = {
  id: number;
  now: Date;
  subject: string;
  messageId: string;
  serverResponse?: string | null;
};

// $1 the row, $2 when, $3 subject, $4 Message-ID, $5 the server's reply. A staff user's password
// link lives in its row's body until it is handed over, not after.
const sentAssignments = `status = 'sent', sent_at = $2, subject = $3, message_id = $4, locked_until = NULL,
  last_error = NULL, failure_reason = NULL, smtp_response = $5,
  draft_body_html = CASE WHEN reason = 'staff_password_link' THEN NULL ELSE draft_body_html END`;

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

  /**
   * Up to `limit` due rows of a bulk send, oldest due first, locked for the caller's transaction;
   * rows another transaction has locked are skipped. The transaction holds them past its end with
   * `notePrepared` (`heldUntil`).
   */
  async lockDueOfBulk(tx: Queryable, bulkSendId: number, now: Date, limit: number): Promise<OutboxRow[]> {
    const { rows } = await tx.query<OutboxRow>(
      `SELECT ${rowColumns} FROM mail_outbox
        WHERE bulk_send_id = $1 AND status = 'pending' AND next_attempt_at <= $2
        ORDER BY next_attempt_at, id LIMIT $3 FOR UPDATE SKIP LOCKED`,
      [bulkSendId, now, limit],
    );
    return rows;
  },

  /**
   * In one statement: the reset token made for each row's attempt and its address as it is now;
   * with `heldUntil`, the rows (pending, prepared in a batch) also stay this worker's until then —
   * their `next_attempt_at` — and are taken for their attempt one by one (`handOver`) right
   * before each is sent. A worker that dies leaves them to whoever takes them after that.
   */
  async notePrepared(
    db: Queryable,
    rows: ReadonlyArray<{ id: number; tokenHash: Buffer | null; toAddress: string }>,
    heldUntil?: Date,
  ): Promise<void> {
    if (rows.length === 0) return;
    await db.query(
      `UPDATE mail_outbox o SET reset_token_hash = v.hash, to_address = v.to_address,
              next_attempt_at = COALESCE($4, o.next_attempt_at)
         FROM unnest($1::bigint[], $2::bytea[], $3::text[]) AS v(id, hash, to_address)
        WHERE o.id = v.id`,
      [
        rows.map((row) => row.id),
        rows.map((row) => row.tokenHash),
        rows.map((row) => row.toAddress),
        heldUntil ?? null,
      ],
    );
  },

  /**
   * In one statement: records `sent` as sent (when given), and takes `next` — a row this worker
   * holds (`notePrepared`) and prepared with `tokenHash` — for its attempt (`sending`, leased
   * until `lockedUntil`). Returns `next`'s attempts, or undefined when it is no longer this
   * worker's (its hold ran out and another took it). Taking it again after a lost reply is a no-op.
   */
  async handOver(
    db: Queryable,
    input: {
      sent?: SentRow;
      next?: { id: number; tokenHash: Buffer | null; heldUntil: Date; lockedUntil: Date };
    },
  ): Promise<number | undefined> {
    const { sent, next } = input;
    const { rows } = await db.query<{ attempts: number }>(
      `WITH sent AS (UPDATE mail_outbox SET ${sentAssignments} WHERE id = $1)
       UPDATE mail_outbox
          SET status = 'sending', attempts = CASE WHEN status = 'pending' THEN attempts + 1 ELSE attempts END,
              locked_until = $9
        WHERE id = $6 AND reset_token_hash IS NOT DISTINCT FROM $7
          AND ((status = 'pending' AND next_attempt_at = $8) OR (status = 'sending' AND locked_until = $9))
        RETURNING attempts`,
      [
        sent?.id ?? null,
        sent?.now ?? null,
        sent?.subject ?? null,
        sent?.messageId ?? null,
        sent?.serverResponse ?? null,
        next?.id ?? null,
        next?.tokenHash ?? null,
        next?.heldUntil ?? null,
        next?.lockedUntil ?? null,
      ],
    );
    return rows[0]?.attempts;
  },

  /**
   * Gives back rows held but not sent (a slice ended, or the send stopped): due at once, without
   * their attempt's token (deleted by the caller). A row no longer held with that token is left alone.
   */
  async releaseHeld(
    db: Queryable,
    rows: ReadonlyArray<{ id: number; tokenHash: Buffer | null }>,
    now: Date,
  ): Promise<void> {
    if (rows.length === 0) return;
    await db.query(
      `UPDATE mail_outbox o SET next_attempt_at = $3, reset_token_hash = NULL
         FROM unnest($1::bigint[], $2::bytea[]) AS v(id, hash)
        WHERE o.id = v.id AND o.status = 'pending' AND o.reset_token_hash IS NOT DISTINCT FROM v.hash`,
      [rows.map((row) => row.id), rows.map((row) => row.tokenHash), now],
    );
  },

  /** `serverResponse`: the server's reply to the message (its queue id), when it gave one. */
  async markSent(db: Queryable, id: number, result: Omit<SentRow, 'id'>): Promise<void> {
    await db.query(`UPDATE mail_outbox SET ${sentAssignments} WHERE id = $1`, [
      id,
      result.now,
      result.subject,
      result.messageId,
      result.serverResponse ?? null,
    ]);
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

  /**
   * For the throttle: how many bulk messages were sent since `since`, counting no further than
   * `atMost`, and when the last one counted was sent (with `atMost` counted: the `atMost`-th latest).
   */
  async recentBulkSends(
    db: Queryable,
    since: Date,
    atMost: number,
  ): Promise<{ count: number; oldestSentAt: Date | undefined }> {
    const { rows } = await db.query<{ count: number; oldestSentAt: Date | null }>(
      `SELECT count(*)::int AS count, min(sent_at) AS "oldestSentAt"
         FROM (SELECT sent_at FROM mail_outbox WHERE bulk_send_id IS NOT NULL AND sent_at > $1
                ORDER BY sent_at DESC LIMIT $2) AS recent`,
      [since, atMost],
    );
    return { count: rows[0]?.count ?? 0, oldestSentAt: rows[0]?.oldestSentAt ?? undefined };
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

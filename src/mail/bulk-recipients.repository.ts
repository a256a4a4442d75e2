import type { Queryable } from '../db/database.ts';
import { failureReasons, type FailureReason } from './delivery-failure.ts';
import type { OutboxReason, OutboxStatus } from './outbox.repository.ts';

export type RecipientRow = {
  customerId: number;
  customerNumber: string | null;
  email: string;
  name: string;
  status: OutboxStatus;
  reason: FailureReason | null;
  serverResponse: string | null;
  attempts: number;
  queuedAt: Date;
  sentAt: Date | null;
  failedAt: Date | null;
};

export type RecipientFilter = { status?: OutboxStatus; reason?: FailureReason };

export type CustomerPasswordEmailRow = {
  id: number;
  kind: OutboxReason;
  bulkSendId: number | null;
  createdAt: Date;
  sentAt: Date | null;
  failedAt: Date | null;
  status: OutboxStatus;
  reason: FailureReason | null;
  serverResponse: string | null;
};

const recipientColumns = `o.customer_id::int AS "customerId", c.external_id AS "customerNumber", o.to_address AS email,
  concat_ws(' ', nullif(c.first_name, ''), nullif(c.name_insertion, ''), nullif(c.last_name, '')) AS name,
  o.status, o.failure_reason AS reason, o.smtp_response AS "serverResponse", o.attempts,
  o.created_at AS "queuedAt", o.sent_at AS "sentAt", o.failed_at AS "failedAt"`;

/** The condition on `o` for a bulk send's recipients with a status and reason; params appended. */
function recipientWhere(bulkSendId: number, filter: RecipientFilter, params: unknown[]): string {
  params.push(bulkSendId);
  const conditions = [`o.bulk_send_id = $${params.length}`];
  // A reason only failed rows have: the failed index serves the list, its export and the resend.
  const status = filter.reason ? 'failed' : filter.status;
  if (status) {
    params.push(status);
    conditions.push(`o.status = $${params.length}`);
  }
  if (filter.reason) {
    params.push(filter.reason);
    conditions.push(`o.failure_reason = $${params.length}`);
  }
  return conditions.join(' AND ');
}

/**
 * The recipients of bulk sends (one outbox row each, keyed by bulk send and customer) and the
 * password e-mails of one customer. Pages are keyset pages on the customer id, which the unique
 * (bulk_send_id, customer_id) index and the failed rows' index both serve in order.
 */
export const bulkRecipientsRepository = {
  async listPage(
    db: Queryable,
    bulkSendId: number,
    filter: RecipientFilter,
    page: { limit: number; after?: number },
  ): Promise<RecipientRow[]> {
    const params: unknown[] = [];
    const where = recipientWhere(bulkSendId, filter, params);
    params.push(page.after ?? 0, page.limit);
    const { rows } = await db.query<RecipientRow>(
      `SELECT ${recipientColumns} FROM mail_outbox o JOIN customers c ON c.id = o.customer_id
        WHERE ${where} AND o.customer_id > $${params.length - 1}
        ORDER BY o.customer_id LIMIT $${params.length}`,
      params,
    );
    return rows;
  },

  async count(db: Queryable, bulkSendId: number, filter: RecipientFilter): Promise<number> {
    const params: unknown[] = [];
    const where = recipientWhere(bulkSendId, filter, params);
    const { rows } = await db.query<{ count: number }>(
      `SELECT count(*)::int AS count FROM mail_outbox o WHERE ${where}`,
      params,
    );
    return rows[0]?.count ?? 0;
  },

  /** The failed recipients of a bulk send per reason (every reason is in the record). */
  async failedReasonCounts(db: Queryable, bulkSendId: number): Promise<Record<FailureReason, number>> {
    const { rows } = await db.query<{ reason: FailureReason | null; count: number }>(
      `SELECT failure_reason AS reason, count(*)::int AS count FROM mail_outbox
        WHERE bulk_send_id = $1 AND status = 'failed' GROUP BY failure_reason`,
      [bulkSendId],
    );
    const counts = Object.fromEntries(failureReasons.map((reason) => [reason, 0])) as Record<
      FailureReason,
      number
    >;
    // A failed row from before migration 030 always got a reason; none is left without one.
    for (const row of rows) if (row.reason) counts[row.reason] = row.count;
    return counts;
  },

  /** The password e-mails of a customer (staff, bulk, their own reset request), newest first. */
  async listOfCustomer(
    db: Queryable,
    customerId: number,
    limit: number,
  ): Promise<CustomerPasswordEmailRow[]> {
    const { rows } = await db.query<CustomerPasswordEmailRow>(
      `SELECT id::int, reason AS kind, bulk_send_id::int AS "bulkSendId", created_at AS "createdAt", sent_at AS "sentAt",
              failed_at AS "failedAt", status, failure_reason AS reason, smtp_response AS "serverResponse"
         FROM mail_outbox
        WHERE customer_id = $1 AND template_key IN ('account_password', 'password_reset') AND reason <> 'template_test'
        ORDER BY created_at DESC, id DESC LIMIT $2`,
      [customerId, limit],
    );
    return rows;
  },
};

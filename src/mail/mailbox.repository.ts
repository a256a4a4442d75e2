import { escapeLike } from '../customers/customer.repository.ts';
import type { Queryable } from '../db/database.ts';
import type { MailboxItem } from './mail.schemas.ts';
import type { OutboxReason } from './outbox.repository.ts';

type MailboxItemRow = Omit<MailboxItem, 'createdAt'> & { createdAt: Date };
type MailboxMessageRow = MailboxItemRow & { html: string; text: string };

// The outbox row says why the message was sent; it may be gone (ON DELETE SET NULL), hence the LEFT JOIN.
const itemColumns = `m.id, m.from_address AS "from", m.to_address AS "to", m.subject, m.created_at AS "createdAt",
  o.reason, o.template_key AS "templateKey"`;
const fromMailbox = 'FROM mailbox_messages m LEFT JOIN mail_outbox o ON o.id = m.outbox_id';

const withIsoDate = <T extends { createdAt: Date }>(row: T) => ({
  ...row,
  createdAt: row.createdAt.toISOString(),
});

export const mailboxRepository = {
  /**
   * Newest first; `before` is the id where the previous page ended. `q`: part of the recipient
   * or the subject, any case (trigram index of 011_shop_day.sql); `kind`: the outbox reason.
   */
  async listPage(
    db: Queryable,
    limit: number,
    filter: { before?: number | undefined; q?: string | undefined; kind?: OutboxReason | undefined },
  ): Promise<MailboxItem[]> {
    const params: unknown[] = [limit];
    const conditions: string[] = [];
    if (filter.before !== undefined) {
      params.push(filter.before);
      conditions.push(`m.id < $${params.length}`);
    }
    if (filter.q) {
      params.push(`%${escapeLike(filter.q.toLowerCase())}%`);
      conditions.push(`lower(m.to_address || ' ' || m.subject) LIKE $${params.length}`);
    }
    if (filter.kind) {
      params.push(filter.kind);
      conditions.push(`o.reason = $${params.length}`);
    }
    const where = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
    const { rows } = await db.query<MailboxItemRow>(
      `SELECT ${itemColumns} ${fromMailbox} ${where} ORDER BY m.id DESC LIMIT $1`,
      params,
    );
    return rows.map(withIsoDate);
  },

  async findById(
    db: Queryable,
    id: number,
  ): Promise<(MailboxItem & { html: string; text: string }) | undefined> {
    const { rows } = await db.query<MailboxMessageRow>(
      `SELECT ${itemColumns}, m.body_html AS "html", m.body_text AS "text" ${fromMailbox} WHERE m.id = $1`,
      [id],
    );
    return rows[0] && withIsoDate(rows[0]);
  },
};

import type { Queryable } from '../db/database.ts';
import type { MailboxItem } from './mail.schemas.ts';

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
  /** Newest first; `before` is the id where the previous page ended. */
  async listPage(db: Queryable, limit: number, before: number | undefined): Promise<MailboxItem[]> {
    const { rows } = await db.query<MailboxItemRow>(
      `SELECT ${itemColumns} ${fromMailbox} WHERE ($1::bigint IS NULL OR m.id < $1) ORDER BY m.id DESC LIMIT $2`,
      [before ?? null, limit],
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

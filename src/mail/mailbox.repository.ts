import type { Queryable } from '../db/database.ts';
import type { MailboxMessage } from './mail.schemas.ts';

type MailboxRow = {
  id: number;
  from: string;
  to: string;
  subject: string;
  html: string;
  text: string;
  createdAt: Date;
};
const columns = `id, from_address AS "from", to_address AS "to", subject, body_html AS "html", body_text AS "text", created_at AS "createdAt"`;

const toMessage = (row: MailboxRow): MailboxMessage => ({ ...row, createdAt: row.createdAt.toISOString() });

export const mailboxRepository = {
  /** Newest first; `before` is the id where the previous page ended. */
  async listPage(db: Queryable, limit: number, before: number | undefined): Promise<MailboxMessage[]> {
    const { rows } = await db.query<MailboxRow>(
      `SELECT ${columns} FROM mailbox_messages WHERE ($1::bigint IS NULL OR id < $1) ORDER BY id DESC LIMIT $2`,
      [before ?? null, limit],
    );
    return rows.map(toMessage);
  },

  async findById(db: Queryable, id: number): Promise<MailboxMessage | undefined> {
    const { rows } = await db.query<MailboxRow>(`SELECT ${columns} FROM mailbox_messages WHERE id = $1`, [
      id,
    ]);
    return rows[0] && toMessage(rows[0]);
  },
};

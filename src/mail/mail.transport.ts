import { createTransport } from 'nodemailer';
import type { Queryable } from '../db/database.ts';
import { isAddressSyntaxRefusal, shortServerResponse } from './delivery-failure.ts';

export type OutgoingMessage = {
  /** null for mail that does not go through the outbox (a staff user's own password link). */
  outboxId: number | null;
  from: string;
  to: string;
  subject: string;
  html: string;
  text: string;
  /** Stable per outbox row, so a receiving system can recognise a repeat. */
  messageId: string;
};

/**
 * `retry`: certainly not delivered, try again later (4xx reply, no connection).
 * `failed`: refused for good (5xx reply), or no address to send to: `invalid_address` when it is
 * the address (nothing usable to send to, or the server calls its syntax bad), else `smtp_refused`.
 * `uncertain`: the connection broke after the message was handed over, so it may have arrived;
 * sending again could deliver it twice.
 * `response`: the server's reply (or the error when there was none), short, for staff to read.
 */
export type SendOutcome =
  | { status: 'sent'; response: string | null }
  | { status: 'retry' | 'uncertain'; error: string; response: string | null }
  | { status: 'failed'; reason: 'invalid_address' | 'smtp_refused'; error: string; response: string | null };

export type MailTransport = {
  kind: 'smtp' | 'mailbox';
  send: (message: OutgoingMessage) => Promise<SendOutcome>;
  close: () => Promise<void>;
};

type SmtpError = {
  message?: string;
  code?: string;
  responseCode?: number;
  command?: string;
  response?: string;
};

/** Sorts an SMTP failure by what it means for delivery (see SendOutcome). */
export function classifySmtpError(error: SmtpError): SendOutcome {
  const message = error.message ?? String(error);
  const response = shortServerResponse(error.response ?? message);
  if (typeof error.responseCode === 'number') {
    if (error.responseCode < 500) return { status: 'retry', error: message, response };
    const isAddress = isAddressSyntaxRefusal(error.responseCode, error.command, error.response ?? message);
    return {
      status: 'failed',
      reason: isAddress ? 'invalid_address' : 'smtp_refused',
      error: message,
      response,
    };
  }
  // Nodemailer found no address it could send to ("No recipients defined"): refused before
  // sending, and trying again cannot help until the address is changed.
  if (error.code === 'EENVELOPE')
    return { status: 'failed', reason: 'invalid_address', error: message, response };
  // No reply at all: before the message data was sent nothing can have been delivered.
  if (error.command === 'DATA' || error.command === 'DATA (final)' || error.code === 'ESTREAM') {
    return { status: 'uncertain', error: message, response };
  }
  return { status: 'retry', error: message, response };
}

export function createSmtpTransport(url: string, options: { connections?: number } = {}): MailTransport {
  // A pool, one connection per e-mail sent at once (MAIL_SEND_CONCURRENCY): one SMTP conversation
  // per message costs a connect, EHLO and QUIT each (6× slower in bulk). Short timeouts: a dead server must turn into a retry, not a worker stuck for minutes.
  const transporter = createTransport({
    url,
    pool: true,
    maxConnections: Math.max(2, options.connections ?? 2),
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  });
  return {
    kind: 'smtp',
    async send(message) {
      try {
        const info = (await transporter.sendMail({
          from: message.from,
          to: message.to,
          subject: message.subject,
          html: message.html,
          text: message.text,
          messageId: message.messageId,
        })) as { response?: string };
        return { status: 'sent', response: shortServerResponse(info.response) };
      } catch (error) {
        return classifySmtpError(error as SmtpError);
      }
    },
    async close() {
      transporter.close();
    },
  };
}

/**
 * The built-in mailbox: "sending" stores the message in PostgreSQL, where staff read it in the
 * back office. Keyed on the outbox row, so delivering the same row twice keeps one message.
 */
export function createMailboxTransport(db: Queryable, now: () => Date): MailTransport {
  return {
    kind: 'mailbox',
    async send(message) {
      await db.query(
        `INSERT INTO mailbox_messages (outbox_id, from_address, to_address, subject, body_html, body_text, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (outbox_id) DO NOTHING`,
        [message.outboxId, message.from, message.to, message.subject, message.html, message.text, now()],
      );
      return { status: 'sent', response: null };
    },
    async close() {},
  };
}

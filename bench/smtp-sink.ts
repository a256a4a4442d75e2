import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { parseMessage, type ReceivedMail } from '../test/support/smtp-server.ts';

export type SmtpSink = {
  url: string;
  /** Messages accepted so far. */
  readonly accepted: number;
  /** Messages to a recipient who had been sent one before. */
  readonly repeats: number;
  /** Every `keepEvery`-th message, parsed: what the benchmark checks the content of. */
  readonly kept: readonly ReceivedMail[];
  close: () => Promise<void>;
};

/**
 * An SMTP server on 127.0.0.1 that accepts every message at once and keeps only a count, the
 * recipients (to find repeats) and a sample: the test server keeps and parses every message,
 * which at 100,000 would cost the benchmark's own process more than the sending it measures.
 */
export async function startSmtpSink(options: { keepEvery: number }): Promise<SmtpSink> {
  const recipients = new Set<string>();
  const kept: ReceivedMail[] = [];
  let accepted = 0;
  let repeats = 0;
  const server = new SMTPServer({
    authOptional: true,
    disableReverseLookup: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    closeTimeout: 50,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      const isKept = accepted % options.keepEvery === 0;
      accepted += 1;
      stream.on('data', (chunk: Buffer) => {
        if (isKept) chunks.push(chunk);
      });
      stream.on('end', () => {
        const to = session.envelope.rcptTo.map((rcpt) => rcpt.address);
        for (const address of to) {
          if (recipients.has(address)) repeats += 1;
          else recipients.add(address);
        }
        if (isKept) {
          const raw = Buffer.concat(chunks).toString('utf8');
          kept.push({ ...parseMessage(raw), to, raw });
        }
        callback();
      });
    },
  });
  server.on('error', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    get accepted() {
      return accepted;
    },
    get repeats() {
      return repeats;
    },
    kept,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

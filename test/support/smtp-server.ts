import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export type ReceivedMail = {
  to: string[];
  subject: string;
  messageId: string;
  html: string;
  text: string;
  raw: string;
};

export type RecipientMode = 'accept' | 'tempfail' | 'permfail';

export type TestSmtpServer = {
  url: string;
  port: number;
  received: ReceivedMail[];
  /** accept: 250; tempfail: 451 for every recipient; permfail: 550 for every recipient. */
  setMode: (mode: RecipientMode) => void;
  /**
   * How the server answers RCPT TO for these addresses (any case), whatever `setMode` says:
   * `permfail` 550, `tempfail` 451; `accept` takes them again (back to following the mode).
   */
  setRecipientMode: (addresses: readonly string[], mode: RecipientMode) => void;
  /** Answers each message this much later (a slow mail server: keeps a bulk send under way for a while). */
  setDelayMs: (delayMs: number) => void;
  /** The most messages the server was receiving or holding unanswered at one time. */
  readonly peakConcurrentMessages: number;
  /** Closes the listening socket (connections are refused) until `start()`. */
  stopListening: () => Promise<void>;
  start: () => Promise<void>;
  close: () => Promise<void>;
};

/**
 * A real SMTP server (the `smtp-server` package) on 127.0.0.1 for tests: it records every
 * message it accepts, can refuse recipients temporarily or permanently, and can go down and come
 * back on the same port.
 */
export async function startTestSmtpServer(): Promise<TestSmtpServer> {
  const received: ReceivedMail[] = [];
  let mode: RecipientMode = 'accept';
  const recipientModes = new Map<string, Exclude<RecipientMode, 'accept'>>();
  let delayMs = 0;
  let inProgress = 0;
  let peakConcurrentMessages = 0;
  let port = 0;
  let server: SMTPServer;

  const create = () =>
    new SMTPServer({
      authOptional: true,
      // No reverse DNS of 127.0.0.1 per connection (slow, and no network here anyway).
      disableReverseLookup: true,
      // "Down" means down: open connections end at once instead of after 30 s.
      closeTimeout: 50,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onRcptTo(address, _session, callback) {
        const answer = recipientModes.get(address.address.toLowerCase()) ?? mode;
        if (answer === 'accept') return callback();
        const error = new Error(
          answer === 'tempfail' ? 'Mailbox busy, try later' : 'No such user',
        ) as Error & {
          responseCode: number;
        };
        error.responseCode = answer === 'tempfail' ? 451 : 550;
        return callback(error);
      },
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        inProgress += 1;
        peakConcurrentMessages = Math.max(peakConcurrentMessages, inProgress);
        const answer = () => {
          inProgress -= 1;
          callback();
        };
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          received.push({
            ...parseMessage(raw),
            to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
            raw,
          });
          if (delayMs > 0) setTimeout(answer, delayMs);
          else answer();
        });
      },
    });

  const listen = () =>
    new Promise<void>((resolve, reject) => {
      server = create();
      server.on('error', () => {});
      const onError = (error: Error) => reject(error);
      server.server.once('error', onError);
      server.listen(port, '127.0.0.1', () => {
        server.server.off('error', onError);
        port = (server.server.address() as AddressInfo).port;
        resolve();
      });
    });
  const stop = () => new Promise<void>((resolve) => server.close(() => resolve()));

  await listen();
  return {
    get url() {
      return `smtp://127.0.0.1:${port}`;
    },
    get port() {
      return port;
    },
    received,
    setMode: (next) => {
      mode = next;
    },
    setRecipientMode: (addresses, next) => {
      for (const address of addresses) {
        if (next === 'accept') recipientModes.delete(address.toLowerCase());
        else recipientModes.set(address.toLowerCase(), next);
      }
    },
    setDelayMs: (next) => {
      delayMs = next;
    },
    get peakConcurrentMessages() {
      return peakConcurrentMessages;
    },
    stopListening: stop,
    start: listen,
    close: stop,
  };
}

/** Just enough MIME for tests (and the mail benchmark's sample): headers, and the text/html parts decoded from quoted-printable or base64. */
export function parseMessage(raw: string): Omit<ReceivedMail, 'to' | 'raw'> {
  const [head = '', ...rest] = raw.split(/\r?\n\r?\n/);
  const headers = parseHeaders(head);
  const parts = collectParts(headers, rest.join('\r\n\r\n'));
  return {
    subject: decodeWords(headers.subject ?? ''),
    messageId: headers['message-id'] ?? '',
    html: parts.find((part) => part.type.startsWith('text/html'))?.body ?? '',
    text: parts.find((part) => part.type.startsWith('text/plain'))?.body ?? '',
  };
}

function parseHeaders(head: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return headers;
}

function collectParts(headers: Record<string, string>, body: string): { type: string; body: string }[] {
  const type = headers['content-type'] ?? 'text/plain';
  const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
  if (!boundary)
    return [{ type: type.toLowerCase(), body: decodeBody(body, headers['content-transfer-encoding'] ?? '') }];
  return body
    .split(`--${boundary}`)
    .slice(1)
    .filter((section) => !section.startsWith('--'))
    .flatMap((section) => {
      const [partHead = '', ...partBody] = section.replace(/^\r?\n/, '').split(/\r?\n\r?\n/);
      return collectParts(parseHeaders(partHead), partBody.join('\r\n\r\n'));
    });
}

function decodeBody(body: string, encoding: string): string {
  if (/base64/i.test(encoding)) return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (/quoted-printable/i.test(encoding)) {
    const bytes = body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_match, hex: string) => `%${hex}`);
    return decodeURIComponent(bytes.replace(/%(?![0-9A-F]{2})/gi, '%25'));
  }
  return body;
}

/** RFC 2047 encoded words in the subject (=?UTF-8?Q?…?= / =?UTF-8?B?…?=). */
function decodeWords(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?utf-8\?([QB])\?([^?]*)\?=/gi, (_match, kind: string, text: string) =>
      kind.toUpperCase() === 'B'
        ? Buffer.from(text, 'base64').toString('utf8')
        : decodeURIComponent(
            text
              .replace(/_/g, ' ')
              .replace(/=([0-9A-F]{2})/gi, '%$1')
              .replace(/%(?![0-9A-F]{2})/gi, '%25'),
          ),
    );
}

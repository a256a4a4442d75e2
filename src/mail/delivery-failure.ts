import { redactResetTokens } from './redact.ts';

/**
 * Why an e-mail was not delivered, as a category staff can filter on (migration 030 has the
 * definitions). Bounces that arrive later as e-mails are not processed, so there is no `bounced`.
 */
export const failureReasons = ['invalid_address', 'smtp_refused', 'temporary', 'interrupted'] as const;
export type FailureReason = (typeof failureReasons)[number];

/** The longest server reply kept per recipient: a reply line, not a transcript. */
export const maxServerResponseLength = 300;

// eslint-disable-next-line no-control-regex
const controlCharacters = /[\u0000-\u001f\u007f]+/g;
// user:password@ in a URL (an SMTP URL can end up in a connection error).
const urlCredentials = /(\b[a-z][a-z0-9+.-]*:\/\/)[^\s/@]+@/gi;

/**
 * A server reply as staff may see it: one line, at most 300 characters, without a reset token
 * or the credentials of a URL. Null for nothing to say.
 */
export function shortServerResponse(text: string | null | undefined): string | null {
  if (!text) return null;
  const line = redactResetTokens(text)
    .replace(urlCredentials, '$1')
    .replace(controlCharacters, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (line === '') return null;
  return line.length > maxServerResponseLength ? `${line.slice(0, maxServerResponseLength - 1)}…` : line;
}

/**
 * A permanent refusal (5xx) about the address itself rather than the mailbox or the message:
 * 501 to RCPT TO ("Bad recipient address syntax") or the enhanced status 5.1.3 ("bad
 * destination mailbox address syntax"). Everything else the server refuses is `smtp_refused`.
 */
export function isAddressSyntaxRefusal(
  responseCode: number,
  command: string | undefined,
  response: string,
): boolean {
  if (/\b5\.1\.3\b/.test(response)) return true;
  return responseCode === 501 && (command === undefined || command.startsWith('RCPT'));
}

import { describe, expect, it } from 'vitest';
import { shortServerResponse } from './delivery-failure.ts';
import { classifySmtpError } from './mail.transport.ts';

// The errors as nodemailer reports them (seen against smtp-server on 127.0.0.1).
const rejected = (reply: string) => ({
  message: `Can't send mail - all recipients were rejected: ${reply}`,
  code: 'EENVELOPE',
  responseCode: Number(reply.slice(0, 3)),
  command: 'RCPT TO',
  response: reply,
});

describe('why a recipient did not get the e-mail', () => {
  it.each([
    [rejected('550 No such user'), 'failed', 'smtp_refused', '550 No such user'],
    [rejected('554 5.7.1 Relay access denied'), 'failed', 'smtp_refused', '554 5.7.1 Relay access denied'],
    [
      rejected('501 Error: Bad recipient address syntax'),
      'failed',
      'invalid_address',
      '501 Error: Bad recipient address syntax',
    ],
    [
      rejected('553 5.1.3 Bad destination mailbox address syntax'),
      'failed',
      'invalid_address',
      '553 5.1.3 Bad destination mailbox address syntax',
    ],
    [
      { message: 'No recipients defined', code: 'EENVELOPE', command: 'API' },
      'failed',
      'invalid_address',
      'No recipients defined',
    ],
    [rejected('451 Mailbox busy, try later'), 'retry', undefined, '451 Mailbox busy, try later'],
    [
      { code: 'ECONNECTION', command: 'CONN', message: 'connect ECONNREFUSED 127.0.0.1:2525' },
      'retry',
      undefined,
      'connect ECONNREFUSED 127.0.0.1:2525',
    ],
    [
      { code: 'ECONNECTION', command: 'DATA', message: 'Connection closed unexpectedly' },
      'uncertain',
      undefined,
      'Connection closed unexpectedly',
    ],
  ])('%j → %s %s', (error, status, reason, response) => {
    const outcome = classifySmtpError(error);
    expect(outcome.status).toBe(status);
    expect('reason' in outcome ? outcome.reason : undefined).toBe(reason);
    expect(outcome.response).toBe(response);
  });
});

describe('the server response staff read', () => {
  it('is one line, without reset tokens or the credentials of a URL', () => {
    expect(shortServerResponse('550-5.1.1 The email account\r\n550 5.1.1 does not exist')).toBe(
      '550-5.1.1 The email account 550 5.1.1 does not exist',
    );
    expect(
      shortServerResponse(
        '552 message refused: https://shop.example/account/reset-password?token=abc123&lang=nl',
      ),
    ).toBe(
      '552 message refused: https://shop.example/account/reset-password?token=hidden-for-your-role&lang=nl',
    );
    expect(shortServerResponse('connect to smtp://mailer:s3cret@mail.example:587 failed')).toBe(
      'connect to smtp://mail.example:587 failed',
    );
  });

  it('is cut at 300 characters, and absent when there is nothing to say', () => {
    const long = shortServerResponse(`550 ${'x'.repeat(1000)}`)!;
    expect(long).toHaveLength(300);
    expect(long.endsWith('…')).toBe(true);
    expect(shortServerResponse('  \r\n ')).toBeNull();
    expect(shortServerResponse(undefined)).toBeNull();
  });
});

import { describe, expect, it } from 'vitest';
import { classifySmtpError } from './mail.transport.ts';
import { retryDelayMs, throttleWaitMs } from './throttle.ts';

const at = (seconds: number) => new Date(1_700_000_000_000 + seconds * 1000);

describe('per-minute throttle', () => {
  it('lets messages go while fewer than the limit went out in the last minute', () => {
    expect(throttleWaitMs(undefined, at(0))).toBe(0);
    expect(throttleWaitMs(at(-61), at(0))).toBe(0);
  });
  it('waits until the limit-th latest message is a minute old', () => {
    expect(throttleWaitMs(at(-50), at(0))).toBe(10_000);
    expect(throttleWaitMs(at(-1), at(0))).toBe(59_000);
  });
  it('backs off step by step', () => {
    expect([1, 2, 3, 4, 5, 6, 9].map((attempts) => retryDelayMs(attempts))).toEqual([
      5_000, 15_000, 60_000, 300_000, 900_000, 3_600_000, 3_600_000,
    ]);
  });
});

describe('SMTP failures', () => {
  it.each([
    [{ responseCode: 451, message: '451 try later' }, 'retry'],
    [{ responseCode: 421, command: 'CONN' }, 'retry'],
    [{ responseCode: 550, message: '550 no such user' }, 'failed'],
    [{ responseCode: 554, command: 'DATA' }, 'failed'],
    [{ code: 'ECONNECTION', command: 'CONN', message: 'connect ECONNREFUSED' }, 'retry'],
    [{ code: 'ETIMEDOUT', command: 'CONN' }, 'retry'],
    [{ code: 'EDNS' }, 'retry'],
    [{ code: 'ECONNECTION', command: 'DATA', message: 'Connection closed unexpectedly' }, 'uncertain'],
  ])('%j → %s', (error, status) => {
    expect(classifySmtpError(error).status).toBe(status);
  });
});

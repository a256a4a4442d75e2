import { describe, expect, it } from 'vitest';
import { loggerOptions } from './logger.ts';

describe('loggerOptions', () => {
  it.each([
    ['auto', true, true],
    ['auto', false, false],
    ['pretty', false, true],
    ['json', true, false],
  ] as const)('format %s on a terminal=%s: pretty=%s', (format, isTerminal, isPretty) => {
    const options = loggerOptions('info', format, isTerminal);
    expect(options).toMatchObject({ level: 'info' });
    expect(options && options.transport !== undefined).toBe(isPretty);
  });

  it('logs nothing at level silent', () => {
    expect(loggerOptions('silent', 'pretty', true)).toBe(false);
  });
});

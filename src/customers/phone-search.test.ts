import { describe, expect, it } from 'vitest';
import { phoneSearchDigits } from './phone-search.ts';

describe('phoneSearchDigits', () => {
  it.each([
    ['0612345678', ['31612345678', '0612345678']],
    ['06-12345678', ['31612345678', '0612345678']],
    ['06 1234 5678', ['31612345678', '0612345678']],
    ['+31612345678', ['31612345678']],
    ['+31 6 12345678', ['31612345678']],
    ['+31 (0)6 12345678', ['31612345678', '310612345678']],
    ['0031612345678', ['31612345678', '0031612345678']],
    ['0612', ['31612', '0612']],
    ['612345678', ['612345678']],
    ['020 123 4567', ['31201234567', '0201234567']],
  ])('reads %j with the shop in NL as %j', (query, expected) => {
    expect(phoneSearchDigits(query, 'NL')).toEqual(expected);
  });

  it('reads a national number with the shop’s own country', () => {
    expect(phoneSearchDigits('0170 1234567', 'DE')).toEqual(['491701234567', '01701234567']);
    expect(phoneSearchDigits('0470 12 34 56', 'BE')).toEqual(['32470123456', '0470123456']);
  });

  it('leaves words, e-mail addresses and short numbers to the word search', () => {
    for (const query of ['Jansen', 'jan@example.com', '1234 AB', '061', '12', 'Jan 0612345678', ''])
      expect(phoneSearchDigits(query, 'NL'), query).toBeUndefined();
  });
});

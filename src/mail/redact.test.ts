import { describe, expect, it } from 'vitest';
import { redactResetTokens, redactedToken } from './redact.ts';

describe('redactResetTokens', () => {
  it.each([
    [
      'http://shop.test/account/reset-password?token=Abc_-123&lang=nl',
      `http://shop.test/account/reset-password?token=${redactedToken}&lang=nl`,
    ],
    [
      '<a href="http://shop.test/account/reset-password?token=Abc_-123&amp;lang=en">Set</a>',
      `<a href="http://shop.test/account/reset-password?token=${redactedToken}&amp;lang=en">Set</a>`,
    ],
    [
      'http://shop.test/admin/reset-password?token=xyz',
      `http://shop.test/admin/reset-password?token=${redactedToken}`,
    ],
    ['http://shop.test/x?lang=en&amp;token=xyz', `http://shop.test/x?lang=en&amp;token=${redactedToken}`],
    ['Your token is not a link: token=abc stays', 'Your token is not a link: token=abc stays'],
    ['No links at all', 'No links at all'],
  ])('%s', (input, expected) => {
    expect(redactResetTokens(input)).toBe(expected);
  });
});

import { describe, expect, it } from 'vitest';
import { checkNewPassword } from './password-rules.ts';
import { pickLanguage } from './storefront.messages.ts';

const context = { email: 'jan.devries@example.com', firstName: 'Jan', lastName: 'Vermeulen' };

describe('new password rules', () => {
  it.each([
    ['purple tractor sings', 'purple tractor sings', undefined],
    ['short', 'short', 'password_too_short'],
    ['x'.repeat(201), 'x'.repeat(201), 'password_too_long'],
    ['wachtwoord123', 'wachtwoord123', 'password_too_common'],
    ['Password123', 'Password123', 'password_too_common'],
    ['aaaaaaaaaaaaaa', 'aaaaaaaaaaaaaa', 'password_too_common'],
    ['jan.devries@example.com', 'jan.devries@example.com', 'password_like_email'],
    ['jan.devries2024!', 'jan.devries2024!', 'password_like_email'],
    ['vermeulen', 'vermeulen', 'password_too_short'],
  ])('%s → %s', (password, confirmation, code) => {
    const result = checkNewPassword(password, confirmation, context);
    expect(result.ok ? undefined : result.error.password?.code).toBe(code);
  });

  it('asks for the same password twice', () => {
    const result = checkNewPassword('purple tractor sings', 'purple tractor sing', context);
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.error).toEqual({
        passwordConfirmation: { code: 'password_mismatch', message: 'The two passwords are not the same.' },
      });
  });
});

describe('storefront language', () => {
  it.each([
    ['nl', undefined, undefined, 'nl'],
    ['de', 'nl', undefined, 'nl'],
    [undefined, 'en', 'nl-NL,nl;q=0.9', 'en'],
    [undefined, undefined, 'nl-BE,nl;q=0.9,en;q=0.8', 'nl'],
    [undefined, undefined, 'de-DE,de;q=0.9,en;q=0.5,nl;q=0.7', 'nl'],
    [undefined, undefined, 'fr-FR', 'en'],
    [undefined, undefined, undefined, 'en'],
  ])('?lang=%s, cookie %s, Accept-Language %s → %s', (query, cookie, header, expected) => {
    expect(pickLanguage(query, cookie, header)).toBe(expected);
  });
});

import type { FieldErrors } from '../shared/errors.ts';
import { err, ok, type Result } from '../shared/result.ts';

export const minPasswordLength = 10;
export const maxPasswordLength = 200;

// Passwords of 10+ characters that still top the breach lists (NCSC / SecLists top lists, plus
// Dutch favourites). Shorter ones are refused by the length rule already.
const commonPasswords = new Set([
  '1234567890',
  '0123456789',
  '0987654321',
  '1111111111',
  '1234512345',
  '1q2w3e4r5t',
  '1qaz2wsx3edc',
  'qwertyuiop',
  'qwerty1234',
  'qwerty12345',
  'asdfghjkl1',
  'zxcvbnm123',
  'password12',
  'password123',
  'password1!',
  'password01',
  'passw0rd123',
  'iloveyou12',
  'iloveyou123',
  'abcdefghij',
  'abc1234567',
  'welcome123',
  'welcome1234',
  'letmein123',
  'football123',
  'baseball123',
  'sunshine123',
  'princess123',
  'monkey12345',
  'dragon12345',
  'michael123',
  'charlie123',
  'superman123',
  'trustno1234',
  'administrator',
  'changeme123',
  'wachtwoord',
  'wachtwoord1',
  'wachtwoord12',
  'wachtwoord123',
  'welkom1234',
  'welkom12345',
  'geheim1234',
  'voetbal123',
  'ajax123456',
  'feyenoord1',
  'nederland1',
  'hallo12345',
  'amsterdam1',
  'rotterdam1',
]);

export type PasswordContext = { email: string; firstName?: string; lastName?: string };

/**
 * The strength rules for a password a customer chooses: long enough, not one of the passwords
 * every attacker tries first, not the e-mail address or name, and typed the same twice.
 * (Length over composition rules: NIST SP 800-63B §5.1.1.2.)
 */
export function checkNewPassword(
  password: string,
  confirmation: string,
  context: PasswordContext,
): Result<string, FieldErrors> {
  const fields: FieldErrors = {};
  const lower = password.toLowerCase();
  const localPart = context.email.split('@')[0]?.toLowerCase() ?? '';
  const names = [context.firstName, context.lastName]
    .map((name) => name?.trim().toLowerCase() ?? '')
    .filter((name) => name.length >= 3);
  if (password.length < minPasswordLength) {
    fields.password = {
      code: 'password_too_short',
      message: `Use at least ${minPasswordLength} characters.`,
    };
  } else if (password.length > maxPasswordLength) {
    fields.password = { code: 'password_too_long', message: `Use at most ${maxPasswordLength} characters.` };
  } else if (
    commonPasswords.has(lower) ||
    /^(.)\1+$/.test(password) ||
    /^(0123456789|1234567890)+$/.test(password)
  ) {
    fields.password = {
      code: 'password_too_common',
      message: 'This password is one of the first that attackers try. Choose another.',
    };
  } else if (
    lower === context.email.toLowerCase() ||
    (localPart.length >= 4 && lower.includes(localPart)) ||
    names.some((name) => lower === name)
  ) {
    fields.password = {
      code: 'password_like_email',
      message: 'Do not use your e-mail address or name as your password.',
    };
  }
  if (confirmation !== password) {
    fields.passwordConfirmation = {
      code: 'password_mismatch',
      message: 'The two passwords are not the same.',
    };
  }
  return Object.keys(fields).length > 0 ? err(fields) : ok(password);
}

import { describe, expect, it } from 'vitest';
import { checkTemplatePlaceholders, fillPlaceholders, placeholdersIn } from './placeholders.ts';

describe('template placeholders', () => {
  it.each([
    ['account_password', 'Hi', '<a href="[[reset_link]]">x</a>', true],
    ['account_password', 'Hi', '<a href="%5B%5Breset_link%5D%5D">x</a>', true],
    [
      'account_password',
      'Hi [[ first_name ]]',
      '<p>[[reset_link]] [[shop_url]] [[email]] [[last_name]] [[shop_name]]</p>',
      true,
    ],
    ['account_password', 'Hi', '<p>no link</p>', false],
    ['password_reset', 'Hi', '<p>no link</p>', false],
    ['account_created', 'Hi', '<p>no link needed</p>', true],
    ['account_created', 'Hi [[FIRST_NAME]]', '<p>x</p>', false],
    ['password_changed', 'Hi', '<p>[[voornaam]]</p>', false],
  ] as const)('%s with subject %j and body %j → valid: %s', (key, subject, body, isValid) => {
    expect(checkTemplatePlaceholders(key, subject, body).ok).toBe(isValid);
  });

  it('names every unknown placeholder', () => {
    const result = checkTemplatePlaceholders('account_created', '[[a]] [[b]]', '[[first_name]]');
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.error.subject?.message).toMatch(/^Unknown placeholder \[\[a\]\], \[\[b\]\]\./);
  });

  it('fills known placeholders through the escape function and leaves unknown ones', () => {
    const values = {
      reset_link: 'https://x/?a=1&b=2',
      first_name: '<b>Jan</b>',
      last_name: '',
      email: 'e',
      shop_name: 's',
      shop_url: 'u',
    };
    const escape = (value: string) =>
      value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
    expect(fillPlaceholders('[[first_name]] [[reset_link]] [[other]]', values, escape)).toBe(
      '&lt;b&gt;Jan&lt;/b&gt; https://x/?a=1&amp;b=2 [[other]]',
    );
    expect(placeholdersIn('[[a]] [[ b ]] [[a]]')).toEqual(['a', 'b']);
  });
});

import { describe, expect, it } from 'vitest';
import { checkTemplatePlaceholders, fillPlaceholders, placeholdersIn } from './placeholders.ts';

describe('template placeholders', () => {
  it.each([
    ['account_password', 'Hi', '<a href="[[reset_link]]">x</a>', true],
    ['account_password', 'Hi', '<a href="%5B%5Breset_link%5D%5D">x</a>', true],
    [
      'account_password',
      'Hi [[ first_name ]]',
      '<p><a title="Go" href=\'[[ reset_link ]]\'>Set</a> [[shop_url]] [[email]] [[last_name]] [[shop_name]]</p>',
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

  it.each([
    ['an image source', '<a href="[[reset_link]]">x</a><img src="[[reset_link]]">', 'bodyHtml'],
    ['a third-party URL', '<a href="https://tracker.example/?u=[[reset_link]]">x</a>', 'bodyHtml'],
    ['an encoded third-party URL', '<a href="https://t.example/r?to=%5B%5Breset_link%5D%5D">x</a>', 'bodyHtml'],
    ['another attribute', '<a href="[[reset_link]]" title="[[reset_link]]">x</a>', 'bodyHtml'],
    ['a link whose target only starts with it', '<a href="[[reset_link]]&x=1">x</a>', 'bodyHtml'],
    ['the text', '<a href="[[reset_link]]">x</a><p>Or copy [[reset_link]]</p>', 'bodyHtml'],
  ])('refuses [[reset_link]] in %s, with a message saying where it may stand', (_label, body, field) => {
    const result = checkTemplatePlaceholders('account_password', 'Hi', body);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error[field as 'bodyHtml']?.code).toBe('placeholder_reset_link_position');
      expect(result.error[field as 'bodyHtml']?.message).toMatch(/^\[\[reset_link\]\] may only be the target of a link/);
    }
  });

  it('refuses [[reset_link]] in the subject, in any template', () => {
    const result = checkTemplatePlaceholders('account_created', 'Your link [[reset_link]]', '<p>Hi</p>');
    expect(!result.ok && result.error.subject?.code).toBe('placeholder_reset_link_position');
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

import { describe, expect, it } from 'vitest';
import { staffPasswordLinkFor, staffPasswordMessage } from './staff-mail.ts';

describe('staffPasswordMessage', () => {
  const link = staffPasswordLinkFor('https://shop.example.com/', 'abc_DEF-123');

  it('points at the back office page with the token, once', () => {
    expect(link).toBe('https://shop.example.com/admin/reset-password?token=abc_DEF-123');
  });

  it.each([
    ['invite', 'en', 'Your De Fietsenwinkel back-office account', '72 hours'],
    ['invite', 'nl', 'Je account voor de backoffice van De Fietsenwinkel', '72 uur'],
    ['reset', 'en', 'Reset your De Fietsenwinkel back-office password', 'one hour'],
    ['reset', 'nl', 'Nieuw wachtwoord voor de backoffice van De Fietsenwinkel', 'één uur'],
  ] as const)('%s in %s: subject, link and how long it works', (purpose, language, subject, validity) => {
    const message = staffPasswordMessage({
      purpose,
      language,
      name: 'Anna',
      shopName: 'De Fietsenwinkel',
      link,
      validHours: purpose === 'invite' ? 72 : 1,
    });
    expect(message.subject).toBe(subject);
    expect(message.text).toContain(link);
    expect(message.text).toContain(validity);
    expect(message.html).toContain(`href="${link}"`);
  });

  it('shows a name with markup as text', () => {
    const message = staffPasswordMessage({
      purpose: 'reset',
      language: 'en',
      name: '<img src=x onerror=alert(1)>',
      shopName: 'Shop',
      link,
      validHours: 1,
    });
    expect(message.html).not.toContain('<img');
    expect(message.html).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });
});

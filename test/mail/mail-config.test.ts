import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/config.ts';
import { publicBaseUrl } from '../../src/mail/mail.module.ts';

describe('mail and account settings', () => {
  it('has defaults: built-in mailbox, 60 bulk e-mails a minute, staff-sent links valid 7 days', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      smtpUrl: undefined,
      mailFrom: undefined,
      mailDefaultLanguage: 'en',
      mailSendPerMinute: 60,
      mailSendConcurrency: 4,
      resetTokenTtlHoursStaffSent: 168,
      passwordResetRateLimitPerHour: 5,
      passwordResetRateLimitPerHourPerIp: 30,
    });
    expect(publicBaseUrl(config)).toBe('http://127.0.0.1:3000');
    expect(publicBaseUrl(loadConfig({ PUBLIC_URL: 'https://shop.example.com/' }))).toBe(
      'https://shop.example.com',
    );
  });

  it('takes 0 or "off" as no limit on bulk e-mails a minute', () => {
    expect(loadConfig({ MAIL_SEND_PER_MINUTE: '0' }).mailSendPerMinute).toBe(0);
    expect(loadConfig({ MAIL_SEND_PER_MINUTE: 'Off' }).mailSendPerMinute).toBe(0);
    expect(loadConfig({ MAIL_SEND_PER_MINUTE: '600', MAIL_SEND_CONCURRENCY: '8' })).toMatchObject({
      mailSendPerMinute: 600,
      mailSendConcurrency: 8,
    });
  });

  it.each([
    ['SMTP_URL', 'mail.example.com:25', 'must be an smtp:// or smtps:// URL'],
    ['MAIL_SEND_PER_MINUTE', '-1', 'must be a whole number of e-mails per minute'],
    ['MAIL_SEND_PER_MINUTE', 'fast', 'must be a whole number of e-mails per minute'],
    ['MAIL_SEND_CONCURRENCY', '0', 'must be a whole number of e-mails sent at once'],
    ['MAIL_SEND_CONCURRENCY', '33', 'must be a whole number of e-mails sent at once'],
    ['RESET_TOKEN_TTL_HOURS_STAFF_SENT', '1.5', 'must be a whole number of hours'],
    ['PASSWORD_RESET_RATE_LIMIT_PER_HOUR', '-1', 'must be a whole number of requests per hour'],
    ['MAIL_DEFAULT_LANGUAGE', 'de', 'must be en or nl'],
  ])('refuses %s=%s, naming the variable', (name, value, message) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(`${name}=.*${message}`));
  });
});

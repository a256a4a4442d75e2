import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStorefrontAgent, waitFor } from '../accounts/storefront-agent.ts';
import { startTestSmtpServer, type TestSmtpServer } from '../support/smtp-server.ts';
import { createTestApp, type StaffAgent, type TestApp } from '../support/test-app.ts';

/** The shop's identity (#22): asked at setup, edited in Settings › General, used by every e-mail and page. */
let app: TestApp;
let smtp: TestSmtpServer;
let admin: StaffAgent;

beforeAll(async () => {
  smtp = await startTestSmtpServer();
  app = await createTestApp({
    SMTP_URL: smtp.url,
    PUBLIC_URL: 'https://shop.example.com',
    MAIL_FROM: 'Clientele <mail@shop.example.com>',
    MAIL_SEND_PER_MINUTE: '100000',
  });
  await app.services.queue.startWorkers();
});
afterAll(async () => {
  await app.close();
  await app.services.mailTransport.close();
  await smtp.close();
});

const mailTo = (email: string) => waitFor(() => smtp.received.find((mail) => mail.to.includes(email)));
const fromHeader = (raw: string) => /^From: (.*)$/m.exec(raw)?.[1]?.trim();

describe('shop identity', () => {
  it('starts from the environment, and the setup page’s answers replace it', async () => {
    const token = (await app.services.staff.issueSetupToken())!;
    const check = await app.http.inject({ method: 'GET', url: `/api/v1/auth/setup?token=${token}` });
    expect(check.json()).toEqual({
      isValid: true,
      shop: {
        shopName: 'My shop',
        isPlaceholderName: true,
        country: 'NL',
        defaultLanguage: 'en',
        senderEmail: 'mail@shop.example.com',
        isSmtpConfigured: true,
      },
    });
    const invalid = await app.http.inject({
      method: 'POST',
      url: '/api/v1/auth/setup',
      payload: { token, name: 'Anna', email: 'anna@example.com', password: 'correct horse battery', shop: { shopName: '', country: 'XX' } },
    });
    expect(invalid.statusCode).toBe(422);
    expect(Object.keys(invalid.json().error.fields).sort()).toEqual(['shop.country', 'shop.shopName']);

    const setup = await app.http.inject({
      method: 'POST',
      url: '/api/v1/auth/setup',
      payload: {
        token,
        name: 'Anna',
        email: 'anna@example.com',
        password: 'correct horse battery',
        language: 'nl',
        shop: { shopName: 'Fietsen Bakker', country: 'be', defaultLanguage: 'nl', senderEmail: 'klantenservice@fietsenbakker.be' },
      },
    });
    expect(setup.statusCode).toBe(200);
    const cookie = setup.cookies.find((candidate) => candidate.name === 'clientele_session')!;
    admin = {
      cookie: `${cookie.name}=${cookie.value}`,
      csrfToken: setup.json().csrfToken,
      request: (options) =>
        app.http.inject({ ...options, headers: { cookie: `${cookie.name}=${cookie.value}`, 'x-csrf-token': setup.json().csrfToken } }),
    };
    const settings = await admin.request({ method: 'GET', url: '/api/v1/settings/shop' });
    expect(settings.json()).toMatchObject({
      shopName: 'Fietsen Bakker',
      isPlaceholderName: false,
      country: 'BE',
      defaultLanguage: 'nl',
      senderEmail: 'klantenservice@fietsenbakker.be',
    });
  });

  it('names the shop in every customer e-mail (subject, sender, body) and sends customers without a language the default', async () => {
    const customer = await app.services.customers.create({ email: 'piet@example.com', firstName: 'Piet', lastName: 'Peeters' });
    await admin.request({ method: 'POST', url: `/api/v1/customers/${customer.id}/send-password` });
    const mail = await mailTo('piet@example.com');
    expect(mail.subject).toBe('Stel je wachtwoord in voor Fietsen Bakker');
    expect(fromHeader(mail.raw)).toBe('Fietsen Bakker <klantenservice@fietsenbakker.be>');
    expect(mail.text).toContain('Fietsen Bakker');
    expect(mail.text).not.toContain('My shop');
  });

  it('changes only the fields sent; the next e-mail and storefront page use the new values', async () => {
    const patch = await admin.request({
      method: 'PATCH',
      url: '/api/v1/settings/shop',
      payload: { shopName: 'Bakker Bikes', defaultLanguage: 'en' },
    });
    expect(patch.statusCode).toBe(200);
    expect(patch.json()).toMatchObject({ shopName: 'Bakker Bikes', country: 'BE', senderEmail: 'klantenservice@fietsenbakker.be' });
    const customer = await app.services.customers.create({ email: 'joke@example.com', firstName: 'Joke', lastName: 'Claes' });
    await admin.request({ method: 'POST', url: `/api/v1/customers/${customer.id}/send-password` });
    const mail = await mailTo('joke@example.com');
    expect(mail.subject).toBe('Set your password for Bakker Bikes');
    expect(fromHeader(mail.raw)).toBe('Bakker Bikes <klantenservice@fietsenbakker.be>');
    const page = await createStorefrontAgent(app.http).get('/account/login');
    expect(page.body).toContain('<a class="brand" href="/account">Bakker Bikes</a>');
    expect(page.body).not.toContain('My shop');
  });

  it('refuses a name that would break the sender header, naming the field', async () => {
    const response = await admin.request({ method: 'PATCH', url: '/api/v1/settings/shop', payload: { shopName: 'Evil"\r\nBcc: x@y.z' } });
    expect(response.statusCode).toBe(422);
    expect(response.json().error.fields.shopName.message).toBe('Leave out quotes, backslashes and < >.');
    expect((await admin.request({ method: 'GET', url: '/api/v1/settings/shop' })).json().shopName).toBe('Bakker Bikes');
  });

  it('tells the bulk-send confirmation how many recipients have no language, which language they get, and the shop’s name', async () => {
    for (const [index, language] of ['', '', 'de', 'nl', 'en'].entries())
      await app.services.customers.create({ email: `bulk${index}@example.com`, firstName: 'B', lastName: `${index}`, language, notes: 'bulk-test' });
    const preview = await admin.request({
      method: 'POST',
      url: '/api/v1/password-emails/bulk/preview',
      payload: { filter: { q: 'bulk' }, includeImportedHashes: false },
    });
    expect(preview.statusCode).toBe(200);
    expect(preview.json()).toMatchObject({ willSend: 5, withoutLanguage: 3, defaultLanguage: 'en', shopName: 'Bakker Bikes', isPlaceholderShopName: false });
  });
});

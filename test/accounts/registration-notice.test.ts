import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSmtpServer, type TestSmtpServer } from '../support/smtp-server.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';
import { createStorefrontAgent, waitFor } from './storefront-agent.ts';

/**
 * Registering with an address that already has an account: the visitor sees what a new
 * registration sees, and the owner gets an e-mail in their own language through the outbox and a
 * real SMTP server — at most three an hour, so the form cannot flood a mailbox.
 */
let app: TestApp;
let smtp: TestSmtpServer;

beforeAll(async () => {
  smtp = await startTestSmtpServer();
  app = await createTestApp({ SMTP_URL: smtp.url, PUBLIC_URL: 'https://shop.example.com', SHOP_NAME: 'Bakkerij Test' });
  await app.services.queue.startWorkers();
});
afterAll(async () => {
  await app.close();
  await app.services.mailTransport.close();
  await smtp.close();
});

const mailsTo = (email: string) => smtp.received.filter((mail) => mail.to.includes(email));

async function tryToRegister(email: string, language: 'en' | 'nl', remoteAddress: string) {
  const agent = createStorefrontAgent(app.http, remoteAddress);
  await agent.get(`/account/register?lang=${language}`);
  return agent.post('/account/register', {
    email,
    firstName: 'Mallory',
    lastName: 'Other',
    password: 'another long passphrase here',
    passwordConfirmation: 'another long passphrase here',
  });
}

describe('registration with an existing address', () => {
  it.each([
    ['en', 'femke@example.com', 'Someone tried to create an account at Bakkerij Test with your address', 'no new account was made'],
    ['nl', 'joris@example.com', 'Iemand probeerde met je adres een account aan te maken bij Bakkerij Test', 'er is geen nieuw account gemaakt'],
  ] as const)('tells the owner in their language (%s), and only them', async (language, email, subject, sentence) => {
    // An imported customer (no password yet) in their own language; the visitor uses the other one.
    await app.services.customers.create({ email, firstName: 'Femke', lastName: 'Visser', language });
    const response = await tryToRegister(email.toUpperCase(), language === 'en' ? 'nl' : 'en', '203.0.113.5');
    expect(response.statusCode).toBe(200);
    const mail = await waitFor(() => mailsTo(email)[0]);
    expect(mail.subject).toBe(subject);
    expect(mail.text.replace(/\s+/g, ' ')).toContain(sentence);
    expect(mail.text).toContain('Femke');
    expect(await app.services.customers.findByEmail(email)).toMatchObject({ firstName: 'Femke', passwordState: 'none' });
  });

  it('sends the owner at most three such e-mails an hour, while every visitor gets the same page', async () => {
    const email = 'often@example.com';
    await app.services.customers.create({ email, firstName: 'Otto', lastName: 'Vaak', language: 'en' });
    for (let attempt = 0; attempt < 5; attempt++) {
      const response = await tryToRegister(email, 'en', `203.0.113.${20 + attempt}`);
      expect(response.statusCode).toBe(200);
      expect(response.body).toContain('Check your e-mail');
    }
    await waitFor(() => mailsTo(email).length === 3);
    // Let the queue run empty; no fourth arrives.
    const marker = 'marker@example.com';
    await tryToRegister(marker, 'en', '203.0.113.40');
    await waitFor(() => mailsTo(marker).length === 1);
    expect(mailsTo(email)).toHaveLength(3);
  });
});

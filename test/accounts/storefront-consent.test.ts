import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/test-app.ts';
import { createStorefrontAgent, type StorefrontAgent } from './storefront-agent.ts';

/**
 * Issue #17: customers change their own marketing consent in the storefront's My account. A ticked
 * box subscribes, unticking withdraws, a customer who never chose and saves without ticking stays
 * "not set"; each change is recorded with the storefront as its source, in the consent history.
 */

const strongPassword = 'a long and unusual passphrase 42';
let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(() => app.close());

async function signedIn(email: string, language: 'en' | 'nl' = 'en'): Promise<StorefrontAgent> {
  const agent = createStorefrontAgent(app.http);
  await agent.get(`/account/register?lang=${language}`);
  const registered = await agent.post('/account/register', { email, firstName: 'Co', lastName: 'Nsent', password: strongPassword, passwordConfirmation: strongPassword });
  expect(registered.statusCode, registered.body).toBe(200);
  await agent.get('/account/login');
  expect((await agent.post('/account/login', { email, password: strongPassword })).statusCode).toBe(303);
  await agent.get('/account');
  return agent;
}

const history = async (email: string) =>
  (await app.services.db.pool.query<{ channel: string; state: string; source: string }>(
    `SELECT e.channel, e.state, e.source FROM customer_consent_events e JOIN customers c ON c.id = e.customer_id
      WHERE c.email_normalized = $1 ORDER BY e.id`,
    [email],
  )).rows;

describe('consent in My account', () => {
  it('subscribes and unsubscribes as the customer, leaving a never-chosen channel "not set"', async () => {
    const agent = await signedIn('own@consent.test');
    // Saving without ticking anything: nothing to withdraw, nothing written.
    expect((await agent.post('/account/consent', {})).headers.location).toBe('/account?notice=consent-saved');
    expect(await app.services.customers.findByEmail('own@consent.test')).toMatchObject({ emailConsent: 'not_set', smsConsent: 'not_set' });
    expect(await history('own@consent.test')).toEqual([]);

    const subscribed = await agent.post('/account/consent', { emailConsent: 'true' });
    expect(subscribed.statusCode).toBe(303);
    expect(await app.services.customers.findByEmail('own@consent.test')).toMatchObject({ emailConsent: 'subscribed', emailConsentSource: 'storefront', newsletter: true, smsConsent: 'not_set' });
    const page = await agent.get('/account?notice=consent-saved');
    expect(page.body).toContain('Your choices are saved.');
    expect(page.body).toMatch(/name="emailConsent" value="true"\s+checked/);
    expect(page.body).toContain('Subscribed since');

    await agent.post('/account/consent', { smsConsent: 'true' });
    expect(await app.services.customers.findByEmail('own@consent.test')).toMatchObject({ emailConsent: 'unsubscribed', smsConsent: 'subscribed', smsConsentSource: 'storefront' });
    expect(await history('own@consent.test')).toEqual([
      { channel: 'email', state: 'subscribed', source: 'storefront' },
      { channel: 'email', state: 'unsubscribed', source: 'storefront' },
      { channel: 'sms', state: 'subscribed', source: 'storefront' },
    ]);
  });

  it('refuses a post without the page’s security token, and shows the choices in Dutch', async () => {
    const agent = await signedIn('nl@consent.test', 'nl');
    const forged = await agent.post('/account/consent', { emailConsent: 'true' }, { csrf: null });
    // Without the token the post is no signed-in customer's: sent to log in, nothing written.
    expect(forged.headers.location).toBe('/account/login');
    expect(await app.services.customers.findByEmail('nl@consent.test')).toMatchObject({ emailConsent: 'not_set' });
    const page = await agent.get('/account');
    expect(page.body).toContain('Nieuwsbrief en aanbiedingen');
    expect(page.body).toContain('Stuur mij de nieuwsbrief per e-mail');
    expect(page.body).toContain('Stuur mij aanbiedingen per sms');
  });
});

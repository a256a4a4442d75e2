import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/test-app.ts';
import { createStorefrontAgent, type StorefrontAgent } from './storefront-agent.ts';

/** "My addresses" on the storefront (issue #16): a customer manages their own address book, and nobody else's. */

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(() => app.close());

const strongPassword = 'purple tractor sings loudly';
let customerCount = 0;

async function loggedIn(email: string): Promise<{ agent: StorefrontAgent; customerId: number }> {
  customerCount += 1;
  const agent = createStorefrontAgent(app.http, `192.0.2.${100 + customerCount}`);
  await agent.get('/account/register');
  await agent.post('/account/register', { email, firstName: 'Anna', lastName: 'Jansen', password: strongPassword, passwordConfirmation: strongPassword });
  await agent.get('/account/login');
  expect((await agent.post('/account/login', { email, password: strongPassword })).statusCode).toBe(303);
  const customer = await app.services.customers.findByEmail(email);
  return { agent, customerId: customer!.id };
}

const address = { label: 'Thuis', attention: '', company: '', street: 'Kerkstraat', number: '12', extension: 'II', address2: '', postcode: '3511ab', city: 'Utrecht', region: '', country: 'NL', phone: '' };

describe('My addresses', () => {
  it('adds, changes, makes default and deletes the customer’s addresses', async () => {
    const { agent, customerId } = await loggedIn('anna.addresses@example.com');
    const account = await agent.get('/account');
    expect(account.body).toContain('href="/account/addresses"');
    expect((await agent.get('/account/addresses')).body).toContain('You have no addresses yet.');

    await agent.get('/account/addresses/new');
    const added = await agent.post('/account/addresses', { ...address, isDefaultBilling: 'true' });
    expect(added.statusCode, added.body).toBe(303);
    expect(added.headers.location).toBe('/account/addresses?notice=saved');
    await agent.get('/account/addresses/new');
    await agent.post('/account/addresses', { ...address, label: 'Werk', street: 'Stationsplein', number: '9', extension: '', postcode: '1012 AB', city: 'Amsterdam' });
    const list = await agent.get('/account/addresses?notice=saved');
    expect(list.body).toContain('Address saved.');
    expect(list.body).toContain('Kerkstraat 12-II');
    expect(list.body).toContain('3511 AB Utrecht');
    expect(list.body).toContain('Stationsplein 9');

    const [home, work] = await app.services.addressBook.list(customerId);
    expect(home).toMatchObject({ label: 'Thuis', isDefaultBilling: true });
    expect((await app.services.customers.get(customerId)).billingAddress).toMatchObject({ street: 'Kerkstraat', postcode: '3511 AB' });

    await agent.get(`/account/addresses/${work!.id}`);
    expect((await agent.post(`/account/addresses/${work!.id}`, { ...address, label: 'Kantoor', street: 'Stationsplein', number: '9', extension: '', postcode: '1012 AB', city: 'Amsterdam' })).statusCode).toBe(303);
    await agent.get('/account/addresses');
    expect((await agent.post(`/account/addresses/${work!.id}/default`, { kind: 'shipping' })).statusCode).toBe(303);
    expect((await app.services.customers.get(customerId)).shippingAddress).toMatchObject({ street: 'Stationsplein' });

    const confirm = await agent.get(`/account/addresses/${home!.id}/delete`);
    expect(confirm.body).toContain('Delete this address?');
    expect(confirm.body).toContain('It is your default address');
    expect((await agent.post(`/account/addresses/${home!.id}/delete`, {})).headers.location).toBe('/account/addresses?notice=deleted');
    expect((await app.services.addressBook.list(customerId)).map((entry) => entry.label)).toEqual(['Kantoor']);
  });

  it('refuses a postcode that does not fit the country, saying so next to the field, and keeps what was typed', async () => {
    const { agent, customerId } = await loggedIn('typo@example.com');
    await agent.get('/account/addresses/new');
    const refused = await agent.post('/account/addresses', { ...address, postcode: '1234 ABC' });
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toContain('This postcode does not fit the country.');
    expect(refused.body).toContain('value="1234 ABC"');
    expect(await app.services.addressBook.list(customerId)).toEqual([]);
  });

  it("never shows or changes another customer's address, and refuses a post without the form token", async () => {
    const owner = await loggedIn('owner@example.com');
    await owner.agent.get('/account/addresses/new');
    await owner.agent.post('/account/addresses', address);
    const [owned] = await app.services.addressBook.list(owner.customerId);
    const other = await loggedIn('other@example.com');
    expect((await other.agent.get(`/account/addresses/${owned!.id}`)).statusCode).toBe(404);
    await other.agent.get('/account/addresses');
    for (const url of [`/account/addresses/${owned!.id}`, `/account/addresses/${owned!.id}/delete`]) {
      const response = await other.agent.post(url, { ...address, street: 'Overgenomen' });
      expect(response.statusCode, url).toBe(404);
      expect(response.body).toContain('This address was not found in your account.');
    }
    const forged = await owner.agent.post(`/account/addresses/${owned!.id}/delete`, {}, { csrf: null });
    expect(forged.headers.location).toBe('/account/login');
    expect(await app.services.addressBook.list(owner.customerId)).toEqual([expect.objectContaining({ street: 'Kerkstraat' })]);
  });

  it('speaks Dutch, and escapes what the customer typed', async () => {
    const { agent } = await loggedIn('nl.addresses@example.com');
    await agent.get('/account/addresses/new?lang=nl');
    await agent.post('/account/addresses', { ...address, label: '<script>alert(1)</script>' });
    const page = await agent.get('/account/addresses');
    expect(page.body).toContain('Mijn adressen');
    expect(page.body).toContain('Standaard afleveradres');
    expect(page.body).toContain('&lt;script&gt;');
    expect(page.body).not.toContain('<script>alert(1)</script>');
  });

  it('My account refuses a phone number that does not fit, next to the field, where the back office would keep it flagged', async () => {
    const { agent, customerId } = await loggedIn('phone.typo@example.com');
    await agent.get('/account');
    const refused = await agent.post('/account/details', { firstName: 'Anna', lastName: 'Jansen', phone: 'call me', 'billingAddress.country': 'NL' });
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toContain('This is not a valid phone number');
    expect((await app.services.customers.get(customerId)).phone).toBe('');
  });
});

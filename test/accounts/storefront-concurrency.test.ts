import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type StaffAgent, type TestApp } from '../support/test-app.ts';
import { createStorefrontAgent, type StorefrontAgent } from './storefront-agent.ts';

/**
 * No lost update between the storefront and the back office (issue #15, point 9): a customer saves
 * "My account" details while staff save the internal notes of the same customer, at the same
 * moment. The storefront writes only its own fields under the row lock, so both changes stay.
 */

const rounds = 20;
const strongPassword = 'a long and unusual passphrase 42';

let app: TestApp;
let staff: StaffAgent;
beforeAll(async () => {
  app = await createTestApp();
  staff = await app.loginAsStaff();
});
afterAll(() => app.close());

/** Registering logs nobody in (it must not reveal whether the address was free): log in after it. */
async function logIn(agent: StorefrontAgent, email: string) {
  await agent.get('/account/login');
  const login = await agent.post('/account/login', { email, password: strongPassword });
  expect(login.statusCode, login.body).toBe(303);
}

describe('My account details and a staff save at once', () => {
  it(`keeps the customer's details and the staff's notes (${rounds} rounds)`, async () => {
    const agent = createStorefrontAgent(app.http);
    await agent.get('/account/register');
    const registered = await agent.post('/account/register', {
      email: 'both@example.com', firstName: 'Bo', lastName: 'Th', password: strongPassword, passwordConfirmation: strongPassword,
    });
    expect(registered.statusCode, registered.body).toBe(200);
    await logIn(agent, 'both@example.com');
    await agent.get('/account');
    const customer = await app.services.customers.findByEmail('both@example.com');
    let lost = 0;
    for (let round = 0; round < rounds; round++) {
      const [own, byStaff] = await Promise.all([
        agent.post('/account/details', { firstName: 'Bo', lastName: `Round ${round}`, 'billingAddress.city': `City ${round}` }),
        staff.request({ method: 'PATCH', url: `/api/v1/customers/${customer!.id}`, payload: { notes: `Staff note ${round}` } }),
      ]);
      expect(own.statusCode, own.body).toBe(303);
      expect(byStaff.statusCode, byStaff.body).toBe(200);
      const stored = await app.services.customers.get(customer!.id);
      if (stored.lastName !== `Round ${round}` || stored.billingAddress.city !== `City ${round}` || stored.notes !== `Staff note ${round}`) lost += 1;
    }
    expect(lost).toBe(0);
  });

  it('does not put back details staff changed after the page was shown; shows them as they are now (English and Dutch)', async () => {
    for (const language of ['en', 'nl'] as const) {
      const agent = createStorefrontAgent(app.http);
      await agent.get(`/account/register?lang=${language}`);
      const email = `stale-${language}@example.com`;
      const registered = await agent.post('/account/register', {
        email, firstName: 'Sam', lastName: 'Stale', phone: '', password: strongPassword, passwordConfirmation: strongPassword,
      });
      expect(registered.statusCode, registered.body).toBe(200);
      await logIn(agent, email);
      const page = await agent.get('/account');
      const shownVersion = /name="version" value="(\d+)"/.exec(page.body)?.[1];
      expect(shownVersion).toBeDefined();
      const customer = await app.services.customers.findByEmail(email);
      // Staff correct the city while the customer's page is open.
      const byStaff = await staff.request({ method: 'PATCH', url: `/api/v1/customers/${customer!.id}`, payload: { billingAddress: { city: 'Staff City' } } });
      expect(byStaff.statusCode, byStaff.body).toBe(200);
      // The customer saves the page as it was shown, with a new last name.
      const stale = await agent.post('/account/details', { version: shownVersion!, firstName: 'Sam', lastName: 'Renamed', 'billingAddress.city': '' });
      expect(stale.statusCode).toBe(409);
      expect(stale.body).toContain(language === 'en' ? 'Your details were changed in the meantime' : 'Je gegevens zijn intussen gewijzigd');
      expect(stale.body).toContain('value="Staff City"');
      expect(await app.services.customers.get(customer!.id)).toMatchObject({ lastName: 'Stale', billingAddress: expect.objectContaining({ city: 'Staff City' }) });
      // Saved again from the page as it is now: it goes through.
      const freshVersion = /name="version" value="(\d+)"/.exec(stale.body)?.[1];
      const again = await agent.post('/account/details', { version: freshVersion!, firstName: 'Sam', lastName: 'Renamed', 'billingAddress.city': 'Staff City' });
      expect(again.statusCode, again.body).toBe(303);
      expect(await app.services.customers.get(customer!.id)).toMatchObject({ lastName: 'Renamed', billingAddress: expect.objectContaining({ city: 'Staff City' }) });
    }
  });
});

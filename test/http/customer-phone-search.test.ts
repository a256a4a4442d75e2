import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type StaffAgent, type TestApp } from '../support/test-app.ts';

/** Search as people type (#22): a phone number in any common form finds the customer. */
let app: TestApp;
let staff: StaffAgent;

beforeAll(async () => {
  app = await createTestApp();
  staff = await app.loginAsStaff();
  await app.services.customers.create({ email: 'sanne@example.com', firstName: 'Sanne', lastName: 'Bos', phone: '06 12345678' });
  await app.services.customers.create({ email: 'ruud@example.com', firstName: 'Ruud', lastName: 'Smit', mobile: '+31 20 7654321' });
  await app.services.customers.create({
    email: 'lotte@example.be',
    firstName: 'Lotte',
    lastName: 'Peeters',
    mobile: '+32 470 12 34 56',
    billingAddress: { country: 'BE' },
  });
});
afterAll(async () => {
  await app.close();
});

async function emailsFound(q: string): Promise<string[]> {
  const response = await staff.request({ method: 'GET', url: `/api/v1/customers?q=${encodeURIComponent(q)}` });
  expect(response.statusCode, q).toBe(200);
  return (response.json().items as { email: string }[]).map((customer) => customer.email).sort();
}

describe('customer search by phone number', () => {
  it.each(['0612345678', '+31612345678', '+31 6 12345678', '06-12345678', '0031612345678', '06 1234 5678', '612345678', '061234'])(
    'finds the customer by %j (the shop is in the Netherlands)',
    async (query) => {
      expect(await emailsFound(query)).toEqual(['sanne@example.com']);
    },
  );

  it('finds a landline typed nationally, and a foreign number typed internationally', async () => {
    expect(await emailsFound('020-7654321')).toEqual(['ruud@example.com']);
    expect(await emailsFound('+32 470 12 34 56')).toEqual(['lotte@example.be']);
    expect(await emailsFound('0470123456')).toEqual([]); // read as Dutch: a shop in the Netherlands
  });

  it('reads national numbers with the shop’s country once it is changed', async () => {
    await app.services.shopSettings.update({ country: 'BE' }, null);
    expect(await emailsFound('0470 12 34 56')).toEqual(['lotte@example.be']);
    expect(await emailsFound('+31 6 12345678')).toEqual(['sanne@example.com']);
    await app.services.shopSettings.update({ country: 'NL' }, null);
  });

  it('selects what the list showed when a phone search is added to a group or previewed for a bulk send', async () => {
    const group = await app.services.groups.create({ name: 'Bellers' });
    const added = await staff.request({
      method: 'POST',
      url: `/api/v1/groups/${group.id}/members`,
      payload: { filter: { q: '06-12345678' } },
    });
    expect(added.statusCode).toBe(200);
    expect(added.json().changed).toBe(1);
    const preview = await staff.request({
      method: 'POST',
      url: '/api/v1/password-emails/bulk/preview',
      payload: { filter: { q: '0612345678' } },
    });
    expect(preview.json().matched).toBe(1);
  });

  it('still searches names and postcodes as words', async () => {
    expect(await emailsFound('sanne bos')).toEqual(['sanne@example.com']);
    expect(await emailsFound('0612345678 x')).toEqual([]);
  });
});

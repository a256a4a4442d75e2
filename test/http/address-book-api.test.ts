import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BookAddress } from '../../src/addresses/address-book.schemas.ts';
import type { Customer } from '../../src/customers/customer.schemas.ts';
import { createTestApp, type StaffAgent, type TestApp } from '../support/test-app.ts';

/** /api/v1/customers/{id}/addresses on the real app and database: every route, its errors and permissions. */

let app: TestApp;
let admin: StaffAgent;
let seq = 0;

beforeAll(async () => {
  app = await createTestApp();
  admin = await app.loginAsStaff();
});
afterAll(() => app.close());

async function newCustomer(): Promise<Customer> {
  seq += 1;
  const response = await admin.request({
    method: 'POST',
    url: '/api/v1/customers',
    payload: { email: `api-book${seq}@example.com`, firstName: 'Bo', lastName: 'Adres', billingAddress: { street: 'Kerkstraat', number: '1', postcode: '3511 AB', city: 'Utrecht', country: 'NL' } },
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json() as Customer;
}

const book = async (customerId: number) => {
  const response = await admin.request({ method: 'GET', url: `/api/v1/customers/${customerId}/addresses` });
  expect(response.statusCode, response.body).toBe(200);
  return (response.json() as { items: BookAddress[] }).items;
};

describe('the address book API', () => {
  it('lists, adds, changes, makes default and removes addresses', async () => {
    const customer = await newCustomer();
    expect((await book(customer.id)).map((address) => address.street)).toEqual(['Kerkstraat']);

    const added = await admin.request({
      method: 'POST',
      url: `/api/v1/customers/${customer.id}/addresses`,
      payload: { label: 'Werk', street: 'Stationsplein', number: '9', postcode: '1012ab', city: 'Amsterdam', country: 'NL' },
    });
    expect(added.statusCode, added.body).toBe(201);
    const { address, warnings } = added.json() as { address: BookAddress; warnings: unknown[] };
    expect(address).toMatchObject({ label: 'Werk', postcode: '1012 AB', isDefaultBilling: false });
    expect(warnings).toEqual([]);

    const changed = await admin.request({ method: 'PATCH', url: `/api/v1/customers/${customer.id}/addresses/${address.id}`, payload: { label: 'Kantoor' } });
    expect(changed.statusCode, changed.body).toBe(200);
    expect((changed.json() as { address: BookAddress }).address).toMatchObject({ label: 'Kantoor', street: 'Stationsplein' });

    const made = await admin.request({ method: 'POST', url: `/api/v1/customers/${customer.id}/addresses/${address.id}/default`, payload: { kind: 'billing' } });
    expect(made.statusCode, made.body).toBe(200);
    const customerNow = (await admin.request({ method: 'GET', url: `/api/v1/customers/${customer.id}` })).json() as Customer;
    expect(customerNow.billingAddress).toMatchObject({ street: 'Stationsplein', city: 'Amsterdam' });
    expect(customerNow.shippingAddress).toMatchObject({ street: 'Kerkstraat' });

    const old = (await book(customer.id)).find((entry) => entry.street === 'Kerkstraat')!;
    const removed = await admin.request({ method: 'DELETE', url: `/api/v1/customers/${customer.id}/addresses/${old.id}` });
    expect(removed.statusCode).toBe(204);
    expect((await book(customer.id)).map((entry) => entry.street)).toEqual(['Stationsplein']);
  });

  it('answers 409 for the same address twice, 422 with the field for an unknown country, and names a postcode kept as typed', async () => {
    const customer = await newCustomer();
    const twice = await admin.request({ method: 'POST', url: `/api/v1/customers/${customer.id}/addresses`, payload: { street: 'kerkstraat', number: '1', postcode: '3511AB', city: 'utrecht', country: 'Nederland' } });
    expect(twice.statusCode).toBe(409);
    expect(twice.json()).toMatchObject({ error: { code: 'conflict', message: 'This address is already in the address book.' } });
    const unknown = await admin.request({ method: 'POST', url: `/api/v1/customers/${customer.id}/addresses`, payload: { street: 'Weg', country: 'Atlantis' } });
    expect(unknown.statusCode).toBe(422);
    expect(JSON.stringify(unknown.json())).toContain('Atlantis');
    const typed = await admin.request({ method: 'POST', url: `/api/v1/customers/${customer.id}/addresses`, payload: { street: 'Weg', postcode: '1234 ABC', country: 'NL' } });
    expect(typed.statusCode, typed.body).toBe(201);
    expect((typed.json() as { warnings: { field: string }[] }).warnings.map((warning) => warning.field)).toEqual(['postcode']);
  });

  it("answers 404 for another customer's address and for a customer that does not exist", async () => {
    const owner = await newCustomer();
    const other = await newCustomer();
    const [ownersAddress] = await book(owner.id);
    for (const request of [
      { method: 'PATCH' as const, url: `/api/v1/customers/${other.id}/addresses/${ownersAddress!.id}`, payload: { label: 'x' } },
      { method: 'DELETE' as const, url: `/api/v1/customers/${other.id}/addresses/${ownersAddress!.id}` },
      { method: 'POST' as const, url: `/api/v1/customers/${other.id}/addresses/${ownersAddress!.id}/default`, payload: { kind: 'billing' } },
      { method: 'GET' as const, url: '/api/v1/customers/999999/addresses' },
    ]) {
      const response = await admin.request(request);
      expect(response.statusCode, `${request.method} ${request.url}`).toBe(404);
    }
    expect((await book(owner.id)).map((address) => address.street)).toEqual(['Kerkstraat']);
  });

  it('refuses without a staff session', async () => {
    const customer = await newCustomer();
    const anonymous = await app.http.inject({ method: 'GET', url: `/api/v1/customers/${customer.id}/addresses` });
    expect(anonymous.statusCode).toBe(401);
    const adding = await app.http.inject({ method: 'POST', url: `/api/v1/customers/${customer.id}/addresses`, payload: { street: 'Weg' } });
    expect(adding.statusCode).toBe(401);
    expect((await book(customer.id)).map((address) => address.street)).toEqual(['Kerkstraat']);
  });
});

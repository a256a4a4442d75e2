import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Customer } from '../../src/customers/customer.schemas.ts';
import type { CompanyDetail } from '../../src/companies/company.schemas.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';
import { companyApi } from './company-test-helpers.ts';

/** A company's contacts (customers with a role, one primary, one company each) and addresses, through the REST API. */
let app: TestApp;
let calls: ReturnType<typeof companyApi>;
beforeAll(async () => {
  app = await createTestApp();
  calls = companyApi(await app.loginAsStaff());
});
afterAll(() => app.close());

const api: ReturnType<typeof companyApi>['api'] = (...args) => calls.api(...args);
const createCompany = (input: Record<string, unknown>) => calls.createCompany(input);
const createCustomer = (firstName: string, lastName?: string): Promise<Customer> =>
  calls.createCustomer(firstName, lastName);
const search = (query: string) => calls.search(query);

describe('contacts', () => {
  it('links customers with a role; the first is the primary contact; the customer shows its company', async () => {
    const company = await createCompany({ name: 'Kantoorartikelen Paperclip' });
    const anna = await createCustomer('Anna', 'Inkoop');
    const bert = await createCustomer('Bert', 'Boekhouding');
    const linked = await api('POST', `/companies/${company.id}/contacts`, {
      customerId: anna.id,
      role: 'purchasing',
    });
    expect(linked.statusCode, linked.body).toBe(200);
    await api('POST', `/companies/${company.id}/contacts`, { customerId: bert.id, role: 'finance' });
    const detail = (await api('GET', `/companies/${company.id}`)).json() as CompanyDetail;
    expect(
      detail.contacts.map(({ customerId, role, isPrimary }) => ({ customerId, role, isPrimary })),
    ).toEqual([
      { customerId: anna.id, role: 'purchasing', isPrimary: true },
      { customerId: bert.id, role: 'finance', isPrimary: false },
    ]);
    const customer = (await api('GET', `/customers/${bert.id}`)).json() as Customer;
    expect(customer.company).toEqual({
      id: company.id,
      name: 'Kantoorartikelen Paperclip',
      role: 'finance',
      isPrimary: false,
    });
    expect((await search('q=paperclip')).items[0]).toMatchObject({
      contactCount: 2,
      primaryContact: 'Anna Inkoop',
    });

    // Linking again changes the role; so does the contact's own PATCH.
    await api('POST', `/companies/${company.id}/contacts`, {
      customerId: bert.id,
      role: 'finance and purchasing',
    });
    const renamed = await api('PATCH', `/companies/${company.id}/contacts/${bert.id}`, {
      role: 'controller',
    });
    expect(
      renamed.json().contacts.find((contact: { customerId: number }) => contact.customerId === bert.id).role,
    ).toBe('controller');
  });

  it('keeps one primary contact: making another primary moves it', async () => {
    const company = await createCompany({ name: 'Eén Aanspreekpunt' });
    const [first, second] = [await createCustomer('Primus'), await createCustomer('Secundus')];
    await api('POST', `/companies/${company.id}/contacts`, { customerId: first.id });
    await api('POST', `/companies/${company.id}/contacts`, { customerId: second.id, isPrimary: true });
    let contacts = ((await api('GET', `/companies/${company.id}`)).json() as CompanyDetail).contacts;
    expect(contacts.filter((contact) => contact.isPrimary).map((contact) => contact.customerId)).toEqual([
      second.id,
    ]);
    const moved = await api('POST', `/companies/${company.id}/contacts/${first.id}/primary`);
    expect(moved.statusCode).toBe(200);
    contacts = (moved.json() as CompanyDetail).contacts;
    expect(contacts.filter((contact) => contact.isPrimary).map((contact) => contact.customerId)).toEqual([
      first.id,
    ]);
    // The database holds the rule too, whatever the code does.
    await expect(
      app.services.db.pool.query('UPDATE company_contacts SET is_primary = true WHERE company_id = $1', [
        company.id,
      ]),
    ).rejects.toThrow(/company_contacts_primary_key/);
  });

  it('keeps a customer in at most one company', async () => {
    const first = await createCompany({ name: 'Eerste Werkgever' });
    const second = await createCompany({ name: 'Tweede Werkgever' });
    const customer = await createCustomer('Trouw');
    await api('POST', `/companies/${first.id}/contacts`, { customerId: customer.id, role: 'owner' });
    const refused = await api('POST', `/companies/${second.id}/contacts`, { customerId: customer.id });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error).toMatchObject({
      code: 'conflict',
      reason: 'contact_of_other_company',
      companyId: first.id,
    });
    expect(refused.json().error.message).toBe(
      `Trouw Jansen is already a contact of Eerste Werkgever (#${first.id}). A customer belongs to at most one company: unlink them there first.`,
    );
    expect(((await api('GET', `/companies/${second.id}`)).json() as CompanyDetail).contacts).toEqual([]);
  });

  it('unlinks a contact, and the customer stays', async () => {
    const company = await createCompany({ name: 'Tijdelijk Verband' });
    const customer = await createCustomer('Losse');
    await api('POST', `/companies/${company.id}/contacts`, { customerId: customer.id });
    const unlinked = await api('DELETE', `/companies/${company.id}/contacts/${customer.id}`);
    expect(unlinked.statusCode).toBe(204);
    expect(((await api('GET', `/companies/${company.id}`)).json() as CompanyDetail).contacts).toEqual([]);
    expect((await api('GET', `/customers/${customer.id}`)).json()).toMatchObject({
      id: customer.id,
      company: null,
    });
    expect((await api('DELETE', `/companies/${company.id}/contacts/${customer.id}`)).statusCode).toBe(404);
  });

  it('refuses to link a customer that does not exist', async () => {
    const company = await createCompany({ name: 'Spookcontact' });
    const response = await api('POST', `/companies/${company.id}/contacts`, { customerId: 999_999 });
    expect(response.statusCode).toBe(422);
    expect(response.json().error.fields.customerId.code).toBe('customer_not_found');
  });

  it('deleting a company unlinks its contacts; the customers stay', async () => {
    const company = await createCompany({ name: 'Opgeheven B.V.', cocNumber: '99887766' });
    const customer = await createCustomer('Overgebleven');
    await api('POST', `/companies/${company.id}/contacts`, { customerId: customer.id, role: 'director' });
    await api('POST', `/companies/${company.id}/addresses`, {
      street: 'Kade',
      number: '1',
      city: 'Zwolle',
      country: 'NL',
    });
    expect((await api('DELETE', `/companies/${company.id}`)).statusCode).toBe(204);
    expect((await api('GET', `/companies/${company.id}`)).statusCode).toBe(404);
    expect((await api('GET', `/customers/${customer.id}`)).json()).toMatchObject({
      firstName: 'Overgebleven',
      company: null,
    });
    // The number is free again, and the customer can join another company.
    const next = await createCompany({ name: 'Doorstart B.V.', cocNumber: '99887766' });
    expect(
      (await api('POST', `/companies/${next.id}/contacts`, { customerId: customer.id })).statusCode,
    ).toBe(200);
  });
});

describe('company addresses', () => {
  it('adds, changes, makes default and removes addresses, as a customer’s book does', async () => {
    const company = await createCompany({ name: 'Adresboek B.V.' });
    const base = `/companies/${company.id}/addresses`;
    const office = await api('POST', base, {
      label: 'Office',
      street: 'Stationsplein',
      number: '1',
      postcode: '3511ed',
      city: 'Utrecht',
      country: 'Nederland',
    });
    expect(office.statusCode, office.body).toBe(201);
    expect(office.json().address).toMatchObject({
      companyId: company.id,
      postcode: '3511 ED',
      country: 'NL',
      isDefaultBilling: true,
      isDefaultShipping: true,
    });
    const warehouse = await api('POST', base, {
      label: 'Warehouse',
      street: 'Havenweg',
      number: '9',
      city: 'Nieuwegein',
      country: 'NL',
      isDefaultShipping: true,
    });
    expect(warehouse.json().address).toMatchObject({ isDefaultBilling: false, isDefaultShipping: true });
    expect(
      (await api('POST', base, { street: 'havenweg', number: '9', city: 'NIEUWEGEIN', country: 'NL' }))
        .statusCode,
    ).toBe(409);

    const changed = await api('PATCH', `${base}/${warehouse.json().address.id}`, { city: 'IJsselstein' });
    expect(changed.json().address).toMatchObject({ city: 'IJsselstein', street: 'Havenweg' });
    await api('POST', `${base}/${warehouse.json().address.id}/default`, { kind: 'billing' });
    const book = ((await api('GET', `/companies/${company.id}`)).json() as CompanyDetail).addresses;
    expect(
      book.map((address) => [address.label, address.isDefaultBilling, address.isDefaultShipping]),
    ).toEqual([
      ['Warehouse', true, true],
      ['Office', false, false],
    ]);
    expect((await search('q=adresboek')).items[0]?.city).toBe('IJsselstein');

    expect((await api('DELETE', `${base}/${office.json().address.id}`)).statusCode).toBe(204);
    expect((await api('GET', base)).json().items).toHaveLength(1);
    expect((await api('GET', '/companies/999999/addresses')).statusCode).toBe(404);
  });
});

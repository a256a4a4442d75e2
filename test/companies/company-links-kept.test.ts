import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Customer } from '../../src/customers/customer.schemas.ts';
import { createTestApp, type StaffAgent, type TestApp } from '../support/test-app.ts';
import { companyApi } from './company-test-helpers.ts';

/**
 * A customer's company link travels with the customer: a bulk deletion's undo and a merge's undo
 * bring it back, and a merge hands it to a survivor that has none (issue #19; migration 036).
 */

let app: TestApp;
let staff: StaffAgent;
let companies: ReturnType<typeof companyApi>;
beforeAll(async () => {
  app = await createTestApp();
  staff = await app.loginAsStaff();
  companies = companyApi(staff);
});
afterAll(() => app.close());

const link = (companyId: number, customer: Customer, role: string, isPrimary = false) =>
  companies.api('POST', `/companies/${companyId}/contacts`, { customerId: customer.id, role, isPrimary });
const contactsOf = async (companyId: number) =>
  (await app.services.companies.get(companyId)).contacts.map((contact) => [
    contact.customerId,
    contact.role,
    contact.isPrimary,
  ]);
const versionsOf = async (...customers: Customer[]) =>
  Object.fromEntries(
    await Promise.all(
      customers.map(async (customer) => [
        String(customer.id),
        (await app.services.customers.get(customer.id)).version,
      ]),
    ),
  );

describe('company links of deleted customers', () => {
  it('come back with the undo, with their role; primary only when the company has no other primary contact by then', async () => {
    const company = await companies.createCompany({ name: 'Undo BV' });
    const gone = await companies.createCompany({ name: 'Gone BV' });
    const ann = await companies.createCustomer('Ann');
    const bob = await companies.createCustomer('Bob');
    const carl = await companies.createCustomer('Carl');
    const dora = await companies.createCustomer('Dora');
    await link(company.id, ann, 'purchasing', true);
    await link(company.id, bob, 'finance');
    await link(gone.id, dora, 'owner');

    const deleted = await companies.api('POST', '/customers/bulk/delete', {
      selection: { customerIds: [ann.id, bob.id, dora.id] },
      expectedCount: 3,
    });
    expect(deleted.statusCode, deleted.body).toBe(200);
    expect(await contactsOf(company.id)).toEqual([]);
    // Meanwhile Carl becomes the primary contact, and Dora's company is deleted.
    await link(company.id, carl, 'director', true);
    expect((await companies.api('DELETE', `/companies/${gone.id}`)).statusCode).toBe(204);

    const undone = await companies.api('POST', `/customers/deletions/${deleted.json().id}/undo`);
    expect(undone.statusCode, undone.body).toBe(200);
    expect(undone.json()).toMatchObject({ restored: 3 });
    expect(await contactsOf(company.id)).toEqual([
      [carl.id, 'director', true],
      [ann.id, 'purchasing', false],
      [bob.id, 'finance', false],
    ]);
    expect((await companies.api('GET', `/customers/${ann.id}`)).json().company).toMatchObject({
      id: company.id,
      role: 'purchasing',
      isPrimary: false,
    });
    expect((await companies.api('GET', `/customers/${dora.id}`)).json().company).toBeNull();
  });
});

describe('company links in a merge', () => {
  it('moves to a survivor without a company and back with the undo', async () => {
    const company = await companies.createCompany({ name: 'Merge BV' });
    const survivor = await companies.createCustomer('Sam', 'Merge');
    const merged = await companies.createCustomer('Sam', 'Merged');
    await link(company.id, merged, 'purchasing', true);

    const response = await companies.api('POST', '/customers/merge', {
      survivorId: survivor.id,
      mergedIds: [merged.id],
      choices: {},
      versions: await versionsOf(survivor, merged),
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(await contactsOf(company.id)).toEqual([[survivor.id, 'purchasing', true]]);
    expect(response.json().customer.company).toMatchObject({ id: company.id, isPrimary: true });

    const undone = await companies.api('POST', `/merges/${response.json().merge.id}/undo`);
    expect(undone.statusCode, undone.body).toBe(200);
    expect(await contactsOf(company.id)).toEqual([[merged.id, 'purchasing', true]]);
    expect((await companies.api('GET', `/customers/${survivor.id}`)).json().company).toBeNull();
  });

  it('leaves the survivor’s own company; the merged customer’s link waits in the snapshot and comes back with the undo', async () => {
    const own = await companies.createCompany({ name: 'Own BV' });
    const other = await companies.createCompany({ name: 'Other BV' });
    const survivor = await companies.createCustomer('Tess', 'Own');
    const merged = await companies.createCustomer('Tess', 'Other');
    await link(own.id, survivor, 'owner');
    await link(other.id, merged, 'buyer');

    const response = await companies.api('POST', '/customers/merge', {
      survivorId: survivor.id,
      mergedIds: [merged.id],
      choices: {},
      versions: await versionsOf(survivor, merged),
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(await contactsOf(own.id)).toEqual([[survivor.id, 'owner', true]]);
    expect(await contactsOf(other.id)).toEqual([]);

    expect((await companies.api('POST', `/merges/${response.json().merge.id}/undo`)).statusCode).toBe(200);
    expect(await contactsOf(own.id)).toEqual([[survivor.id, 'owner', true]]);
    expect(await contactsOf(other.id)).toEqual([[merged.id, 'buyer', true]]);
  });
});

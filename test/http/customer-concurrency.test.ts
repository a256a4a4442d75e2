import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Customer } from '../../src/customers/customer.schemas.ts';
import { createTestApp, type StaffAgent, type TestApp } from '../support/test-app.ts';

/**
 * No lost update (issue #15, point 9): two saves of one customer at the same moment. Each round
 * sends both PATCHes at once (Promise.all over the real HTTP handlers and a real PostgreSQL), so
 * their reads and writes interleave as they would for two staff members.
 */

const rounds = 50;

let app: TestApp;
let staff: StaffAgent;
let other: StaffAgent;
beforeAll(async () => {
  app = await createTestApp();
  staff = await app.loginAsStaff();
  other = await app.loginAsStaff();
});
afterAll(() => app.close());

const patch = (agent: StaffAgent, id: number, payload: Record<string, unknown>) =>
  agent.request({ method: 'PATCH', url: `/api/v1/customers/${id}`, payload });

async function createCustomer(index: number): Promise<Customer> {
  const response = await staff.request({
    method: 'POST',
    url: '/api/v1/customers',
    payload: { email: `round${index}@example.com`, firstName: 'Old', lastName: 'Name', notes: 'kept' },
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json();
}

async function read(id: number): Promise<Customer> {
  const response = await staff.request({ method: 'GET', url: `/api/v1/customers/${id}` });
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}

describe('two saves of one customer at once', () => {
  it(`keeps both changes when two PATCHes of different fields meet (${rounds} rounds)`, async () => {
    let lost = 0;
    for (let round = 0; round < rounds; round++) {
      const customer = await createCustomer(round);
      const [first, last] = await Promise.all([
        patch(staff, customer.id, { firstName: `First${round}` }),
        patch(other, customer.id, { lastName: `Last${round}` }),
      ]);
      expect([first.statusCode, last.statusCode]).toEqual([200, 200]);
      const stored = await read(customer.id);
      // The search text is derived from both names: it must hold both too.
      const { rows } = await app.services.db.pool.query<{ search_text: string }>('SELECT search_text FROM customers WHERE id = $1', [customer.id]);
      const searchText = rows[0]?.search_text ?? '';
      if (stored.firstName !== `First${round}` || stored.lastName !== `Last${round}`) lost += 1;
      if (!searchText.includes(`first${round}`) || !searchText.includes(`last${round}`)) lost += 1;
      expect(stored.notes).toBe('kept');
      // Each save is one version: 1 at creation, 3 after both.
      expect(stored.version).toBe(customer.version + 2);
    }
    expect(lost).toBe(0);
  });

  it(`refuses the second of two saves made on the same version, and writes nothing of it (${rounds} rounds)`, async () => {
    for (let round = 0; round < rounds; round++) {
      const customer = await createCustomer(100 + round);
      const [byStaff, byOther] = await Promise.all([
        patch(staff, customer.id, { version: customer.version, firstName: 'Staff', companyName: 'Staff BV' }),
        patch(other, customer.id, { version: customer.version, lastName: 'Other', notes: 'by other' }),
      ]);
      const statuses = [byStaff.statusCode, byOther.statusCode].sort();
      expect(statuses).toEqual([200, 409]);
      const refused = byStaff.statusCode === 409 ? byStaff : byOther;
      expect(refused.json()).toEqual({
        error: {
          code: 'conflict',
          reason: 'version_mismatch',
          currentVersion: customer.version + 1,
          message: 'This customer was changed by someone else since you opened it — reload to see the changes.',
        },
      });
      const stored = await read(customer.id);
      expect(stored.version).toBe(customer.version + 1);
      if (byStaff.statusCode === 200) {
        expect(stored).toMatchObject({ firstName: 'Staff', companyName: 'Staff BV', lastName: 'Name', notes: 'kept' });
      } else {
        expect(stored).toMatchObject({ firstName: 'Old', companyName: '', lastName: 'Other', notes: 'by other' });
      }
    }
  });

  it('answers a save with the version it made, and a save on that version goes through', async () => {
    const customer = await createCustomer(1000);
    const saved = await patch(staff, customer.id, { version: customer.version, firstName: 'Once' });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json().version).toBe(customer.version + 1);
    const again = await patch(staff, customer.id, { version: saved.json().version, firstName: 'Twice' });
    expect(again.statusCode, again.body).toBe(200);
    expect((await read(customer.id)).firstName).toBe('Twice');
    const stale = await patch(other, customer.id, { version: customer.version, firstName: 'Stale' });
    expect(stale.statusCode).toBe(409);
    expect((await read(customer.id)).firstName).toBe('Twice');
  });

  it('a save without changes leaves the version and the last-changed date alone', async () => {
    const customer = await createCustomer(1001);
    const same = await patch(staff, customer.id, { version: customer.version, firstName: 'Old', notes: 'kept' });
    expect(same.statusCode, same.body).toBe(200);
    expect(same.json()).toMatchObject({ version: customer.version, updatedAt: customer.updatedAt });
  });

  it('writes only the columns a PATCH without version changes, even over a change it did not read', async () => {
    const customer = await createCustomer(1002);
    // Someone else's write, made straight in the database after this client read the customer.
    await app.services.db.pool.query(`UPDATE customers SET notes = 'written meanwhile' WHERE id = $1`, [customer.id]);
    const saved = await patch(staff, customer.id, { lastName: 'Patched' });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json()).toMatchObject({ lastName: 'Patched', notes: 'written meanwhile', version: customer.version + 2 });
  });

  it('answers a PATCH of only an external id that another customer has with a conflict on that field', async () => {
    const owner = await createCustomer(1003);
    const other = await createCustomer(1004);
    expect((await patch(staff, owner.id, { externalId: 'EXT-1' })).statusCode).toBe(200);
    const taken = await patch(staff, other.id, { version: other.version, externalId: 'EXT-1' });
    expect(taken.statusCode, taken.body).toBe(409);
    expect(taken.json().error.fields).toEqual({ externalId: { code: 'external_id_taken', message: 'Another customer already has this external id.' } });
    expect((await read(other.id)).version).toBe(other.version);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Customer, CustomerGroup, CustomerPage } from '../../src/customers/customer.schemas.ts';
import { createTestApp, type StaffAgent, type TestApp } from '../support/test-app.ts';

let app: TestApp;
let staff: StaffAgent;
beforeAll(async () => {
  app = await createTestApp();
  staff = await app.loginAsStaff();
});
afterAll(() => app.close());

const api = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown) =>
  staff.request({
    method,
    url: `/api/v1${url}`,
    ...(payload === undefined ? {} : { payload: payload as object }),
  });

async function createGroup(name: string): Promise<CustomerGroup> {
  const response = await api('POST', '/groups', { name });
  expect(response.statusCode, response.body).toBe(201);
  return response.json();
}

async function createCustomer(input: Record<string, unknown>): Promise<Customer> {
  const response = await api('POST', '/customers', input);
  expect(response.statusCode, response.body).toBe(201);
  return response.json();
}

const groupList = async (): Promise<CustomerGroup[]> => (await api('GET', '/groups')).json().items;
const memberCount = async (id: number) => (await groupList()).find((group) => group.id === id)?.memberCount;
const memberEmails = async (groupId: number) => {
  const page: CustomerPage = (await api('GET', `/customers?groupId=${groupId}&limit=200`)).json();
  return page.items.map((item) => item.email).sort();
};

describe('groups', () => {
  it('creates, lists, renames and deletes a group', async () => {
    const vip = await createGroup('  VIP  customers ');
    expect(vip).toMatchObject({ name: 'VIP customers', memberCount: 0 });
    const wholesale = await createGroup('Groothandel');
    expect((await groupList()).map((group) => group.name)).toEqual(['Groothandel', 'VIP customers']);
    expect((await api('GET', `/groups/${vip.id}`)).json()).toEqual(vip);

    const renamed = await api('PATCH', `/groups/${vip.id}`, { name: 'VIPs' });
    expect(renamed.statusCode).toBe(200);
    expect(renamed.json()).toMatchObject({ id: vip.id, name: 'VIPs' });
    // Renaming to a different spelling of its own name is fine.
    expect((await api('PATCH', `/groups/${vip.id}`, { name: 'vips' })).statusCode).toBe(200);

    expect((await api('DELETE', `/groups/${wholesale.id}`)).statusCode).toBe(204);
    expect((await api('GET', `/groups/${wholesale.id}`)).statusCode).toBe(404);
    expect((await api('DELETE', `/groups/${wholesale.id}`)).statusCode).toBe(404);
    expect((await api('PATCH', `/groups/${wholesale.id}`, { name: 'Back' })).statusCode).toBe(404);
    expect((await groupList()).map((group) => group.name)).toEqual(['vips']);
  });

  it('refuses a second group with the same name in another case', async () => {
    const first = await createGroup('Newsletter');
    for (const name of ['newsletter', ' NEWSLETTER ', 'NewsLetter']) {
      const response = await api('POST', '/groups', { name });
      expect(response.statusCode, name).toBe(409);
      expect(response.json().error).toMatchObject({
        code: 'conflict',
        message: 'A customer group named “Newsletter” already exists.',
        existingGroupId: first.id,
        fields: { name: { code: 'name_taken' } },
      });
    }
    const other = await createGroup('Other');
    expect((await api('PATCH', `/groups/${other.id}`, { name: 'NEWSLETTER' })).statusCode).toBe(409);
  });

  it('needs a name', async () => {
    const response = await api('POST', '/groups', { name: '  ' });
    expect(response.statusCode).toBe(422);
    expect(response.json().error.fields.name.code).toBe('required');
  });
});

describe('members', () => {
  let customers: Customer[];
  beforeAll(async () => {
    customers = [];
    for (const [email, lastName, city] of [
      ['anna@example.nl', 'Jansen', 'Utrecht'],
      ['bram@example.nl', 'Jansen', 'Utrecht'],
      ['cor@example.be', 'Peeters', 'Gent'],
      ['dirk@example.de', 'Müller', 'Köln'],
    ] as const) {
      customers.push(await createCustomer({ email, lastName, billingAddress: { city } }));
    }
  });

  it('adds and removes customers by id, counting only real changes', async () => {
    const group = await createGroup('By id');
    const [anna, bram] = customers;
    expect(
      (await api('POST', `/groups/${group.id}/members`, { customerIds: [anna!.id, bram!.id] })).json(),
    ).toEqual({ changed: 2 });
    // Already members, and an id that does not exist: nothing changes.
    expect(
      (await api('POST', `/groups/${group.id}/members`, { customerIds: [anna!.id, 999_999] })).json(),
    ).toEqual({ changed: 0 });
    expect(await memberCount(group.id)).toBe(2);
    expect((await api('GET', `/customers/${anna!.id}`)).json().groups).toEqual([
      { id: group.id, name: 'By id' },
    ]);

    expect(
      (await api('POST', `/groups/${group.id}/members/remove`, { customerIds: [anna!.id] })).json(),
    ).toEqual({ changed: 1 });
    expect(await memberEmails(group.id)).toEqual(['bram@example.nl']);
  });

  it('adds and removes every customer matching a search', async () => {
    const group = await createGroup('By search');
    const added = await api('POST', `/groups/${group.id}/members`, { filter: { q: 'utrecht' } });
    expect(added.statusCode, added.body).toBe(200);
    expect(added.json()).toEqual({ changed: 2 });
    expect(await memberEmails(group.id)).toEqual(['anna@example.nl', 'bram@example.nl']);

    expect((await api('POST', `/groups/${group.id}/members`, { filter: { q: 'muller' } })).json()).toEqual({
      changed: 1,
    });
    expect(
      (await api('POST', `/groups/${group.id}/members`, { filter: { email: 'COR@example.be' } })).json(),
    ).toEqual({ changed: 1 });
    expect(await memberCount(group.id)).toBe(4);

    // "All in this group matching jansen" out of the group; the others stay.
    const removed = await api('POST', `/groups/${group.id}/members/remove`, {
      filter: { q: 'jansen', groupId: group.id },
    });
    expect(removed.json()).toEqual({ changed: 2 });
    expect(await memberEmails(group.id)).toEqual(['cor@example.be', 'dirk@example.de']);

    // Copy one group's members into another.
    const copy = await createGroup('Copy');
    expect(
      (await api('POST', `/groups/${copy.id}/members`, { filter: { groupId: group.id } })).json(),
    ).toEqual({ changed: 2 });
    expect(await memberEmails(copy.id)).toEqual(['cor@example.be', 'dirk@example.de']);
  });

  it('refuses changes to a group that does not exist and bodies that are neither ids nor a filter', async () => {
    expect(
      (await api('POST', '/groups/999999/members', { customerIds: [customers[0]!.id] })).statusCode,
    ).toBe(404);
    expect((await api('POST', '/groups/999999/members/remove', { filter: {} })).statusCode).toBe(404);
    const group = await createGroup('Strict');
    for (const body of [{}, { customerIds: [] }, { customerIds: ['1'] }, { filter: { q: 5 } }]) {
      const response = await api('POST', `/groups/${group.id}/members`, body);
      expect(response.statusCode, JSON.stringify(body)).toBe(422);
      expect(response.json().error.code).toBe('invalid_input');
    }
  });

  it('sets a customer’s groups on create and replaces them on update', async () => {
    const red = await createGroup('Red');
    const blue = await createGroup('Blue');
    const created = await createCustomer({
      email: 'groups@example.com',
      groupIds: [red.id, blue.id, red.id],
    });
    expect(created.groups).toEqual([
      { id: blue.id, name: 'Blue' },
      { id: red.id, name: 'Red' },
    ]);
    const updated = await api('PATCH', `/customers/${created.id}`, { groupIds: [blue.id] });
    expect(updated.statusCode, updated.body).toBe(200);
    expect(updated.json().groups).toEqual([{ id: blue.id, name: 'Blue' }]);
    // A patch without groupIds leaves the groups alone.
    expect((await api('PATCH', `/customers/${created.id}`, { firstName: 'G' })).json().groups).toEqual([
      { id: blue.id, name: 'Blue' },
    ]);
    expect((await api('PATCH', `/customers/${created.id}`, { groupIds: [] })).json().groups).toEqual([]);

    const unknown = await api('POST', '/customers', { email: 'nogroup@example.com', groupIds: [999_999] });
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json().error.fields.groupIds.code).toBe('invalid_choice');
  });

  it('keeps the customers when their group is deleted, and drops memberships of deleted customers', async () => {
    const group = await createGroup('Temporary');
    const temporary = await createCustomer({ email: 'leaving@example.com' });
    await api('POST', `/groups/${group.id}/members`, { customerIds: [customers[0]!.id, temporary.id] });
    expect(await memberCount(group.id)).toBe(2);

    expect((await api('DELETE', `/customers/${temporary.id}`)).statusCode).toBe(204);
    expect(await memberCount(group.id)).toBe(1);

    expect((await api('DELETE', `/groups/${group.id}`)).statusCode).toBe(204);
    const anna = await api('GET', `/customers/${customers[0]!.id}`);
    expect(anna.statusCode).toBe(200);
    expect(anna.json().groups.map((g: { name: string }) => g.name)).not.toContain('Temporary');
    const { rows } = await app.services.db.pool.query(
      'SELECT count(*)::int AS count FROM customer_group_members WHERE group_id = $1',
      [group.id],
    );
    expect(rows[0].count).toBe(0);
  });
});

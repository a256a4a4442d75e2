import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Customer, CustomerGroup, CustomerPage } from '../../src/customers/customer.schemas.ts';
import type { CustomerDeletion, UndoDeletionResult } from '../../src/customers/customer-bulk.schemas.ts';
import { createTestApp, type StaffAgent, type TestApp } from '../support/test-app.ts';
import { exportToLocalFile } from '../exports/export-test-helpers.ts';
import { readFile } from 'node:fs/promises';

/** Bulk delete (with undo for an hour) and bulk newsletter consent on a customer-list selection, through the REST API. */

let now = new Date('2026-03-02T09:00:00Z');
const clock = { now: () => new Date(now) };
let app: TestApp;
let staff: StaffAgent;
beforeAll(async () => {
  app = await createTestApp({ LOGIN_RATE_LIMIT_PER_MINUTE: '100' }, { clock });
  staff = await app.loginAsStaff();
});
afterAll(() => app.close());

const api = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown) =>
  staff.request({ method, url: `/api/v1${url}`, ...(payload === undefined ? {} : { payload: payload as object }) });

async function createCustomer(input: Record<string, unknown>): Promise<Customer> {
  const response = await api('POST', '/customers', input);
  expect(response.statusCode, response.body).toBe(201);
  return response.json();
}
const listEmails = async (query = '') =>
  ((await api('GET', `/customers?limit=200${query}`)).json() as CustomerPage).items.map((item) => item.email).sort();
const getCustomer = async (id: number) => api('GET', `/customers/${id}`);

// bcrypt of "Old Shop Pass" (see test/accounts/imported-hash-login.test.ts)
const oldShopHash = '$2y$05$abcdefghijklmnopqrstuuTYvSGyS/Ci6.R5IK6pMYXzZLdZ3/JZ6';

describe('bulk delete', () => {
  it('hides the selection everywhere, undoes it whole within the hour, and purges after it', async () => {
    const group = (await api('POST', '/groups', { name: 'Delete test' })).json() as CustomerGroup;
    const ann = await createCustomer({ email: 'ann@delete.test', firstName: 'Ann', lastName: 'Delete', newsletter: true, groupIds: [group.id], notes: 'keeps notes' });
    const bob = await createCustomer({ email: 'bob@delete.test', firstName: 'Bob', lastName: 'Delete', groupIds: [group.id] });
    await createCustomer({ email: 'kept@delete.test', firstName: 'Kept', lastName: 'Delete' });
    await app.services.db.pool.query(
      `UPDATE customers SET password_state = 'imported_hash', password_hash = $2, password_algorithm = 'bcrypt' WHERE id = $1`,
      [ann.id, oldShopHash],
    );
    const annBefore = (await getCustomer(ann.id)).json() as Customer;

    // The confirmation named 3 but the selection is 2: nothing happens.
    const stale = await api('POST', '/customers/bulk/delete', { selection: { customerIds: [ann.id, bob.id] }, expectedCount: 3 });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error).toMatchObject({ reason: 'count_changed', currentCount: 2 });
    expect(await listEmails('&q=delete.test')).toEqual(['ann@delete.test', 'bob@delete.test', 'kept@delete.test']);

    const deleted = await api('POST', '/customers/bulk/delete', { selection: { customerIds: [ann.id, bob.id] }, expectedCount: 2 });
    expect(deleted.statusCode, deleted.body).toBe(200);
    const deletion = deleted.json() as CustomerDeletion;
    expect(deletion).toMatchObject({ customerCount: 2, canUndo: true, waitingCount: 2, undoUntil: '2026-03-02T10:00:00.000Z' });
    expect(deletion.deletedBy?.name).toMatch(/^Staff/);

    // Gone from the list, search, the customer page, group counts, exports' source and the storefront login.
    expect(await listEmails()).toEqual(['kept@delete.test']);
    expect(await listEmails('&q=ann')).toEqual([]);
    expect((await getCustomer(ann.id)).statusCode).toBe(404);
    expect(((await api('GET', `/groups/${group.id}`)).json() as CustomerGroup).memberCount).toBe(0);
    await expect(app.services.accounts.login({ email: 'ann@delete.test', password: 'Old Shop Pass', ip: '10.0.0.1' })).rejects.toMatchObject({ code: 'unauthenticated' });
    expect((await api('GET', '/customers/deletions')).json().items).toEqual([expect.objectContaining({ id: deletion.id, sampleEmails: ['ann@delete.test', 'bob@delete.test'] })]);

    // While it waits, the address is free: a new Bob is created; undo brings Ann back, not the old Bob.
    const newBob = await createCustomer({ email: 'BOB@delete.test', firstName: 'New', lastName: 'Bob' });
    now = new Date('2026-03-02T09:59:00Z');
    const undone = await api('POST', `/customers/deletions/${deletion.id}/undo`);
    expect(undone.statusCode, undone.body).toBe(200);
    const result = undone.json() as UndoDeletionResult;
    expect(result).toMatchObject({ restored: 1, notRestored: [{ customerId: bob.id, email: 'bob@delete.test' }] });
    expect(result.deletion).toMatchObject({ restoredCount: 1, waitingCount: 1, canUndo: true, sampleEmails: ['ann@delete.test', 'bob@delete.test'] });

    // Ann is back whole: same id, version, fields, groups and password.
    const annAfter = (await getCustomer(ann.id)).json() as Customer;
    expect(annAfter).toEqual(annBefore);
    expect(annAfter.groups).toEqual([{ id: group.id, name: 'Delete test' }]);
    expect(await listEmails('&q=delete.test')).toEqual(['BOB@delete.test', 'ann@delete.test', 'kept@delete.test']);
    expect(((await getCustomer(newBob.id)).json() as Customer).firstName).toBe('New');
    const session = await app.services.accounts.login({ email: 'ann@delete.test', password: 'Old Shop Pass', ip: '10.0.0.2' });
    expect(session.token).toBeTruthy();

    // After the hour the waiting Bob is purged: no undo any more, the deletion stays listed.
    now = new Date('2026-03-02T10:00:01Z');
    const late = await api('POST', `/customers/deletions/${deletion.id}/undo`);
    expect(late.statusCode).toBe(409);
    expect(late.json().error.reason).toBe('undo_expired');
    const listed = (await api('GET', '/customers/deletions')).json().items as CustomerDeletion[];
    expect(listed).toEqual([expect.objectContaining({ id: deletion.id, canUndo: false, waitingCount: 0, restoredCount: 1, sampleEmails: [] })]);
    const { rows } = await app.services.db.pool.query('SELECT 1 FROM deleted_customers');
    expect(rows).toEqual([]);
    now = new Date('2026-03-02T11:00:00Z');
  });

  it('deletes "all matching a filter" and refuses an empty selection', async () => {
    await createCustomer({ email: 'one@filter.test', firstName: 'One', lastName: 'Filtered' });
    await createCustomer({ email: 'two@filter.test', firstName: 'Two', lastName: 'Filtered' });
    const response = await api('POST', '/customers/bulk/delete', { selection: { filter: { q: 'filter.test' } }, expectedCount: 2 });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({ customerCount: 2 });
    expect(await listEmails('&q=filter.test')).toEqual([]);
    const empty = await api('POST', '/customers/bulk/delete', { selection: { filter: { q: 'filter.test' } } });
    expect(empty.statusCode).toBe(422);
  });
});

describe('export of a selection', () => {
  const exportedEmails = async (filters: Record<string, unknown>) => {
    const file = await exportToLocalFile(app, { type: 'customers', format: 'csv', purpose: 'program', columns: ['email'], filters });
    return (await readFile(file, 'utf8')).replace(/^\uFEFF/, '').trim().split(/\r?\n/).slice(1).sort();
  };

  it('exports exactly the selected ids, or all matching the list filter, and never deleted customers', async () => {
    const x = await createCustomer({ email: 'x@export.test', lastName: 'Export' });
    const y = await createCustomer({ email: 'y@export.test', lastName: 'Export', customerSince: '2020-05-01' });
    const z = await createCustomer({ email: 'z@export.test', lastName: 'Export' });
    expect(await exportedEmails({ customerIds: [x.id, z.id] })).toEqual(['x@export.test', 'z@export.test']);
    expect(await exportedEmails({ q: 'export.test', sinceBefore: '2021-01-01' })).toEqual(['y@export.test']);
    await api('POST', '/customers/bulk/delete', { selection: { customerIds: [z.id] } });
    expect(await exportedEmails({ q: 'export.test' })).toEqual(['x@export.test', 'y@export.test']);
    expect(await exportedEmails({ customerIds: [x.id, y.id, z.id] })).toEqual(['x@export.test', 'y@export.test']);
  });

  it("exports all matching the overview's list filters too: no country, country and newsletter, added dates", async () => {
    await createCustomer({ email: 'nl-yes@filters.test', lastName: 'Filters', newsletter: true, billingAddress: { country: 'NL' } });
    await createCustomer({ email: 'nl-no@filters.test', lastName: 'Filters', newsletter: false, billingAddress: { country: 'NL' } });
    await createCustomer({ email: 'none@filters.test', lastName: 'Filters' });
    expect(await exportedEmails({ q: 'filters.test', country: '-' })).toEqual(['none@filters.test']);
    expect(await exportedEmails({ q: 'filters.test', country: 'NL', newsletter: true })).toEqual(['nl-yes@filters.test']);
    // Created "now" by the test clock: a range that holds today finds all three, one that ends before it none.
    const today = ((await api('GET', '/customers?q=filters.test&limit=1')).json() as CustomerPage).items[0]!.createdAt.slice(0, 10);
    expect(await exportedEmails({ q: 'filters.test', createdFrom: today })).toHaveLength(3);
    expect(await exportedEmails({ q: 'filters.test', createdBefore: today })).toEqual([]);
    const preview = await api('POST', '/password-emails/bulk/preview', { filter: { q: 'filters.test', country: 'NL', newsletter: 'false' } });
    expect(preview.statusCode, preview.body).toBe(200);
    expect(preview.json()).toMatchObject({ matched: 1 });
  });

  it('sends the password e-mail to all matching every list filter, not only the search', async () => {
    await createCustomer({ email: 'old@since.test', lastName: 'Since', customerSince: '2019-01-01' });
    await createCustomer({ email: 'new@since.test', lastName: 'Since' });
    const preview = await api('POST', '/password-emails/bulk/preview', { filter: { q: 'since.test', sinceBefore: '2020-01-01' } });
    expect(preview.statusCode, preview.body).toBe(200);
    expect(preview.json()).toMatchObject({ matched: 1, willSend: 1 });
  });

  it('refuses a selection of more ids than an export takes', async () => {
    const response = await api('POST', '/exports', { type: 'customers', format: 'csv', filters: { customerIds: Array.from({ length: 10_001 }, (_, i) => i + 1) } });
    expect(response.statusCode).toBe(422);
  });
});

describe('bulk newsletter consent', () => {
  it('subscribes and unsubscribes a selection, writing only the customers that change', async () => {
    const a = await createCustomer({ email: 'a@consent.test', lastName: 'Consent', newsletter: false });
    const b = await createCustomer({ email: 'b@consent.test', lastName: 'Consent', newsletter: true });
    const subscribe = await api('POST', '/customers/bulk/newsletter', { selection: { filter: { q: 'consent.test' } }, isSubscribed: true, expectedCount: 2 });
    expect(subscribe.statusCode, subscribe.body).toBe(200);
    expect(subscribe.json()).toEqual({ changed: 1, unchanged: 1 });
    const [afterA, afterB] = await Promise.all([getCustomer(a.id), getCustomer(b.id)]);
    expect(afterA.json()).toMatchObject({ newsletter: true, version: a.version + 1 });
    expect(afterB.json()).toMatchObject({ newsletter: true, version: b.version });

    const unsubscribe = await api('POST', '/customers/bulk/newsletter', { selection: { customerIds: [a.id, b.id] }, isSubscribed: false });
    expect(unsubscribe.json()).toEqual({ changed: 2, unchanged: 0 });
    expect((await getCustomer(b.id)).json()).toMatchObject({ newsletter: false });
  });

  it('neither loses nor overwrites a staff edit made at the same time', async () => {
    const customer = await createCustomer({ email: 'c@race.test', firstName: 'Before', lastName: 'Race', newsletter: false });
    // A staff save is in progress: it holds the customer's row lock.
    const client = await app.services.db.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('SELECT 1 FROM customers WHERE id = $1 FOR UPDATE', [customer.id]);
      const bulk = api('POST', '/customers/bulk/newsletter', { selection: { customerIds: [customer.id] }, isSubscribed: true });
      // The bulk change waits for the lock (it is not answered while the staff transaction is open).
      await waitUntil(async () => (await lockWaiters()) > 0);
      await client.query(`UPDATE customers SET first_name = 'Staff' WHERE id = $1`, [customer.id]);
      await client.query('COMMIT');
      expect((await bulk).json()).toEqual({ changed: 1, unchanged: 0 });
    } finally {
      client.release();
    }
    const after = (await getCustomer(customer.id)).json() as Customer;
    expect(after).toMatchObject({ firstName: 'Staff', newsletter: true, version: customer.version + 2 });

    // A form opened before the bulk change cannot save over it: its version is stale.
    const stale = await api('PATCH', `/customers/${customer.id}`, { firstName: 'Form', newsletter: false, version: customer.version });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.reason).toBe('version_mismatch');
    expect((await getCustomer(customer.id)).json()).toMatchObject({ firstName: 'Staff', newsletter: true });
  });
});

async function lockWaiters(): Promise<number> {
  const { rows } = await app.services.db.pool.query<{ count: number }>(
    `SELECT count(*)::int AS count FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
  );
  return rows[0]!.count;
}

async function waitUntil(condition: () => Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type StaffAgent, type TestApp } from '../support/test-app.ts';
import { customerByEmail, post, uploadOk, waitForStatus } from './import-helpers.ts';

/**
 * Issue #17, point 6: a Command column per row — new (create only), merge (default), update
 * (update only), delete, ignore — and Magento's "Delete Entities" file (e-mail and website, mode
 * delete). Deletions are counted in the check with the customers named, start only with a
 * confirmation that states the number, and the import's undo brings the customers back whole:
 * addresses, groups, tags and consent history.
 */

let app: TestApp;
let staff: StaffAgent;

beforeAll(async () => {
  app = await createTestApp();
  await app.services.startWorkers();
  staff = await app.loginAsStaff();
}, 60_000);
afterAll(() => app.close());

const check = async (id: number, options: Record<string, unknown> = {}) => {
  const response = await post(staff, `/api/v1/imports/${id}/check`, options);
  expect(response.statusCode, response.body).toBe(202);
  return waitForStatus(staff, id, ['checked']);
};

describe('row commands', () => {
  it('creates only with new, updates only with update, merges by default, ignores, and deletes after the confirmed number; undo brings the deleted back whole', async () => {
    const group = await app.services.groups.create({ name: 'Stamgasten' });
    const gone = await app.services.customers.create({
      email: 'gone@commands.test', firstName: 'Gone', lastName: 'Soon', emailConsent: 'subscribed', tags: ['VIP'], groupIds: [group.id],
      billingAddress: { street: 'Kerkstraat', number: '1', postcode: '1017 GC', city: 'Amsterdam', country: 'NL' },
    });
    await app.services.customers.update(gone.id, { emailConsent: 'unsubscribed' });
    const goneBefore = await customerByEmail(app, 'gone@commands.test');
    await app.services.customers.create({ email: 'exists@commands.test', firstName: 'Exists', lastName: 'Already' });
    await app.services.customers.create({ email: 'update@commands.test', firstName: 'Up', lastName: 'Date' });
    const file = [
      'E-mail,First name,Last name,Command',
      'exists@commands.test,Exists,Changed,new',
      'brandnew@commands.test,Brand,New,nieuw',
      'update@commands.test,Up,Changed,update',
      'nobody@commands.test,No,Body,update',
      'gone@commands.test,,,delete',
      'unknown@commands.test,,,verwijderen',
      'skip@commands.test,Not-a-date,,ignore',
      'merge@commands.test,Mer,Ge,',
      'typo@commands.test,Ty,Po,delte',
    ].join('\n');
    const uploaded = await uploadOk(staff, 'commands.csv', file);
    expect(uploaded.mapping.columns.map((column) => column.field)).toEqual(['email', 'firstName', 'lastName', 'rowCommand']);
    const checked = await check(uploaded.id);
    expect(checked.check?.result).toMatchObject({ created: 2, updated: 1, deleted: 1, ignored: 1, rejected: 4 });
    expect(checked.check?.result?.deletions).toEqual([{ rowNumber: 6, customerId: gone.id, email: 'gone@commands.test', name: 'Gone Soon' }]);
    const rejected = JSON.stringify(checked.check?.result?.rejections);
    expect(rejected).toContain('already exists');
    expect(rejected).toContain('nothing to delete');
    expect(rejected).toContain('“delte” is not a command');

    // Without the number, or with another, nothing starts.
    const unconfirmed = await post(staff, `/api/v1/imports/${uploaded.id}/start`);
    expect(unconfirmed.statusCode).toBe(409);
    expect(unconfirmed.json().error).toMatchObject({ message: 'This import deletes 1 customer. Confirm that number to start it.', reason: 'confirm_deletions', deletions: 1 });
    expect((await post(staff, `/api/v1/imports/${uploaded.id}/start`, { confirmDeletions: 2 })).statusCode).toBe(409);
    expect(await customerByEmail(app, 'gone@commands.test')).toBeDefined();

    expect((await post(staff, `/api/v1/imports/${uploaded.id}/start`, { confirmDeletions: 1 })).statusCode).toBe(202);
    const done = await waitForStatus(staff, uploaded.id, ['done', 'done_with_errors']);
    expect(done.counts).toMatchObject({ created: 2, updated: 1, deleted: 1, ignored: 1, rejected: 4 });
    expect(await customerByEmail(app, 'gone@commands.test')).toBeUndefined();
    expect(await customerByEmail(app, 'skip@commands.test')).toBeUndefined();
    expect(await customerByEmail(app, 'exists@commands.test')).toMatchObject({ lastName: 'Already' });
    expect(await customerByEmail(app, 'update@commands.test')).toMatchObject({ lastName: 'Changed' });
    expect(await customerByEmail(app, 'nobody@commands.test')).toBeUndefined();
    // An import's deletions are undone with the import, not listed under Recently deleted.
    expect((await staff.request({ method: 'GET', url: '/api/v1/customers/deletions' })).json()).toEqual({ items: [] });

    expect((await post(staff, `/api/v1/imports/${uploaded.id}/undo`)).statusCode).toBe(202);
    const undone = await waitForStatus(staff, uploaded.id, ['undone']);
    expect(undone.undo).toMatchObject({ deletionsRestored: 1, deletionsNotRestored: 0 });
    expect(await customerByEmail(app, 'gone@commands.test')).toEqual(goneBefore);
    expect((await staff.request({ method: 'GET', url: `/api/v1/customers/${gone.id}/addresses` })).json().items).toHaveLength(1);
    const { rows: history } = await app.services.db.pool.query<{ state: string }>('SELECT state FROM customer_consent_events WHERE customer_id = $1 ORDER BY id', [gone.id]);
    expect(history.map((event) => event.state)).toEqual(['subscribed', 'unsubscribed']);
    expect(await customerByEmail(app, 'brandnew@commands.test')).toBeUndefined();
  });
});

describe("Magento's Delete Entities file", () => {
  it('deletes the customers an e-mail + _website file names, in mode delete, after the confirmed number', async () => {
    await app.services.customers.create({ email: 'm1@magento.test', firstName: 'M', lastName: 'One' });
    await app.services.customers.create({ email: 'm2@magento.test', firstName: 'M', lastName: 'Two' });
    await app.services.customers.create({ email: 'm3@magento.test', firstName: 'M', lastName: 'Three' });
    const uploaded = await uploadOk(staff, 'customer_delete.csv', ['email,_website', 'm1@magento.test,base', 'm2@magento.test,base'].join('\n'));
    expect(uploaded.mapping.preset?.id).toBe('magento');
    // Without the mode, such a file changes nothing (its rows hold no values).
    expect((await check(uploaded.id)).check?.result).toMatchObject({ unchanged: 2, deleted: 0 });
    const checked = await check(uploaded.id, { mode: 'delete' });
    expect(checked.check?.result).toMatchObject({ deleted: 2, rejected: 0 });
    expect((await post(staff, `/api/v1/imports/${uploaded.id}/start`, { confirmDeletions: 2 })).statusCode).toBe(202);
    const done = await waitForStatus(staff, uploaded.id, ['done']);
    expect(done.counts).toMatchObject({ deleted: 2 });
    expect(await customerByEmail(app, 'm1@magento.test')).toBeUndefined();
    expect(await customerByEmail(app, 'm2@magento.test')).toBeUndefined();
    expect(await customerByEmail(app, 'm3@magento.test')).toBeDefined();
  });
});

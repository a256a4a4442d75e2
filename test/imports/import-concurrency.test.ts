import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type StaffAgent, type TestApp } from '../support/test-app.ts';
import { importFile, post, uploadOk, waitForStatus } from './import-helpers.ts';

/**
 * No lost update between an import and staff (issue #15, point 9): an import updates the notes of
 * 200 customers in batches of 10 while staff save the company name of each of them through the
 * API. What the import's change record says it wrote must be in the data, every staff change must
 * be kept, and undo must put back exactly the import's values and nothing of the staff's.
 */

const count = 200;
const emailOf = (index: number) => `concurrent${index}@example.com`;

let app: TestApp;
let staff: StaffAgent;
beforeAll(async () => {
  app = await createTestApp({}, { importTuning: { batchSize: 10 } });
  await app.services.startWorkers();
  staff = await app.loginAsStaff();
});
afterAll(() => app.close());

type Stored = { id: number; email: string; notes: string; company_name: string; first_name: string };

async function storedCustomers(): Promise<Map<string, Stored>> {
  const { rows } = await app.services.db.pool.query<Stored>(
    `SELECT id, email, notes, company_name, first_name FROM customers WHERE email LIKE 'concurrent%' ORDER BY id`,
  );
  return new Map(rows.map((row) => [row.email, row]));
}

const saveCompany = (id: number, index: number) =>
  staff.request({ method: 'PATCH', url: `/api/v1/customers/${id}`, payload: { companyName: `Staff company ${index}` } });

describe('an import and staff edits at the same time', () => {
  it('keeps every change of both, the change record agrees with the data, and undo restores only the import’s values', async () => {
    const rows = Array.from({ length: count }, (_, index) => `${emailOf(index)},Name${index},Last${index},Original company ${index},Original note ${index}`);
    const created = await importFile(staff, 'customers.csv', `E-mail,First name,Last name,Company name,Notes\n${rows.join('\n')}\n`);
    expect(created.counts.created).toBe(count);
    const ids = [...(await storedCustomers()).values()].map((customer) => customer.id);

    const notes = Array.from({ length: count }, (_, index) => `${emailOf(index)},Imported note ${index}`);
    const uploaded = await uploadOk(staff, 'notes.csv', `E-mail,Notes\n${notes.join('\n')}\n`);
    expect((await post(staff, `/api/v1/imports/${uploaded.id}/check`, {})).statusCode).toBe(202);
    expect((await waitForStatus(staff, uploaded.id, ['checked'])).check?.result?.updated).toBe(count);
    expect((await post(staff, `/api/v1/imports/${uploaded.id}/start`)).statusCode).toBe(202);
    // Staff save while the import runs: four at a time, each customer once.
    for (let start = 0; start < count; start += 4) {
      const saves = await Promise.all(ids.slice(start, start + 4).map((id, offset) => saveCompany(id, start + offset)));
      for (const save of saves) expect(save.statusCode, save.body).toBe(200);
    }
    const done = await waitForStatus(staff, uploaded.id, ['done', 'done_with_errors'], 60_000);
    expect(done.counts).toEqual({ created: 0, updated: count, unchanged: 0, rejected: 0, warned: 0, passwordsDropped: 0, addressesAdded: 0, addressesChanged: 0, addressesRemoved: 0, deleted: 0, ignored: 0, companiesCreated: 0, companiesUpdated: 0, contactsLinked: 0, contactsChanged: 0 });

    const { rows: recorded } = await app.services.db.pool.query<{ email: string; changed_fields: string[]; written: Record<string, unknown> }>(
      `SELECT c.email, ch.changed_fields, ch.written FROM import_changes ch JOIN customers c ON c.id = ch.customer_id WHERE ch.import_id = $1`,
      [uploaded.id],
    );
    expect(recorded).toHaveLength(count);
    const afterImport = await storedCustomers();
    for (const change of recorded) {
      const customer = afterImport.get(change.email)!;
      expect(change.changed_fields).toEqual(['notes']);
      // What the change record says the import wrote is what the customer holds.
      expect(customer.notes).toBe(change.written.notes);
    }
    for (let index = 0; index < count; index++) {
      expect(afterImport.get(emailOf(index))).toMatchObject({ notes: `Imported note ${index}`, company_name: `Staff company ${index}`, first_name: `Name${index}` });
    }

    // Five notes are changed by staff after the import: undo must keep those.
    for (let index = 0; index < 5; index++) {
      const saved = await staff.request({ method: 'PATCH', url: `/api/v1/customers/${ids[index]}`, payload: { notes: `Staff note ${index}` } });
      expect(saved.statusCode, saved.body).toBe(200);
    }
    expect((await post(staff, `/api/v1/imports/${uploaded.id}/undo`)).statusCode).toBe(202);
    const undone = await waitForStatus(staff, uploaded.id, ['undone'], 60_000);
    expect(undone.undo).toEqual({ restored: count - 5, deleted: 0, changedSince: 5, deletedSince: 0, deletionsRestored: 0, deletionsNotRestored: 0, contactsUnlinked: 0, companiesDeleted: 0, companiesRestored: 0 });
    const afterUndo = await storedCustomers();
    for (let index = 0; index < count; index++) {
      expect(afterUndo.get(emailOf(index))).toMatchObject({
        notes: index < 5 ? `Staff note ${index}` : `Original note ${index}`,
        company_name: `Staff company ${index}`,
        first_name: `Name${index}`,
      });
    }
  });

  it('undo puts back the columns an import wrote and leaves a column changed since, on the same customer', async () => {
    const csv = 'E-mail,First name,Last name,Notes\nmixed@example.com,Mia,Before,Note before\n';
    await importFile(staff, 'mixed.csv', csv);
    const update = await importFile(staff, 'mixed-update.csv', 'E-mail,Last name,Notes\nmixed@example.com,Imported,Note imported\n');
    expect(update.counts.updated).toBe(1);
    const { rows } = await app.services.db.pool.query<{ id: number }>(`SELECT id FROM customers WHERE email = 'mixed@example.com'`);
    const id = rows[0]!.id;
    const saved = await staff.request({ method: 'PATCH', url: `/api/v1/customers/${id}`, payload: { notes: 'Note by staff' } });
    expect(saved.statusCode, saved.body).toBe(200);
    expect((await post(staff, `/api/v1/imports/${update.id}/undo`)).statusCode).toBe(202);
    const undone = await waitForStatus(staff, update.id, ['undone']);
    expect(undone.undo).toEqual({ restored: 1, deleted: 0, changedSince: 0, deletedSince: 0, deletionsRestored: 0, deletionsNotRestored: 0, contactsUnlinked: 0, companiesDeleted: 0, companiesRestored: 0 });
    const customer = await app.services.customers.get(id);
    expect(customer).toMatchObject({ firstName: 'Mia', lastName: 'Before', notes: 'Note by staff' });
    // The restored last name is found by search again; the imported one no longer is.
    const found = await staff.request({ method: 'GET', url: '/api/v1/customers?q=before' });
    expect(found.json().items.map((item: { id: number }) => item.id)).toContain(id);
    const gone = await staff.request({ method: 'GET', url: '/api/v1/customers?q=imported' });
    expect(gone.json().items.map((item: { id: number }) => item.id)).not.toContain(id);
  });
});

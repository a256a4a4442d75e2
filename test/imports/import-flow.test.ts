import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type StaffAgent, type TestApp } from '../support/test-app.ts';
import { checkOk, customerByEmail, fixture, getImport, importFile, post, uploadOk, waitForStatus } from './import-helpers.ts';

let app: TestApp;
let staff: StaffAgent;

beforeAll(async () => {
  app = await createTestApp({}, { importTuning: { batchSize: 2 } });
  await app.services.startWorkers();
  staff = await app.loginAsStaff();
});
afterAll(() => app.close());

describe('importing a Dutch Excel file', () => {
  it('analyses, maps, checks and imports a semicolon Windows-1252 file', async () => {
    const uploaded = await uploadOk(staff, 'klanten.csv', fixture('dutch-excel-cp1252.csv'));
    expect(uploaded.status).toBe('mapping');
    expect(uploaded.settings).toMatchObject({ format: 'csv', encoding: 'windows-1252', delimiter: ';', headerRowNumber: 1 });
    expect(uploaded.headings[0]).toBe('E-mailadres');
    expect(uploaded.mapping.columns.map((column) => column.field)).toEqual([
      'email', 'firstName', 'nameInsertion', 'lastName', 'billing.street', 'billing.number', 'billing.extension', 'billing.postcode', 'billing.city', 'billing.country', 'phone', 'birthDate', 'newsletter', 'gender',
    ]);
    expect(uploaded.missingRequired).toEqual([]);

    const preview = await staff.request({ method: 'GET', url: `/api/v1/imports/${uploaded.id}/preview` });
    expect(preview.statusCode).toBe(200);
    expect(preview.json().rows[0]).toMatchObject({ rowNumber: 2, values: { firstName: 'Renée', nameInsertion: 'van der', 'billing.country': 'NL', 'billing.postcode': '1016 EE' } });

    const checking = await post(staff, `/api/v1/imports/${uploaded.id}/check`, {});
    expect(checking.json().status).toBe('checking');
    const checked = await waitForStatus(staff, uploaded.id, ['checked']);
    const result = checked.check?.result;
    expect(result).toMatchObject({ created: 3, updated: 0, unchanged: 0 });
    expect(await customerByEmail(app, 'renee.jansen@example.nl')).toBeUndefined();

    await post(staff, `/api/v1/imports/${uploaded.id}/start`);
    const done = await waitForStatus(staff, uploaded.id, ['done', 'done_with_errors']);
    expect(done.counts).toEqual({ created: result!.created, updated: 0, unchanged: 0, rejected: result!.rejected, warned: 0, passwordsDropped: 0, addressesAdded: 0, addressesChanged: 0, addressesRemoved: 0, deleted: 0, ignored: 0, companiesCreated: 0, companiesUpdated: 0, contactsLinked: 0, contactsChanged: 0 });
    expect(done.progress).toMatchObject({ percent: 100, rowsDone: result!.rows });
    const renee = await customerByEmail(app, 'renee.jansen@example.nl');
    expect(renee).toMatchObject({ firstName: 'Renée', nameInsertion: 'van der', lastName: 'Jansen', birthDate: '1980-03-05', newsletter: true, gender: 'female' });
    expect(renee?.billingAddress).toMatchObject({ street: 'Keizersgracht', number: '313', extension: 'II', postcode: '1016 EE', city: 'Amsterdam', country: 'NL' });
  });

  it('re-importing the same file changes nothing and rewrites no row', async () => {
    const before = await customerByEmail(app, 'zoe.mueller@example.de');
    const again = await importFile(staff, 'klanten.csv', fixture('dutch-excel-cp1252.csv'));
    expect(again.counts.created).toBe(0);
    expect(again.counts.updated).toBe(0);
    expect(again.counts.unchanged).toBeGreaterThanOrEqual(3);
    expect((await customerByEmail(app, 'zoe.mueller@example.de'))?.updatedAt).toBe(before?.updatedAt);
  });

  it('shows field-level changes in the check, applies them, and undo restores the previous values', async () => {
    const before = await customerByEmail(app, 'renee.jansen@example.nl');
    const text = iconv.decode(fixture('dutch-excel-cp1252.csv'), 'windows-1252').replace('Keizersgracht;313;II', 'Herengracht;1;');
    const uploaded = await uploadOk(staff, 'klanten-bijgewerkt.csv', iconv.encode(text, 'windows-1252'));
    await post(staff, `/api/v1/imports/${uploaded.id}/check`, {});
    const checked = await waitForStatus(staff, uploaded.id, ['checked']);
    expect(checked.check?.result?.updated).toBe(1);
    expect(checked.check?.result?.changes[0]?.changes).toEqual([
      { field: 'billing.street', before: 'Keizersgracht', after: 'Herengracht' },
      { field: 'billing.number', before: '313', after: '1' },
      // The blank extension cell keeps the stored "II" (blank cells keep by default).
      // Shipping follows billing ("same as billing"), as in the customer form.
      { field: 'shipping.street', before: 'Keizersgracht', after: 'Herengracht' },
      { field: 'shipping.number', before: '313', after: '1' },
    ]);
    await post(staff, `/api/v1/imports/${uploaded.id}/check`, { blank: 'clear' });
    const clearing = await waitForStatus(staff, uploaded.id, ['checked']);
    expect(clearing.check?.options.blank).toBe('clear');
    expect(clearing.check?.result?.changes[0]?.changes).toContainEqual({ field: 'billing.extension', before: 'II', after: '' });
    await post(staff, `/api/v1/imports/${uploaded.id}/check`, { blank: 'keep' });
    await waitForStatus(staff, uploaded.id, ['checked']);
    await post(staff, `/api/v1/imports/${uploaded.id}/start`);
    const done = await waitForStatus(staff, uploaded.id, ['done', 'done_with_errors']);
    expect(done.counts.updated).toBe(1);
    expect((await customerByEmail(app, 'renee.jansen@example.nl'))?.billingAddress.street).toBe('Herengracht');

    const listed = await staff.request({ method: 'GET', url: `/api/v1/customers?importId=${uploaded.id}` });
    expect(listed.json().items.map((item: { email: string }) => item.email)).toEqual(['renee.jansen@example.nl']);

    expect((await post(staff, `/api/v1/imports/${uploaded.id}/undo`)).statusCode).toBe(202);
    const undone = await waitForStatus(staff, uploaded.id, ['undone']);
    expect(undone.undo).toEqual({ restored: 1, deleted: 0, changedSince: 0, deletedSince: 0, deletionsRestored: 0, deletionsNotRestored: 0, contactsUnlinked: 0, companiesDeleted: 0, companiesRestored: 0 });
    const restored = await customerByEmail(app, 'renee.jansen@example.nl');
    expect(restored?.billingAddress).toMatchObject({ street: 'Keizersgracht', number: '313', extension: 'II' });
    expect(restored?.updatedAt).not.toBe(before?.updatedAt);
    expect(restored?.shippingAddress).toMatchObject({ street: 'Keizersgracht', number: '313', extension: 'II' });
  });

  it('undo deletes the customers an import created, but leaves alone those changed since', async () => {
    const csv = 'E-mail,First name,Last name\nnew.one@example.com,New,One\nnew.two@example.com,New,Two\n';
    const done = await importFile(staff, 'new.csv', csv);
    expect(done.counts.created).toBe(2);
    const two = await customerByEmail(app, 'new.two@example.com');
    await app.services.customers.update(two!.id, { firstName: 'Edited' });
    await post(staff, `/api/v1/imports/${done.id}/undo`);
    const undone = await waitForStatus(staff, done.id, ['undone']);
    expect(undone.undo).toEqual({ restored: 0, deleted: 1, changedSince: 1, deletedSince: 0, deletionsRestored: 0, deletionsNotRestored: 0, contactsUnlinked: 0, companiesDeleted: 0, companiesRestored: 0 });
    expect(await customerByEmail(app, 'new.one@example.com')).toBeUndefined();
    expect((await customerByEmail(app, 'new.two@example.com'))?.firstName).toBe('Edited');
    const skipped = await staff.request({ method: 'GET', url: `/api/v1/imports/${done.id}/undo-skipped` });
    expect(skipped.json()).toEqual({ total: 1, items: [{ customerId: two!.id, rowNumber: 3, outcome: 'changed_since', email: 'new.two@example.com', name: 'Edited Two' }] });
  });

  it('starting twice (double click, two tabs) runs the import once', async () => {
    const csv = 'E-mail,First name,Last name\ntwice@example.com,Tw,Ice\n';
    const uploaded = await uploadOk(staff, 'twice.csv', csv);
    await checkOk(staff, uploaded.id);
    const [first, second] = await Promise.all([post(staff, `/api/v1/imports/${uploaded.id}/start`), post(staff, `/api/v1/imports/${uploaded.id}/start`)]);
    expect([first.statusCode, second.statusCode]).toEqual([202, 202]);
    const done = await waitForStatus(staff, uploaded.id, ['done']);
    expect(done.counts).toEqual({ created: 1, updated: 0, unchanged: 0, rejected: 0, warned: 0, passwordsDropped: 0, addressesAdded: 0, addressesChanged: 0, addressesRemoved: 0, deleted: 0, ignored: 0, companiesCreated: 0, companiesUpdated: 0, contactsLinked: 0, contactsChanged: 0 });
    const third = await post(staff, `/api/v1/imports/${uploaded.id}/start`);
    expect(third.statusCode).toBe(409);
    expect((await getImport(staff, uploaded.id)).counts.created).toBe(1);
  });
});

describe('an import starts only once checked, with the options it was checked with', () => {
  const csv = (name: string) => `E-mail,First name,Last name\n${name}@unchecked.test,Un,Checked\n`;
  const customerCount = async () => Number((await app.services.db.pool.query('SELECT count(*) FROM customers')).rows[0].count);
  const queuedJobs = async (id: number) =>
    Number((await app.services.db.pool.query(`SELECT count(*) FROM pgboss.job WHERE name = 'import.apply' AND data->>'importId' = $1`, [String(id)])).rows[0].count);

  it('refuses a start from mapping (never checked) in the staff language, and queues and imports nothing', async () => {
    const dutch = await app.loginAsStaff({ language: 'nl' });
    const uploaded = await uploadOk(staff, 'never-checked.csv', csv('never'));
    const before = await customerCount();
    const refused = await post(staff, `/api/v1/imports/${uploaded.id}/start`);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error).toMatchObject({ reason: 'not_checked', message: 'Check the file first: this import has not been checked since its file, settings or mapping last changed.' });
    const inDutch = await post(dutch, `/api/v1/imports/${uploaded.id}/start`);
    expect(inDutch.statusCode).toBe(409);
    expect(inDutch.json().error).toMatchObject({ reason: 'not_checked', message: expect.stringMatching(/^Controleer het bestand eerst: /) });
    expect((await getImport(staff, uploaded.id)).status).toBe('mapping');
    expect(await queuedJobs(uploaded.id)).toBe(0);
    expect(await customerCount()).toBe(before);
    expect(await customerByEmail(app, 'never@unchecked.test')).toBeUndefined();
  });

  it('refuses a start while the check still runs, and starts once it is done', async () => {
    const uploaded = await uploadOk(staff, 'running.csv', csv('running'));
    // The check job waits on this lock (it clears the import's rejected rows first): it stays running until released.
    const blocker = await app.services.db.pool.connect();
    try {
      await blocker.query('BEGIN');
      await blocker.query('LOCK TABLE import_rejections IN EXCLUSIVE MODE');
      expect((await post(staff, `/api/v1/imports/${uploaded.id}/check`, {})).statusCode).toBe(202);
      const refused = await post(staff, `/api/v1/imports/${uploaded.id}/start`);
      expect(refused.statusCode).toBe(409);
      expect(refused.json().error).toMatchObject({ reason: 'check_running', message: 'The check is still running; start the import when it is done.' });
      expect((await getImport(staff, uploaded.id)).status).toBe('checking');
    } finally {
      await blocker.query('ROLLBACK');
      blocker.release();
    }
    await waitForStatus(staff, uploaded.id, ['checked']);
    expect((await post(staff, `/api/v1/imports/${uploaded.id}/start`, {})).statusCode).toBe(202);
    expect((await waitForStatus(staff, uploaded.id, ['done'])).counts.created).toBe(1);
  });

  it('refuses a start whose options differ from the check; the same options, in any key order and with confirmDeletions, start it', async () => {
    const uploaded = await uploadOk(staff, 'options.csv', csv('options'));
    // Accepted fixes of two fields, in an order the stored options (jsonb) do not keep: still the same options.
    const options = { mode: 'create-update', acceptedFixes: { mobile: ['leading_zero_lost'], phone: ['leading_zero_lost'] } };
    await checkOk(staff, uploaded.id, options);
    const refused = await post(staff, `/api/v1/imports/${uploaded.id}/start`, { ...options, mode: 'update' });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error).toMatchObject({ reason: 'options_changed', message: 'The options differ from the ones the file was checked with: check again with these options, then start.' });
    expect((await getImport(staff, uploaded.id)).status).toBe('checked');
    expect(await queuedJobs(uploaded.id)).toBe(0);
    // The options it was checked with, sent again (and a confirmation of no deletions), start it.
    expect((await post(staff, `/api/v1/imports/${uploaded.id}/start`, { ...options, confirmDeletions: 0 })).statusCode).toBe(202);
    expect((await waitForStatus(staff, uploaded.id, ['done'])).counts.created).toBe(1);
  });

  it('refuses a start after the mapping changed since the check, until it is checked again', async () => {
    const uploaded = await uploadOk(staff, 'remapped.csv', 'E-mail,First name,Last name,Remark\nremapped@unchecked.test,Re,Mapped,hello\n');
    await checkOk(staff, uploaded.id);
    const mapped = await staff.request({ method: 'PUT', url: `/api/v1/imports/${uploaded.id}/mapping`, payload: { columns: [{ index: 3, field: 'notes' }] } });
    expect(mapped.statusCode, mapped.body).toBe(200);
    expect(mapped.json().status).toBe('mapping');
    const refused = await post(staff, `/api/v1/imports/${uploaded.id}/start`);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.reason).toBe('not_checked');
    await checkOk(staff, uploaded.id);
    expect((await post(staff, `/api/v1/imports/${uploaded.id}/start`, {})).statusCode).toBe(202);
    await waitForStatus(staff, uploaded.id, ['done']);
    expect(await customerByEmail(app, 'remapped@unchecked.test')).toMatchObject({ notes: 'hello' });
  });
});

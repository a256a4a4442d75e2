import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type StaffAgent, type TestApp } from '../support/test-app.ts';
import { customerByEmail, importFile, post, uploadOk, waitForStatus } from './import-helpers.ts';

/** The same customer on several rows of one file: first row wins, last row wins, or combine. */

let app: TestApp;
let staff: StaffAgent;

beforeAll(async () => {
  // Batches of two rows: the rows of one customer fall in different batches (and the scan must see them all).
  app = await createTestApp({}, { importTuning: { batchSize: 2 } });
  await app.services.startWorkers();
  staff = await app.loginAsStaff();
});
afterAll(() => app.close());

const file = (domain: string) =>
  [
    'E-mail,First name,Last name,Phone,Notes,External ID',
    `ann@${domain},Ann,Aalders,,first row,${domain}-A1`,
    `bob@${domain},Bob,Bos,,,${domain}-B1`,
    `ANN@${domain},Ann,Aalders-Smit,0201234567,,${domain}-A2`,
    `cor@${domain},Cor,Cox,,,`,
    `ann@${domain},Annie,Aalders-Jansen,,third row,${domain}-A3`,
  ].join('\n');

async function check(name: string, body: string, options: Record<string, unknown>) {
  const uploaded = await uploadOk(staff, name, body);
  expect((await post(staff, `/api/v1/imports/${uploaded.id}/check`, options)).statusCode).toBe(202);
  return { id: uploaded.id, detail: await waitForStatus(staff, uploaded.id, ['checked']) };
}

describe('duplicate rows in one file', () => {
  it('first row wins (the default): later rows are rejected, so they are in the rejected-rows file to merge', async () => {
    const done = await importFile(staff, 'first.csv', file('first.test'));
    expect(done.counts).toMatchObject({ created: 3, rejected: 2 });
    expect(done.duplicates).toEqual({ count: 0, rows: [] });
    expect(await customerByEmail(app, 'ann@first.test')).toMatchObject({ lastName: 'Aalders', notes: 'first row', externalId: 'first.test-A1' });
  });

  it('last row wins: the dry run and the report say which rows were replaced by which', async () => {
    const { id, detail } = await check('last.csv', file('last.test'), { duplicates: 'last' });
    expect(detail.check?.result).toMatchObject({ created: 3, rejected: 0, duplicates: 2 });
    expect(detail.check?.result?.duplicateRows).toEqual([
      { rowNumber: 2, action: 'replaced', intoRow: 6 },
      { rowNumber: 4, action: 'replaced', intoRow: 6 },
    ]);
    await post(staff, `/api/v1/imports/${id}/start`);
    const done = await waitForStatus(staff, id, ['done', 'done_with_errors']);
    expect(done.status).toBe('done');
    expect(done.counts).toMatchObject({ created: 3, rejected: 0 });
    expect(done.duplicates.count).toBe(2);
    expect(done.duplicates.rows).toEqual(detail.check?.result?.duplicateRows);
    // Only the last row is imported: the earlier rows' values (the phone of row 4) are not.
    expect(await customerByEmail(app, 'ann@last.test')).toMatchObject({ firstName: 'Annie', lastName: 'Aalders-Jansen', notes: 'third row', externalId: 'last.test-A3', phone: '' });
  });

  it('combine: later rows fill the empty cells of the first row, and are reported as combined into it', async () => {
    const { id, detail } = await check('combine.csv', file('combine.test'), { duplicates: 'combine' });
    expect(detail.check?.result).toMatchObject({ created: 3, rejected: 0, duplicates: 2 });
    expect(detail.check?.result?.duplicateRows).toEqual([
      { rowNumber: 4, action: 'combined', intoRow: 2 },
      { rowNumber: 6, action: 'combined', intoRow: 2 },
    ]);
    expect(detail.check?.result?.creations).toContainEqual({ rowNumber: 2, email: 'ann@combine.test', name: 'Ann Aalders' });
    await post(staff, `/api/v1/imports/${id}/start`);
    const done = await waitForStatus(staff, id, ['done', 'done_with_errors']);
    expect(done.counts).toMatchObject({ created: 3, rejected: 0 });
    expect(done.duplicates.count).toBe(2);
    // The first row's values stay; its empty phone is filled from row 4.
    expect(await customerByEmail(app, 'ann@combine.test')).toMatchObject({ lastName: 'Aalders', notes: 'first row', externalId: 'combine.test-A1', phone: '+31 20 123 4567' });
  });

  it("a stored customer's external id changes only as a shown change, never from a skipped duplicate row", async () => {
    await importFile(staff, 'stored.csv', 'E-mail,First name,Last name,External ID\ndora@ext.test,Dora,Dijk,D-1\n');
    const body = 'E-mail,First name,Last name,External ID\ndora@ext.test,Dora,Dijk,D-1\ndora@ext.test,Dora,Dijk,D-2\n';
    const first = await check('ext-first.csv', body, { duplicates: 'first' });
    expect(first.detail.check?.result).toMatchObject({ unchanged: 1, updated: 0, rejected: 1 });
    await post(staff, `/api/v1/imports/${first.id}/start`);
    await waitForStatus(staff, first.id, ['done', 'done_with_errors']);
    expect((await customerByEmail(app, 'dora@ext.test'))?.externalId).toBe('D-1');

    const last = await check('ext-last.csv', body, { duplicates: 'last' });
    expect(last.detail.check?.result?.changes).toEqual([{ rowNumber: 3, customerId: expect.any(Number), email: 'dora@ext.test', changes: [{ field: 'externalId', before: 'D-1', after: 'D-2' }] }]);
    await post(staff, `/api/v1/imports/${last.id}/start`);
    await waitForStatus(staff, last.id, ['done', 'done_with_errors']);
    expect((await customerByEmail(app, 'dora@ext.test'))?.externalId).toBe('D-2');
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RejectedGrid, RejectedGridRow } from '../../src/imports/fix-rows.schemas.ts';
import type { ImportDetail } from '../../src/imports/import.schemas.ts';
import { createTestApp, type StaffAgent, type TestApp } from '../support/test-app.ts';
import { customerByEmail, getImport, post, uploadOk, waitForStatus } from './import-helpers.ts';

/**
 * Issue #18, point 1: the rows a check rejects are fixed in the app before the start, and the
 * import itself (not a follow-up) takes them in: created like the other rows, counted in its
 * report, undone with it, and the rows still wrong keep their edits in the rejected-rows file.
 * Also the suggested fixes for an e-mail address with a stray character and a phone number
 * without its country code, each applied to several rows at once.
 */

let app: TestApp;
let staff: StaffAgent;
let dutch: StaffAgent;

beforeAll(async () => {
  app = await createTestApp();
  await app.services.startWorkers();
  staff = await app.loginAsStaff();
  dutch = await app.loginAsStaff({ language: 'nl' });
});
afterAll(() => app.close());

const grid = async (agent: StaffAgent, id: number, query = '') => {
  const response = await agent.request({ method: 'GET', url: `/api/v1/imports/${id}/rejected-grid${query}` });
  expect(response.statusCode, response.body).toBe(200);
  return response.json() as RejectedGrid;
};
const edit = async (agent: StaffAgent, id: number, rowNumber: number, cells: Record<string, string>) => {
  const response = await agent.request({
    method: 'PUT',
    url: `/api/v1/imports/${id}/rejected-grid/${rowNumber}`,
    payload: { cells },
  });
  expect(response.statusCode, response.body).toBe(200);
  return response.json() as RejectedGridRow;
};
async function checked(
  agent: StaffAgent,
  fileName: string,
  file: string,
  options: Record<string, unknown> = {},
): Promise<ImportDetail> {
  const uploaded = await uploadOk(agent, fileName, file);
  expect((await post(agent, `/api/v1/imports/${uploaded.id}/check`, options)).statusCode).toBe(202);
  return waitForStatus(agent, uploaded.id, ['checked']);
}
async function startAndFinish(agent: StaffAgent, id: number): Promise<ImportDetail> {
  const started = await post(agent, `/api/v1/imports/${id}/start`);
  expect(started.statusCode, started.body).toBe(202);
  return waitForStatus(agent, id, ['done', 'done_with_errors', 'failed']);
}

describe('fixing the rows the check rejected, before the start', () => {
  const file = [
    'E-mail;First name;Last name',
    'olga@before.test;Olga;Ok',
    'bert@before.test;Bert;',
    'wim@before;Wim;Wit',
    'zoe@before;Zoe;Zee',
  ].join('\n');
  let id: number;

  it('refuses the grid until the import is checked', async () => {
    const uploaded = await uploadOk(dutch, 'nog-niet.csv', file);
    const response = await dutch.request({
      method: 'GET',
      url: `/api/v1/imports/${uploaded.id}/rejected-grid`,
    });
    expect(response.statusCode).toBe(409);
    expect(response.json()).toMatchObject({
      error: { reason: 'not_fixable', message: expect.stringContaining('zodra de import is gecontroleerd') },
    });
  });

  it("opens every row the check rejected, with the file's cells and their problems", async () => {
    const detail = await checked(staff, 'before.csv', file);
    id = detail.id;
    expect(detail.check?.result).toMatchObject({ rows: 4, created: 1, rejected: 3 });
    expect(detail.check?.rowsEditedSince).toBe(0);
    const page = await grid(staff, id);
    expect(page.headings).toEqual(['E-mail', 'First name', 'Last name']);
    expect(page.rows.map((row) => [row.rowNumber, row.cells])).toEqual([
      [3, ['bert@before.test', 'Bert']], // the file's own cells: its row ends after “Bert;”
      [4, ['wim@before', 'Wim', 'Wit']],
      [5, ['zoe@before', 'Zoe', 'Zee']],
    ]);
    expect(page.rows[0]?.errors).toEqual([
      expect.objectContaining({ code: 'required', field: 'lastName', columnIndex: 2 }),
    ]);
    expect(page).toMatchObject({ total: 3, fixed: 0, edited: 0, followUps: [] });
    // Before the start there is no follow-up: the import itself takes the fixed rows in.
    const followUp = await post(staff, `/api/v1/imports/${id}/fixed-rows`);
    expect(followUp.statusCode).toBe(409);
    expect(followUp.json()).toMatchObject({
      error: { reason: 'not_finished', message: expect.stringContaining('when you start it') },
    });
  });

  it('checks each edit again and counts the edited rows on the import, until the next check', async () => {
    expect(await edit(staff, id, 3, { '2': 'Bakker' })).toMatchObject({ isFixed: true, edited: [2] });
    expect(await edit(staff, id, 4, { '0': 'wim@before.test' })).toMatchObject({ isFixed: true });
    const stillWrong = await edit(dutch, id, 5, { '0': 'zoe@@before.test' });
    expect(stillWrong.errors).toEqual([
      expect.objectContaining({
        code: 'email_invalid',
        message: '“zoe@@before.test” is geen geldig e-mailadres.',
      }),
    ]);
    expect(await grid(staff, id)).toMatchObject({ total: 3, fixed: 2, edited: 3 });
    const detail = await getImport(staff, id);
    expect(detail.status).toBe('checked');
    expect(detail.check?.rowsEditedSince).toBe(3);

    // Checking again reads the file with the edits: the fixed rows are no longer rejected.
    expect((await post(staff, `/api/v1/imports/${id}/check`, detail.check?.options)).statusCode).toBe(202);
    const again = await waitForStatus(staff, id, ['checked']);
    expect(again.check?.result).toMatchObject({ rows: 4, created: 3, rejected: 1 });
    expect(again.check?.rowsEditedSince).toBe(0);
    const left = await grid(staff, id);
    expect(left.rows).toEqual([
      expect.objectContaining({
        rowNumber: 5,
        cells: ['zoe@@before.test', 'Zoe', 'Zee'],
        edited: [0],
        isFixed: false,
      }),
    ]);
    expect(left).toMatchObject({ total: 1, fixed: 0, edited: 0 });
  });

  it('imports the fixed rows in the same import: created, counted, in the report; the row still wrong keeps its edit', async () => {
    const done = await startAndFinish(staff, id);
    expect(done).toMatchObject({ status: 'done_with_errors', parentImportId: null, followUpImports: [] });
    expect(done.counts).toMatchObject({ created: 3, updated: 0, rejected: 1 });
    expect(await customerByEmail(app, 'bert@before.test')).toMatchObject({ lastName: 'Bakker' });
    expect(await customerByEmail(app, 'wim@before.test')).toMatchObject({ firstName: 'Wim' });
    // The report and its download show the rejected row as edited, with its problem now.
    const report = (
      await staff.request({ method: 'GET', url: `/api/v1/imports/${id}/rejections` })
    ).json() as { items: Array<{ rowNumber: number; cells: string[] }>; total: number };
    expect(report).toMatchObject({
      total: 1,
      items: [{ rowNumber: 5, cells: ['zoe@@before.test', 'Zoe', 'Zee'] }],
    });
    const download = await staff.request({ method: 'GET', url: `/api/v1/imports/${id}/rejected-rows` });
    const text = download.body.replace(/^\uFEFF/, '');
    expect(text).toContain('zoe@@before.test;Zoe;Zee;');
    expect(text).not.toContain('zoe@before;');
    expect(text).not.toContain('bert@before.test');
    // The edits stay with the import; the file's value beside each.
    const { rows } = await app.services.db.pool.query(
      'SELECT row_number, original, value FROM import_row_edits WHERE import_id = $1 ORDER BY row_number',
      [id],
    );
    expect(rows).toEqual([
      { row_number: 3, original: '', value: 'Bakker' },
      { row_number: 4, original: 'wim@before', value: 'wim@before.test' },
      { row_number: 5, original: 'zoe@before', value: 'zoe@@before.test' },
    ]);
    // After the run the same grid goes on with what the run rejected.
    const after = await grid(staff, id);
    expect(after.rows).toEqual([
      expect.objectContaining({ rowNumber: 5, cells: ['zoe@@before.test', 'Zoe', 'Zee'], edited: [0] }),
    ]);
  });

  it('undoes the fixed rows with the rest of the import', async () => {
    expect((await post(staff, `/api/v1/imports/${id}/undo`)).statusCode).toBe(202);
    await waitForStatus(staff, id, ['undone']);
    for (const email of ['olga@before.test', 'bert@before.test', 'wim@before.test'])
      expect(await customerByEmail(app, email)).toBeFalsy();
  });

  it('forgets the edits when the file is read differently, as they name its cells', async () => {
    const detail = await checked(staff, 'settings.csv', file);
    await edit(staff, detail.id, 4, { '0': 'wim@before.test' });
    const changed = await staff.request({
      method: 'PUT',
      url: `/api/v1/imports/${detail.id}/settings`,
      payload: { delimiter: ',' },
    });
    expect(changed.statusCode, changed.body).toBe(200);
    const { rows } = await app.services.db.pool.query('SELECT 1 FROM import_row_edits WHERE import_id = $1', [
      detail.id,
    ]);
    expect(rows).toEqual([]);
  });
});

describe('suggested fixes for an e-mail address and a phone number, applied to every row that has them', () => {
  // Phones in a Belgian row written the Dutch way (the shop's country); `strict`, so a bad phone rejects its row.
  const file = [
    'E-mail;First name;Last name;Phone;Country',
    'olga@sug.test;Olga;Ok;;NL',
    'jan@sug.test.;Jan;Een;;NL',
    'piet @sug.test;Piet;Twee;;NL',
    'kees@sug.test,;Kees;Drie;;NL',
    'anna@sug.test;Anna;Vier;0612345601;BE',
    'bob@sug.test;Bob;Vijf;06-12345602;BE',
    'wrong@sug;Wim;Zes;;NL',
  ].join('\n');

  it('offers each fix with its example, applies it to every row, and the rows import', async () => {
    const detail = await checked(dutch, 'voorstellen.csv', file, { badValues: 'strict' });
    expect(detail.check?.result).toMatchObject({ created: 1, rejected: 6 });
    const page = await grid(staff, detail.id);
    expect(page.suggestions).toEqual([
      expect.objectContaining({
        code: 'email_invalid',
        columnIndex: 0,
        column: 'E-mail',
        count: 3,
        example: expect.objectContaining({ value: 'jan@sug.test.', suggestion: 'jan@sug.test' }),
      }),
      expect.objectContaining({
        code: 'phone_invalid',
        columnIndex: 3,
        column: 'Phone',
        count: 2,
        example: expect.objectContaining({ value: '0612345601', suggestion: '+31 6 12345601' }),
      }),
    ]);
    // The example's message in the staff user's language.
    const inDutch = await grid(dutch, detail.id);
    expect(inDutch.suggestions[1]?.example.message).toBe(
      '“0612345601” is geen geldig telefoonnummer in BE, het land van de rij; als nummer in NL zonder landnummer is het +31 6 12345601.',
    );

    const emails = await post(staff, `/api/v1/imports/${detail.id}/rejected-grid/apply-suggestion`, {
      code: 'email_invalid',
      columnIndex: 0,
    });
    expect(emails.json()).toEqual({ changed: 3 });
    const phones = await post(staff, `/api/v1/imports/${detail.id}/rejected-grid/apply-suggestion`, {
      code: 'phone_invalid',
      columnIndex: 3,
    });
    expect(phones.json()).toEqual({ changed: 2 });
    const fixed = await grid(staff, detail.id);
    expect(fixed.rows.map((row) => [row.cells[0], row.cells[3], row.isFixed])).toEqual([
      ['jan@sug.test', '', true],
      ['piet@sug.test', '', true],
      ['kees@sug.test', '', true],
      ['anna@sug.test', '+31 6 12345601', true],
      ['bob@sug.test', '+31 6 12345602', true],
      ['wrong@sug', '', false],
    ]);
    expect(fixed).toMatchObject({
      fixed: 5,
      suggestions: [],
      kinds: [expect.objectContaining({ code: 'email_invalid', count: 1 })],
    });

    const done = await startAndFinish(staff, detail.id);
    expect(done.counts).toMatchObject({ created: 6, rejected: 1 });
    for (const email of ['jan@sug.test', 'piet@sug.test', 'kees@sug.test'])
      expect(await customerByEmail(app, email)).toBeTruthy();
    expect(await customerByEmail(app, 'anna@sug.test')).toMatchObject({
      phone: '+31 6 12345601',
      billingAddress: expect.objectContaining({ country: 'BE' }),
    });
    expect(await customerByEmail(app, 'bob@sug.test')).toMatchObject({ phone: '+31 6 12345602' });
  });
});

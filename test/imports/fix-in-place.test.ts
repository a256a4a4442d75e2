import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RejectedGrid, RejectedGridRow } from '../../src/imports/fix-rows.schemas.ts';
import type { ImportDetail } from '../../src/imports/import.schemas.ts';
import { createTestApp, type StaffAgent, type TestApp } from '../support/test-app.ts';
import { customerByEmail, getImport, importFile, post, waitForStatus } from './import-helpers.ts';

/** Issue #18, point 1: fixing rejected rows of a finished import in the app, checked again the server's way, and importing the fixed rows (before the start: fix-before-run.test.ts). */

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

const file = [
  'E-mail;First name;Last name;Mobile',
  'ok@fix.test;Olga;Ok;0612345678',
  'bad@fix;Bert;Bad;0612345679',
  ';Nina;Noname;0612345671',
  'miss@fix.test;;Missing;0612345672',
  'zero@fix;Zed;Zero;612345670',
].join('\n');

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

describe('fixing rejected rows in the app', () => {
  let first: ImportDetail;

  it("lists the rejected rows in the file's columns, with their problems and the kinds of problems", async () => {
    first = await importFile(staff, 'klanten.csv', file);
    expect(first.counts).toMatchObject({ created: 1, rejected: 4 });
    const page = await grid(staff, first.id);
    expect(page.headings).toEqual(['E-mail', 'First name', 'Last name', 'Mobile']);
    expect(page.total).toBe(4);
    expect(page.fixed).toBe(0);
    expect(page.rows.map((row) => row.rowNumber)).toEqual([3, 4, 5, 6]);
    const bad = page.rows[0]!;
    expect(bad.cells).toEqual(['bad@fix', 'Bert', 'Bad', '0612345679']);
    expect(bad.errors).toEqual([
      expect.objectContaining({ columnIndex: 0, field: 'email', code: 'email_invalid', value: 'bad@fix' }),
    ]);
    expect(page.kinds.find((kind) => kind.code === 'email_invalid')?.count).toBe(2);
    // The lost leading zero of row 6 is offered as a fix.
    expect(page.suggestions).toEqual([
      expect.objectContaining({
        code: 'leading_zero_lost',
        columnIndex: 3,
        count: 1,
        example: expect.objectContaining({ value: '612345670', suggestion: '0612345670' }),
      }),
    ]);
    // Only the rows of one kind, and paging.
    const onlyEmail = await grid(staff, first.id, '?code=email_invalid');
    expect(onlyEmail.rows.map((row) => row.rowNumber)).toEqual([3, 6]);
    expect(onlyEmail.total).toBe(2);
    const second = await grid(staff, first.id, '?offset=1&limit=2');
    expect(second.rows.map((row) => row.rowNumber)).toEqual([4, 5]);
    expect(second.total).toBe(4);
    // A page scrolled to: the rows and their count, without the summary.
    const rowsOnly = await grid(staff, first.id, '?offset=2&limit=2&summary=false&code=email_invalid');
    expect(rowsOnly).toEqual({ headings: page.headings, rows: [], total: 2 });
    const scrolled = await grid(staff, first.id, '?offset=2&limit=2&summary=false');
    expect(Object.keys(scrolled).sort()).toEqual(['headings', 'rows', 'total']);
    expect(scrolled.rows.map((row) => row.rowNumber)).toEqual([5, 6]);
  });

  it("checks an edited row again the server's way, in the staff user's language, and keeps the edits", async () => {
    const fixed = await edit(staff, first.id, 3, { '0': 'bad@fix.test' });
    expect(fixed).toMatchObject({
      rowNumber: 3,
      cells: ['bad@fix.test', 'Bert', 'Bad', '0612345679'],
      edited: [0],
      errors: [],
      isFixed: true,
    });
    // Still wrong: the error stays, in Dutch for a Dutch staff user.
    const stillWrong = await edit(dutch, first.id, 4, { '0': 'nina@fout' });
    expect(stillWrong.isFixed).toBe(false);
    expect(stillWrong.errors).toEqual([
      expect.objectContaining({
        code: 'email_invalid',
        columnIndex: 0,
        value: 'nina@fout',
        message: '“nina@fout” is geen geldig e-mailadres.',
      }),
    ]);
    // A customer the shop already has (ok@fix.test) is an update of it, as the check says: no error.
    const again = await grid(staff, first.id);
    expect(again.rows.find((row) => row.rowNumber === 3)).toMatchObject({
      cells: ['bad@fix.test', 'Bert', 'Bad', '0612345679'],
      edited: [0],
      isFixed: true,
    });
    expect(again.rows.find((row) => row.rowNumber === 4)).toMatchObject({
      cells: ['nina@fout', 'Nina', 'Noname', '0612345671'],
      edited: [0],
      isFixed: false,
    });
    expect(again.fixed).toBe(1);
    const { rows } = await app.services.db.pool.query(
      'SELECT original, value, edited_by FROM import_row_edits WHERE import_id = $1 AND row_number = 3',
      [first.id],
    );
    expect(rows).toEqual([{ original: 'bad@fix', value: 'bad@fix.test', edited_by: expect.anything() }]);
    // A name cleared that the new customer needs: rejected again, as the plan says.
    const cleared = await edit(staff, first.id, 3, { '1': '' });
    expect(cleared.errors.map((error) => error.code)).toEqual(['required']);
    expect((await edit(staff, first.id, 3, { '1': 'Bert' })).isFixed).toBe(true);
    expect((await edit(staff, first.id, 3, {})).edited).toEqual([0]);
  });

  it('finds and replaces within a column, and applies a suggested fix to every row that has it', async () => {
    const replaced = await post(staff, `/api/v1/imports/${first.id}/rejected-grid/replace`, {
      columnIndex: 1,
      find: '',
      replace: 'Mia',
    });
    expect(replaced.statusCode, replaced.body).toBe(200);
    expect(replaced.json()).toEqual({ changed: 1 });
    const byDomain = await post(staff, `/api/v1/imports/${first.id}/rejected-grid/replace`, {
      columnIndex: 0,
      find: '@fix',
      replace: '@fix.test',
    });
    // bad@fix.test → bad@fix.test.test would be wrong: only the cells that hold the text change, every one of them.
    expect(byDomain.json()).toEqual({ changed: 3 });
    const page = await grid(staff, first.id);
    expect(page.rows.find((row) => row.rowNumber === 5)).toMatchObject({
      cells: ['miss@fix.test.test', 'Mia', 'Missing', '0612345672'],
      isFixed: true,
    });
    expect(page.rows.find((row) => row.rowNumber === 6)?.cells[0]).toBe('zero@fix.test');
    // Undo the over-eager replace on the rows it should not have touched.
    await edit(staff, first.id, 3, { '0': 'bad@fix.test' });
    await edit(staff, first.id, 5, { '0': 'miss@fix.test' });
    const suggested = await post(staff, `/api/v1/imports/${first.id}/rejected-grid/apply-suggestion`, {
      code: 'leading_zero_lost',
      columnIndex: 3,
    });
    expect(suggested.json()).toEqual({ changed: 1 });
    const after = await grid(staff, first.id);
    expect(after.rows.find((row) => row.rowNumber === 6)).toMatchObject({
      cells: ['zero@fix.test', 'Zed', 'Zero', '0612345670'],
      isFixed: true,
      warnings: [],
    });
    expect(after.suggestions).toEqual([]);
    expect(after.fixed).toBe(3);
    expect(after.kinds).toEqual([expect.objectContaining({ code: 'email_invalid', count: 1 })]);
  });

  it('writes the edits into the rejected-rows file', async () => {
    const download = await staff.request({ method: 'GET', url: `/api/v1/imports/${first.id}/rejected-rows` });
    expect(download.statusCode).toBe(200);
    const text = download.body.replace(/^\uFEFF/, '');
    expect(text).toContain('bad@fix.test;Bert;Bad;0612345679;');
    expect(text).toContain('nina@fout;Nina;Noname;0612345671;');
    expect(text).not.toContain('bad@fix;');
  });

  it('imports the fixed rows as a follow-up linked both ways, creating exactly the fixed customers; either can be undone, and an undone follow-up gives its rows back', async () => {
    const response = await post(staff, `/api/v1/imports/${first.id}/fixed-rows`);
    expect(response.statusCode, response.body).toBe(201);
    const followUp = response.json() as ImportDetail;
    expect(followUp).toMatchObject({
      parentImportId: first.id,
      basedOnImportId: first.id,
      fileName: 'klanten-fixed.csv',
      format: 'csv',
    });
    expect(followUp.mapping.columns.map((column) => column.field)).toEqual([
      'email',
      'firstName',
      'lastName',
      'mobile',
    ]);
    const checked = await waitForStatus(staff, followUp.id, ['checked']);
    expect(checked.check?.result).toMatchObject({ rows: 3, created: 3, rejected: 0 });
    expect((await post(staff, `/api/v1/imports/${followUp.id}/start`)).statusCode).toBe(202);
    const done = await waitForStatus(staff, followUp.id, ['done', 'done_with_errors']);
    expect(done.counts).toMatchObject({ created: 3, updated: 0, rejected: 0 });
    for (const email of ['bad@fix.test', 'miss@fix.test', 'zero@fix.test'])
      expect(await customerByEmail(app, email)).toBeTruthy();
    expect((await customerByEmail(app, 'zero@fix.test'))?.mobile).toBe('+31 6 12345670');

    const parent = await getImport(staff, first.id);
    expect(parent.followUpImports).toEqual([expect.objectContaining({ id: followUp.id, status: 'done' })]);
    const list = (await staff.request({ method: 'GET', url: '/api/v1/imports' })).json() as {
      items: Array<{ id: number; parentImportId: number | null }>;
    };
    expect(list.items.find((item) => item.id === followUp.id)?.parentImportId).toBe(first.id);
    // The imported rows left the grid; the row still wrong stays.
    const remaining = await grid(staff, first.id);
    expect(remaining.rows.map((row) => row.rowNumber)).toEqual([4]);
    expect(remaining.fixed).toBe(0);
    expect(remaining.followUps.map((item) => item.id)).toEqual([followUp.id]);
    const nothing = await post(staff, `/api/v1/imports/${first.id}/fixed-rows`);
    expect(nothing.statusCode).toBe(422);

    expect((await post(staff, `/api/v1/imports/${followUp.id}/undo`)).statusCode).toBe(202);
    await waitForStatus(staff, followUp.id, ['undone']);
    expect(await customerByEmail(app, 'bad@fix.test')).toBeFalsy();
    expect(await customerByEmail(app, 'ok@fix.test')).toBeTruthy();
    // The undone follow-up gave its rows back: open in the first import's grid, fixed, to import again.
    const back = await grid(staff, first.id);
    expect({ rows: back.rows.map((row) => row.rowNumber), fixed: back.fixed }).toEqual({
      rows: [3, 4, 5, 6],
      fixed: 3,
    });
    const again = await post(staff, `/api/v1/imports/${first.id}/fixed-rows`);
    expect(again.statusCode, again.body).toBe(201);
    const secondFollowUp = again.json() as ImportDetail;
    expect((await waitForStatus(staff, secondFollowUp.id, ['checked'])).check?.result).toMatchObject({
      rows: 3,
      created: 3,
    });
    expect((await post(staff, `/api/v1/imports/${first.id}/undo`)).statusCode).toBe(202);
    await waitForStatus(staff, first.id, ['undone']);
    expect(await customerByEmail(app, 'ok@fix.test')).toBeFalsy();
  });

  it('writes the follow-up of an XLSX import as XLSX, from the sheet the import read, with text cells', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Klanten');
    sheet.addRow(['E-mail', 'Voornaam', 'Achternaam', 'Postcode']);
    sheet.addRow(['xlsx@fix.test', 'Xandra', '', '0101 AB']).getCell(4).numFmt = '@';
    const done = await importFile(staff, 'klanten.xlsx', Buffer.from(await workbook.xlsx.writeBuffer()));
    expect(done.counts).toMatchObject({ rejected: 1 });
    // Two people edit at once: both answers are the row checked again; the last one stays.
    const [one, two] = await Promise.all([
      edit(staff, done.id, 2, { '2': 'Lex' }),
      edit(dutch, done.id, 2, { '3': '1016 GV' }),
    ]);
    expect([one.isFixed, two.isFixed]).toContain(true);
    expect((await grid(staff, done.id)).rows[0]).toMatchObject({
      cells: ['xlsx@fix.test', 'Xandra', 'Lex', '1016 GV'],
      edited: [2, 3],
      isFixed: true,
    });
    const response = await post(staff, `/api/v1/imports/${done.id}/fixed-rows`);
    expect(response.statusCode, response.body).toBe(201);
    const followUp = response.json() as ImportDetail;
    expect(followUp).toMatchObject({
      format: 'xlsx',
      fileName: 'klanten-fixed.xlsx',
      headings: ['E-mail', 'Voornaam', 'Achternaam', 'Postcode'],
    });
    await waitForStatus(staff, followUp.id, ['checked']);
    await post(staff, `/api/v1/imports/${followUp.id}/start`);
    expect((await waitForStatus(staff, followUp.id, ['done'])).counts).toMatchObject({ created: 1 });
    expect(await customerByEmail(app, 'xlsx@fix.test')).toMatchObject({
      lastName: 'Lex',
      billingAddress: expect.objectContaining({ postcode: '1016 GV' }),
    });
  });

  it('documents its routes in the OpenAPI description', async () => {
    const openapi = (await app.http.inject({ method: 'GET', url: '/api/docs/json' })).json() as {
      paths: Record<string, Record<string, { tags?: string[]; summary?: string }>>;
    };
    for (const [path, method] of [
      ['/api/v1/imports/{id}/rejected-grid', 'get'],
      ['/api/v1/imports/{id}/rejected-grid/{rowNumber}', 'put'],
      ['/api/v1/imports/{id}/rejected-grid/replace', 'post'],
      ['/api/v1/imports/{id}/rejected-grid/apply-suggestion', 'post'],
      ['/api/v1/imports/{id}/fixed-rows', 'post'],
    ] as const) {
      expect(openapi.paths[path]?.[method], path).toMatchObject({
        tags: ['imports'],
        summary: expect.any(String),
      });
    }
  });
});

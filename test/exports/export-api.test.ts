import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { createExport, csvRows, exportAndDownload, finish, useExportApi } from './export-api-fixture.ts';

/** The export tool through its REST API (formats, cells, filters, types), on a real database and file store. */
const ctx = useExportApi();

describe('exports over the REST API', () => {
  it('answers a new export with its file name and PROCESSING, and serves the file as a safe attachment', async () => {
    const response = await createExport(ctx.staff, { type: 'customers', format: 'csv' });
    expect(response.statusCode).toBe(202);
    expect(response.json()).toMatchObject({
      status: 'processing',
      rowsDone: 0,
      downloadUrl: null,
      fileName: expect.stringMatching(/^customers-\d{4}-\d{2}-\d{2}-\d{4}\.csv$/),
    });
    const early = await ctx.staff.request({
      method: 'GET',
      url: `/api/v1/exports/${response.json().id}/download`,
    });
    expect(early.statusCode).toBe(409);
    const record = await finish(ctx, response.json().id);
    expect(record).toMatchObject({
      status: 'ready',
      rowsTotal: 3,
      rowsDone: 3,
      createdBy: { name: expect.any(String) },
    });
    expect(new Date(record.expiresAt!).getTime() - new Date(record.finishedAt!).getTime()).toBe(
      7 * 86_400_000,
    );
    const download = await ctx.staff.request({ method: 'GET', url: record.downloadUrl! });
    expect(download.headers['content-disposition']).toBe(`attachment; filename="${record.fileName}"`);
    expect(download.headers['x-content-type-options']).toBe('nosniff');
    expect(download.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(download.headers['cache-control']).toContain('no-store');
    expect(download.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(Number(download.headers['content-length'])).toBe(record.sizeBytes);
    const rows = csvRows(download.rawPayload);
    expect(rows[0]!.slice(0, 4)).toEqual(['Clientele ID', 'External ID', 'E-mail', 'First name']);
    expect(rows).toHaveLength(4);
    expect(download.rawPayload.toString('utf8')).toContain('\r\n');
  });

  it('neutralises formula-like cells, keeps accents, quotes multi-line cells; Dutch headings for a Dutch user', async () => {
    const { download } = await exportAndDownload(
      ctx,
      { type: 'customers', format: 'csv-semicolon' },
      ctx.dutchStaff,
    );
    const text = download.rawPayload.toString('utf8');
    const rows = csvRows(download.rawPayload, ';');
    expect(rows[0]!.slice(0, 6)).toEqual([
      'Clientele-ID',
      'Extern ID',
      'E-mail',
      'Voornaam',
      'Tussenvoegsel',
      'Achternaam',
    ]);
    const byEmail = new Map(rows.slice(1).map((row) => [row[2], row]));
    const column = (heading: string) => rows[0]!.indexOf(heading);
    expect(byEmail.get('jan@example.com')![column('Voornaam')]).toBe("'=SUM(1)");
    expect(byEmail.get('jan@example.com')![column('Telefoon')]).toBe("'+31 20 123 4567");
    expect(byEmail.get('jan@example.com')![column('Nieuwsbrief')]).toBe('aangemeld');
    expect(byEmail.get('anna@example.de')![column('Voornaam')]).toBe("'@Anna");
    expect(byEmail.get('anna@example.de')![column('Achternaam')]).toBe("'-Müller");
    expect(byEmail.get('anna@example.de')![column('Notities')]).toBe('Regel 1\nRegel 2; "citaat", komma');
    expect(text).toContain('"Regel 1\nRegel 2; ""citaat"", komma"');
    expect(byEmail.get('zoe@example.co.uk')![column('Achternaam')]).toBe('Ωμέγα 王');
    expect(byEmail.get('zoe@example.co.uk')![column('Nieuwsbrief')]).toBe('aangemeld');
    expect(byEmail.get('anna@example.de')![column('Nieuwsbrief')]).toBe('niet ingesteld');
  });

  it('writes the raw values into a CSV for a mailing platform or another program: no apostrophes', async () => {
    const { download, record } = await exportAndDownload(ctx, {
      type: 'customers',
      format: 'csv',
      purpose: 'program',
    });
    expect(record.purpose).toBe('program');
    const rows = csvRows(download.rawPayload);
    const byEmail = new Map(rows.slice(1).map((row) => [row[2], row]));
    const column = (heading: string) => rows[0]!.indexOf(heading);
    expect(byEmail.get('jan@example.com')![column('First name')]).toBe('=SUM(1)');
    expect(byEmail.get('jan@example.com')![column('Phone')]).toBe('+31 20 123 4567');
    expect(byEmail.get('anna@example.de')![column('First name')]).toBe('@Anna');
    expect(byEmail.get('anna@example.de')![column('Last name')]).toBe('-Müller');
    expect(download.rawPayload.toString('utf8')).not.toContain("'");
  });

  it('guards a CSV for a spreadsheet by default, and refuses an unknown purpose', async () => {
    const response = await createExport(ctx.staff, { type: 'customers', format: 'csv' });
    expect(response.json().purpose).toBe('spreadsheet');
    const wrong = await createExport(ctx.staff, { type: 'customers', format: 'csv', purpose: 'printer' });
    expect(wrong.statusCode).toBe(422);
    expect(wrong.json().error.fields.purpose).toBeDefined();
    await finish(ctx, response.json().id);
  });

  it('types every XLSX cell as text: leading zeros, long numbers and ids stay exactly as stored', async () => {
    const { download, record } = await exportAndDownload(ctx, { type: 'customers', format: 'xlsx' });
    expect(download.headers['content-type']).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    expect(record.fileName).toMatch(/\.xlsx$/);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(download.rawPayload as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0]!;
    expect(sheet.name).toBe('Customers');
    const headings = (sheet.getRow(1).values as unknown[]).slice(1);
    const cell = (row: number, heading: string) => sheet.getRow(row).getCell(headings.indexOf(heading) + 1);
    const annaRow = [2, 3, 4].find((row) => cell(row, 'E-mail').value === 'anna@example.de')!;
    for (const [heading, value] of [
      ['Billing postcode', '01067'],
      ['External ID', '00012345678901234567'],
      ['Clientele ID', String(2)],
      // A typed text cell is never a formula: no guard apostrophe (#22).
      ['First name', '@Anna'],
      ['Last name', '-Müller'],
    ] as const) {
      expect(cell(annaRow, heading).value, heading).toBe(value);
      expect(cell(annaRow, heading).type, heading).toBe(ExcelJS.ValueType.String);
      expect(cell(annaRow, heading).numFmt, heading).toBe('@');
    }
    const janRow = [2, 3, 4].find((row) => cell(row, 'E-mail').value === 'jan@example.com')!;
    expect(cell(janRow, 'First name').value).toBe('=SUM(1)');
    expect(cell(janRow, 'First name').type).toBe(ExcelJS.ValueType.String);
    expect(cell(janRow, 'Phone').value).toBe('+31 20 123 4567');
    const zoeRow = [2, 3, 4].find((row) => cell(row, 'E-mail').value === 'zoe@example.co.uk')!;
    expect(cell(zoeRow, 'Chamber of Commerce number').value).toBe('01234567');
    expect(cell(annaRow, 'Notes').value).toBe('Regel 1\nRegel 2; "citaat", komma');
  });

  it('filters: group, created and updated since, import, newsletter, language, country and search', async () => {
    const emailsOf = async (filters: Record<string, unknown>) => {
      const { download } = await exportAndDownload(ctx, {
        type: 'customers',
        format: 'csv',
        columns: ['email'],
        filters,
      });
      return csvRows(download.rawPayload)
        .slice(1)
        .map((row) => row[0])
        .sort();
    };
    expect(await emailsOf({ groupId: ctx.groupId })).toEqual(['jan@example.com']);
    expect(await emailsOf({ createdSince: '2025-03-02' })).toEqual(['anna@example.de', 'zoe@example.co.uk']);
    expect(await emailsOf({ updatedSince: '2025-03-03T00:00:00+00:00' })).toEqual(['zoe@example.co.uk']);
    expect(await emailsOf({ importId: 42 })).toEqual(['anna@example.de']);
    expect(await emailsOf({ newsletter: true })).toEqual(['jan@example.com', 'zoe@example.co.uk']);
    expect(await emailsOf({ newsletter: false, language: 'de' })).toEqual(['anna@example.de']);
    expect(await emailsOf({ country: 'gb' })).toEqual(['zoe@example.co.uk']);
    expect(await emailsOf({ q: 'dresden' })).toEqual(['anna@example.de']);
    expect(await emailsOf({ q: 'zoe@' })).toEqual(['zoe@example.co.uk']);
    // A phone number typed nationally, read with the shop's country (NL), as the customer list does.
    expect(await emailsOf({ q: '020-1234567' })).toEqual(['jan@example.com']);
    expect(await emailsOf({ q: 'nobody matches this' })).toEqual([]);
    expect(await emailsOf({ language: '' })).toEqual([]); // customers without a language: none here
    expect(await emailsOf({ q: 'dresden', newsletter: true })).toEqual([]);
  });

  it('exports customer groups with their members, and the mailing-list preset with reset-page links', async () => {
    const groups = await exportAndDownload(ctx, { type: 'customer-groups', format: 'csv' });
    expect(csvRows(groups.download.rawPayload)).toEqual([
      [
        'Customer group',
        'Members',
        'Clientele ID',
        'E-mail',
        'First name',
        'Name insertion',
        'Last name',
        'Added to group',
      ],
      ['VIP', '1', '1', 'jan@example.com', "'=SUM(1)", '', 'Jansen', '2025-03-01'],
    ]);
    await ctx.app.services.groups.create({ name: 'Archief' }); // a group without members: one row
    const all = await exportAndDownload(ctx, { type: 'customer-groups', format: 'csv' });
    expect(
      csvRows(all.download.rawPayload)
        .slice(1)
        .map((row) => row.slice(0, 3)),
    ).toEqual([
      ['Archief', '0', ''],
      ['VIP', '1', '1'],
    ]);
    const one = await exportAndDownload(ctx, {
      type: 'customer-groups',
      format: 'csv',
      filters: { groupId: ctx.groupId },
    });
    expect(
      csvRows(one.download.rawPayload)
        .slice(1)
        .map((row) => row[0]),
    ).toEqual(['VIP']);
    const mailing = await exportAndDownload(ctx, {
      type: 'customers',
      format: 'csv',
      preset: 'mailing-list',
    });
    const rows = csvRows(mailing.download.rawPayload);
    expect(rows[0]).toEqual([
      'E-mail',
      'First name',
      'Last name',
      'Language',
      'Newsletter',
      'Newsletter consent date',
      'Newsletter consent source',
      'Password reset page',
    ]);
    // Subscribed customers only (Anna never subscribed), each with the source of the consent.
    expect(
      rows
        .slice(1)
        .map((row) => [row[0], row[4], row[6], row[7]])
        .sort(),
    ).toEqual([
      ['jan@example.com', 'subscribed', 'staff', 'https://shop.example/account/forgot-password?lang=nl'],
      ['zoe@example.co.uk', 'subscribed', 'staff', 'https://shop.example/account/forgot-password?lang=en'],
    ]);
  });
});

import { randomUUID } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExportRecord } from '../../src/exports/export.schemas.ts';
import { createTestApp, type StaffAgent, type TestApp } from '../support/test-app.ts';

/** The export tool through its REST API, on a real database, queue and file store. */
let app: TestApp;
let staff: StaffAgent;
let dutchStaff: StaffAgent;
const clock = { current: new Date('2025-03-01T10:00:00Z'), now: () => clock.current };
let groupId: number;

beforeAll(async () => {
  // Sessions outlive the retention period: the expiry test moves the clock past it.
  app = await createTestApp(
    { EXPORT_RETENTION_DAYS: '7', SESSION_TTL_HOURS: '2000', PUBLIC_URL: 'https://shop.example' },
    { clock },
  );
  staff = await app.loginAsStaff();
  dutchStaff = await app.loginAsStaff({ language: 'nl' });
  groupId = (await app.services.groups.create({ name: 'VIP' })).id;
  const customers = [
    {
      email: 'jan@example.com',
      firstName: '=SUM(1)',
      lastName: 'Jansen',
      phone: '+31 20 123 4567',
      language: 'nl',
      newsletter: true,
      groupIds: [groupId],
      billingAddress: { postcode: '1016 EE', city: 'Amsterdam', country: 'NL' },
    },
    {
      email: 'anna@example.de',
      firstName: '@Anna',
      lastName: '-Müller',
      language: 'de',
      billingAddress: { postcode: '01067', city: 'Dresden', country: 'DE' },
      externalId: '00012345678901234567',
      notes: 'Regel 1\nRegel 2; "citaat", komma',
    },
    {
      email: 'zoe@example.co.uk',
      firstName: 'Zoë',
      lastName: 'Ωμέγα 王',
      language: 'en',
      newsletter: true,
      billingAddress: { postcode: 'SW1A 1AA', city: 'London', country: 'GB' },
      cocNumber: '01234567',
    },
  ];
  for (const customer of customers) {
    await app.services.customers.create(customer);
    clock.current = new Date(clock.current.getTime() + 86_400_000);
  }
  await app.services.db.pool.query(
    `UPDATE customers SET last_import_id = 42 WHERE email = 'anna@example.de'`,
  );
}, 60_000);
afterAll(async () => {
  await app?.close();
});

const create = (agent: StaffAgent, payload: Record<string, unknown>) =>
  agent.request({ method: 'POST', url: '/api/v1/exports', payload });

/**
 * Runs the export's job handler here (the queue's workers start only in the last test, so
 * nothing runs it twice at once), then reads its status over the API.
 */
async function finish(id: string, agent = staff): Promise<ExportRecord> {
  await app.services.runExport(id);
  return (await agent.request({ method: 'GET', url: `/api/v1/exports/${id}` })).json() as ExportRecord;
}

async function exportAndDownload(payload: Record<string, unknown>, agent = staff) {
  const response = await create(agent, payload);
  expect(response.statusCode, response.body).toBe(202);
  const record = await finish(response.json().id, agent);
  expect(record.status, JSON.stringify(record.failure)).toBe('ready');
  const download = await agent.request({ method: 'GET', url: record.downloadUrl! });
  expect(download.statusCode).toBe(200);
  return { record, download };
}

const csvRows = (body: Buffer, delimiter = ',') =>
  parse(body, { bom: true, delimiter, relax_column_count: true }) as string[][];

describe('exports over the REST API', () => {
  it('answers a new export with its file name and PROCESSING, and serves the file as a safe attachment', async () => {
    const response = await create(staff, { type: 'customers', format: 'csv' });
    expect(response.statusCode).toBe(202);
    expect(response.json()).toMatchObject({
      status: 'processing',
      rowsDone: 0,
      downloadUrl: null,
      fileName: expect.stringMatching(/^customers-\d{4}-\d{2}-\d{2}-\d{4}\.csv$/),
    });
    const early = await staff.request({
      method: 'GET',
      url: `/api/v1/exports/${response.json().id}/download`,
    });
    expect(early.statusCode).toBe(409);
    const record = await finish(response.json().id);
    expect(record).toMatchObject({
      status: 'ready',
      rowsTotal: 3,
      rowsDone: 3,
      createdBy: { name: expect.any(String) },
    });
    expect(new Date(record.expiresAt!).getTime() - new Date(record.finishedAt!).getTime()).toBe(
      7 * 86_400_000,
    );
    const download = await staff.request({ method: 'GET', url: record.downloadUrl! });
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
    const { download } = await exportAndDownload({ type: 'customers', format: 'csv-semicolon' }, dutchStaff);
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
    expect(byEmail.get('jan@example.com')![column('Nieuwsbrief')]).toBe('ja');
    expect(byEmail.get('anna@example.de')![column('Voornaam')]).toBe("'@Anna");
    expect(byEmail.get('anna@example.de')![column('Achternaam')]).toBe("'-Müller");
    expect(byEmail.get('anna@example.de')![column('Notities')]).toBe('Regel 1\nRegel 2; "citaat", komma');
    expect(text).toContain('"Regel 1\nRegel 2; ""citaat"", komma"');
    expect(byEmail.get('zoe@example.co.uk')![column('Achternaam')]).toBe('Ωμέγα 王');
    expect(byEmail.get('zoe@example.co.uk')![column('Nieuwsbrief')]).toBe('ja');
    expect(byEmail.get('anna@example.de')![column('Nieuwsbrief')]).toBe('nee');
  });

  it('types every XLSX cell as text: leading zeros, long numbers and ids stay exactly as stored', async () => {
    const { download, record } = await exportAndDownload({ type: 'customers', format: 'xlsx' });
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
      ['First name', "'@Anna"],
    ] as const) {
      expect(cell(annaRow, heading).value, heading).toBe(value);
      expect(cell(annaRow, heading).type, heading).toBe(ExcelJS.ValueType.String);
      expect(cell(annaRow, heading).numFmt, heading).toBe('@');
    }
    const zoeRow = [2, 3, 4].find((row) => cell(row, 'E-mail').value === 'zoe@example.co.uk')!;
    expect(cell(zoeRow, 'Chamber of Commerce number').value).toBe('01234567');
    expect(cell(annaRow, 'Notes').value).toBe('Regel 1\nRegel 2; "citaat", komma');
  });

  it('filters: group, created and updated since, import, newsletter, language, country and search', async () => {
    const emailsOf = async (filters: Record<string, unknown>) => {
      const { download } = await exportAndDownload({
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
    expect(await emailsOf({ groupId })).toEqual(['jan@example.com']);
    expect(await emailsOf({ createdSince: '2025-03-02' })).toEqual(['anna@example.de', 'zoe@example.co.uk']);
    expect(await emailsOf({ updatedSince: '2025-03-03T00:00:00+00:00' })).toEqual(['zoe@example.co.uk']);
    expect(await emailsOf({ importId: 42 })).toEqual(['anna@example.de']);
    expect(await emailsOf({ newsletter: true })).toEqual(['jan@example.com', 'zoe@example.co.uk']);
    expect(await emailsOf({ newsletter: false, language: 'de' })).toEqual(['anna@example.de']);
    expect(await emailsOf({ country: 'gb' })).toEqual(['zoe@example.co.uk']);
    expect(await emailsOf({ q: 'dresden' })).toEqual(['anna@example.de']);
    expect(await emailsOf({ q: 'zoe@' })).toEqual(['zoe@example.co.uk']);
    expect(await emailsOf({ q: 'nobody matches this' })).toEqual([]);
  });

  it('exports customer groups with their members, and the mailing-list preset with reset-page links', async () => {
    const groups = await exportAndDownload({ type: 'customer-groups', format: 'csv' });
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
    const mailing = await exportAndDownload({ type: 'customers', format: 'csv', preset: 'mailing-list' });
    const rows = csvRows(mailing.download.rawPayload);
    expect(rows[0]).toEqual([
      'E-mail',
      'First name',
      'Last name',
      'Language',
      'Newsletter',
      'Password reset page',
    ]);
    expect(
      rows
        .slice(1)
        .map((row) => row[5])
        .sort(),
    ).toEqual([
      'https://shop.example/account/forgot-password',
      'https://shop.example/account/forgot-password?lang=en',
      'https://shop.example/account/forgot-password?lang=nl',
    ]);
  });

  it('answers bad requests with field-level 422s and creates nothing', async () => {
    const before = (await staff.request({ method: 'GET', url: '/api/v1/exports?limit=100' })).json().items
      .length;
    const cases: [Record<string, unknown>, string][] = [
      [{ type: 'products', format: 'csv' }, 'type'],
      [{ type: 'customers', format: 'pdf' }, 'format'],
      [{ type: 'customers', format: 'csv', columns: ['email', 'password'] }, 'columns'],
      [{ type: 'customers', format: 'csv', columns: [] }, 'columns'],
      [{ type: 'customers', format: 'csv', filters: { createdSince: '31-12-2024' } }, 'filters.createdSince'],
      [{ type: 'customers', format: 'csv', filters: { colour: 'red' } }, 'filters'],
      [{ type: 'customers', format: 'csv', filters: { groupId: 999_999 } }, 'filters.groupId'],
      [{ type: 'customer-groups', format: 'csv', filters: { newsletter: true } }, 'filters.newsletter'],
      [{ type: 'customer-groups', format: 'csv', preset: 'mailing-list' }, 'preset'],
    ];
    for (const [payload, field] of cases) {
      const response = await create(staff, payload);
      expect(response.statusCode, JSON.stringify(payload)).toBe(422);
      expect(response.json().error.code).toBe('invalid_input');
      expect(Object.keys(response.json().error.fields ?? {}), JSON.stringify(payload)).toContain(field);
    }
    expect(
      (await staff.request({ method: 'GET', url: '/api/v1/exports?limit=100' })).json().items,
    ).toHaveLength(before);
  });

  it('keeps files from anyone without a staff session and from guessed ids', async () => {
    const { record } = await exportAndDownload({ type: 'customers', format: 'csv' });
    const anonymous = await app.http.inject({ method: 'GET', url: record.downloadUrl! });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.body).not.toContain('jan@example.com');
    expect(
      (await staff.request({ method: 'GET', url: `/api/v1/exports/${randomUUID()}/download` })).statusCode,
    ).toBe(404);
    expect((await staff.request({ method: 'GET', url: '/api/v1/exports/1/download' })).statusCode).toBe(422);
    // Every staff user may use every export (there is one shop).
    expect((await dutchStaff.request({ method: 'GET', url: record.downloadUrl! })).statusCode).toBe(200);
  });

  it('deletes an export and its file; expired exports disappear with their files', async () => {
    const { record } = await exportAndDownload({ type: 'customers', format: 'xlsx' });
    const keyOf = async (id: string) =>
      (
        await app.services.db.pool.query<{ file_key: string }>('SELECT file_key FROM exports WHERE id = $1', [
          id,
        ])
      ).rows[0]?.file_key;
    const key = (await keyOf(record.id))!;
    expect(await app.services.fileStore.sizeOf(key)).toBe(record.sizeBytes);
    expect((await staff.request({ method: 'DELETE', url: `/api/v1/exports/${record.id}` })).statusCode).toBe(
      204,
    );
    expect(await app.services.fileStore.sizeOf(key)).toBeUndefined();
    expect((await staff.request({ method: 'GET', url: `/api/v1/exports/${record.id}` })).statusCode).toBe(
      404,
    );

    const kept = await exportAndDownload({ type: 'customers', format: 'csv' });
    const keptKey = (await keyOf(kept.record.id))!;
    clock.current = new Date(new Date(kept.record.expiresAt!).getTime() + 1000);
    const list = (await staff.request({ method: 'GET', url: '/api/v1/exports?limit=100' })).json() as {
      items: ExportRecord[];
    };
    expect(list.items.map((item) => item.id)).not.toContain(kept.record.id);
    expect(await app.services.fileStore.sizeOf(keptKey)).toBeUndefined();
  });

  it('notifies the staff user who asked, once', async () => {
    const { record } = await exportAndDownload({ type: 'customers', format: 'csv', notify: true });
    const notifications = (
      await staff.request({ method: 'GET', url: '/api/v1/exports/notifications' })
    ).json();
    expect(notifications).toMatchObject({ pending: 0, items: [{ id: record.id, status: 'ready' }] });
    expect(
      (await dutchStaff.request({ method: 'GET', url: '/api/v1/exports/notifications' })).json().items,
    ).toEqual([]);
    const seen = await staff.request({
      method: 'POST',
      url: '/api/v1/exports/notifications/seen',
      payload: { ids: [record.id] },
    });
    expect(seen.statusCode).toBe(204);
    expect(
      (await staff.request({ method: 'GET', url: '/api/v1/exports/notifications' })).json().items,
    ).toEqual([]);
  });

  it('describes what can be exported in the staff user’s language, and documents the routes in OpenAPI', async () => {
    const options = (await dutchStaff.request({ method: 'GET', url: '/api/v1/exports/options' })).json();
    const customers = options.types.find((type: { id: string }) => type.id === 'customers');
    expect(customers.columns.find((column: { key: string }) => column.key === 'billing.postcode')).toEqual({
      key: 'billing.postcode',
      group: 'billing',
      heading: 'Factuuradres postcode',
      isDefault: true,
    });
    expect(customers.presets).toEqual([
      {
        id: 'mailing-list',
        columns: ['email', 'firstName', 'lastName', 'language', 'newsletter', 'passwordResetLink'],
      },
    ]);
    expect(options).toMatchObject({ formats: ['csv', 'csv-semicolon', 'xlsx'], retentionDays: 7 });
    const openapi = (await app.http.inject({ method: 'GET', url: '/api/docs/json' })).json();
    for (const path of [
      '/api/v1/exports',
      '/api/v1/exports/{id}',
      '/api/v1/exports/{id}/download',
      '/api/v1/exports/options',
    ])
      expect(Object.keys(openapi.paths)).toContain(path);
  });
});

import { createHash } from 'node:crypto';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportDetail } from '../../src/imports/import.schemas.ts';
import { createStorefrontAgent } from '../accounts/storefront-agent.ts';
import { createTestApp, type StaffAgent, type TestApp } from '../support/test-app.ts';
import { customerByEmail, importFile, post, uploadOk, waitForStatus } from './import-helpers.ts';

let app: TestApp;
let staff: StaffAgent;
let dutchStaff: StaffAgent;

beforeAll(async () => {
  app = await createTestApp({ LOGIN_RATE_LIMIT_PER_MINUTE: '100' }, { importTuning: { batchSize: 2 } });
  await app.services.startWorkers();
  staff = await app.loginAsStaff();
  dutchStaff = await app.loginAsStaff({ language: 'nl' });
});
afterAll(() => app.close());

const lightspeedHeadings = 'Internal ID;Firstname;LastnamePreposition;Lastname;E-Mail;Phone;Mobile;Coc number;Streetname;Number;Zipcode;City;Country';

/**
 * A Lightspeed export re-saved by a Dutch Excel (semicolons, CR LF): mobiles in ranges the
 * numbering plan has not given out, postcodes with SA/SD/SS, a KvK number without its leading
 * zero, a ragged row, and two rows the customer cannot exist without (no e-mail, no last name).
 */
function lightspeedFile(prefix: string): Buffer {
  const rows = [
    lightspeedHeadings,
    `${prefix}2001;Anna;;Bakker;${prefix}anna@example.nl;;06-01234567;;Dorpsstraat;1;1234 SA;Utrecht;NL`,
    `${prefix}2002;Bram;van;Dam;${prefix}bram@example.nl;020-1234567;0671234567;1234567;Kerkweg;2;2345 SD;Zeist;NL`,
    `${prefix}2003;Cor;de;Wit;${prefix}cor@example.nl;;06 91234567;;Laan;3;3456 SS;Ede;NL`,
    `${prefix}2004;Dirk;;Smit;;;06-12345678;;Markt;4;4567 AB;Gouda;NL`,
    `${prefix}2005;Eva;;;${prefix}eva@example.nl;;06-01234567;;Plein;5;5678 CD;Breda;NL`,
    `${prefix}2006;Femke;;Visser;${prefix}femke@example.nl;;06-12345678;;Straat;6;6789 EF;Venlo;NL;extra;cells`,
  ];
  return Buffer.from(`${rows.join('\r\n')}\r\n`, 'utf8');
}

async function check(agent: StaffAgent, fileName: string, body: Buffer, options: Record<string, unknown> = {}): Promise<ImportDetail> {
  const uploaded = await uploadOk(agent, fileName, body);
  const checking = await post(agent, `/api/v1/imports/${uploaded.id}/check`, options);
  expect(checking.statusCode, checking.body).toBe(202);
  return waitForStatus(agent, uploaded.id, ['checked']);
}

async function start(agent: StaffAgent, id: number): Promise<ImportDetail> {
  const started = await post(agent, `/api/v1/imports/${id}/start`);
  expect(started.statusCode, started.body).toBe(202);
  return waitForStatus(agent, id, ['done', 'done_with_errors', 'failed']);
}

async function flagsOf(agent: StaffAgent, customerId: number) {
  const response = await agent.request({ method: 'GET', url: `/api/v1/customers/${customerId}/flags` });
  expect(response.statusCode, response.body).toBe(200);
  return (response.json() as { items: Array<{ field: string; value: string; code: string; message: string }> }).items;
}

async function flaggedEmails(agent: StaffAgent): Promise<string[]> {
  const response = await agent.request({ method: 'GET', url: '/api/v1/customers?flagged=true&limit=200&sort=email&direction=asc' });
  expect(response.statusCode, response.body).toBe(200);
  return (response.json() as { items: Array<{ email: string }> }).items.map((item) => item.email);
}

describe('bad optional values: keep as typed and flag (the default)', () => {
  let detail: ImportDetail;

  it('imports every customer that has an e-mail address and a name, and says what it kept', async () => {
    const checked = await check(staff, 'lightspeed.csv', lightspeedFile('k-'));
    expect(checked.check?.options.badValues).toBe('keep-flagged');
    const result = checked.check!.result!;
    expect(result).toMatchObject({ rows: 6, created: 4, rejected: 2, warned: 4 });
    expect(result.warnings).toEqual(expect.arrayContaining([
      expect.objectContaining({ code: 'phone_unassigned', field: 'mobile', count: 3 }),
      expect.objectContaining({ code: 'postcode_not_issued', field: 'billing.postcode', count: 3 }),
      expect.objectContaining({ code: 'leading_zero_lost', field: 'cocNumber', count: 1 }),
      expect.objectContaining({ code: 'extra_cells', count: 1 }),
    ]));
    expect(result.suggestedFixes).toEqual([expect.objectContaining({ field: 'cocNumber', examples: [{ value: '1234567', suggestion: '01234567' }] })]);
    // Every problem of a rejected row at once: what rejects it, and what it would have been imported with.
    const eva = result.rejections.find((rejection) => rejection.rowNumber === 6);
    expect(eva?.errors.map((error) => [error.code, error.field, error.isWarning ?? false])).toEqual([
      ['required', 'lastName', false],
      ['phone_unassigned', 'mobile', true],
    ]);
    const extra = result.warningRows.find((row) => row.rowNumber === 7)?.warnings[0];
    expect(extra).toMatchObject({ code: 'extra_cells', value: 'extra | cells' });
    expect(extra?.message).toContain('column 14: “extra”, column 15: “cells”');

    detail = await start(staff, checked.id);
    expect(detail.counts).toMatchObject({ created: 4, rejected: 2, warned: 4, passwordsDropped: 0 });
    const anna = await customerByEmail(app, 'k-anna@example.nl');
    expect(anna).toMatchObject({ mobile: '06-01234567', billingAddress: { postcode: '1234 SA', city: 'Utrecht' } });
    expect(await customerByEmail(app, 'k-bram@example.nl')).toMatchObject({ phone: '+31 20 123 4567', mobile: '0671234567', cocNumber: '1234567' });
  });

  it('shows the flags with their reason on the customer, in English and Dutch', async () => {
    const anna = (await customerByEmail(app, 'k-anna@example.nl'))!;
    const flags = await flagsOf(staff, anna.id);
    expect(flags.map((flag) => [flag.field, flag.value, flag.code])).toEqual([
      ['billing.postcode', '1234 SA', 'postcode_not_issued'],
      ['mobile', '06-01234567', 'phone_unassigned'],
    ]);
    expect(flags[1]?.message).toBe('“06-01234567” has the form of a phone number, but its number range is not in use according to the numbering plan.');
    expect((await flagsOf(dutchStaff, anna.id))[1]?.message).toBe('“06-01234567” heeft de vorm van een telefoonnummer, maar de nummerreeks is volgens het nummerplan niet in gebruik.');
  });

  it('lists the customers with values to review, and a corrected value closes the flag', async () => {
    expect(await flaggedEmails(staff)).toEqual(['k-anna@example.nl', 'k-bram@example.nl', 'k-cor@example.nl']);
    const anna = (await customerByEmail(app, 'k-anna@example.nl'))!;
    const fixed = await staff.request({ method: 'PATCH', url: `/api/v1/customers/${anna.id}`, payload: { mobile: '06-12345678' } });
    expect(fixed.statusCode, fixed.body).toBe(200);
    expect((await flagsOf(staff, anna.id)).map((flag) => flag.field)).toEqual(['billing.postcode']);
    const dismissed = await staff.request({ method: 'DELETE', url: `/api/v1/customers/${anna.id}/flags/billing.postcode` });
    expect(dismissed.statusCode).toBe(204);
    expect(await flagsOf(staff, anna.id)).toEqual([]);
    expect(await flaggedEmails(staff)).toEqual(['k-bram@example.nl', 'k-cor@example.nl']);
    // The kept value stays as typed: dismissing keeps it.
    expect((await customerByEmail(app, 'k-anna@example.nl'))?.billingAddress.postcode).toBe('1234 SA');
  });

  it('writes every problem of a rejected row in the rejected-rows file, and the warned rows with their extra cells in the warnings file', async () => {
    const rejected = await staff.request({ method: 'GET', url: `/api/v1/imports/${detail.id}/rejected-rows` });
    expect(rejected.statusCode).toBe(200);
    const rejectedLines = rejected.rawPayload.toString('utf8').trim().split('\r\n');
    expect(rejectedLines).toHaveLength(3);
    expect(rejectedLines[2]).toContain('Row 6 – Lastname: Last name is required for a new customer.');
    expect(rejectedLines[2]).toContain('| Row 6 – Mobile: “06-01234567” has the form of a phone number');

    const warnings = await staff.request({ method: 'GET', url: `/api/v1/imports/${detail.id}/warning-rows` });
    expect(warnings.statusCode).toBe(200);
    expect(warnings.headers['content-disposition']).toContain('lightspeed-warnings.csv');
    const warningLines = warnings.rawPayload.toString('utf8').trim().split('\r\n');
    expect(warningLines[0]).toBe(`${lightspeedHeadings};Import warnings`);
    expect(warningLines).toHaveLength(5);
    expect(warningLines[4]).toMatch(/^k-2006;Femke;;Visser;k-femke@example\.nl;;06-12345678;;Straat;6;6789 EF;Venlo;NL;extra;cells;"Row 7: This row has 2 more cells/);

    const page = await staff.request({ method: 'GET', url: `/api/v1/imports/${detail.id}/warnings` });
    expect(page.json()).toMatchObject({ total: 4, items: [{ rowNumber: 2 }, { rowNumber: 3 }, { rowNumber: 4 }, { rowNumber: 7 }] });
  });

  it('exports the kept values as typed', async () => {
    const { rows } = await app.services.db.pool.query<{ mobile: string }>("SELECT mobile FROM customers WHERE email = 'k-cor@example.nl'");
    expect(rows[0]?.mobile).toBe('06 91234567');
  });
});

describe('the other choices for bad values', () => {
  it('strict rejects every row with a bad value, as before', async () => {
    const detail = await importFile(staff, 'lightspeed-strict.csv', lightspeedFile('s-'), { badValues: 'strict' });
    expect(detail.counts).toMatchObject({ created: 1, rejected: 5 });
    expect(await customerByEmail(app, 's-anna@example.nl')).toBeUndefined();
    expect(await customerByEmail(app, 's-femke@example.nl')).toBeDefined();
  });

  it('leave-out imports the customers and stores nothing for those values, without flags', async () => {
    const detail = await importFile(staff, 'lightspeed-leave-out.csv', lightspeedFile('l-'), { badValues: 'leave-out' });
    expect(detail.counts).toMatchObject({ created: 4, rejected: 2, warned: 4 });
    const anna = (await customerByEmail(app, 'l-anna@example.nl'))!;
    expect(anna).toMatchObject({ mobile: '', billingAddress: { postcode: '', city: 'Utrecht' } });
    expect(await flagsOf(staff, anna.id)).toEqual([]);
    expect((await flaggedEmails(staff)).filter((email) => email.startsWith('l-'))).toEqual([]);
  });
});

describe('password hashes', () => {
  const md5 = (text: string) => createHash('md5').update(text).digest('hex');
  const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

  it('imports Magento hash:salt (md5 and sha256, with and without version) so the customers can log in, and imports the rest without', async () => {
    const file = [
      'E-mail,Voornaam,Achternaam,Password hash',
      `m1@example.com,Mia,One,${md5('saltOne' + 'Secret one')}:saltOne`,
      `m2@example.com,Mia,Two,${sha256('saltTwo' + 'Secret two')}:saltTwo:1`,
      'm3@example.com,Mia,Three,plaintext-password',
      'm4@example.com,Mia,Four,{SSHA}c29tZXRoaW5n',
    ].join('\n');
    const detail = await importFile(staff, 'magento.csv', file);
    expect(detail.counts).toMatchObject({ created: 4, rejected: 0, warned: 2, passwordsDropped: 2 });
    const { rows } = await app.services.db.pool.query<{ email: string; password_state: string; password_algorithm: string | null }>(
      "SELECT email, password_state, password_algorithm FROM customers WHERE email LIKE 'm_@example.com' ORDER BY email",
    );
    expect(rows).toEqual([
      { email: 'm1@example.com', password_state: 'imported_hash', password_algorithm: 'magento2' },
      { email: 'm2@example.com', password_state: 'imported_hash', password_algorithm: 'magento2' },
      { email: 'm3@example.com', password_state: 'none', password_algorithm: null },
      { email: 'm4@example.com', password_state: 'none', password_algorithm: null },
    ]);
    for (const [email, password] of [['m1@example.com', 'Secret one'], ['m2@example.com', 'Secret two']] as const) {
      const agent = createStorefrontAgent(app.http);
      await agent.get('/account/login');
      expect((await agent.post('/account/login', { email, password })).statusCode).toBe(303);
    }
  });

  it('imports WordPress 6.8 hashes so that login verifies them', async () => {
    const hash = '$wp$2y$05$abcdefghijklmnopqrstuug6uYBoXB0X8kmKXwtKEjyQo3kXYJp/O';
    await importFile(staff, 'wordpress.csv', `E-mail,Voornaam,Achternaam,Password hash\nwp@example.com,Wim,Press,${hash}\n`);
    const agent = createStorefrontAgent(app.http);
    await agent.get('/account/login');
    expect((await agent.post('/account/login', { email: 'wp@example.com', password: 'WordPress Pass' })).statusCode).toBe(303);
  });
});

describe('spreadsheet damage against the stored customer', () => {
  it('keeps the stored external id and name when a file lost the leading zeros or has ? for letters', async () => {
    await importFile(staff, 'first.csv', 'E-mail,Voornaam,Achternaam,Klantnummer\nbjorn@example.se,Björn,Öberg,000123\n');
    const detail = await importFile(staff, 'second.csv', iconv.encode('E-mail;Voornaam;Achternaam;Klantnummer;Plaats\r\nbjorn@example.se;Bj?rn;?berg;123;G?teborg\r\n', 'windows-1252'));
    expect(detail.counts).toMatchObject({ updated: 1, rejected: 0, warned: 1 });
    const bjorn = (await customerByEmail(app, 'bjorn@example.se'))!;
    expect(bjorn).toMatchObject({ firstName: 'Björn', lastName: 'Öberg', externalId: '000123', billingAddress: { city: 'G?teborg' } });
    const page = await staff.request({ method: 'GET', url: `/api/v1/imports/${detail.id}/warnings` });
    const warnings = (page.json() as { items: Array<{ errors: Array<{ code: string; field: string; message: string }> }> }).items[0]!.errors;
    expect(warnings.map((warning) => [warning.field, warning.code])).toEqual([
      ['firstName', 'letters_replaced'],
      ['lastName', 'letters_replaced'],
      ['billing.city', 'letters_replaced'],
      ['externalId', 'external_id_zeros_lost'],
    ]);
    expect(warnings[0]?.message).toContain('The stored value “Björn” is kept.');
    // The city had no stored value: it is kept as typed and flagged for review.
    expect((await flagsOf(staff, bjorn.id)).map((flag) => [flag.field, flag.code])).toEqual([['billing.city', 'letters_replaced']]);
  });
});

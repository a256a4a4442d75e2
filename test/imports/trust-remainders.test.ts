import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type StaffAgent, type TestApp } from '../support/test-app.ts';
import { customerByEmail, importFile, post, waitForStatus } from './import-helpers.ts';

/**
 * Issue #15 remainders through the API on a real database: a cell over the read cap is a
 * warning for an optional field, matching on external id finds ids that lost their leading
 * zeros, and undo removes the flags its import left.
 */

let app: TestApp;
let staff: StaffAgent;
let dutchStaff: StaffAgent;

beforeAll(async () => {
  app = await createTestApp();
  await app.services.startWorkers();
  staff = await app.loginAsStaff();
  dutchStaff = await app.loginAsStaff({ language: 'nl' });
});
afterAll(() => app.close());

type Flag = { field: string; value: string; code: string; message: string };

async function flagsOf(agent: StaffAgent, customerId: number): Promise<Flag[]> {
  const response = await agent.request({ method: 'GET', url: `/api/v1/customers/${customerId}/flags` });
  expect(response.statusCode, response.body).toBe(200);
  return (response.json() as { items: Flag[] }).items;
}

async function flaggedEmails(prefix: string): Promise<string[]> {
  const response = await staff.request({ method: 'GET', url: '/api/v1/customers?flagged=true&limit=200&sort=email&direction=asc' });
  expect(response.statusCode, response.body).toBe(200);
  return (response.json() as { items: Array<{ email: string }> }).items.map((item) => item.email).filter((email) => email.startsWith(prefix));
}

async function warningsOf(importId: number) {
  const page = await staff.request({ method: 'GET', url: `/api/v1/imports/${importId}/warnings` });
  expect(page.statusCode, page.body).toBe(200);
  return (page.json() as { items: Array<{ rowNumber: number; errors: Array<{ code: string; field: string; message: string; isFlagged?: boolean }> }> }).items;
}

describe('a cell longer than the read cap (cell_too_long)', () => {
  const longNote = 'n'.repeat(40_000);
  const file = (prefix: string) =>
    `E-mail,First name,Last name,Notes\r\n${prefix}long@example.com,Lena,Lang,"${longNote}"\r\n${prefix}short@example.com,Kort,Bos,fine\r\n${prefix}name@example.com,Nora,${'z'.repeat(40_000)},ok\r\n`;

  it('imports the customer with the start of an optional value, flagged; a too-long name still rejects its row', async () => {
    const detail = await importFile(staff, 'long-notes.csv', file('k-'));
    expect(detail.counts).toMatchObject({ created: 2, rejected: 1, warned: 1 });
    const lena = (await customerByEmail(app, 'k-long@example.com'))!;
    expect(lena.notes).toBe('n'.repeat(10_000));
    const flags = await flagsOf(staff, lena.id);
    expect(flags.map((flag) => [flag.field, flag.code])).toEqual([['notes', 'cell_too_long']]);
    expect(flags[0]?.message).toBe('A cell in column 4 holds 40000 characters; at most 32768 can be imported. Its first 10000 characters are kept.');
    expect((await flagsOf(dutchStaff, lena.id))[0]?.message).toBe('Een cel in kolom 4 bevat 40000 tekens; er kunnen er maximaal 32768 worden geïmporteerd. De eerste 10000 tekens zijn bewaard.');

    const rejected = await staff.request({ method: 'GET', url: `/api/v1/imports/${detail.id}/rejections` });
    expect(rejected.json()).toMatchObject({ items: [{ rowNumber: 4, errors: [{ code: 'cell_too_long', field: 'lastName' }] }] });
    // Memory stays bounded: what the import keeps of the rejected row is the cell cut to the cap.
    const { rows } = await app.services.db.pool.query<{ length: number }>('SELECT max(length(c)) AS length FROM import_rejections r, unnest(r.cells) c WHERE r.import_id = $1', [detail.id]);
    expect(rows[0]?.length).toBe(32_768);
  });

  it('leaves the value out with leave-out, and rejects the row with strict', async () => {
    const leftOut = await importFile(staff, 'long-notes-out.csv', file('l-'), { badValues: 'leave-out' });
    expect(leftOut.counts).toMatchObject({ created: 2, rejected: 1, warned: 1 });
    const lena = (await customerByEmail(app, 'l-long@example.com'))!;
    expect(lena.notes).toBe('');
    expect(await flagsOf(staff, lena.id)).toEqual([]);
    expect((await warningsOf(leftOut.id))[0]?.errors).toMatchObject([{ code: 'cell_too_long', field: 'notes' }]);

    const strict = await importFile(staff, 'long-notes-strict.csv', file('s-'), { badValues: 'strict' });
    expect(strict.counts).toMatchObject({ created: 1, rejected: 2 });
    expect(await customerByEmail(app, 's-long@example.com')).toBeUndefined();
  });
});

describe('matching on external id when the file lost the leading zeros', () => {
  it('finds the stored customer, keeps the stored id and says so; two candidates are never guessed', async () => {
    await importFile(staff, 'stored.csv', [
      'E-mail,First name,Last name,External ID',
      'zero@example.com,Zoë,Nul,000123',
      'amb1@example.com,Ada,Een,0456',
      'amb2@example.com,Ada,Twee,00456',
    ].join('\n'));
    const file = ['External ID,E-mail,First name,Last name', '123,zero@example.com,Zoey,Nul', '456,amb3@example.com,Ada,Drie'].join('\n');
    const detail = await importFile(staff, 'zeros-lost.csv', file, { matchOn: 'externalId' });
    expect(detail.counts).toMatchObject({ created: 0, updated: 1, rejected: 1, warned: 1 });
    const zero = (await customerByEmail(app, 'zero@example.com'))!;
    expect(zero).toMatchObject({ firstName: 'Zoey', externalId: '000123' });
    const warnings = (await warningsOf(detail.id))[0]?.errors;
    expect(warnings).toMatchObject([{ field: 'externalId', code: 'external_id_zeros_lost' }]);
    expect(warnings?.[0]?.message).toBe('“123” is the stored external ID 000123 without its leading zeros, which a spreadsheet removes; the stored 000123 is kept.');

    const rejections = (await staff.request({ method: 'GET', url: `/api/v1/imports/${detail.id}/rejections` })).json() as { items: Array<{ rowNumber: number; errors: Array<{ code: string; message: string }> }> };
    expect(rejections.items).toMatchObject([{ rowNumber: 3, errors: [{ code: 'identity_conflict' }] }]);
    expect(rejections.items[0]?.errors[0]?.message).toMatch(/^External ID 456 may be any of 0456 #\d+ \(amb1@example\.com\), 00456 #\d+ \(amb2@example\.com\) without its leading zeros/);
    expect(await customerByEmail(app, 'amb3@example.com')).toBeUndefined();
  });
});

describe('undo and flags', () => {
  it('removes the flags the import left, so the customer page and the "values to review" filter agree', async () => {
    await importFile(staff, 'before.csv', 'E-mail,First name,Last name\nu-kept@example.com,Ute,Oud\n');
    const file = [
      'E-mail,First name,Last name,Date of birth,Newsletter,Mobile',
      'u-new@example.com,Nina,Nieuw,31-02-1990,misschien,06-01234567',
      'u-kept@example.com,Ute,Oud,31-02-1980,,',
    ].join('\n');
    const detail = await importFile(staff, 'flags.csv', file);
    expect(detail.counts).toMatchObject({ created: 1, updated: 0, unchanged: 1, warned: 2 });
    const kept = (await customerByEmail(app, 'u-kept@example.com'))!;
    expect((await flagsOf(staff, kept.id)).map((flag) => flag.field)).toEqual(['birthDate']);
    expect(await flaggedEmails('u-')).toEqual(['u-kept@example.com', 'u-new@example.com']);

    expect((await post(staff, `/api/v1/imports/${detail.id}/undo`)).statusCode).toBe(202);
    const undone = await waitForStatus(staff, detail.id, ['undone']);
    expect(undone.undo).toMatchObject({ deleted: 1 });
    expect(await customerByEmail(app, 'u-new@example.com')).toBeUndefined();
    expect(await flagsOf(staff, kept.id)).toEqual([]);
    expect(await flaggedEmails('u-')).toEqual([]);
  });
});

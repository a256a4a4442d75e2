import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type StaffAgent, type TestApp } from '../support/test-app.ts';
import { customerByEmail, post, uploadOk, waitForStatus } from './import-helpers.ts';

/** The rejected-rows file carries the accepted fixes; "Import the corrected file" starts where the first import was. */

let app: TestApp;
let staff: StaffAgent;

beforeAll(async () => {
  app = await createTestApp();
  await app.services.startWorkers();
  staff = await app.loginAsStaff();
});
afterAll(() => app.close());

const file = [
  'Mail;Roepnaam;Familienaam;GSM;Lid sinds',
  'goed@fix.test;Greet;Goed;612345678;2019-01-02',
  'fout@fix;Frank;Fout;687654321;2020-03-04',
].join('\n');

describe('fixing rejected rows and importing the corrected file', () => {
  it('writes the accepted fixes into the rejected-rows file, and the corrected file starts with the mapping, options and fixes', async () => {
    const first = await uploadOk(staff, 'klanten.csv', file);
    // Mapped by hand, as staff would: "Lid sinds" is the customer-since date, "GSM" the mobile.
    const mapped = await staff.request({ method: 'PUT', url: `/api/v1/imports/${first.id}/mapping`, payload: { columns: [{ index: 3, field: 'mobile' }, { index: 4, field: 'customerSince' }] } });
    expect(mapped.statusCode, mapped.body).toBe(200);
    const options = { acceptedFixes: { mobile: ['leading_zero_lost'] }, duplicates: 'combine', dateOrder: 'dmy' };
    expect((await post(staff, `/api/v1/imports/${first.id}/check`, options)).statusCode).toBe(202);
    await waitForStatus(staff, first.id, ['checked']);
    await post(staff, `/api/v1/imports/${first.id}/start`);
    const done = await waitForStatus(staff, first.id, ['done_with_errors']);
    expect(done.counts).toMatchObject({ created: 1, rejected: 1 });

    const download = await staff.request({ method: 'GET', url: `/api/v1/imports/${first.id}/rejected-rows` });
    expect(download.statusCode, download.body).toBe(200);
    const rejected = download.body.replace(/^\uFEFF/, '');
    // The mobile number is written with the zero the user accepted; the e-mail is still wrong.
    expect(rejected).toContain('fout@fix;Frank;Fout;0687654321;2020-03-04;');
    expect(rejected).not.toContain(';687654321;');

    const corrected = rejected.replace('fout@fix;', 'fout@fix.test;');
    const second = await staff.request({
      method: 'POST',
      url: `/api/v1/imports?fileName=klanten-afgekeurd.csv&basedOnImportId=${first.id}`,
      headers: { 'content-type': 'application/octet-stream' },
      payload: Buffer.from(corrected, 'utf8'),
    });
    expect(second.statusCode, second.body).toBe(201);
    const detail = second.json();
    expect(detail.basedOnImportId).toBe(first.id);
    expect(detail.options).toMatchObject(options);
    expect(detail.mapping.columns.map((column: { field: string | null }) => column.field)).toEqual(['email', 'firstName', 'lastName', 'mobile', 'customerSince', null]);

    expect((await post(staff, `/api/v1/imports/${detail.id}/check`, detail.options)).statusCode).toBe(202);
    await waitForStatus(staff, detail.id, ['checked']);
    await post(staff, `/api/v1/imports/${detail.id}/start`);
    const again = await waitForStatus(staff, detail.id, ['done', 'done_with_errors']);
    expect(again.counts).toMatchObject({ created: 1, rejected: 0 });
    expect(await customerByEmail(app, 'fout@fix.test')).toMatchObject({ mobile: '+31 6 87654321', customerSince: '2020-03-04' });
  });

  it('refuses to base an import on one that does not exist', async () => {
    const response = await staff.request({ method: 'POST', url: '/api/v1/imports?fileName=x.csv&basedOnImportId=9999', headers: { 'content-type': 'application/octet-stream' }, payload: Buffer.from(file) });
    expect(response.statusCode).toBe(404);
  });
});

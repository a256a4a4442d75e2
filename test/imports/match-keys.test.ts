import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type StaffAgent, type TestApp } from '../support/test-app.ts';
import { hasCustomersNotCreatedBy } from '../../src/imports/probable-duplicates.ts';
import { customerByEmail, importFile, post, rowsWarnedOf, uploadOk, waitForStatus } from './import-helpers.ts';

/**
 * Issue #17, match keys: in step Check the staff chooses how rows are recognised — by e-mail
 * address, Clientele ID, external ID, phone number (E.164, else the mobile number), or the
 * ordered combination "external ID, else e-mail address". A row whose keys point at two
 * different stored customers is rejected naming both, and applied to neither.
 */

let app: TestApp;
let staff: StaffAgent;
let dutch: StaffAgent;
const ids: Record<string, number> = {};

beforeAll(async () => {
  app = await createTestApp();
  await app.services.startWorkers();
  staff = await app.loginAsStaff();
  dutch = await app.loginAsStaff({ email: 'nl@shop.test', language: 'nl' });
  const create = async (email: string, fields: Record<string, unknown>) => {
    ids[email] = (await app.services.customers.create({ email, firstName: 'Old', lastName: 'Name', ...fields })).id;
  };
  await create('anna@shop.test', { phone: '+31 6 12345678' });
  await create('mobile@shop.test', { mobile: '+31 6 87654321' });
  await create('home1@shop.test', { phone: '+31 20 123 4567' });
  await create('home2@shop.test', { phone: '020 123 4567' });
  await create('dirk@shop.test', { externalId: 'K-1' });
  await create('eva@shop.test', {});
  await create('gert@shop.test', { externalId: 'K-3' });
}, 60_000);
afterAll(() => app.close());

const rejectionsOf = async (agent: StaffAgent, id: number) =>
  (await agent.request({ method: 'GET', url: `/api/v1/imports/${id}/rejections` })).body;

describe('recognised by phone number', () => {
  it('finds the customer by its phone or mobile number as people type them, and rejects a number several customers share', async () => {
    const file = [
      'Phone,E-mail,First name,Last name',
      '06-12345678,,Anna,Updated',
      '0031 6 8765 4321,,Mo,Updated',
      '020 123 4567,,Shared,Line',
      '+31 6 11112222,new-by-phone@shop.test,Nieuw,Klant',
    ].join('\n');
    const done = await importFile(staff, 'phones.csv', file, { matchOn: 'phone', phoneCountry: 'NL' });
    expect(done.counts).toMatchObject({ created: 1, updated: 2, rejected: 1 });
    expect(await customerByEmail(app, 'anna@shop.test')).toMatchObject({ id: ids['anna@shop.test'], lastName: 'Updated' });
    expect(await customerByEmail(app, 'mobile@shop.test')).toMatchObject({ id: ids['mobile@shop.test'], lastName: 'Updated' });
    expect(await customerByEmail(app, 'new-by-phone@shop.test')).toMatchObject({ firstName: 'Nieuw' });
    // The shared line: both customers named, neither changed.
    const rejected = await rejectionsOf(staff, done.id);
    expect(rejected).toContain('belongs to 2 customers');
    expect(rejected).toContain(`#${ids['home1@shop.test']} (home1@shop.test)`);
    expect(rejected).toContain(`#${ids['home2@shop.test']} (home2@shop.test)`);
    expect((await customerByEmail(app, 'home1@shop.test'))?.lastName).toBe('Name');
    expect((await customerByEmail(app, 'home2@shop.test'))?.lastName).toBe('Name');
  });
});

describe('recognised by external ID, else e-mail address', () => {
  it('uses the external ID first, the e-mail address for rows whose ID no customer has, and rejects a row whose keys are two customers', async () => {
    const file = [
      'Customer number,E-mail,First name,Last name',
      'K-1,dirk@shop.test,Dirk,ByNumber',
      'K-2,eva@shop.test,Eva,ByEmail',
      ',fenna@shop.test,Fenna,New',
      'K-3,anna@shop.test,Wrong,Person',
      ',fenna@shop.test,Fenna,Twice',
    ].join('\n');
    const uploaded = await uploadOk(staff, 'numbers.csv', file);
    expect(uploaded.mapping.columns.map((column) => column.field)).toEqual(['externalId', 'email', 'firstName', 'lastName']);
    expect((await post(staff, `/api/v1/imports/${uploaded.id}/check`, { matchOn: 'externalIdThenEmail' })).statusCode).toBe(202);
    const checked = await waitForStatus(staff, uploaded.id, ['checked']);
    expect(checked.check?.result).toMatchObject({ created: 1, updated: 2, rejected: 2 });
    expect((await post(staff, `/api/v1/imports/${uploaded.id}/start`)).statusCode).toBe(202);
    const done = await waitForStatus(staff, uploaded.id, ['done', 'done_with_errors']);
    expect(done.counts).toMatchObject({ created: 1, updated: 2, rejected: 2 });
    expect(await customerByEmail(app, 'dirk@shop.test')).toMatchObject({ lastName: 'ByNumber', externalId: 'K-1' });
    // Eva was found by her e-mail address and has the customer number now.
    expect(await customerByEmail(app, 'eva@shop.test')).toMatchObject({ id: ids['eva@shop.test'], lastName: 'ByEmail', externalId: 'K-2' });
    expect(await customerByEmail(app, 'fenna@shop.test')).toMatchObject({ lastName: 'New' });
    // K-3 is Gert, anna@ is Anna: both named, the row applied to neither.
    const rejected = await rejectionsOf(staff, done.id);
    expect(rejected).toContain(`belongs to customer #${ids['anna@shop.test']} (anna@shop.test), but this row's external ID is customer #${ids['gert@shop.test']} (gert@shop.test)`);
    expect(rejected).toContain('Same e-mail address as row 4');
    expect((await customerByEmail(app, 'anna@shop.test'))?.firstName).not.toBe('Wrong');
    expect((await customerByEmail(app, 'gert@shop.test'))?.firstName).not.toBe('Wrong');
  });

  it('says the conflict in Dutch, and a row with neither key says it needs one of them', async () => {
    const file = ['Klantnummer;E-mailadres;Voornaam;Achternaam', 'K-1;eva@shop.test;Fout;Persoon', ';;Zonder;Sleutel'].join('\n');
    const done = await importFile(dutch, 'nummers.csv', file, { matchOn: 'externalIdThenEmail' });
    expect(done.counts).toMatchObject({ rejected: 2, updated: 0, created: 0 });
    const rejected = await rejectionsOf(dutch, done.id);
    expect(rejected).toContain(`Het e-mailadres eva@shop.test hoort bij klant #${ids['eva@shop.test']} (eva@shop.test), maar het externe ID van deze rij is klant #${ids['dirk@shop.test']} (dirk@shop.test)`);
    expect(rejected).toContain('Extern ID of e-mailadres is nodig om de klant te herkennen');
  });
});

describe('address files', () => {
  it('refuse recognising by phone number: an address file names its customer by e-mail address, Clientele ID or external ID', async () => {
    const uploaded = await uploadOk(staff, 'adressen.csv', ['E-mail,Street,House number,Postcode,City', 'anna@shop.test,Markt,1,5611 AA,Eindhoven'].join('\n'));
    const typed = await staff.request({ method: 'PUT', url: `/api/v1/imports/${uploaded.id}/type`, payload: { type: 'addresses' } });
    expect(typed.statusCode, typed.body).toBe(200);
    const refused = await post(staff, `/api/v1/imports/${uploaded.id}/check`, { matchOn: 'phone' });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().error.message).toContain('An address file recognises customers by e-mail address');
  });
});

describe('probable duplicates in the check', () => {
  it('warns when a row would create a customer whose phone number a stored customer has, naming that customer, and still imports it', async () => {
    const file = ['E-mail,First name,Last name,Mobile', 'anna.new@shop.test,Anna,Again,06 1234 5678', 'unrelated@shop.test,Un,Related,06 99990000'].join('\n');
    const uploaded = await uploadOk(staff, 'maybe-anna.csv', file);
    expect((await post(staff, `/api/v1/imports/${uploaded.id}/check`, { phoneCountry: 'NL' })).statusCode).toBe(202);
    const checked = await waitForStatus(staff, uploaded.id, ['checked']);
    expect(checked.check?.result).toMatchObject({ created: 2 });
    const duplicates = checked.check!.result!.warningRows.filter((candidate) => candidate.warnings.some((warning) => warning.code === 'probable_duplicate'));
    expect(duplicates).toHaveLength(1);
    const [row] = duplicates;
    expect(row).toMatchObject({ rowNumber: 2, warnings: [expect.objectContaining({ code: 'probable_duplicate', field: 'mobile' })] });
    expect(row!.warnings[0]!.message).toContain(`#${ids['anna@shop.test']} (anna@shop.test)`);
    expect((await post(staff, `/api/v1/imports/${uploaded.id}/start`)).statusCode).toBe(202);
    await waitForStatus(staff, uploaded.id, ['done']);
    expect(await customerByEmail(app, 'anna.new@shop.test')).toMatchObject({ mobile: '+31 6 12345678' });
  });

  it('the import warns as its check did: a stored customer is one, a customer made by an earlier row of the same import is not', async () => {
    const file = [
      'E-mail,First name,Last name,Phone',
      'anna.third@shop.test,Anna,Third,06 1234 5678',
      'first.here@shop.test,First,Here,06 5555 0101',
      'second.here@shop.test,Second,Here,06 5555 0101',
    ].join('\n');
    // Rows 3 and 4 share a number: neither customer was stored before the import.
    const done = await importFile(staff, 'import-warns.csv', file, { phoneCountry: 'NL' });
    expect(done.counts).toMatchObject({ created: 3 });
    const warned = await rowsWarnedOf(staff, done.id, 'probable_duplicate');
    expect(warned.map((row) => row.rowNumber)).toEqual([2]);
    expect(warned[0]!.message).toContain(`#${ids['anna@shop.test']} (anna@shop.test)`);
    expect(await hasCustomersNotCreatedBy(app.services.db.pool, done.id)).toBe(true);
  });

  it('warns when a row would create a customer whose e-mail address reaches a stored customer\'s mailbox (Gmail dots, +tags)', async () => {
    const dotted = await app.services.customers.create({ email: 'jan.jansen@gmail.com', lastName: 'Jansen' });
    const plain = await app.services.customers.create({ email: 'piet@outlook.com', lastName: 'Pieters' });
    const file = ['E-mail,First name,Last name', 'janjansen@googlemail.com,Jan,Jansen', 'Piet+shop@outlook.com,Piet,Pieters', 'jan.jansen@example.com,Jan,Other'].join('\n');
    const uploaded = await uploadOk(staff, 'variants.csv', file);
    expect((await post(staff, `/api/v1/imports/${uploaded.id}/check`)).statusCode).toBe(202);
    const checked = await waitForStatus(staff, uploaded.id, ['checked']);
    expect(checked.check?.result).toMatchObject({ created: 3 });
    const warned = checked.check!.result!.warningRows.filter((candidate) => candidate.warnings.some((warning) => warning.code === 'probable_duplicate'));
    expect(warned.map((row) => row.rowNumber)).toEqual([2, 3]);
    expect(warned[0]!.warnings[0]!.message).toContain(`#${dotted.id} (jan.jansen@gmail.com)`);
    expect(warned[1]!.warnings[0]!.message).toContain(`#${plain.id} (piet@outlook.com)`);
    const dutch = await app.loginAsStaff({ language: 'nl' });
    const inDutch = await waitForStatus(dutch, uploaded.id, ['checked']);
    expect(inDutch.check!.result!.warningRows[0]!.warnings[0]!.message).toContain('komt in dezelfde mailbox uit');
  });
});


import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportDetail } from '../../src/imports/import.schemas.ts';
import { createTestApp, type StaffAgent, type TestApp } from '../support/test-app.ts';
import { customerByEmail, importFile, post, uploadOk } from './import-helpers.ts';

/** Safe column matching through the API: values checked on upload, saved mappings applied, business customers. */

let app: TestApp;
let staff: StaffAgent;

beforeAll(async () => {
  app = await createTestApp();
  await app.services.startWorkers();
  staff = await app.loginAsStaff();
});
afterAll(() => app.close());

const fieldsOf = (detail: ImportDetail) => Object.fromEntries(detail.mapping.columns.map((column) => [column.heading, column.field]));

async function putMapping(id: number, payload: Record<string, unknown>): Promise<ImportDetail> {
  const response = await staff.request({ method: 'PUT', url: `/api/v1/imports/${id}/mapping`, payload });
  expect(response.statusCode, response.body).toBe(200);
  return response.json() as ImportDetail;
}

describe('column values on upload', () => {
  it('keeps a Magento address file’s flags, ids and titles out of text fields, and says why in English and Dutch', async () => {
    const file = [
      '_website,_email,_entity_id,firstname,lastname,prefix,street,city,_address_default_billing_,_address_default_shipping_',
      'base,magda@example.nl,101,Magda,Berg,Mrs.,Keizersgracht 313,Amsterdam,1,1',
      'base,john@example.com,102,John,Smith,Mr.,10 Downing Street,London,1,1',
    ].join('\n');
    const uploaded = await uploadOk(staff, 'customer_address.csv', file);
    // An address file (issue #16): the default flags are read as the address's default flags, never as text.
    expect(uploaded.type).toBe('addresses');
    expect(fieldsOf(uploaded)).toMatchObject({ _email: 'email', street: 'billing.streetWithNumber', prefix: null, _entity_id: null, _address_default_shipping_: 'isDefaultShipping' });

    // The same headings without Magento's distinctive columns: only the values protect.
    const plain = await uploadOk(staff, 'adressen.csv', ['E-mail,Titel voorvoegsel,Verzendadres straat actief', 'a@example.nl,Mr.,1', 'b@example.nl,Mrs.,0'].join('\n'));
    expect(fieldsOf(plain)).toEqual({ 'E-mail': 'email', 'Titel voorvoegsel': null, 'Verzendadres straat actief': null });
    const note = plain.mapping.columns[2]?.note;
    expect(note?.code).toBe('values_do_not_fit');
    expect(note?.message).toMatch(/only yes\/no values/);
    const dutch = await app.loginAsStaff({ language: 'nl' });
    const response = await dutch.request({ method: 'GET', url: `/api/v1/imports/${plain.id}` });
    expect((response.json() as ImportDetail).mapping.columns[2]?.note?.message).toMatch(/alleen ja\/nee-waarden/);
  });

  it('a similar match is confirmed through the mapping, and stays a similar match', async () => {
    const uploaded = await uploadOk(staff, 'plaatsen.csv', ['E-mail,Woonplaats klant', 'a@example.nl,Delft'].join('\n'));
    expect(uploaded.mapping.columns[1]).toMatchObject({ field: 'billing.city', confidence: 'fuzzy' });
    expect(uploaded.mapping.columns[1]?.isConfirmed).toBeUndefined();
    const confirmed = await putMapping(uploaded.id, { columns: [{ index: 1, field: 'billing.city', isConfirmed: true }] });
    expect(confirmed.mapping.columns[1]).toMatchObject({ field: 'billing.city', confidence: 'fuzzy', isConfirmed: true });
  });
});

describe('a saved mapping whose headings match the file', () => {
  it('is applied on upload and named; a file with other headings gets none', async () => {
    const first = await uploadOk(staff, 'kleuren-1.csv', ['Mail;Kleur;Voornaam;Achternaam', 'a@example.nl;rood;Ans;Bos'].join('\n'));
    expect(first.mapping.savedMapping).toBeUndefined();
    await putMapping(first.id, { columns: [{ index: 1, field: 'notes' }] });
    const saved = await post(staff, '/api/v1/import-mappings', { name: 'Kleurenlijst', importId: first.id });
    expect(saved.statusCode, saved.body).toBe(201);

    // Same headings, other order and spelling of case: the saved mapping is applied.
    const second = await uploadOk(staff, 'kleuren-2.csv', ['voornaam;ACHTERNAAM;kleur;mail', 'Bob;Mol;blauw;b@example.nl'].join('\n'));
    expect(second.mapping.savedMapping).toMatchObject({ name: 'Kleurenlijst' });
    expect(fieldsOf(second)).toEqual({ voornaam: 'firstName', ACHTERNAAM: 'lastName', kleur: 'notes', mail: 'email' });
    expect(second.mapping.columns.every((column) => column.confidence === 'saved')).toBe(true);

    const third = await uploadOk(staff, 'kleuren-3.csv', ['Mail;Kleur;Voornaam;Achternaam;Plaats', 'c@example.nl;groen;Cor;Vos;Delft'].join('\n'));
    expect(third.mapping.savedMapping).toBeUndefined();
    expect(fieldsOf(third).Kleur).toBeNull();
  });
});

describe('business customers and middle names', () => {
  it('a WooCommerce billing company makes a business customer; without one the customer stays private', async () => {
    const file = [
      'ID,user_login,user_pass,user_email,user_registered,display_name,first_name,last_name,billing_company,billing_address_1,billing_postcode,billing_city,billing_country',
      '11,anna,,anna@woo.example,2024-01-02 10:00:00,Anna,Anna,Jansen,Jansen Bloemen BV,Dorpsstraat 1,2611 AA,Delft,NL',
      '12,bob,,bob@woo.example,2024-01-03 10:00:00,Bob,Bob,Smit,,Kade 2,2801 BB,Gouda,NL',
    ].join('\n');
    const done = await importFile(staff, 'woocommerce-users.csv', file);
    expect(done.status).toBe('done');
    expect(await customerByEmail(app, 'anna@woo.example')).toMatchObject({ isCompany: true, companyName: 'Jansen Bloemen BV' });
    expect(await customerByEmail(app, 'bob@woo.example')).toMatchObject({ isCompany: false });
  });

  it('a type column that says private wins over the company name', async () => {
    const file = ['E-mail;Voornaam;Achternaam;Bedrijfsnaam;Zakelijke klant', 'cees@type.example;Cees;Bakker;Bakker & Zn;nee'].join('\n');
    await importFile(staff, 'klanttype.csv', file);
    expect(await customerByEmail(app, 'cees@type.example')).toMatchObject({ isCompany: false, companyName: 'Bakker & Zn' });
  });

  it('a middle name joins the first name instead of becoming the name insertion', async () => {
    const file = ['email,firstname,middlename,lastname', 'john@middle.example,John,A.,Smith', 'mary@middle.example,Mary,,Jones'].join('\n');
    const uploaded = await uploadOk(staff, 'middle.csv', file);
    expect(fieldsOf(uploaded).middlename).toBe('middleName');
    await importFile(staff, 'middle.csv', file);
    expect(await customerByEmail(app, 'john@middle.example')).toMatchObject({ firstName: 'John A.', nameInsertion: '', lastName: 'Smith' });
    expect(await customerByEmail(app, 'mary@middle.example')).toMatchObject({ firstName: 'Mary', lastName: 'Jones' });
  });
});

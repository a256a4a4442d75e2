import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CompanyDetail } from '../../src/companies/company.schemas.ts';
import type { ImportDetail } from '../../src/imports/import.schemas.ts';
import { createTestApp, type StaffAgent, type TestApp } from '../support/test-app.ts';
import { customerByEmail, getImport, post, uploadOk, waitForStatus } from '../imports/import-helpers.ts';
import { companyApi } from './company-test-helpers.ts';

/**
 * Issue #19, point 2: a customers file's company columns find or create the company (CoC number,
 * else VAT number, else the normalised name with a warning) and link the row's customer as a
 * contact; the check counts what would happen, the import what did, and undo takes it back.
 * Batches of two rows, so the rows of one company fall in different batches.
 */

let app: TestApp;
let staff: StaffAgent;
let companies: ReturnType<typeof companyApi>;

beforeAll(async () => {
  app = await createTestApp({}, { importTuning: { batchSize: 2 } });
  await app.services.startWorkers();
  staff = await app.loginAsStaff();
  companies = companyApi(staff);
});
afterAll(() => app.close());

const headings =
  'E-mail,First name,Last name,Company name,Chamber of Commerce number,VAT number,Company role';

async function checked(
  fileName: string,
  lines: readonly string[],
  headingRow = headings,
): Promise<ImportDetail> {
  const uploaded = await uploadOk(staff, fileName, `${[headingRow, ...lines].join('\n')}\n`);
  expect((await post(staff, `/api/v1/imports/${uploaded.id}/check`, {})).statusCode).toBe(202);
  return waitForStatus(staff, uploaded.id, ['checked']);
}

async function started(id: number): Promise<ImportDetail> {
  expect((await post(staff, `/api/v1/imports/${id}/start`)).statusCode).toBe(202);
  return waitForStatus(staff, id, ['done', 'done_with_errors']);
}

async function company(id: number): Promise<CompanyDetail> {
  const response = await companies.api('GET', `/companies/${id}`);
  expect(response.statusCode).toBe(200);
  return response.json();
}

const findByName = async (name: string) =>
  (await companies.search(`q=${encodeURIComponent(name)}`)).items.filter((item) => item.name === name);

async function warningsOf(id: number) {
  const response = await staff.request({ method: 'GET', url: `/api/v1/imports/${id}/warnings?limit=100` });
  expect(response.statusCode, response.body).toBe(200);
  return (
    response.json() as {
      items: { rowNumber: number; errors: { code: string; message: string; field: string }[] }[];
    }
  ).items.map((item) => ({ rowNumber: item.rowNumber, warnings: item.errors }));
}

describe('a customers file with company columns', () => {
  it('matches by CoC, else VAT, else name (warned), creates one company for many rows, keeps malformed numbers flagged, and undo takes it all back', async () => {
    const acme = await companies.createCompany({ name: 'Acme', cocNumber: '11111111', cocCountry: 'NL' });
    const bolt = await companies.createCompany({ name: 'Bolt BV', vatNumber: 'NL100000315B01' });
    const cobalt = await companies.createCompany({ name: 'Cobalt Trading B.V.' });
    const anna = await companies.createCustomer('Anna');
    const lines = [
      `${anna.email},Anna,Jansen,Acme Renamed,11111111,,Finance`, // 2: CoC → Acme (the name differs: still Acme)
      'bram@io.test,Bram,Dam,Whatever,33333333,NL100000315B01,', // 3: no company has the CoC; VAT → Bolt, which gets the CoC
      'cor@io.test,Cor,Wit,cobalt trading bv,,,', // 4: name only → Cobalt, with a warning
      'dirk@io.test,Dirk,Smit,Delta,22222222,,Purchasing', // 5: new company Delta
      'eva@io.test,Eva,Smit,Delta,22222222,,', // 6: the same new company (another batch)
      'femke@io.test,Femke,Smit,delta,,,', // 7: Delta by name: the file's own company, no warning
      'gijs@io.test,Gijs,Smit,Echo,1234,,', // 8: a malformed KvK number: Echo without it, the customer keeps it
      'hans@io.test,Hans,Smit,Foxtrot,,hello,', // 9: a malformed VAT number: the customer keeps it (flagged), Foxtrot without it
    ];
    const check = await checked('companies.csv', lines);
    const result = check.check!.result!;
    expect(result.rejected).toBe(0);
    expect({
      create: result.companiesToCreate,
      update: result.companiesToUpdate,
      link: result.contactsToLink,
      change: result.contactsToChange,
    }).toEqual({ create: 3, update: 1, link: 8, change: 0 });
    expect(await findByName('Delta')).toHaveLength(0); // the check writes nothing

    const done = await started(check.id);
    expect(done.counts).toMatchObject({
      companiesCreated: 3,
      companiesUpdated: 1,
      contactsLinked: 8,
      contactsChanged: 0,
      rejected: 0,
    });
    const contactsOf = async (id: number) =>
      (await company(id)).contacts.map((contact) => [contact.email, contact.role, contact.isPrimary]);
    expect(await contactsOf(acme.id)).toEqual([[anna.email, 'Finance', true]]);
    expect((await company(acme.id)).name).toBe('Acme');
    expect(await company(bolt.id)).toMatchObject({
      cocNumber: '33333333',
      cocCountry: 'NL',
      vatNumber: 'NL100000315B01',
    });
    expect(await contactsOf(cobalt.id)).toEqual([['cor@io.test', '', true]]);
    const [delta] = await findByName('Delta');
    expect(await findByName('Delta')).toHaveLength(1);
    expect(await company(delta!.id)).toMatchObject({ cocNumber: '22222222' });
    expect((await contactsOf(delta!.id)).sort()).toEqual([
      ['dirk@io.test', 'Purchasing', true],
      ['eva@io.test', '', false],
      ['femke@io.test', '', false],
    ]);
    const [echo] = await findByName('Echo');
    expect(await company(echo!.id)).toMatchObject({ cocNumber: '' });

    const warnings = await warningsOf(done.id);
    const codesOf = (row: number) =>
      warnings.find((item) => item.rowNumber === row)?.warnings.map((warning) => warning.code) ?? [];
    expect(codesOf(4)).toEqual(['company_matched_by_name']);
    expect(warnings.find((item) => item.rowNumber === 4)!.warnings[0]!.message).toContain(
      `Cobalt Trading B.V. (#${cobalt.id})`,
    );
    expect(codesOf(7)).toEqual([]);
    expect(codesOf(8)).toContain('company_number_invalid');
    // The customer's warning (kept as typed, flagged) and the company's (created without it).
    expect(codesOf(9)).toEqual(['vat_invalid', 'company_number_invalid']);
    const [foxtrot] = await findByName('Foxtrot');
    expect(await company(foxtrot!.id)).toMatchObject({ vatNumber: '' });
    const gijs = await customerByEmail(app, 'gijs@io.test');
    expect(gijs?.cocNumber).toBe('1234');
    const flags = (
      (await staff.request({ method: 'GET', url: `/api/v1/customers/${gijs!.id}/flags` })).json() as {
        items: { field: string }[];
      }
    ).items;
    expect(flags.map((flag) => flag.field)).toContain('cocNumber');

    expect((await post(staff, `/api/v1/imports/${done.id}/undo`)).statusCode).toBe(202);
    const undone = await waitForStatus(staff, done.id, ['undone']);
    expect(undone.undo).toMatchObject({ companiesDeleted: 3 });
    expect(await findByName('Delta')).toHaveLength(0);
    expect(await findByName('Echo')).toHaveLength(0);
    expect(await company(bolt.id)).toMatchObject({
      cocNumber: '',
      cocCountry: '',
      vatNumber: 'NL100000315B01',
    });
    expect((await company(acme.id)).contacts).toEqual([]);
    expect((await company(cobalt.id)).contacts).toEqual([]);
  });

  it('never moves a contact of another company: a warning names both, and nothing is created', async () => {
    const home = await companies.createCompany({ name: 'Home Company' });
    const karel = await companies.createCustomer('Karel');
    expect(
      (await companies.api('POST', `/companies/${home.id}/contacts`, { customerId: karel.id, role: 'Owner' }))
        .statusCode,
    ).toBe(200);
    const check = await checked('elsewhere.csv', [`${karel.email},Karel,Jansen,Faraway Ltd,44444444,,`]);
    expect(check.check!.result).toMatchObject({ companiesToCreate: 0, contactsToLink: 0, warned: 1 });
    const done = await started(check.id);
    expect(done.counts).toMatchObject({ companiesCreated: 0, contactsLinked: 0 });
    const [row] = await warningsOf(done.id);
    expect(row!.warnings[0]).toMatchObject({ code: 'company_contact_elsewhere' });
    expect(row!.warnings[0]!.message).toContain(`Home Company (#${home.id})`);
    expect(await findByName('Faraway Ltd')).toHaveLength(0);
    expect((await company(home.id)).contacts.map((contact) => [contact.customerId, contact.role])).toEqual([
      [karel.id, 'Owner'],
    ]);
  });

  it('with a Primary contact column (as the customers export writes it), links only the rows that fill it', async () => {
    const withPrimary = `${headings},Primary contact`;
    const check = await checked(
      'primary.csv',
      [
        'piet@io.test,Piet,Smit,Kilo BV,55555555,,Owner,no',
        'rob@io.test,Rob,Smit,Kilo BV,55555555,,,',
        'sara@io.test,Sara,Smit,Kilo BV,55555555,,Finance,yes',
      ],
      withPrimary,
    );
    expect(check.check!.result).toMatchObject({ companiesToCreate: 1, contactsToLink: 2, warned: 0 });
    await started(check.id);
    const [kilo] = await findByName('Kilo BV');
    const contacts = (await company(kilo!.id)).contacts.map((contact) => [
      contact.email,
      contact.role,
      contact.isPrimary,
    ]);
    expect(contacts).toEqual([
      ['sara@io.test', 'Finance', true],
      ['piet@io.test', 'Owner', false],
    ]);
  });

  it('says the name warning in Dutch', async () => {
    await companies.createCompany({ name: 'Gamma Groep' });
    const dutch = await app.loginAsStaff({ language: 'nl' });
    const uploaded = await uploadOk(
      dutch,
      'nl.csv',
      `${headings}\nlotte@io.test,Lotte,Smit,gamma groep,,,\n`,
    );
    expect((await post(dutch, `/api/v1/imports/${uploaded.id}/check`, {})).statusCode).toBe(202);
    await waitForStatus(dutch, uploaded.id, ['checked']);
    const detail = (
      await dutch.request({ method: 'GET', url: `/api/v1/imports/${uploaded.id}` })
    ).json() as ImportDetail;
    expect(detail.check!.result!.warningRows[0]!.warnings[0]!.message).toMatch(
      /^Gekoppeld aan Gamma Groep \(#\d+\), alleen op de naam gevonden/,
    );
    expect((await getImport(staff, uploaded.id)).check!.result!.companiesToCreate).toBe(0);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type StaffAgent, type TestApp } from '../support/test-app.ts';
import { companyApi } from './company-test-helpers.ts';

/** Companies through the REST API on a real database: fields, numbers, search, versions (issue #19). */
let now = new Date('2025-03-01T09:00:00.000Z');
const tick = () => {
  now = new Date(now.getTime() + 1000);
};

let app: TestApp;
let staff: StaffAgent;
let calls: ReturnType<typeof companyApi>;
beforeAll(async () => {
  app = await createTestApp({}, { clock: { now: () => new Date(now) } });
  staff = await app.loginAsStaff();
  calls = companyApi(staff);
});
afterAll(() => app.close());

const api: ReturnType<typeof companyApi>['api'] = (...args) => calls.api(...args);
const createCompany = (input: Record<string, unknown>) => calls.createCompany(input);
const search = (query: string) => calls.search(query);

describe('companies: create, search, update', () => {
  it('creates a company with its numbers normalised, and reads it back', async () => {
    const created = await createCompany({
      name: 'Bakkerij de Korenaar B.V.',
      cocCountry: 'Nederland',
      cocNumber: '1234 5678',
      vatNumber: 'nl 0000.99998.b57',
      notes: 'Delivers on Mondays\r\nBack door',
      tags: ['Wholesale', 'wholesale', ' Bread '],
    });
    expect(created).toMatchObject({
      name: 'Bakkerij de Korenaar B.V.',
      cocCountry: 'NL',
      cocNumber: '12345678',
      vatNumber: 'NL000099998B57',
      notes: 'Delivers on Mondays\nBack door',
      tags: ['Wholesale', 'Bread'],
      groups: [],
      contacts: [],
      addresses: [],
      version: 1,
      createdAt: now.toISOString(),
    });
    const read = await api('GET', `/companies/${created.id}`);
    expect(read.json()).toEqual(created);
  });

  it('adds the VAT country prefix from the CoC country, and formats a Belgian enterprise number', async () => {
    const created = await createCompany({
      name: 'Brouwerij Zennevallei',
      cocCountry: 'BE',
      cocNumber: '0403170701',
      vatNumber: '0403.170.701',
    });
    expect(created).toMatchObject({ cocCountry: 'BE', cocNumber: '0403.170.701', vatNumber: 'BE0403170701' });
  });

  it('reads a CoC number without a country in the shop’s country (NL)', async () => {
    const created = await createCompany({ name: 'Fietsenmakerij Spaak', cocNumber: '87654321' });
    expect(created).toMatchObject({ cocCountry: 'NL', cocNumber: '87654321' });
  });

  it('searches by part of the name, the CoC number (with or without dots) and the VAT number, in pages', async () => {
    expect((await search('q=korenaar')).items.map((item) => item.name)).toEqual([
      'Bakkerij de Korenaar B.V.',
    ]);
    expect((await search('q=0403.170')).items.map((item) => item.name)).toEqual(['Brouwerij Zennevallei']);
    expect((await search('q=0403170701')).items.map((item) => item.name)).toEqual(['Brouwerij Zennevallei']);
    expect((await search('q=nl000099998')).items.map((item) => item.name)).toEqual([
      'Bakkerij de Korenaar B.V.',
    ]);
    const firstPage = await search('limit=2');
    expect(firstPage.total).toBe(3);
    expect(firstPage.items.map((item) => item.name)).toEqual([
      'Bakkerij de Korenaar B.V.',
      'Brouwerij Zennevallei',
    ]);
    expect((await search('limit=2&offset=2')).items.map((item) => item.name)).toEqual([
      'Fietsenmakerij Spaak',
    ]);
  });

  it('changes only the fields sent, and refuses a save made on an older version', async () => {
    const company = await createCompany({
      name: 'Drukkerij Letterzetter',
      cocNumber: '11223344',
      notes: 'First note',
    });
    tick();
    const changed = await api('PATCH', `/companies/${company.id}`, {
      notes: 'Second note',
      version: company.version,
    });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json()).toMatchObject({
      name: 'Drukkerij Letterzetter',
      cocNumber: '11223344',
      notes: 'Second note',
      version: 2,
      updatedAt: now.toISOString(),
    });

    const stale = await api('PATCH', `/companies/${company.id}`, {
      name: 'Overwritten',
      version: company.version,
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error).toMatchObject({
      code: 'conflict',
      reason: 'version_mismatch',
      currentVersion: 2,
    });
    expect((await api('GET', `/companies/${company.id}`)).json()).toMatchObject({
      name: 'Drukkerij Letterzetter',
      version: 2,
    });

    // A save without changes writes nothing: the version and the updated date stay.
    tick();
    const unchanged = await api('PATCH', `/companies/${company.id}`, {
      name: 'Drukkerij Letterzetter',
      version: 2,
    });
    expect(unchanged.json()).toMatchObject({ version: 2, updatedAt: changed.json().updatedAt });
  });

  it('puts a company in customer groups', async () => {
    const group = await api('POST', '/groups', { name: 'Resellers' });
    const company = await createCompany({ name: 'Wederverkoop Noord', groupIds: [group.json().id] });
    expect(company.groups).toEqual([{ id: group.json().id, name: 'Resellers' }]);
    const unknown = await api('PATCH', `/companies/${company.id}`, { groupIds: [999_999] });
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json().error.fields.groupIds.code).toBe('invalid_choice');
  });

  it('refuses a second company with the same CoC number, naming the first', async () => {
    const response = await api('POST', '/companies', {
      name: 'Korenaar Kopie',
      cocCountry: 'NL',
      cocNumber: '12.34.56.78',
    });
    expect(response.statusCode).toBe(409);
    expect(response.json().error).toMatchObject({
      code: 'conflict',
      fields: { cocNumber: { code: 'coc_taken' } },
    });
    expect(response.json().error.message).toMatch(
      /^Bakkerij de Korenaar B\.V\. \(#\d+\) already has this Chamber of Commerce number\.$/,
    );
  });
});

describe('number checks on the company API', () => {
  it.each([
    [
      { cocCountry: 'NL', cocNumber: '1234567' },
      'cocNumber',
      'kvk_invalid',
      'KvK number must be 8 digits, like 12345678.',
    ],
    [
      { cocCountry: 'BE', cocNumber: '0123.456.748' },
      'cocNumber',
      'kbo_invalid',
      'KBO/BCE enterprise number must be 10 digits starting with 0 or 1, with valid check digits, like 0123.456.749.',
    ],
    [
      { cocCountry: 'DE', cocNumber: '12345' },
      'cocNumber',
      'handelsregister_invalid',
      'Handelsregister number must be HRA or HRB followed by a number, like HRB 12345 (the court may follow: HRB 12345, Amtsgericht München).',
    ],
    [
      { cocCountry: 'NL', vatNumber: 'NL123456789B01' },
      'vatNumber',
      'vat_invalid_form',
      'VAT number must start with its country code and have that country’s form and check digits, like NL000099998B57.',
    ],
    [
      { cocCountry: 'Atlantis' },
      'cocCountry',
      'country_unknown',
      'Unknown country “Atlantis”. Use a code such as NL or a name such as Netherlands.',
    ],
  ])('%j → %s %s', async (fields, field, code, message) => {
    const response = await api('POST', '/companies', { name: 'Malformed B.V.', ...fields });
    expect(response.statusCode).toBe(422);
    expect(response.json().error).toMatchObject({
      code: 'invalid_input',
      fields: { [field]: { code, message } },
    });
  });

  it('reports every malformed number at once, with the example for the UI', async () => {
    const response = await api('POST', '/companies', {
      name: 'Twice Wrong',
      cocCountry: 'NL',
      cocNumber: 'abc',
      vatNumber: '123',
    });
    expect(response.json().error.fields).toEqual({
      cocNumber: {
        code: 'kvk_invalid',
        message: 'KvK number must be 8 digits, like 12345678.',
        params: { value: 'abc', example: '12345678' },
      },
      vatNumber: expect.objectContaining({
        code: 'vat_invalid_form',
        params: { value: '123', example: 'NL000099998B57' },
      }),
    });
    expect((await search('q=twice')).total).toBe(0);
  });

  it('checks a number again when the country changes', async () => {
    const company = await createCompany({ name: 'Grensgeval', cocCountry: 'NL', cocNumber: '55667788' });
    const response = await api('PATCH', `/companies/${company.id}`, { cocCountry: 'BE' });
    expect(response.statusCode).toBe(422);
    expect(response.json().error.fields.cocNumber.code).toBe('kbo_invalid');
  });
});

describe('permissions and OpenAPI', () => {
  it('lets staff without administrator rights read and write companies', async () => {
    const colleague = await app.loginAsStaff({ role: 'staff' });
    const created = await colleague.request({
      method: 'POST',
      url: '/api/v1/companies',
      payload: { name: 'Door Staf Aangemaakt' },
    });
    expect(created.statusCode).toBe(201);
  });

  it('documents the company routes', async () => {
    const { paths } = (await app.http.inject({ method: 'GET', url: '/api/docs/json' })).json();
    expect(paths['/api/v1/companies'].get.tags).toEqual(['companies']);
    expect(
      paths['/api/v1/companies'].post.requestBody.content['application/json'].schema.properties,
    ).toHaveProperty('cocNumber');
    expect(
      paths['/api/v1/companies/{id}/contacts'].post.requestBody.content['application/json'].schema.properties,
    ).toHaveProperty('role');
    expect(
      paths['/api/v1/customers/{id}'].get.responses['200'].content['application/json'].schema.properties,
    ).toHaveProperty('company');
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type StaffAgent, type TestApp } from '../support/test-app.ts';
import { vatCheckRepository } from '../../src/companies/vat-check.repository.ts';
import { companyApi } from '../companies/company-test-helpers.ts';
import { createStorefrontAgent, type StorefrontAgent } from './storefront-agent.ts';

/**
 * Issue #19, point 6: registering as a business on the storefront, with the back office's number
 * checks, without ever linking a stranger to a company that exists, without telling whether it
 * does; and the company in My account, its contacts only for the primary contact.
 */

let app: TestApp;
let staff: StaffAgent;
let companies: ReturnType<typeof companyApi>;
beforeAll(async () => {
  app = await createTestApp();
  staff = await app.loginAsStaff({ language: 'nl' });
  companies = companyApi(staff);
});
afterAll(() => app.close());

const password = 'purple tractor sings loudly';
let clients = 0;

type Business = { companyName: string; cocCountry?: string; cocNumber?: string; vatNumber?: string };

/** Fills in "Create an account" (the business box ticked when `business` is given), from a client address of its own. */
async function register(
  email: string,
  business?: Business,
  language: 'en' | 'nl' = 'en',
  firstName = 'Anna',
) {
  clients += 1;
  const agent = createStorefrontAgent(app.http, `198.51.100.${clients}`);
  await agent.get(`/account/register?lang=${language}`);
  const response = await agent.post('/account/register', {
    email,
    firstName,
    lastName: 'Jansen',
    password,
    passwordConfirmation: password,
    ...(business && { isBusiness: 'true', cocCountry: 'NL', cocNumber: '', vatNumber: '', ...business }),
  });
  return { agent, response };
}

async function logIn(agent: StorefrontAgent, email: string): Promise<void> {
  await agent.get('/account/login');
  expect((await agent.post('/account/login', { email, password })).statusCode).toBe(303);
}

async function registeredAndLoggedIn(email: string, business?: Business, firstName?: string) {
  const { agent, response } = await register(email, business, 'en', firstName);
  expect(response.statusCode, response.body).toBe(200);
  await logIn(agent, email);
  return agent;
}

const companySection = (body: string) => /<section class="card company"[\s\S]*?<\/section>/.exec(body)?.[0];
const customerId = async (email: string) => (await app.services.customers.findByEmail(email))!.id;
const linkOf = async (email: string) =>
  (
    await app.services.db.pool.query<{ company_id: string; is_primary: boolean; role: string }>(
      'SELECT company_id, is_primary, role FROM company_contacts WHERE customer_id = $1',
      [await customerId(email)],
    )
  ).rows[0];

describe('registering as a business', () => {
  it('offers the business choice and its fields in English and Dutch, the shop’s country chosen', async () => {
    const agent = createStorefrontAgent(app.http);
    const english = await agent.get('/account/register?lang=en');
    expect(english.body).toContain('I’m registering for a business');
    expect(english.body).toMatch(
      /<select id="f-cocCountry" name="cocCountry">[\s\S]*?<option value="NL" selected>Netherlands<\/option>/,
    );
    expect(english.body).toContain('Chamber of Commerce number');
    const dutch = await agent.get('/account/register?lang=nl');
    expect(dutch.body).toContain('Ik registreer me voor een bedrijf');
    expect(dutch.body).toContain('KvK-nummer');
    expect(dutch.body).toContain('Btw-nummer');
    expect(dutch.body).not.toMatch(/<script|\sstyle=/i);
  });

  it('creates the company with its numbers normalised, the customer its primary contact, and shows it in My account', async () => {
    const agent = await registeredAndLoggedIn('owner@bakery.example', {
      companyName: 'Bakkerij Jansen',
      cocNumber: '1234 5678',
      vatNumber: 'nl 0000.99998.b57',
    });
    const link = await linkOf('owner@bakery.example');
    expect(link).toMatchObject({ is_primary: true, role: '' });
    const company = await app.services.companies.get(Number(link!.company_id));
    expect(company).toMatchObject({
      name: 'Bakkerij Jansen',
      cocCountry: 'NL',
      cocNumber: '12345678',
      vatNumber: 'NL000099998B57',
    });
    expect(await app.services.customers.findByEmail('owner@bakery.example')).toMatchObject({
      isCompany: true,
      companyName: 'Bakkerij Jansen',
      cocNumber: '12345678',
      vatNumber: 'NL000099998B57',
    });
    const section = companySection((await agent.get('/account')).body)!;
    expect(section).toContain('Bakkerij Jansen');
    expect(section).toContain('12345678');
    expect(section).toContain('Not checked yet.');
    expect(section).toContain('You are the primary contact of this company.');
    expect(section).toContain('owner@bakery.example');
  });

  it('refuses malformed numbers in the page’s language, naming the form, and keeps what was typed', async () => {
    const { response } = await register(
      'typo@bakery.example',
      { companyName: 'Bakkerij <Typo>', cocNumber: '1234', vatNumber: 'NL123' },
      'nl',
    );
    expect(response.statusCode).toBe(422);
    expect(response.body).toContain('Een KvK-nummer bestaat uit 8 cijfers, zoals 12345678.');
    expect(response.body).toContain(
      'Een btw-nummer begint met de landcode en heeft de vorm en controlecijfers van dat land, zoals NL000099998B57.',
    );
    expect(response.body).toContain('value="Bakkerij &lt;Typo&gt;"');
    expect(response.body).toContain('value="1234"');
    expect(response.body).toContain('value="NL123"');
    expect(response.body).toMatch(/name="isBusiness" value="true"\s+checked/);
    expect(response.body).toContain('aria-invalid="true"');

    const belgian = await register('typo@brewery.example', {
      companyName: '',
      cocCountry: 'BE',
      cocNumber: '0123.456.700',
    });
    expect(belgian.response.statusCode).toBe(422);
    expect(belgian.response.body).toContain(
      'KBO/BCE enterprise number must be 10 digits starting with 0 or 1, with valid check digits, like 0123.456.749.',
    );
    expect(belgian.response.body).toContain('Fill in the name of the company.');
    expect(belgian.response.body).toMatch(/<option value="BE" selected>Belgium<\/option>/);
    expect(await app.services.customers.findByEmail('typo@bakery.example')).toBeUndefined();
    expect(await app.services.customers.findByEmail('typo@brewery.example')).toBeUndefined();
  });

  it('takes a German Handelsregister number with its court (longer than the customer’s own field)', async () => {
    const { response } = await register('gmbh@example.de', {
      companyName: 'Muster GmbH',
      cocCountry: 'DE',
      cocNumber: 'Amtsgericht München HRB 123456',
      vatNumber: 'DE136695976',
    });
    expect(response.statusCode, response.body).toBe(200);
    const company = await app.services.companies.get(Number((await linkOf('gmbh@example.de'))!.company_id));
    expect(company).toMatchObject({
      cocCountry: 'DE',
      cocNumber: 'HRB 123456, Amtsgericht München',
      vatNumber: 'DE136695976',
    });
    expect(await app.services.customers.findByEmail('gmbh@example.de')).toMatchObject({
      cocNumber: 'HRB 123456',
    });
  });

  it('ignores the company’s fields when the box is not ticked', async () => {
    const { response } = await register('private@example.com');
    expect(response.statusCode).toBe(200);
    const agent = createStorefrontAgent(app.http, '198.51.100.250');
    await agent.get('/account/register');
    const posted = await agent.post('/account/register', {
      email: 'private2@example.com',
      password,
      passwordConfirmation: password,
      companyName: 'Not Meant',
      cocNumber: '1',
    });
    expect(posted.statusCode).toBe(200);
    expect(await linkOf('private2@example.com')).toBeUndefined();
    expect(await app.services.customers.findByEmail('private2@example.com')).toMatchObject({
      isCompany: false,
      companyName: '',
    });
  });
});

describe('a number that is already a company’s', () => {
  it('creates the customer unlinked and flagged for staff, answering and showing exactly what a new company gets', async () => {
    const existing = await companies.createCompany({
      name: 'Groothandel De Vries B.V.',
      cocCountry: 'NL',
      cocNumber: '87654321',
      vatNumber: 'NL000099998B57',
    });
    const insider = await companies.createCustomer('Ingrid', 'De Vries');
    await companies.api('POST', `/companies/${existing.id}/contacts`, {
      customerId: insider.id,
      role: 'finance',
    });

    const claim = await register(
      'mallory@claims.example',
      { companyName: 'De Vries', cocNumber: '8765 4321' },
      'en',
      'Mallory',
    );
    const fresh = await register(
      'nina@fresh.example',
      { companyName: 'Nieuwe Zaak', cocNumber: '11223344' },
      'en',
      'Nina',
    );
    const neutral = (body: string, ...words: string[]) =>
      words.reduce((text, word) => text.replaceAll(word, '…'), body).replace(/value="[^"]*"/g, '');
    expect(claim.response.statusCode).toBe(200);
    expect(neutral(claim.response.body, 'mallory@claims.example')).toBe(
      neutral(fresh.response.body, 'nina@fresh.example'),
    );

    // Not linked; the company and its contacts are as they were; staff see why in the flag.
    expect(await linkOf('mallory@claims.example')).toBeUndefined();
    expect((await app.services.companies.get(existing.id)).contacts.map((contact) => contact.email)).toEqual([
      insider.email,
    ]);
    const flags = await staff.request({
      method: 'GET',
      url: `/api/v1/customers/${await customerId('mallory@claims.example')}/flags`,
    });
    expect(flags.json().items).toEqual([
      expect.objectContaining({
        field: 'companyName',
        value: 'De Vries',
        code: 'company_claim',
        message: expect.stringContaining(`KvK-nummer 87654321, dat bedrijf #${existing.id} al heeft`),
      }),
    ]);

    // My account looks the same as a new company's: nothing of the existing company shows.
    await logIn(claim.agent, 'mallory@claims.example');
    await logIn(fresh.agent, 'nina@fresh.example');
    const claimed = companySection((await claim.agent.get('/account')).body)!;
    const created = companySection((await fresh.agent.get('/account')).body)!;
    expect(claimed).not.toContain('Groothandel');
    expect(claimed).not.toContain(insider.email);
    expect(neutral(claimed, 'De Vries', '87654321', 'Mallory', 'mallory@claims.example')).toBe(
      neutral(created, 'Nieuwe Zaak', '11223344', 'Nina', 'nina@fresh.example'),
    );

    // Staff link her after all: the flag goes and My account shows the real company.
    const linked = await companies.api('POST', `/companies/${existing.id}/contacts`, {
      customerId: await customerId('mallory@claims.example'),
      role: 'purchasing',
    });
    expect(linked.statusCode, linked.body).toBe(200);
    const after = await staff.request({
      method: 'GET',
      url: `/api/v1/customers/${await customerId('mallory@claims.example')}/flags`,
    });
    expect(after.json().items).toEqual([]);
    const real = companySection((await claim.agent.get('/account')).body)!;
    expect(real).toContain('Groothandel De Vries B.V.');
    expect(real).toContain('Your role: purchasing.');
  });

  it('does not link on a known VAT number either, nor create a company for an e-mail address that has an account', async () => {
    await companies.createCompany({
      name: 'Fiscale Eenheid A',
      cocCountry: 'NL',
      vatNumber: 'NL100000009B01',
    });
    await register('vat@claims.example', { companyName: 'Eenheid B', vatNumber: 'NL 1000.00009.B01' });
    expect(await linkOf('vat@claims.example')).toBeUndefined();
    const flags = await app.services.flags.list(await customerId('vat@claims.example'), 'en');
    expect(flags.items[0]).toMatchObject({
      code: 'company_claim',
      message: expect.stringContaining('VAT number NL100000009B01'),
    });

    const before = (await companies.search('limit=100')).total;
    const { response } = await register('owner@bakery.example', {
      companyName: 'Someone Else BV',
      cocNumber: '99887766',
    });
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('Check your e-mail');
    expect((await companies.search('limit=100')).total).toBe(before);
  });

  it('lets only one of two registrations of the same new number at once create the company', async () => {
    const [first, second] = await Promise.all([
      register('race1@example.com', { companyName: 'Race BV', cocNumber: '55667788' }),
      register('race2@example.com', { companyName: 'Race B.V.', cocNumber: '55667788' }),
    ]);
    expect([first.response.statusCode, second.response.statusCode]).toEqual([200, 200]);
    const links = [await linkOf('race1@example.com'), await linkOf('race2@example.com')].filter(Boolean);
    expect(links).toHaveLength(1);
    expect((await companies.search('q=55667788')).total).toBe(1);
  });
});

describe('the company in My account', () => {
  it('shows the company to every contact, its contacts only to the primary contact, and nothing to others', async () => {
    const primary = await registeredAndLoggedIn(
      'boss@tiles.example',
      { companyName: 'Tegelhandel', cocNumber: '22334455', vatNumber: 'NL100000010B01' },
      'Bea',
    );
    const companyId = Number((await linkOf('boss@tiles.example'))!.company_id);
    const colleague = await registeredAndLoggedIn('books@tiles.example', undefined, 'Cas');
    await companies.api('POST', `/companies/${companyId}/contacts`, {
      customerId: await customerId('books@tiles.example'),
      role: 'finance',
    });
    await companies.api('POST', `/companies/${companyId}/addresses`, {
      label: 'Warehouse',
      street: 'Havenweg',
      number: '4',
      postcode: '3011AB',
      city: 'Rotterdam',
      country: 'NL',
    });
    await vatCheckRepository.recordCheck(app.services.db.pool, {
      companyId,
      runId: null,
      vatNumber: 'NL100000010B01',
      outcome: {
        result: 'valid',
        requestIdentifier: 'WAPIAAAAW',
        requestDate: '2026-12-01',
        name: 'TEGELHANDEL',
        address: '',
      },
      now: new Date('2026-12-01T10:00:00Z'),
    });
    const outsider = await registeredAndLoggedIn('loner@example.com');

    const forPrimary = companySection((await primary.get('/account')).body)!;
    expect(forPrimary).toContain('Tegelhandel');
    expect(forPrimary).toContain('Rotterdam');
    expect(forPrimary).toMatch(
      /<td>\s*Cas Jansen\s*<\/td>\s*<td>finance<\/td>\s*<td>books@tiles.example<\/td>/,
    );
    expect(forPrimary).toContain('Bea Jansen (you)');
    expect(forPrimary).toContain('Confirmed valid by the EU’s VIES service on 1 December 2026.');

    const forColleague = companySection((await colleague.get('/account?lang=nl')).body)!;
    expect(forColleague).toContain('Tegelhandel');
    expect(forColleague).toContain('Je rol: finance.');
    expect(forColleague).toContain('Rotterdam');
    expect(forColleague).not.toContain('boss@tiles.example');
    expect(forColleague).not.toContain('<table');

    expect(companySection((await outsider.get('/account')).body)).toBeUndefined();
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CompanyDetail } from '../../src/companies/company.schemas.ts';
import type { VatCheckRun } from '../../src/companies/vat-check.schemas.ts';
import { createTestApp, type StaffAgent, type TestApp } from '../support/test-app.ts';
import { startFakeVies, type FakeViesServer } from '../support/vies-server.ts';
import { companyApi } from './company-test-helpers.ts';

/**
 * VIES checks of VAT numbers as a background job, against a fake VIES on 127.0.0.1 that answers
 * valid, invalid, unavailable, slow and "too many requests" (issue #19 point 4); and the
 * reverse-charge flag staff may set afterwards (point 5). The shop is in the Netherlands.
 */
const berlinAddress = 'MUSTERSTRASSE 1\n10115 BERLIN';
let vies: FakeViesServer;
let app: TestApp;
let staff: StaffAgent;
let calls: ReturnType<typeof companyApi>;
const companies: Record<string, CompanyDetail> = {};

beforeAll(async () => {
  vies = await startFakeVies({
    DE136695976: { kind: 'valid', name: 'MUSTER HANDEL GMBH', address: berlinAddress },
    BE0403170701: { kind: 'invalid' },
    FR40303265045: { kind: 'error', code: 'MS_UNAVAILABLE' },
    ATU13585627: { kind: 'slow', delayMs: 2_000 },
    DK13585628: {
      kind: 'busy-then-valid',
      times: 1,
      name: 'NORDISK A/S',
      address: 'HAVNEGADE 2\n1058 KØBENHAVN K',
    },
    NL000099998B57: { kind: 'valid', name: 'BAKKERIJ DE KORENAAR B.V.', address: 'KADE 1\n8011 AA ZWOLLE' },
  });
  app = await createTestApp({
    VIES_BASE_URL: vies.baseUrl,
    VIES_TIMEOUT_MS: '300',
    VIES_MAX_ATTEMPTS: '3',
    VIES_RETRY_DELAY_MS: '20',
    VIES_REQUESTS_PER_SECOND: '20',
  });
  staff = await app.loginAsStaff();
  calls = companyApi(staff);
  await app.services.queue.startWorkers();
  for (const [key, input] of Object.entries({
    de: { name: 'Muster Handel GmbH', cocCountry: 'DE', vatNumber: 'DE136695976' },
    be: { name: 'Brouwerij Zennevallei', cocCountry: 'BE', vatNumber: 'BE0403170701' },
    fr: { name: 'Fromagerie du Lac', cocCountry: 'FR', vatNumber: 'FR40303265045' },
    at: { name: 'Langsam GmbH', cocCountry: 'AT', vatNumber: 'ATU13585627' },
    dk: { name: 'Nordisk', vatNumber: 'DK13585628' },
    nl: { name: 'Bakkerij de Korenaar', cocCountry: 'NL', vatNumber: 'NL000099998B57' },
    none: { name: 'Zonder Nummer' },
  })) {
    companies[key] = await calls.createCompany(input);
  }
}, 60_000);
afterAll(async () => {
  await app?.close();
  await vies?.close();
});

const api: ReturnType<typeof companyApi>['api'] = (...args) => calls.api(...args);
const company = async (key: string): Promise<CompanyDetail> =>
  (await api('GET', `/companies/${companies[key]!.id}`)).json();

async function runToEnd(selection: object): Promise<VatCheckRun> {
  const started = await api('POST', '/companies/vat-checks', selection);
  expect(started.statusCode, started.body).toBe(202);
  const run = started.json<VatCheckRun>();
  let latest = run;
  await expect
    .poll(
      async () => {
        latest = (await api('GET', `/companies/vat-checks/${run.id}`)).json();
        expect(latest.done).toBeLessThanOrEqual(latest.total);
        return latest.status;
      },
      { timeout: 30_000, interval: 100 },
    )
    .toBe('done');
  return latest;
}

describe('checking VAT numbers with VIES', () => {
  it('checks every company with a VAT number, with progress and counts; unavailable is never invalid', async () => {
    const run = await runToEnd({ all: true });
    expect(run).toMatchObject({
      total: 6,
      done: 6,
      validCount: 3,
      invalidCount: 1,
      unavailableCount: 2,
      failure: null,
    });

    const de = await company('de');
    expect(de.latestVatCheck).toMatchObject({
      result: 'valid',
      vatNumber: 'DE136695976',
      viesName: 'MUSTER HANDEL GMBH',
      viesAddress: berlinAddress,
      runId: run.id,
    });
    expect(de.latestVatCheck!.requestIdentifier).toMatch(/^WAPIAAAAW\d{6}$/);
    expect((await company('be')).latestVatCheck).toMatchObject({
      result: 'invalid',
      viesName: '',
      errorCode: '',
    });
    // The member state is down: "could not be checked", tried again, never "invalid".
    expect((await company('fr')).latestVatCheck).toMatchObject({
      result: 'unavailable',
      errorCode: 'MS_UNAVAILABLE',
    });
    expect(vies.requestsFor('FR40303265045')).toHaveLength(3);
    // Slower than the timeout, three times: unavailable after the retries.
    expect((await company('at')).latestVatCheck).toMatchObject({
      result: 'unavailable',
      errorCode: 'TIMEOUT',
    });
    expect(vies.requestsFor('ATU13585627')).toHaveLength(3);
    // 429 once, then an answer.
    expect((await company('dk')).latestVatCheck).toMatchObject({ result: 'valid', viesName: 'NORDISK A/S' });
    expect(vies.requestsFor('DK13585628')).toHaveLength(2);
    expect(vies.requestsFor('DE136695976')).toHaveLength(1);
    expect((await company('none')).latestVatCheck).toBeNull();
    // At most 20 requests a second: the requests span at least 50 ms per gap. Measured over the
    // whole run (arrival of a single request jitters under load; the spacing as a whole does not).
    const times = vies.requests.map((request) => request.at);
    expect(times.at(-1)! - times[0]!).toBeGreaterThanOrEqual((times.length - 1) * 50 - 20);
    // A check is not an edit of the company's fields: an open form can still be saved.
    expect(de.version).toBe(companies.de!.version);
  });

  it('checks a selection, keeps every check in the history, newest first', async () => {
    const run = await runToEnd({ companyIds: [companies.de!.id, companies.none!.id] });
    expect(run).toMatchObject({ total: 1, done: 1, validCount: 1, invalidCount: 0, unavailableCount: 0 });
    const history = await api('GET', `/companies/${companies.de!.id}/vat-checks`);
    expect(history.statusCode).toBe(200);
    const items = history.json<{ items: { id: number; runId: number; result: string }[] }>().items;
    expect(items.map((item) => item.result)).toEqual(['valid', 'valid']);
    expect(items[0]!.runId).toBe(run.id);
    expect(items[0]!.id).toBeGreaterThan(items[1]!.id);
    expect((await company('de')).latestVatCheck!.id).toBe(items[0]!.id);
  });

  it('refuses a selection without VAT numbers, and an unclear one', async () => {
    const none = await api('POST', '/companies/vat-checks', { companyIds: [companies.none!.id] });
    expect(none.statusCode).toBe(422);
    expect(none.json().error.fields.companyIds.code).toBe('no_vat_numbers');
    expect(
      (await api('POST', '/companies/vat-checks', { companyIds: [companies.de!.id], all: true })).statusCode,
    ).toBe(422);
    expect((await api('POST', '/companies/vat-checks', {})).statusCode).toBe(422);
    expect((await api('GET', '/companies/vat-checks/999999')).statusCode).toBe(404);
    expect((await api('GET', '/companies/999999/vat-checks')).statusCode).toBe(404);
  });
});

describe('reverse charge', () => {
  const setReverseCharge = (key: string, isReverseCharge: boolean) =>
    api('POST', `/companies/${companies[key]!.id}/reverse-charge`, { isReverseCharge });

  it('is refused without a valid check of the current number, and in the shop’s own country', async () => {
    const unchecked = await calls.createCompany({
      name: 'Nog Niet BV',
      cocCountry: 'LU',
      vatNumber: 'LU15027442',
    });
    companies.unchecked = unchecked;
    expect(unchecked.reverseCharge).toMatchObject({
      isReverseCharge: false,
      blockedBy: 'not_checked',
      country: 'LU',
      shopCountry: 'NL',
    });
    for (const [key, reason] of [
      ['unchecked', 'not_checked'],
      ['be', 'not_valid'],
      ['fr', 'not_valid'], // could not be checked: not a confirmation either
      ['nl', 'same_country'],
      ['none', 'no_vat_number'],
    ] as const) {
      const refused = await setReverseCharge(key, true);
      expect(refused.statusCode, key).toBe(409);
      expect(refused.json().error.reason, key).toBe(reason);
      expect((await company(key)).reverseCharge.isReverseCharge, key).toBe(false);
    }
  });

  it('reads the country from the default billing address when the company has no CoC country', async () => {
    expect((await company('dk')).reverseCharge.blockedBy).toBe('country_unknown');
    expect((await setReverseCharge('dk', true)).json().error.reason).toBe('country_unknown');
    const address = await api('POST', `/companies/${companies.dk!.id}/addresses`, {
      street: 'Havnegade',
      number: '2',
      city: 'København',
      country: 'DK',
    });
    expect(address.statusCode, address.body).toBeLessThan(300);
    const allowed = await setReverseCharge('dk', true);
    expect(allowed.statusCode, allowed.body).toBe(200);
    expect(allowed.json()).toMatchObject({ isReverseCharge: true, country: 'DK', blockedBy: null });
  });

  it('is set by staff on a valid check, keeps that check through later ones, and turns off', async () => {
    const before = await company('de');
    expect(before.reverseCharge).toMatchObject({ isReverseCharge: false, blockedBy: null, country: 'DE' });
    const on = await setReverseCharge('de', true);
    expect(on.statusCode, on.body).toBe(200);
    expect(on.json()).toMatchObject({
      isReverseCharge: true,
      setBy: expect.any(String),
      check: { id: before.latestVatCheck!.id, result: 'valid' },
    });

    // VIES later says the number is no longer valid: the flag stays (only staff change it), with the check that justified it.
    vies.set('DE136695976', { kind: 'invalid' });
    await runToEnd({ companyIds: [companies.de!.id] });
    const after = await company('de');
    expect(after.latestVatCheck!.result).toBe('invalid');
    expect(after.reverseCharge).toMatchObject({
      isReverseCharge: true,
      blockedBy: 'not_valid',
      check: { id: before.latestVatCheck!.id, result: 'valid' },
    });
    expect(after.version).toBe(before.version);
    const history = (await api('GET', `/companies/${companies.de!.id}/vat-checks`)).json<{
      items: { result: string }[];
    }>().items;
    expect(history.map((item) => item.result)).toEqual(['invalid', 'valid', 'valid']);

    const off = await setReverseCharge('de', false);
    expect(off.statusCode).toBe(200);
    expect(off.json()).toMatchObject({ isReverseCharge: false });
    // Not back on while the latest check says invalid.
    expect((await setReverseCharge('de', true)).statusCode).toBe(409);
  });

  it('a changed VAT number needs a new check first', async () => {
    const changed = await api('PATCH', `/companies/${companies.nl!.id}`, {
      cocCountry: 'BE',
      vatNumber: 'BE0403170701',
    });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json().reverseCharge.blockedBy).toBe('checked_other_number');
  });
});

import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BookAddress } from '../../src/addresses/address-book.schemas.ts';
import { createTestApp, type StaffAgent, type TestApp } from '../support/test-app.ts';
import { customerByEmail, getImport, importFile, post, uploadOk, waitForStatus } from './import-helpers.ts';

/**
 * The rule "adds an address" (issue #16): a customer on several rows, one per address, and
 * Magento's continuation rows, come in as one customer with every address in its book.
 */

let app: TestApp;
let staff: StaffAgent;

beforeAll(async () => {
  // Batches of two rows: a customer's rows fall in different batches.
  app = await createTestApp({}, { importTuning: { batchSize: 2 } });
  await app.services.startWorkers();
  staff = await app.loginAsStaff();
});
afterAll(() => app.close());

const addressRule = { duplicates: 'address' };

async function bookOf(email: string): Promise<BookAddress[]> {
  const customer = await customerByEmail(app, email);
  return app.services.addressBook.list(customer!.id);
}
const places = (book: readonly BookAddress[]) => book.map((address) => `${address.street} ${address.number}, ${address.city}${address.isDefaultBilling ? ' (billing)' : ''}${address.isDefaultShipping ? ' (shipping)' : ''}`);

async function check(name: string, body: string, options: Record<string, unknown>) {
  const uploaded = await uploadOk(staff, name, body);
  expect((await post(staff, `/api/v1/imports/${uploaded.id}/check`, options)).statusCode).toBe(202);
  return { id: uploaded.id, detail: await waitForStatus(staff, uploaded.id, ['checked']) };
}

const ownSheet = [
  'E-mail,First name,Last name,Street,House number,Postcode,City,Country',
  'ann@own.test,Ann,Aalders,Kerkstraat,1,3511 AB,Utrecht,NL',
  'ann@own.test,Ann,Aalders,Stationsplein,9,1012 AB,Amsterdam,NL',
  'bob@own.test,Bob,Bos,Dorpsweg,3,7411 AA,Deventer,NL',
  'ANN@own.test,,,Hofje,3,2311 AA,Leiden,NL',
  'ann@own.test,Annie,Aalders,Laan,5,3701 AA,Zeist,NL',
].join('\n');

describe('the same customer on several rows, one per address', () => {
  it('shows in the check how many addresses are added, and which rows add one', async () => {
    const { detail } = await check('own-check.csv', ownSheet, addressRule);
    expect(detail.check?.result).toMatchObject({ created: 2, rejected: 1, duplicates: 2, addressesToAdd: 2 });
    expect(detail.check?.result?.duplicateRows).toEqual([
      { rowNumber: 3, action: 'address', intoRow: 2 },
      { rowNumber: 5, action: 'address', intoRow: 2 },
    ]);
    // Row 6 says another first name: rejected as a duplicate, naming the column, never silently dropped.
    expect(detail.check?.result?.rejections).toEqual([
      expect.objectContaining({ rowNumber: 6, errors: [expect.objectContaining({ code: 'duplicate_in_file', message: expect.stringContaining('First name') })] }),
    ]);
  });

  it('under the default rule, names the rows that differ only in the address, so the check can offer "adds an address"', async () => {
    const { detail } = await check('own-first.csv', ownSheet, {});
    const result = detail.check?.result;
    expect(result).toMatchObject({ created: 2, rejected: 3, addressOnlyDuplicates: 2 });
    const reasons = Object.fromEntries((result?.rejections ?? []).map((rejection) => [rejection.rowNumber, rejection.errors[0]?.message.includes('with another address') ? 'address_only' : 'plain']));
    // Rows 3 and 5 repeat Ann with only another address (row 5 leaves her name empty); row 6 names her otherwise.
    expect(reasons).toEqual({ 3: 'address_only', 5: 'address_only', 6: 'plain' });
    expect(result?.rejections[0]?.errors[0]?.message).toContain('choose “adds an address”');
    // The same row twice (same address too) is no such row.
    const twice = await check('own-twice.csv', [ownSheet.split('\n')[0], ownSheet.split('\n')[1], ownSheet.split('\n')[1]].join('\n'), {});
    expect(twice.detail.check?.result).toMatchObject({ rejected: 1, addressOnlyDuplicates: 0 });
  });

  it('imports one customer with every address, the first row as its billing address', async () => {
    const done = await importFile(staff, 'own.csv', ownSheet, addressRule);
    expect(done.counts).toMatchObject({ created: 2, rejected: 1, addressesAdded: 2 });
    expect(done.duplicates.count).toBe(2);
    expect(places(await bookOf('ann@own.test'))).toEqual([
      'Kerkstraat 1, Utrecht (billing) (shipping)',
      'Stationsplein 9, Amsterdam',
      'Hofje 3, Leiden',
    ]);
    expect(places(await bookOf('bob@own.test'))).toEqual(['Dorpsweg 3, Deventer (billing) (shipping)']);
    // Partial search finds Ann by the city of an added address.
    const found = await staff.request({ method: 'GET', url: '/api/v1/customers?q=leiden' });
    expect((found.json() as { items: { email: string }[] }).items.map((item) => item.email)).toEqual(['ann@own.test']);
  });

  it('adds nothing when the same file comes again, also written differently', async () => {
    const again = ownSheet.replace('1012 AB,Amsterdam', '1012ab,AMSTERDAM').replace('Hofje,3', 'hofje ,3');
    const done = await importFile(staff, 'own-again.csv', again, addressRule);
    expect(done.counts).toMatchObject({ created: 0, updated: 0, unchanged: 2, addressesAdded: 0 });
    expect(await bookOf('ann@own.test')).toHaveLength(3);
  });

  it('undo removes the addresses the import added', async () => {
    const body = 'E-mail,First name,Last name,Street,City,Country\ncor@own.test,Cor,Cox,Markt 1,Gouda,NL\ncor@own.test,Cor,Cox,Haven 2,Delft,NL\n';
    await importFile(staff, 'cor.csv', 'E-mail,First name,Last name\ncor@own.test,Cor,Cox\n');
    const done = await importFile(staff, 'cor-addresses.csv', body, addressRule);
    expect(done.counts.addressesAdded).toBe(1);
    expect(await bookOf('cor@own.test')).toHaveLength(2);
    expect((await post(staff, `/api/v1/imports/${done.id}/undo`)).statusCode).toBe(202);
    await waitForStatus(staff, done.id, ['undone']);
    expect(await bookOf('cor@own.test')).toEqual([]);
    expect(await customerByEmail(app, 'cor@own.test')).toMatchObject({ billingAddress: expect.objectContaining({ street: '' }) });
  });
});

describe("Magento's composite export: continuation rows", () => {
  it('adds each continuation row as another address of the customer above it', async () => {
    const file = await readFile(path.join(import.meta.dirname, '../../src/imports/fixtures/magento-composite.csv'));
    const { id, detail } = await check('magento-composite.csv', file.toString('utf8'), addressRule);
    expect(detail.check?.result?.duplicateRows).toContainEqual({ rowNumber: 3, action: 'address', intoRow: 2 });
    await post(staff, `/api/v1/imports/${id}/start`);
    const done = await waitForStatus(staff, id, ['done', 'done_with_errors']);
    expect(done.counts.addressesAdded).toBeGreaterThanOrEqual(1);
    const book = await bookOf('magda@example.nl');
    expect(book.map((address) => [address.city, address.postcode, address.isDefaultBilling])).toEqual([
      ['Amsterdam', '1016 EE', true],
      ['Utrecht', '3511 AB', false],
    ]);
  });

  it('makes a continuation row flagged as default shipping the customer\'s shipping address', async () => {
    const body = [
      'email,_website,_store,created_in,firstname,lastname,_address_street,_address_postcode,_address_city,_address_country_id,_address_default_billing_,_address_default_shipping_',
      'flora@magento.test,base,default,Default Store View,Flora,Fluit,Vismarkt 1,9712 CA,Groningen,NL,1,0',
      ',,,,,,Zuiderdiep 8,9711 HJ,Groningen,NL,0,1',
    ].join('\n');
    const { id } = await check('flags.csv', body, addressRule);
    expect((await post(staff, `/api/v1/imports/${id}/start`)).statusCode).toBe(202);
    const done = await waitForStatus(staff, id, ['done', 'done_with_errors']);
    expect(done.counts).toMatchObject({ created: 1, rejected: 0, addressesAdded: 1 });
    expect(places(await bookOf('flora@magento.test'))).toEqual(['Vismarkt 1, Groningen (billing)', 'Zuiderdiep 8, Groningen (shipping)']);
    expect(await customerByEmail(app, 'flora@magento.test')).toMatchObject({ shippingSameAsBilling: false, shippingAddress: { street: 'Zuiderdiep', number: '8' }, billingAddress: { street: 'Vismarkt' } });
  });

  it('rejects a continuation row with no customer row above it, saying so', async () => {
    const body = 'email,firstname,lastname,_address_street,_address_city,_address_country_id\n,,,Oudegracht 1,Utrecht,NL\nnel@magento.test,Nel,Noord,Kade 1,Zwolle,NL\n';
    const { id, detail } = await check('orphan.csv', body, addressRule);
    expect(detail.check?.result).toMatchObject({ created: 1, rejected: 1 });
    const [rejection] = detail.check?.result?.rejections ?? [];
    expect(rejection).toMatchObject({ rowNumber: 2, errors: [expect.objectContaining({ code: 'address_row_without_customer' })] });
    expect(rejection!.errors[0]!.message).toContain('no customer row comes before it');
    // A Dutch staff user reads the same check in Dutch.
    const dutch = await getImport(await app.loginAsStaff({ language: 'nl' }), id);
    expect(dutch.check?.result?.rejections[0]?.errors[0]?.message).toContain('geen klantrij boven');
  });
});

import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BookAddress } from '../../src/addresses/address-book.schemas.ts';
import { exportToLocalFile } from '../exports/export-test-helpers.ts';
import { runCli } from '../process/cli-process.ts';
import { createTestApp, type StaffAgent, type TestApp } from '../support/test-app.ts';
import { customerByEmail, importFile, post, uploadOk, waitForStatus } from './import-helpers.ts';

/**
 * The import type *Customer addresses* (issue #16): an address file adds each row's address to
 * the book of the customer it names, changes the same place's label, name, company or phone,
 * removes it with the command "delete", moves the defaults its flags name, rejects a row for a
 * customer that does not exist, and changes nothing when it comes again. Undo puts it all back.
 */

let app: TestApp;
let staff: StaffAgent;

beforeAll(async () => {
  // Batches of two rows: one customer's rows fall in different batches.
  app = await createTestApp({}, { importTuning: { batchSize: 2 } });
  await app.services.startWorkers();
  staff = await app.loginAsStaff();
  await app.services.customers.create({
    email: 'anna@shop.test', firstName: 'Anna', lastName: 'Jansen',
    billingAddress: { street: 'Kerkstraat', number: '1', postcode: '3511AB', city: 'Utrecht', country: 'NL' },
  });
  await app.services.customers.create({ email: 'bert@shop.test', firstName: 'Bert', lastName: 'Bos' });
}, 60_000);
afterAll(() => app.close());

async function bookOf(email: string): Promise<BookAddress[]> {
  const customer = await customerByEmail(app, email);
  return app.services.addressBook.list(customer!.id);
}
const places = (book: readonly BookAddress[]) =>
  book.map((address) => `${address.label ? `${address.label}: ` : ''}${address.attention ? `${address.attention}, ` : ''}${address.street} ${address.number}${address.extension ? `-${address.extension}` : ''}, ${address.postcode} ${address.city}${address.phone ? `, ${address.phone}` : ''}${address.isDefaultBilling ? ' (billing)' : ''}${address.isDefaultShipping ? ' (shipping)' : ''}`);

// Magento 2's "Customer Addresses" export (entity customer_address).
const magentoAddresses = [
  '_website,_email,_entity_id,city,company,country_id,fax,firstname,lastname,middlename,postcode,prefix,region,region_id,street,suffix,telephone,vat_id,vat_is_valid,vat_request_date,vat_request_id,vat_request_success,_address_default_billing_,_address_default_shipping_',
  'base,anna@shop.test,11,Amsterdam,,NL,,Anna,Jansen,,1012ab,,,,Stationsplein 9,,020 123 4567,,,,,,0,1',
  'base,anna@shop.test,12,Utrecht,,NL,,Anna,Jansen,,3511 AB,,,,Kerkstraat 1,,,,,,,,1,0',
  'base,bert@shop.test,13,Deventer,Bos BV,NL,,Bert,Bos,,7411 AA,,,,Dorpsweg 3,,,,,,,,1,1',
  'base,nobody@shop.test,14,Zeist,,NL,,No,Body,,3701 AA,,,,Laan 5,,,,,,,,1,1',
  'base,bert@shop.test,15,Leiden,,NL,,Oma,Bos,,2311AA,,,,Hofje 3-A,,,,,,,,0,0',
].join('\n');

describe('an address file from Magento', () => {
  it('is recognised as Customer addresses, and its check shows what each row does to whose book', async () => {
    const uploaded = await uploadOk(staff, 'customer_address.csv', magentoAddresses);
    expect(uploaded.type).toBe('addresses');
    const fields = Object.fromEntries(uploaded.mapping.columns.map((column) => [column.heading, column.field]));
    expect(fields).toMatchObject({ _email: 'email', firstname: 'firstName', street: 'billing.streetWithNumber', telephone: 'phone', _address_default_billing_: 'isDefaultBilling', _entity_id: null, vat_id: null });
    expect(uploaded.missingRequired).toEqual([]);
    expect((await post(staff, `/api/v1/imports/${uploaded.id}/check`, {})).statusCode).toBe(202);
    const checked = await waitForStatus(staff, uploaded.id, ['checked']);
    expect(checked.check?.result?.rejections, JSON.stringify(checked.check?.result?.rejections)).toHaveLength(1);
    expect(checked.check?.result).toMatchObject({ rows: 5, created: 0, updated: 0, rejected: 1, addressesToAdd: 3, addressesUnchanged: 0, addressesToChange: 1 });
    expect(checked.check?.result?.addressRows.map((row) => [row.rowNumber, row.customer, row.outcome])).toEqual([
      [2, 'anna@shop.test', 'added'],
      [3, 'anna@shop.test', 'changed'],
      [4, 'bert@shop.test', 'added'],
      [6, 'bert@shop.test', 'added'],
    ]);
    // The unknown customer: row, column, value and why.
    expect(checked.check?.result?.rejections).toEqual([
      expect.objectContaining({ rowNumber: 5, errors: [expect.objectContaining({ code: 'unknown_customer', column: '_email', value: 'nobody@shop.test', message: expect.stringContaining('Import the customer first') })] }),
    ]);
    // Nothing was written by the check.
    expect(await bookOf('bert@shop.test')).toEqual([]);
  });

  it('adds every address, with the name on it, and moves the defaults its flags name', async () => {
    const done = await importFile(staff, 'customer_address.csv', magentoAddresses);
    expect(done.type).toBe('addresses');
    // Row 3 is the address Anna has, now with the name on it.
    expect(done.counts).toMatchObject({ created: 0, updated: 0, unchanged: 0, rejected: 1, addressesAdded: 3, addressesChanged: 1, addressesRemoved: 0 });
    expect(places(await bookOf('anna@shop.test'))).toEqual([
      'Anna Jansen, Kerkstraat 1, 3511 AB Utrecht (billing)',
      'Anna Jansen, Stationsplein 9, 1012 AB Amsterdam, +31 20 123 4567 (shipping)',
    ]);
    expect(places(await bookOf('bert@shop.test'))).toEqual([
      'Bert Bos, Dorpsweg 3, 7411 AA Deventer (billing) (shipping)',
      'Oma Bos, Hofje 3-A, 2311 AA Leiden',
    ]);
    // The customer's own columns follow its defaults; its name is not the name on an address.
    const anna = await customerByEmail(app, 'anna@shop.test');
    expect(anna).toMatchObject({ firstName: 'Anna', shippingSameAsBilling: false, shippingAddress: { street: 'Stationsplein', city: 'Amsterdam' }, billingAddress: { city: 'Utrecht' } });
    const bert = await customerByEmail(app, 'bert@shop.test');
    expect(bert).toMatchObject({ firstName: 'Bert', companyName: '', billingAddress: { street: 'Dorpsweg', city: 'Deventer' } });
    expect(await customerByEmail(app, 'nobody@shop.test')).toBeUndefined();
  });

  it('changes nothing when the same file comes again', async () => {
    const again = await importFile(staff, 'customer_address-again.csv', magentoAddresses.replace('Stationsplein 9', 'stationsplein  9'));
    expect(again.counts).toMatchObject({ created: 0, updated: 0, unchanged: 4, addressesAdded: 0, addressesChanged: 0, addressesRemoved: 0 });
  });
});

describe('the address command and undo', () => {
  const headings = 'E-mail,Address label,Street,House number,House number extension,Postcode,City,Country,Address phone,Address command';

  it('changes the label and phone of the same place, removes with "delete", and undo puts both back', async () => {
    const before = places(await bookOf('bert@shop.test'));
    const file = [
      headings,
      'bert@shop.test,Oma,Hofje,3,A,2311 AA,Leiden,NL,071 123 4567,',
      'bert@shop.test,,Dorpsweg,3,,7411 AA,Deventer,NL,,verwijderen',
      'bert@shop.test,,Nowhere,1,,1000 AA,Amsterdam,NL,,delete',
      'bert@shop.test,,Dorpsweg,3,,7411 AA,Deventer,NL,,maybe',
    ].join('\n');
    const done = await importFile(staff, 'commands.csv', file);
    expect(done.type).toBe('addresses');
    expect(done.counts).toMatchObject({ addressesAdded: 0, addressesChanged: 1, addressesRemoved: 1, rejected: 1 });
    expect(places(await bookOf('bert@shop.test'))).toEqual(['Oma: Oma Bos, Hofje 3-A, 2311 AA Leiden, +31 71 123 4567']);
    // The removed default address leaves the customer's address columns empty, as deleting it on the customer page does.
    expect((await customerByEmail(app, 'bert@shop.test'))?.billingAddress.city).toBe('');

    expect(done.canUndo).toBe(true);
    expect((await post(staff, `/api/v1/imports/${done.id}/undo`)).statusCode).toBe(202);
    await waitForStatus(staff, done.id, ['undone']);
    const after = places(await bookOf('bert@shop.test'));
    // Both addresses as they were, the removed one back as the default it was, in the customer's columns too.
    expect(after.sort()).toEqual(before.sort());
    expect((await customerByEmail(app, 'bert@shop.test'))?.billingAddress.city).toBe('Deventer');
  });

  it('moves the defaults its flags name, and undo moves them back, except one chosen since', async () => {
    const fenna = await app.services.customers.create({
      email: 'fenna@shop.test', firstName: 'Fenna', lastName: 'Frans',
      billingAddress: { street: 'Kerkweg', number: '1', postcode: '1011 AA', city: 'Amsterdam', country: 'NL' },
    });
    const flagged = 'E-mail,Street,House number,Postcode,City,Country,Default billing address,Default shipping address';
    const file = [flagged, 'fenna@shop.test,Beukenlaan,2,1012 BB,Amsterdam,NL,yes,no', 'fenna@shop.test,Cederstraat,3,1013 CC,Amsterdam,NL,no,yes'].join('\n');
    const done = await importFile(staff, 'defaults.csv', file);
    expect(done.counts).toMatchObject({ addressesAdded: 2, rejected: 0 });
    expect(places(await bookOf('fenna@shop.test')).sort()).toEqual([
      'Beukenlaan 2, 1012 BB Amsterdam (billing)',
      'Cederstraat 3, 1013 CC Amsterdam (shipping)',
      'Kerkweg 1, 1011 AA Amsterdam',
    ]);
    expect(await customerByEmail(app, 'fenna@shop.test')).toMatchObject({ billingAddress: { street: 'Beukenlaan' }, shippingSameAsBilling: false, shippingAddress: { street: 'Cederstraat' } });

    // Undo puts billing back on Kerkweg and removes the added addresses: all of it, for a second
    // customer; for Fenna the staff made Beukenlaan her shipping address since, which stays.
    const beukenlaan = (await bookOf('fenna@shop.test')).find((address) => address.street === 'Beukenlaan')!;
    await app.services.addressBook.makeDefault(fenna.id, beukenlaan.id, 'shipping');
    expect((await post(staff, `/api/v1/imports/${done.id}/undo`)).statusCode).toBe(202);
    await waitForStatus(staff, done.id, ['undone']);
    expect(places(await bookOf('fenna@shop.test')).sort()).toEqual(['Beukenlaan 2, 1012 BB Amsterdam (shipping)', 'Kerkweg 1, 1011 AA Amsterdam (billing)']);
    expect(await customerByEmail(app, 'fenna@shop.test')).toMatchObject({ billingAddress: { street: 'Kerkweg' }, shippingSameAsBilling: false, shippingAddress: { street: 'Beukenlaan' } });

    await app.services.customers.create({
      email: 'gijs@shop.test', firstName: 'Gijs', lastName: 'Graaf',
      billingAddress: { street: 'Kerkweg', number: '9', postcode: '1011 AA', city: 'Amsterdam', country: 'NL' },
    });
    const before = places(await bookOf('gijs@shop.test'));
    const again = await importFile(staff, 'defaults-gijs.csv', file.replaceAll('fenna@', 'gijs@'));
    expect(places(await bookOf('gijs@shop.test'))).toHaveLength(3);
    expect((await post(staff, `/api/v1/imports/${again.id}/undo`)).statusCode).toBe(202);
    await waitForStatus(staff, again.id, ['undone']);
    expect(places(await bookOf('gijs@shop.test'))).toEqual(before);
    expect(await customerByEmail(app, 'gijs@shop.test')).toMatchObject({ billingAddress: { street: 'Kerkweg', number: '9' }, shippingSameAsBilling: true });
  });

  it('says which command it does not know, and rejects the row', async () => {
    const file = [headings, 'anna@shop.test,,Kerkstraat,1,,3511 AB,Utrecht,NL,,replace all'].join('\n');
    const done = await importFile(staff, 'bad-command.csv', file);
    expect(done.counts).toMatchObject({ rejected: 1, addressesChanged: 0 });
    const rejected = await staff.request({ method: 'GET', url: `/api/v1/imports/${done.id}/rejections` });
    expect(rejected.body).toContain('replace all');
    expect(rejected.body).toContain('not an address command');
  });
});

describe('the address command replace', () => {
  it('makes the file\'s addresses the customer\'s whole book once the file is in; the check counts what goes; undo brings it back', async () => {
    const erik = await app.services.customers.create({
      email: 'erik@shop.test', firstName: 'Erik', lastName: 'Eng',
      billingAddress: { street: 'Oudegracht', number: '1', postcode: '3511 AA', city: 'Utrecht', country: 'NL' },
    });
    await app.services.addressBook.add(erik.id, { street: 'Neude', number: '2', postcode: '3512 AD', city: 'Utrecht', country: 'NL' });
    await app.services.addressBook.add(erik.id, { street: 'Lange Nieuwstraat', number: '3', postcode: '3512 PA', city: 'Utrecht', country: 'NL' });
    const before = places(await bookOf('erik@shop.test'));
    // Erik's rows fall in two batches (two rows each); the replace row is the last.
    const file = [
      'E-mail,Street,House number,Postcode,City,Country,Default billing address,Default shipping address,Address command',
      'erik@shop.test,Neude,2,3512 AD,Utrecht,NL,yes,yes,',
      'anna@shop.test,Kerkstraat,1,3511 AB,Utrecht,NL,,,',
      'erik@shop.test,Domplein,4,3512 JC,Utrecht,NL,,,vervangen',
    ].join('\n');
    const uploaded = await uploadOk(staff, 'vervangen.csv', file);
    expect(uploaded.type).toBe('addresses');
    expect((await post(staff, `/api/v1/imports/${uploaded.id}/check`, {})).statusCode).toBe(202);
    const checked = await waitForStatus(staff, uploaded.id, ['checked']);
    expect(checked.check?.result).toMatchObject({ addressesToAdd: 1, addressesToRemove: 2, rejected: 0 });
    expect((await post(staff, `/api/v1/imports/${uploaded.id}/start`)).statusCode).toBe(202);
    const done = await waitForStatus(staff, uploaded.id, ['done', 'done_with_errors']);
    expect(done.counts).toMatchObject({ addressesAdded: 1, addressesRemoved: 2, rejected: 0 });
    expect(places(await bookOf('erik@shop.test'))).toEqual(['Neude 2, 3512 AD Utrecht (billing) (shipping)', 'Domplein 4, 3512 JC Utrecht']);
    expect((await customerByEmail(app, 'erik@shop.test'))?.billingAddress.street).toBe('Neude');
    // Anna, who has no replace row, keeps every address.
    expect(places(await bookOf('anna@shop.test')).length).toBeGreaterThan(1);

    expect((await post(staff, `/api/v1/imports/${done.id}/undo`)).statusCode).toBe(202);
    await waitForStatus(staff, done.id, ['undone']);
    // Every address back, and the defaults where they were, in the customer's columns too.
    expect(places(await bookOf('erik@shop.test')).sort()).toEqual([...before].sort());
    expect((await customerByEmail(app, 'erik@shop.test'))?.billingAddress.street).toBe('Oudegracht');
  });
});

describe('step Type', () => {
  it('lets the staff say a file holds addresses, and maps its columns for the address fields', async () => {
    const file = ['Email,Street,House number,Postcode,City,Phone', 'anna@shop.test,Markt,2,5611 AA,Eindhoven,040 123 4567'].join('\n');
    const uploaded = await uploadOk(staff, 'sheet.csv', file);
    expect(uploaded.type).toBe('customers');
    expect(uploaded.missingRequired).toEqual(['firstName', 'lastName']);
    const changed = await staff.request({ method: 'PUT', url: `/api/v1/imports/${uploaded.id}/type`, payload: { type: 'addresses' } });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json()).toMatchObject({ type: 'addresses', missingRequired: [] });
    const refused = await staff.request({ method: 'PUT', url: `/api/v1/imports/${uploaded.id}/type`, payload: { type: 'products' } });
    expect(refused.statusCode).toBe(422);
    expect((await post(staff, `/api/v1/imports/${uploaded.id}/check`, {})).statusCode).toBe(202);
    await waitForStatus(staff, uploaded.id, ['checked']);
    expect((await post(staff, `/api/v1/imports/${uploaded.id}/start`)).statusCode).toBe(202);
    const done = await waitForStatus(staff, uploaded.id, ['done', 'done_with_errors']);
    expect(done.counts).toMatchObject({ addressesAdded: 1, created: 0, updated: 0 });
    expect(places(await bookOf('anna@shop.test'))).toContain('Markt 2, 5611 AA Eindhoven, +31 40 123 4567');
  });
});

describe('round trip', () => {
  it('a composite file with continuation rows, exported as Addresses (CSV and XLSX), imports back as the same books and changes nothing', async () => {
    const composite = [
      'email,_website,_store,created_in,firstname,lastname,_address_firstname,_address_lastname,_address_street,_address_postcode,_address_city,_address_country_id,_address_telephone,_address_default_billing_,_address_default_shipping_',
      'carla@shop.test,base,default,Default Store View,Carla,Claes,Carla,Claes,Grote Markt 1,1000,Brussel,BE,,1,1',
      ',,,,,,Carla,Claes,Meir 50,2000,Antwerpen,BE,03 123 45 67,0,0',
      ',,,,,,Carla,Claes,Rue Neuve 2,1000,Bruxelles,BE,,0,0',
      'dirk@shop.test,base,default,Default Store View,Dirk,Dekker,Dirk,Dekker,Hauptstraße 5b,10115,Berlin,DE,,1,1',
    ].join('\n');
    const imported = await importFile(staff, 'customers_composite.csv', composite, { duplicates: 'address' });
    expect(imported.type).toBe('customers');
    const rejections = await staff.request({ method: 'GET', url: `/api/v1/imports/${imported.id}/rejections` });
    expect(imported.counts, rejections.body).toMatchObject({ created: 2, rejected: 0, addressesAdded: 2 });
    const carla = places(await bookOf('carla@shop.test'));
    expect(carla).toHaveLength(3);

    for (const [format, language] of [['csv', 'en'], ['xlsx', 'nl']] as const) {
      const file = await exportToLocalFile(app, { type: 'addresses', format, language, filters: { q: 'shop.test' } });
      const again = await importFile(staff, `addresses.${format}`, await readFile(file));
      expect(again.type, format).toBe('addresses');
      expect(again.counts, format).toMatchObject({ created: 0, updated: 0, rejected: 0, addressesAdded: 0, addressesChanged: 0, addressesRemoved: 0 });
      expect(places(await bookOf('carla@shop.test')), format).toEqual(carla);
    }
  });

  it('brings the same address books to another shop: its customers export, then its Addresses export', async () => {
    const other = await createTestApp({}, { importTuning: { batchSize: 2 } });
    try {
      await other.services.startWorkers();
      const otherStaff = await other.loginAsStaff();
      // Another shop's ids are not this one's: the customers come across by e-mail address.
      const customerColumns = ['email', 'firstName', 'nameInsertion', 'lastName', 'companyName', ...['attention', 'street', 'number', 'extension', 'postcode', 'city', 'country'].flatMap((part) => [`billing.${part}`, `shipping.${part}`]), 'shippingSameAsBilling'];
      const customersFile = await exportToLocalFile(app, { type: 'customers', format: 'csv', language: 'en', columns: customerColumns });
      const addressesFile = await exportToLocalFile(app, { type: 'addresses', format: 'xlsx', language: 'nl' });
      const customers = await importFile(otherStaff, 'customers.csv', await readFile(customersFile));
      const why = await otherStaff.request({ method: 'GET', url: `/api/v1/imports/${customers.id}/rejections` });
      expect(customers.counts, why.body).toMatchObject({ rejected: 0 });
      const addresses = await importFile(otherStaff, 'adressen.xlsx', await readFile(addressesFile));
      expect(addresses.type).toBe('addresses');
      // The default addresses came with the customers; the addresses file adds the others and the defaults' label and phone.
      expect(addresses.counts).toMatchObject({ rejected: 0, addressesRemoved: 0 });
      for (const email of ['anna@shop.test', 'bert@shop.test', 'carla@shop.test', 'dirk@shop.test']) {
        const there = await other.services.customers.findByEmail(email);
        expect(places(await other.services.addressBook.list(there!.id)), email).toEqual(places(await bookOf(email)));
      }
    } finally {
      await other.close();
    }
  });
});

describe('the command line', () => {
  it('imports an address file with --type addresses, in Dutch, and says what it did to the address books', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'clientele-address-file-'));
    try {
      const file = path.join(dir, 'adressen.csv');
      await writeFile(file, ['Email;Straat;Huisnummer;Postcode;Plaats', 'anna@shop.test;Vismarkt;4;9712 CA;Groningen', 'niemand@shop.test;Vismarkt;5;9712 CA;Groningen'].join('\n'));
      const dryRun = await runCli(['import', file, '--type', 'addresses', '--dry-run', '--language', 'nl'], { DATABASE_URL: app.databaseUrl });
      expect(dryRun.stdout).toContain('Soort: adressen van klanten');
      expect(dryRun.stdout).toContain('adressen: 1 toe te voegen, 0 bij te werken, 0 ongewijzigd, 0 te verwijderen; 1 rijen geweigerd');
      expect(dryRun.stdout).toContain('rij 2 anna@shop.test: toegevoegd — Vismarkt 4');
      expect(dryRun.stdout).toContain('Geen klant heeft deze Email (“niemand@shop.test”)');
      const run = await runCli(['import', file, '--type', 'addresses', '--language', 'nl'], { DATABASE_URL: app.databaseUrl });
      expect(run.stdout).toContain('Klaar: adressen 1 toegevoegd, 0 bijgewerkt, 0 ongewijzigd, 0 verwijderd; 1 rijen geweigerd.');
      expect(run.code).toBe(1);
      expect(places(await bookOf('anna@shop.test'))).toContain('Vismarkt 4, 9712 CA Groningen');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

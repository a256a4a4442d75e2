import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPage, uiTimeoutMs } from '../support/browser.ts';
import { countCards, dropFile, logIn, startImportServer, type ImportServer } from './import-support.ts';

/**
 * An address file through the back office (issue #16): the staff say in step Type that the file
 * holds customer addresses; the check says per row what it does to whose address book; the
 * import adds them. In English and Dutch, as a shop owner clicks through it.
 */

let server: ImportServer;
let browser: Browser;
const password = 'correct horse battery staple';

beforeAll(async () => {
  [server, browser] = await Promise.all([startImportServer(), launchBrowser()]);
  await server.services.staff.createUser({ email: 'emma@shop.example', name: 'Emma Bakker', password, language: 'en' });
  await server.services.staff.createUser({ email: 'joost@shop.example', name: 'Joost Smit', password, language: 'nl' });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const stories = [
  {
    language: 'en' as const, email: 'emma@shop.example', locale: 'en-GB', next: 'Continue', readTitle: 'How the file is read',
    addresses: 'Customer addresses', fieldsTitle: 'Select fields', optionsTitle: 'Options', check: 'Check the file',
    checkTitle: 'Result of the check', added: 'Added', unknown: 'No customer has this E-mail', start: 'Start import', done: 'Import finished, with rejected rows',
  },
  {
    language: 'nl' as const, email: 'joost@shop.example', locale: 'nl-NL', next: 'Verder', readTitle: 'Hoe het bestand gelezen wordt',
    addresses: 'Adressen van klanten', fieldsTitle: 'Kolommen koppelen', optionsTitle: 'Opties', check: 'Bestand controleren',
    checkTitle: 'Resultaat van de controle', added: 'Toegevoegd', unknown: 'Geen klant heeft deze E-mail', start: 'Import starten', done: 'Import klaar, met afgekeurde rijen',
  },
];

describe('importing an address file', () => {
  it.each(stories)('$language: step Type, the check per row, and the address books filled', { timeout: 120_000 }, async (story) => {
    const customer = await server.services.customers.create({ email: `anna@${story.language}.test`, firstName: 'Anna', lastName: 'Jansen' });
    const file = [
      'E-mail,Street,House number,Postcode,City,Country',
      `anna@${story.language}.test,Kerkstraat,12,3511 AB,Utrecht,NL`,
      `anna@${story.language}.test,Markt,3,5611 AA,Eindhoven,NL`,
      `nobody@${story.language}.test,Laan,5,3701 AA,Zeist,NL`,
    ].join('\r\n');
    const { page, pageErrors } = await openPage(browser, { locale: story.locale });
    await logIn(page, server.baseUrl, story.email, password);
    await page.goto(`${server.baseUrl}/admin/imports/new`);
    await dropFile(page, 'adressen.csv', Buffer.from(file, 'utf8'));
    await page.waitForURL(/\/admin\/imports\/\d+$/);
    const id = Number(/(\d+)$/.exec(page.url())?.[1]);

    await page.getByRole('heading', { name: story.readTitle }).waitFor();
    await page.getByRole('button', { name: story.next }).click();
    // A sheet of e-mail addresses and addresses reads as customers until the staff say otherwise.
    const addresses = page.getByRole('radio', { name: new RegExp(story.addresses) });
    expect(await addresses.isChecked()).toBe(false);
    // The choice is saved at once (PUT …/type): the card shows it checked when the save has begun,
    // a render after the click — `check()` would read it in the same instant and fail now and then.
    await addresses.click();
    await expect.poll(() => addresses.isChecked(), { timeout: uiTimeoutMs }).toBe(true);
    await expect.poll(async () => (await server.services.imports.detail(id, story.language)).type, { timeout: uiTimeoutMs }).toBe('addresses');
    await page.screenshot({ path: `test-results/import-address-type-${story.language}.png`, fullPage: true });
    await page.getByRole('button', { name: story.next }).click();
    await page.getByRole('heading', { name: story.fieldsTitle }).waitFor();
    await page.getByRole('button', { name: story.next }).click();
    await page.getByRole('heading', { name: story.optionsTitle, exact: true }).waitFor();
    await page.getByRole('button', { name: story.check }).click();
    await page.getByRole('heading', { name: story.checkTitle }).waitFor();
    await expect.poll(() => countCards(page), { timeout: uiTimeoutMs }).toEqual({ added: '2', changed: '0', unchanged: '0', rejected: '1' });
    const rows = page.getByRole('row').filter({ hasText: `anna@${story.language}.test` });
    await expect.poll(() => rows.count(), { timeout: uiTimeoutMs }).toBe(2);
    expect(await rows.first().textContent()).toContain(story.added);
    expect(await rows.first().textContent()).toContain('Kerkstraat 12');
    await page.getByText(story.unknown).first().waitFor();
    await page.screenshot({ path: `test-results/import-address-check-${story.language}.png`, fullPage: true });

    await page.getByRole('button', { name: story.start }).click();
    await page.getByRole('heading', { name: story.done }).waitFor({ timeout: 30_000 });
    await expect.poll(() => countCards(page), { timeout: uiTimeoutMs }).toMatchObject({ added: '2', rejected: '1' });
    const book = await server.services.addressBook.list(customer.id);
    expect(book.map((address) => `${address.street} ${address.number}${address.isDefaultBilling ? ' (default)' : ''}`)).toEqual(['Kerkstraat 12 (default)', 'Markt 3']);
    expect(pageErrors).toEqual([]);
    await page.context().close();
  });
});

describe('a customers file that repeats customers with another address', () => {
  it.each(stories)('$language: the check offers “adds an address”, and one click checks again with it', { timeout: 120_000 }, async (story) => {
    const file = [
      'E-mail,First name,Last name,Street,House number,Postcode,City',
      `bas@${story.language}.sheet,Bas,Bos,Kerkstraat,1,3511 AB,Utrecht`,
      `bas@${story.language}.sheet,Bas,Bos,Markt,3,5611 AA,Eindhoven`,
    ].join('\r\n');
    const labels = story.language === 'en'
      ? { hint: '1 rejected row repeats its customer with only another address', action: 'Check again with “Adds an address”', note: '1 address will be added to an address book' }
      : { hint: '1 afgekeurde rij herhaalt haar klant met alleen een ander adres', action: 'Opnieuw controleren met “Voegt een adres toe”', note: '1 adres wordt toegevoegd aan een adresboek' };
    const { page, pageErrors } = await openPage(browser, { locale: story.locale });
    await logIn(page, server.baseUrl, story.email, password);
    await page.goto(`${server.baseUrl}/admin/imports/new`);
    await dropFile(page, 'klanten.csv', Buffer.from(file, 'utf8'));
    await page.waitForURL(/\/admin\/imports\/\d+$/);
    await page.getByRole('heading', { name: story.readTitle }).waitFor();
    await page.getByRole('button', { name: story.next }).click();
    await page.getByRole('radio', { name: new RegExp(story.addresses) }).waitFor();
    await page.getByRole('button', { name: story.next }).click();
    await page.getByRole('heading', { name: story.fieldsTitle }).waitFor();
    await page.getByRole('button', { name: story.next }).click();
    await page.getByRole('heading', { name: story.optionsTitle, exact: true }).waitFor();
    await page.getByRole('button', { name: story.check }).click();
    await page.getByText(labels.hint).waitFor();
    await expect.poll(() => countCards(page), { timeout: uiTimeoutMs }).toMatchObject({ created: '1', rejected: '1' });
    await page.screenshot({ path: `test-results/import-address-only-hint-${story.language}.png`, fullPage: true });
    await page.getByRole('button', { name: labels.action }).click();
    await expect.poll(() => countCards(page), { timeout: uiTimeoutMs }).toMatchObject({ created: '1', rejected: '0' });
    await page.getByText(labels.note).waitFor();
    expect(await page.getByText(labels.hint).count()).toBe(0);
    expect(pageErrors).toEqual([]);
    await page.context().close();
  });
});

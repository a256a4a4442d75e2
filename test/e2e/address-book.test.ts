// Code inside page.evaluate() runs in the browser, so these files see the DOM types too.
/// <reference lib="dom" />
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPage } from '../support/browser.ts';
import { startLiveServer, type LiveServer } from '../support/live-server.ts';

/**
 * The address book on the customer page (issue #16), in a real browser: add an address (with a
 * postcode kept as typed, said next to the field), make it the default billing address (the
 * customer's billing address on the same page follows, and saving the form afterwards works),
 * delete one after a confirmation; then the same screen in Dutch.
 */

let server: LiveServer;
let browser: Browser;
const password = 'correct horse battery staple';
let customerId: number;

beforeAll(async () => {
  [server, browser] = await Promise.all([startLiveServer(), launchBrowser()]);
  await server.services.staff.createUser({ email: 'bram@shop.example', name: 'Bram', password, language: 'en' });
  await server.services.staff.createUser({ email: 'ilse@shop.example', name: 'Ilse', password, language: 'nl' });
  const customer = await server.services.customers.create({
    email: 'jan@example.nl', firstName: 'Jan', lastName: 'Jansen',
    billingAddress: { street: 'Kerkstraat', number: '12', postcode: '3511AB', city: 'Utrecht', country: 'NL' },
  });
  customerId = customer.id;
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function logIn(email: string) {
  const opened = await openPage(browser);
  const { page } = opened;
  await page.goto(`${server.baseUrl}/admin/login`);
  await page.getByLabel(/^E-mailadres|^E-mail address/).fill(email);
  await page.getByLabel(/^Wachtwoord|^Password/).fill(password);
  await page.getByRole('button', { name: /^(Inloggen|Log in)$/ }).click();
  await page.waitForURL(/\/admin\/overview$/);
  await page.goto(page.url().replace(/overview$/, `customers/${customerId}`));
  await page.getByTestId('address-book').waitFor();
  return opened;
}

describe('the address book on the customer page', () => {
  it('adds, makes default and deletes addresses, and the customer form follows', { timeout: 60_000 }, async () => {
    const { page, context, pageErrors } = await logIn('bram@shop.example');
    const book = page.getByTestId('address-book');
    await expect.poll(() => book.getByTestId('book-address').count()).toBe(1);

    await book.getByRole('button', { name: 'Add address' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add an address' });
    await dialog.getByLabel('Address label').fill('Werk');
    await dialog.getByLabel('Street').fill('Stationsplein');
    await dialog.getByLabel('House number', { exact: true }).fill('9');
    await dialog.getByLabel('Postcode').fill('1234 ABC');
    await dialog.getByLabel('City').fill('Amsterdam');
    await dialog.getByLabel('Country').fill('Netherlands');
    await page.getByRole('option', { name: 'Netherlands', exact: true }).click();
    await dialog.getByRole('button', { name: 'Save address' }).click();
    // The postcode does not fit the Netherlands: saved as typed, and said next to the field.
    // The dialog stays open, now editing the saved address, so the postcode can be corrected.
    const edit = page.getByRole('dialog', { name: 'Edit address' });
    await expect.poll(() => edit.getByText(/Saved as typed: Postcode not valid/).count()).toBe(1);
    await edit.getByLabel('Postcode').fill('1012 AB');
    await edit.getByRole('button', { name: 'Save address' }).click();
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    await expect.poll(() => book.getByTestId('book-address').count()).toBe(2);
    const work = book.getByTestId('book-address').filter({ hasText: 'Werk' });
    expect(await work.innerText()).toContain('1012 AB Amsterdam');

    await work.getByRole('button', { name: 'Edit' }).click();
    await page.getByRole('menuitem', { name: 'Make default billing address' }).click();
    await expect.poll(() => work.getByText('Default billing').count()).toBe(1);
    // The form on the same page shows the new billing address, and a save of the form is not refused.
    await expect.poll(() => page.getByLabel('Street').first().inputValue()).toBe('Stationsplein');
    await page.getByRole('textbox', { name: 'Notes' }).fill('Works in Amsterdam');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Changes saved.').first().waitFor();
    expect(await page.getByText(/changed by someone else/).count()).toBe(0);

    const home = book.getByTestId('book-address').filter({ hasText: 'Kerkstraat' });
    await home.getByRole('button', { name: 'Edit' }).click();
    await page.getByRole('menuitem', { name: 'Delete' }).click();
    const confirm = page.getByRole('dialog', { name: 'Delete this address?' });
    expect(await confirm.innerText()).toContain('Kerkstraat 12');
    await confirm.getByRole('button', { name: 'Delete address' }).click();
    await expect.poll(() => book.getByTestId('book-address').count()).toBe(1);
    const stored = await server.services.addressBook.list(customerId);
    expect(stored.map((address) => [address.street, address.postcode, address.isDefaultBilling])).toEqual([['Stationsplein', '1012 AB', true]]);
    expect((await server.services.customers.get(customerId)).notes).toBe('Works in Amsterdam');
    expect(pageErrors).toEqual([]);
    await context.close();
  });

  it('speaks Dutch to a Dutch staff user', { timeout: 30_000 }, async () => {
    const { page, context } = await logIn('ilse@shop.example');
    const book = page.getByTestId('address-book');
    await book.getByRole('heading', { name: 'Adressen' }).waitFor();
    expect(await book.getByText('Standaard factuuradres').count()).toBe(1);
    await book.getByRole('button', { name: 'Adres toevoegen' }).click();
    expect(await page.getByRole('dialog', { name: 'Adres toevoegen' }).getByLabel('Adreslabel').count()).toBe(1);
    await context.close();
  });
});

// Code inside page.evaluate() runs in the browser, so these files see the DOM types too.
/// <reference lib="dom" />
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPage, seriousAccessibilityViolations, uiTimeoutMs } from '../support/browser.ts';
import { startLiveServer, type LiveServer } from '../support/live-server.ts';
import { logIn } from './import-support.ts';

/**
 * Issue #19, point 1: companies in the back office. In English: create a company from the
 * Companies list (a malformed KvK number refused with the form it needs), link two customers as
 * contacts with their roles, make the second the primary contact, add an address, follow a
 * contact to the customer page (which shows the company under the name) and back, unlink a contact, find the
 * company by its CoC number. In Dutch: the list, the company page and a malformed VAT number's
 * message, and the customer page's company.
 */

let server: LiveServer;
let browser: Browser;
const password = 'correct horse battery staple';

beforeAll(async () => {
  [server, browser] = await Promise.all([startLiveServer(), launchBrowser()]);
  await server.services.staff.createUser({
    email: 'bram@shop.example',
    name: 'Bram',
    password,
    language: 'en',
  });
  await server.services.staff.createUser({
    email: 'ilse@shop.example',
    name: 'Ilse',
    password,
    language: 'nl',
  });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('companies in the back office', () => {
  it(
    'creates a company, links contacts, picks the primary one, adds an address (English)',
    { timeout: 120_000 },
    async () => {
      const anna = await server.services.customers.create({
        email: 'anna@korenaar.example',
        firstName: 'Anna',
        lastName: 'Inkoopster',
      });
      const piet = await server.services.customers.create({
        email: 'piet@korenaar.example',
        firstName: 'Piet',
        lastName: 'Boekhouder',
      });
      const { page, pageErrors } = await openPage(browser);
      await logIn(page, server.baseUrl, 'bram@shop.example', password);

      await page
        .getByRole('navigation', { name: 'Main navigation' })
        .getByRole('link', { name: 'Companies' })
        .click();
      await page.getByText('No companies yet').waitFor();
      await page.getByRole('link', { name: 'New company' }).click();
      await page.getByLabel('Company name').fill('Bakkerij de Korenaar');
      await page.getByRole('combobox', { name: 'Country of registration' }).fill('Netherlands');
      await page.getByRole('option', { name: 'Netherlands', exact: true }).click();
      await page.getByLabel('Chamber of Commerce number').fill('1234567');
      await page.getByLabel('VAT number').fill('000099998B57');
      await page.getByRole('button', { name: 'Create company' }).click();
      await page.getByText('KvK number must be 8 digits, like 12345678.').waitFor();
      await page.getByLabel('Chamber of Commerce number').fill('1234 5678');
      await page.getByRole('button', { name: 'Create company' }).click();
      await page.getByRole('heading', { name: 'Bakkerij de Korenaar', level: 1 }).waitFor();
      const companyId = Number(/companies\/(\d+)$/.exec(page.url())?.[1]);
      expect(await server.services.companies.get(companyId)).toMatchObject({
        cocCountry: 'NL',
        cocNumber: '12345678',
        vatNumber: 'NL000099998B57',
      });
      expect(await page.getByLabel('Chamber of Commerce number').inputValue()).toBe('12345678');

      const contacts = page.getByTestId('company-contacts');
      for (const [search, role] of [
        ['Inkoopster', 'purchasing'],
        ['Boekhouder', 'finance'],
      ] as const) {
        await contacts.getByRole('button', { name: 'Link a customer' }).click();
        const dialog = page.getByRole('dialog', { name: 'Link a customer as a contact' });
        await dialog.getByRole('combobox', { name: 'Customer' }).fill(search);
        await page.getByRole('option', { name: new RegExp(search) }).click();
        await dialog.getByLabel('Role').fill(role);
        await dialog.getByRole('button', { name: 'Link contact' }).click();
        await dialog.waitFor({ state: 'detached' });
      }
      await expect
        .poll(() => contacts.getByTestId('company-contact').count(), { timeout: uiTimeoutMs })
        .toBe(2);
      // The first contact linked is the primary one; make Piet the primary contact instead.
      const annaRow = contacts.getByTestId('company-contact').filter({ hasText: 'Anna Inkoopster' });
      expect(await annaRow.getByText('Primary contact').count()).toBe(1);
      await contacts.getByRole('button', { name: 'Actions for Piet Boekhouder' }).click();
      await page.getByRole('menuitem', { name: 'Make primary contact' }).click();
      const pietRow = contacts.getByTestId('company-contact').filter({ hasText: 'Piet Boekhouder' });
      await pietRow.getByText('Primary contact').waitFor();
      expect(await annaRow.getByText('Primary contact').count()).toBe(0);

      const book = page.getByTestId('address-book');
      await book
        .getByText("No addresses yet. Add the company's office, invoice or delivery address.")
        .waitFor();
      await book.getByRole('button', { name: 'Add address' }).click();
      const addressDialog = page.getByRole('dialog', { name: 'Add an address' });
      await addressDialog.getByLabel('Address label').fill('Bakery');
      await addressDialog.getByLabel('Street').fill('Molenweg');
      await addressDialog.getByLabel('House number', { exact: true }).fill('3');
      await addressDialog.getByLabel('Postcode').fill('3511ab');
      await addressDialog.getByLabel('City').fill('Utrecht');
      await addressDialog.getByRole('button', { name: 'Save address' }).click();
      await addressDialog.waitFor({ state: 'detached' });
      await expect
        .poll(() => book.getByTestId('book-address').filter({ hasText: '3511 AB Utrecht' }).count(), {
          timeout: uiTimeoutMs,
        })
        .toBe(1);
      await page.mouse.move(700, 10);
      await page.screenshot({ path: 'test-results/companies-page-en.png', fullPage: true });
      expect(await seriousAccessibilityViolations(page)).toEqual([]);

      // From a contact to the customer page, which shows the company, and back.
      await pietRow.getByRole('link', { name: 'Piet Boekhouder' }).click();
      // Under the customer's name: the company, the role and that this is the primary contact.
      const card = page.getByTestId('customer-company');
      await card.waitFor();
      expect(await card.innerText()).toBe('Contact of Bakkerij de Korenaar · finance · primary contact');
      await page.screenshot({ path: 'test-results/companies-customer-en.png' });
      expect(await seriousAccessibilityViolations(page)).toEqual([]);
      await card.getByRole('link', { name: 'Bakkerij de Korenaar' }).click();
      await page.getByRole('heading', { name: 'Bakkerij de Korenaar', level: 1 }).waitFor();

      await contacts.getByRole('button', { name: 'Actions for Anna Inkoopster' }).click();
      await page.getByRole('menuitem', { name: 'Unlink' }).click();
      const confirm = page.getByRole('dialog', { name: 'Unlink this contact?' });
      expect(await confirm.innerText()).toContain(
        'Anna Inkoopster is no longer a contact of Bakkerij de Korenaar. The customer stays.',
      );
      await confirm.getByRole('button', { name: 'Unlink' }).click();
      await expect
        .poll(() => contacts.getByTestId('company-contact').count(), { timeout: uiTimeoutMs })
        .toBe(1);
      expect((await server.services.customers.get(anna.id)).company).toBeNull();
      expect((await server.services.customers.get(piet.id)).company).toEqual({
        id: companyId,
        name: 'Bakkerij de Korenaar',
        role: 'finance',
        isPrimary: true,
      });

      await page.getByRole('link', { name: 'All companies' }).click();
      await page.getByLabel('Search companies').fill('1234.5678');
      const row = page.locator('tbody tr').filter({ hasText: 'Bakkerij de Korenaar' });
      await row.waitFor();
      expect(await row.innerText()).toMatch(/12345678.*NL000099998B57.*Utrecht.*1.*Piet Boekhouder/s);
      await page.screenshot({ path: 'test-results/companies-list-en.png' });
      expect(pageErrors).toEqual([]);
      await page.context().close();
    },
  );

  it(
    'speaks Dutch: the list, the company page, a malformed VAT number and the customer page',
    { timeout: 90_000 },
    async () => {
      const customer = await server.services.customers.create({
        email: 'els@zennevallei.example',
        firstName: 'Els',
        lastName: 'Peeters',
      });
      const company = await server.services.companies.create({
        name: 'Brouwerij Zennevallei',
        cocCountry: 'BE',
        cocNumber: '0403170701',
      });
      await server.services.companies.linkContact(company.id, {
        customerId: customer.id,
        role: 'zaakvoerder',
      });
      const { page, pageErrors } = await openPage(browser);
      await logIn(page, server.baseUrl, 'ilse@shop.example', password);

      await page
        .getByRole('navigation', { name: 'Hoofdmenu' })
        .getByRole('link', { name: 'Bedrijven' })
        .click();
      await page.getByLabel('Bedrijven zoeken').fill('zenneval');
      const row = page.locator('tbody tr').filter({ hasText: 'Brouwerij Zennevallei' });
      await row.waitFor();
      expect(await row.innerText()).toContain('0403.170.701');
      // The pointer leaves the menu link it clicked (a hovered link is shaded darker), as a person's would.
      await page.mouse.move(700, 600);
      await page.screenshot({ path: 'test-results/companies-list-nl.png' });
      expect(await seriousAccessibilityViolations(page)).toEqual([]);

      await row.getByRole('link', { name: 'Brouwerij Zennevallei' }).click();
      await page.getByRole('heading', { name: 'Contactpersonen' }).waitFor();
      await page.getByLabel('Btw-nummer').fill('BE0403170702');
      await page.getByRole('button', { name: 'Bedrijf opslaan' }).click();
      await page
        .getByText(
          'Een btw-nummer begint met de landcode en heeft de vorm en controlecijfers van dat land, zoals BE0123456749.',
        )
        .waitFor();
      await page.getByLabel('Btw-nummer').fill('0403.170.701');
      await page.getByRole('button', { name: 'Bedrijf opslaan' }).click();
      await page.getByText('Bedrijf opgeslagen').waitFor();
      expect(await page.getByLabel('Btw-nummer').inputValue()).toBe('BE0403170701');
      await page.screenshot({ path: 'test-results/companies-page-nl.png', fullPage: true });

      await page.getByRole('link', { name: 'Els Peeters' }).click();
      const card = page.getByTestId('customer-company');
      await card.waitFor();
      expect(await card.innerText()).toBe(
        'Contactpersoon van Brouwerij Zennevallei · zaakvoerder · eerste contactpersoon',
      );
      expect(pageErrors).toEqual([]);
      await page.context().close();
    },
  );
});

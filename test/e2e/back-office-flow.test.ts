// Code inside page.evaluate() runs in the browser, so these files see the DOM types too.
/// <reference lib="dom" />
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPage, uiTimeoutMs } from '../support/browser.ts';
import { startLiveServer, type LiveServer } from '../support/live-server.ts';

let server: LiveServer;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([startLiveServer(), launchBrowser()]);
  // Other customers, so that finding ours by e-mail actually has to filter.
  await server.services.customers.create({
    email: 'piet.jansen@example.com',
    firstName: 'Piet',
    lastName: 'Jansen',
  });
  await server.services.customers.create({
    email: 'anna.de.boer@example.com',
    firstName: 'Anna',
    nameInsertion: 'de',
    lastName: 'Boer',
  });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const mainNav = (page: Page) => page.getByRole('navigation', { name: /Main navigation|Hoofdmenu/ });

async function logOut(page: Page, menuName: RegExp, logoutLabel: string) {
  await page.getByRole('button', { name: menuName }).click();
  await page.getByRole('menuitem', { name: logoutLabel }).click();
  await page.waitForURL(/\/admin\/login/);
}

/** Saves the open customer and waits until the answer is in and the form is clean again. */
async function saveChanges(page: Page) {
  const answered = page.waitForResponse(
    (response) =>
      response.request().method() === 'PATCH' && /\/api\/v1\/customers\/\d+$/.test(response.url()),
  );
  await page.getByRole('button', { name: 'Save' }).click();
  expect((await answered).status()).toBe(200);
  await page.locator('button[type=submit]:not([data-loading])').waitFor();
  await page.getByText('Changes saved.').first().waitFor();
}

describe('back office, as a shop owner uses it', () => {
  it(
    'sets up, logs in, creates, finds, edits and groups a customer, and remembers Dutch',
    { timeout: 60_000 },
    async () => {
      const { page, pageErrors } = await openPage(browser);
      const setupToken = await server.services.staff.issueSetupToken();
      expect(setupToken).toBeTruthy();

      // First run: the one-time link creates the administrator and logs them in.
      await page.goto(`${server.baseUrl}/admin/setup?token=${setupToken}`);
      await page.getByLabel('Your name').fill('Sanne de Vries');
      await page.getByLabel(/^E-mail address/).fill('sanne@shop.example');
      await page.getByLabel(/^Password/).fill('a long password 123');
      await page.getByLabel(/^Repeat the password/).fill('a long password 123');
      // Setup also asks for the shop's name (every customer e-mail carries it).
      await page.getByLabel(/^Shop name/).fill('Fietsen de Vries');
      await page.getByRole('button', { name: 'Create account and log in' }).click();
      await page.waitForURL(/\/admin\/overview$/);
      await page.goto(page.url().replace(/overview$/, 'customers'));
      await page.getByRole('heading', { name: 'Customers', level: 1 }).waitFor();

      await logOut(page, /Account menu of Sanne de Vries/, 'Log out');
      await page.getByLabel(/^E-mail address/).fill('sanne@shop.example');
      await page.getByLabel(/^Password/).fill('a long password 123');
      await page.getByRole('button', { name: 'Log in' }).click();
      await page.waitForURL(/\/admin\/overview$/);
      await page.goto(page.url().replace(/overview$/, 'customers'));

      // A group to put the customer in.
      await mainNav(page).getByRole('link', { name: 'Customer groups' }).click();
      await page.getByLabel('New group').fill('VIP');
      await page.getByRole('button', { name: 'Create group' }).click();
      await page.getByRole('link', { name: 'VIP' }).waitFor();

      // Create a customer.
      await mainNav(page).getByRole('link', { name: 'Customers' }).click();
      await page.getByRole('link', { name: 'New customer' }).first().click();
      await page.getByLabel(/^E-mail/).fill('Marieke.Bakker@Example.com');
      await page.getByLabel('First name').fill('Marieke');
      await page.getByLabel('Last name').fill('Bakker');
      await page.getByLabel('Phone', { exact: true }).fill('020 123 4567');
      await page.getByRole('button', { name: 'Save' }).click();
      await page.waitForURL(/\/admin\/customers\/\d+$/);
      await page.getByRole('heading', { name: 'Marieke Bakker', level: 1 }).waitFor();
      const customerId = Number(new URL(page.url()).pathname.split('/').pop());

      // Find it in the list by (part of) its e-mail address, and open it.
      await mainNav(page).getByRole('link', { name: 'Customers' }).click();
      await page.getByRole('searchbox', { name: 'Search' }).fill('marieke.bakker@');
      await expect.poll(() => page.locator('tbody tr').count(), { timeout: uiTimeoutMs }).toBe(1);
      expect((await page.locator('tbody tr').first().innerText()).toLowerCase()).toContain(
        'marieke.bakker@example.com',
      );
      await page.getByText('1–1 of 1').waitFor();
      await page.getByRole('link', { name: 'Marieke Bakker' }).click();
      await page.waitForURL(new RegExp(`/admin/customers/${customerId}$`));

      // Edit the billing address and save.
      const billing = page.getByRole('region', { name: 'Billing address' });
      await billing.getByLabel('Street').fill('Prinsengracht');
      await billing.getByLabel('House number', { exact: true }).fill('263');
      await billing.getByLabel('House number extension').fill('A');
      await billing.getByLabel('Postcode').fill('1016gv');
      await billing.getByLabel('City').fill('Amsterdam');
      await billing.getByLabel('Country').fill('Nether');
      await page.getByRole('option', { name: 'Netherlands', exact: true }).click();
      await saveChanges(page);
      // The server normalised the Dutch postcode, and the form shows what was stored.
      await expect
        .poll(() => billing.getByLabel('Postcode').inputValue(), { timeout: uiTimeoutMs })
        .toBe('1016 GV');
      const stored = await server.services.customers.get(customerId);
      expect(stored.billingAddress).toMatchObject({
        street: 'Prinsengracht',
        number: '263',
        extension: 'A',
        city: 'Amsterdam',
        country: 'NL',
      });

      // Put the customer in the group, then see the group's members from the groups page.
      await page.getByRole('combobox', { name: 'Customer groups' }).click();
      await page.getByRole('option', { name: 'VIP', exact: true }).click();
      await page.keyboard.press('Escape');
      await saveChanges(page);
      await expect
        .poll(
          async () => (await server.services.customers.get(customerId)).groups.map((group) => group.name),
          { timeout: uiTimeoutMs },
        )
        .toEqual(['VIP']);
      await mainNav(page).getByRole('link', { name: 'Customer groups' }).click();
      await expect
        .poll(() => page.getByRole('row', { name: /VIP/ }).innerText(), { timeout: uiTimeoutMs })
        .toMatch(/VIP\s+1\s/);
      await page.getByRole('link', { name: 'VIP' }).click();
      await page.waitForURL(/\/admin\/customers\?groupId=\d+$/);
      await expect
        .poll(() => page.locator('tbody tr').allInnerTexts(), { timeout: uiTimeoutMs })
        .toEqual([expect.stringContaining('Marieke Bakker')]);

      // Switch to Dutch; the choice is saved for this staff user. A notification still showing
      // ("Changes saved.") lies over the header's language menu: let it go first.
      await page.locator('.mantine-Notifications-notification').first().waitFor({ state: 'detached', timeout: 20_000 });
      const saved = page.waitForResponse(
        (response) => response.url().endsWith('/api/v1/me/preferences') && response.status() === 204,
      );
      await page.getByRole('button', { name: /^Language: English/ }).click();
      await page.getByRole('menuitem', { name: 'Nederlands' }).click();
      await saved;
      await mainNav(page).getByRole('link', { name: 'Klanten' }).waitFor();
      await mainNav(page).getByRole('link', { name: 'Klantgroepen' }).waitFor();
      await page.getByRole('heading', { name: 'Klanten', level: 1 }).waitFor();

      // Reload with this browser's memory wiped: still Dutch, because the account remembers it.
      await page.evaluate(() => window.localStorage.clear());
      await page.reload();
      await page.getByRole('heading', { name: 'Klanten', level: 1 }).waitFor();
      await mainNav(page)
        .getByRole('link', { name: 'Hulpmiddelen' })
        .or(mainNav(page).getByText('Hulpmiddelen'))
        .first()
        .waitFor();
      await page.getByRole('columnheader', { name: /E-mail/ }).waitFor();

      await logOut(page, /Accountmenu van Sanne de Vries/, 'Uitloggen');
      await page.getByRole('heading', { name: 'Inloggen' }).waitFor();
      // The session is really gone: the back office sends us to the login page again.
      await page.goto(`${server.baseUrl}/admin/customers`);
      await page.waitForURL(/\/admin\/login\?next=%2Fadmin%2Fcustomers$/);

      expect(pageErrors).toEqual([]);
      await page.context().close();
    },
  );
});

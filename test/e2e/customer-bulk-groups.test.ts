import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPage, uiTimeoutMs } from '../support/browser.ts';
import { startLiveServer, type LiveServer } from '../support/live-server.ts';

let server: LiveServer;
let browser: Browser;
let groupId: number;
const password = 'correct horse battery staple';

beforeAll(async () => {
  [server, browser] = await Promise.all([startLiveServer(), launchBrowser()]);
  await server.services.staff.createUser({
    email: 'staff@shop.example',
    name: 'Kees Smit',
    password,
    language: 'en',
  });
  groupId = (await server.services.groups.create({ name: 'Trade' })).id;
  // 30 matching customers: more than one page of 25. And one that does not match.
  for (let index = 1; index <= 30; index += 1) {
    await server.services.customers.create({
      email: `buyer${index}@wholesale.example`,
      firstName: 'Buyer',
      lastName: `Number ${index}`,
    });
  }
  await server.services.customers.create({
    email: 'someone@private.example',
    firstName: 'Private',
    lastName: 'Person',
  });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('customer list bulk actions', () => {
  it(
    'adds all customers matching a search to a group, beyond the page on screen, and pages through them',
    { timeout: 45_000 },
    async () => {
      const { page, context, pageErrors } = await openPage(browser);
      await page.goto(`${server.baseUrl}/admin/login`);
      await page.getByLabel(/^E-mail address/).fill('staff@shop.example');
      await page.getByLabel(/^Password/).fill(password);
      await page.getByRole('button', { name: 'Log in' }).click();
      await page.waitForURL(/\/admin\/overview$/);
      await page.goto(page.url().replace(/overview$/, 'customers'));

      await page.getByRole('searchbox', { name: 'Search' }).fill('@wholesale');
      await page.getByText('1–25 of 30').waitFor();
      await page.getByRole('button', { name: 'Next' }).click();
      await page.getByText('26–30 of 30').waitFor();
      await page.getByRole('button', { name: 'Previous' }).click();
      await page.getByText('1–25 of 30').waitFor();

      await page.getByRole('checkbox', { name: 'Select all customers on this page' }).check();
      await page.getByText('25 customers selected').waitFor();
      await page.getByRole('button', { name: 'Select all 30 customers matching this search' }).click();
      await page.getByText('All 30 customers matching this search are selected').waitFor();

      await page
        .getByRole('region', { name: 'Selected customers' })
        .getByRole('button', { name: 'Add to group' })
        .click();
      const dialog = page.getByRole('dialog', { name: 'Add 30 customers to a group' });
      await dialog.getByRole('combobox', { name: 'Customer group' }).click();
      await page.getByRole('option', { name: 'Trade', exact: true }).click();
      await dialog.getByRole('button', { name: 'Add to group' }).click();
      await page.getByText('30 customers added to “Trade”.').waitFor();

      await expect
        .poll(async () => (await server.services.groups.get(groupId)).memberCount, { timeout: uiTimeoutMs })
        .toBe(30);
      const privatePerson = await server.services.customers.list({
        email: 'someone@private.example',
        sort: 'createdAt',
        direction: 'desc',
        limit: 1,
      });
      expect(privatePerson.items[0]?.groups).toEqual([]);

      expect(pageErrors).toEqual([]);
      await context.close();
    },
  );
});

// Code inside page.evaluate() runs in the browser, so these files see the DOM types too.
/// <reference lib="dom" />
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPage, seriousAccessibilityViolations, uiTimeoutMs } from '../support/browser.ts';
import { startLiveServer, type LiveServer } from '../support/live-server.ts';
import { logIn } from './import-support.ts';

/**
 * Issue #17, point 2: tags added and removed in bulk from a selection of the customer list, in
 * English and Dutch; only the selected customers change.
 */

let server: LiveServer;
let browser: Browser;
const password = 'correct horse battery staple';

beforeAll(async () => {
  [server, browser] = await Promise.all([startLiveServer(), launchBrowser()]);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const texts = {
  en: { selectAll: 'Select all customers on this page', button: 'Tags', add: 'Add tags', remove: 'Remove tags', confirm: 'Change tags', done: 'Tags changed on 2 customers (0 had them as asked already).' },
  nl: { selectAll: 'Alle klanten op deze pagina selecteren', button: 'Tags', add: 'Tags toevoegen', remove: 'Tags verwijderen', confirm: 'Tags wijzigen', done: 'Tags gewijzigd bij 2 klanten (0 hadden ze al zo).' },
} as const;

describe('tags in bulk from the customer list', () => {
  for (const language of ['en', 'nl'] as const) {
    it(`adds one tag and removes another on the selected customers (${language})`, { timeout: 90_000 }, async () => {
      const text = texts[language];
      const email = `staff-bulk-tags-${language}@shop.example`;
      await server.services.staff.createUser({ email, name: `Staff ${language}`, password, language });
      const chosen = [
        await server.services.customers.create({ email: `one-${language}@bulktags.example`, lastName: 'One', tags: ['Old'] }),
        await server.services.customers.create({ email: `two-${language}@bulktags.example`, lastName: 'Two' }),
      ];
      const other = await server.services.customers.create({ email: `other-${language}@elsewhere.example`, lastName: 'Other', tags: ['Old'] });

      const { page, pageErrors } = await openPage(browser);
      await logIn(page, server.baseUrl, email, password);
      await page.goto(`${server.baseUrl}/admin/customers?q=${language}%40bulktags.example`);
      await expect.poll(() => page.locator('tbody tr').count(), { timeout: uiTimeoutMs }).toBe(2);
      await page.getByRole('checkbox', { name: text.selectAll }).check();
      await page.getByRole('region').getByRole('button', { name: text.button, exact: true }).click();
      const dialog = page.getByRole('dialog');
      const add = dialog.getByLabel(text.add, { exact: true });
      await add.fill('Black Friday');
      await add.press('Enter');
      const remove = dialog.getByLabel(text.remove, { exact: true });
      await remove.fill('old');
      await remove.press('Enter');
      await page.screenshot({ path: `test-results/customer-bulk-tags-${language}.png` });
      expect(await seriousAccessibilityViolations(page)).toEqual([]);
      await dialog.getByRole('button', { name: text.confirm }).click();
      await page.getByText(text.done).waitFor();

      for (const customer of chosen) {
        await expect.poll(async () => (await server.services.customers.get(customer.id)).tags, { timeout: uiTimeoutMs }).toEqual(['Black Friday']);
      }
      expect((await server.services.customers.get(other.id)).tags).toEqual(['Old']);
      expect(pageErrors).toEqual([]);
      await page.context().close();
    });
  }
});

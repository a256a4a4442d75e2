// Code inside page.evaluate() runs in the browser, so these files see the DOM types too.
/// <reference lib="dom" />
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPage, seriousAccessibilityViolations, uiTimeoutMs } from '../support/browser.ts';
import { startLiveServer, type LiveServer } from '../support/live-server.ts';
import { logIn } from './import-support.ts';

/**
 * Issue #17, tags in the back office, in English and Dutch: staff add a tag on the customer page,
 * then find the customer by that tag in the list (a filter in the URL, shown as a removable chip).
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
  en: { tags: 'Tags', save: 'Save', saved: 'Changes saved.', tag: 'Black Friday, 2024', search: 'black friday, 2024', url: /tag=black\+friday%2C\+2024/, chip: 'Tag: black friday, 2024' },
  nl: { tags: 'Tags', save: 'Opslaan', saved: 'Wijzigingen opgeslagen.', tag: 'Zwarte vrijdag, 2024', search: 'zwarte vrijdag, 2024', url: /tag=zwarte\+vrijdag%2C\+2024/, chip: 'Tag: zwarte vrijdag, 2024' },
} as const;

describe('tags on the customer page and in the list', () => {
  for (const language of ['en', 'nl'] as const) {
    it(`adds a tag and filters the list by it (${language})`, { timeout: 90_000 }, async () => {
      const text = texts[language];
      const email = `staff-${language}@shop.example`;
      await server.services.staff.createUser({ email, name: `Staff ${language}`, password, language });
      const tagged = await server.services.customers.create({ email: `tagged-${language}@example.com`, firstName: 'Tess', lastName: 'Tagged' });
      await server.services.customers.create({ email: `plain-${language}@example.com`, firstName: 'Paul', lastName: 'Plain' });

      const { page, pageErrors } = await openPage(browser);
      await logIn(page, server.baseUrl, email, password);
      await page.goto(`${server.baseUrl}/admin/customers/${tagged.id}`);
      const tags = page.getByLabel(text.tags, { exact: true }).first();
      await tags.fill(text.tag);
      await tags.press('Enter');
      await page.getByRole('button', { name: text.save }).click();
      await page.getByText(text.saved).waitFor();
      await expect.poll(async () => (await server.services.customers.get(tagged.id)).tags, { timeout: uiTimeoutMs }).toEqual([text.tag]);

      await page.goto(`${server.baseUrl}/admin/customers`);
      const filter = page.getByRole('textbox', { name: text.tags, exact: true });
      await filter.fill(text.search);
      await filter.press('Enter');
      await page.waitForURL(text.url);
      await expect.poll(() => page.locator('tbody tr').count(), { timeout: uiTimeoutMs }).toBe(1);
      expect(await page.locator('tbody tr').first().innerText()).toContain(`tagged-${language}@example.com`);
      await page.getByText(text.chip).waitFor();
      await page.screenshot({ path: `test-results/customer-tags-filter-${language}.png`, fullPage: true });
      expect(await seriousAccessibilityViolations(page)).toEqual([]);
      expect(pageErrors).toEqual([]);
      await page.context().close();
    });
  }
});

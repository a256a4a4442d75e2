// Code inside page.evaluate() runs in the browser, so these files see the DOM types too.
/// <reference lib="dom" />
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPage, seriousAccessibilityViolations, uiTimeoutMs } from '../support/browser.ts';
import { startLiveServer, type LiveServer } from '../support/live-server.ts';
import { logIn } from './import-support.ts';

/**
 * Issue #17, point 4, in English and Dutch: staff look for possible duplicates, set one group
 * apart, compare and merge another choosing a value field by field, and undo the merge.
 */

let server: LiveServer;
let browser: Browser;
const password = 'correct horse battery staple';

beforeAll(async () => {
  [server, browser] = await Promise.all([startLiveServer(), launchBrowser()]);
  await server.services.startWorkers();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const texts = {
  en: {
    link: 'Possible duplicates',
    scan: 'Look for duplicates',
    dismiss: 'Not the same person',
    compare: 'Compare and merge',
    lastName: 'Last name',
    merge: 'Merge',
    undo: 'Undo merge',
    back: '1 customer is back.',
    keep: (email: string) => `Keep ${email}`,
  },
  nl: {
    link: 'Mogelijke dubbele klanten',
    scan: 'Zoek naar dubbele klanten',
    dismiss: 'Niet dezelfde persoon',
    compare: 'Vergelijken en samenvoegen',
    lastName: 'Achternaam',
    merge: 'Samenvoegen',
    undo: 'Samenvoegen ongedaan maken',
    back: '1 klant is terug.',
    keep: (email: string) => `${email} houden`,
  },
} as const;

describe('possible duplicates in the back office', () => {
  for (const [index, language] of (['en', 'nl'] as const).entries()) {
    it(`finds, sets apart, merges and undoes (${language})`, { timeout: 120_000 }, async () => {
      const text = texts[language];
      const email = `staff-dupes-${language}@shop.example`;
      await server.services.staff.createUser({ email, name: `Staff ${language}`, password, language });
      const mobile = `+31 6 1234 56${index}0`;
      const older = await server.services.customers.create({
        email: `anna-${language}@old.example`,
        firstName: 'Anna',
        lastName: 'Visser',
        mobile,
      });
      const newer = await server.services.customers.create({
        email: `anna-${language}@new.example`,
        firstName: 'Anna',
        lastName: 'Visser-de Boer',
        mobile,
      });
      await server.services.customers.create({ email: `gerrit.${language}@gmail.com`, lastName: 'Gerrit' });
      await server.services.customers.create({
        email: `gerrit${language}+shop@gmail.com`,
        lastName: 'Gerrit',
      });

      const { page, pageErrors } = await openPage(browser);
      await logIn(page, server.baseUrl, email, password);
      await page.goto(`${server.baseUrl}/admin/customers`);
      await page.getByRole('link', { name: text.link }).click();
      await page.getByRole('button', { name: text.scan }).click();
      const gerrit = page.getByRole('region').filter({ hasText: `gerrit.${language}@gmail.com` });
      await gerrit.waitFor({ timeout: uiTimeoutMs });
      const anna = page.getByRole('region').filter({ hasText: `anna-${language}@old.example` });
      await anna.waitFor();
      await page.screenshot({ path: `test-results/duplicates-list-${language}.png`, fullPage: true });
      expect(await seriousAccessibilityViolations(page)).toEqual([]);
      await gerrit.getByRole('button', { name: text.dismiss }).click();
      await gerrit.waitFor({ state: 'detached' });

      await anna.getByRole('link', { name: text.compare }).click();
      // The newer customer stays by default, with its own e-mail address; keep the older one
      // instead: its e-mail address (its log-in) comes along.
      const emailOf = (customer: { email: string }) =>
        page.getByRole('radio', { name: `E-mail: ${customer.email}`, exact: true });
      await emailOf(newer).and(page.locator(':checked')).waitFor();
      await page.getByRole('radio', { name: text.keep(older.email) }).check();
      await emailOf(older).and(page.locator(':checked')).waitFor();
      // The newer last name is the default; keep the older one.
      await page.getByRole('radio', { name: `${text.lastName}: Visser`, exact: true }).check();
      await page.screenshot({ path: `test-results/duplicates-merge-${language}.png`, fullPage: true });
      await page.getByRole('button', { name: text.merge }).click();
      await page.getByRole('dialog').getByText(older.email).first().waitFor();
      await page.getByRole('dialog').getByRole('button', { name: text.merge }).click();
      await page.waitForURL(/\/admin\/customers\/\d+$/);
      const survivorId = Number(new URL(page.url()).pathname.split('/').at(-1));
      expect(survivorId).toBe(older.id);
      const mergedId = newer.id;
      expect(await server.services.customers.get(survivorId)).toMatchObject({
        email: older.email,
        lastName: 'Visser',
      });
      await expect(server.services.customers.get(mergedId)).rejects.toThrow();

      await page.getByRole('button', { name: text.undo }).click();
      await page.getByRole('dialog').getByRole('button', { name: text.undo }).click();
      await page.getByText(text.back).waitFor();
      await page.screenshot({ path: `test-results/duplicates-undone-${language}.png`, fullPage: true });
      expect((await server.services.customers.get(mergedId)).email).toBe(newer.email);
      expect(pageErrors).toEqual([]);
      await page.context().close();
    });
  }
});

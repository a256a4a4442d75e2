// Code inside page.evaluate() runs in the browser, so these files see the DOM types too.
/// <reference lib="dom" />
import { readFile } from 'node:fs/promises';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPage, seriousAccessibilityViolations, uiTimeoutMs } from '../support/browser.ts';
import { startLiveServer, type LiveServer } from '../support/live-server.ts';
import { logIn } from './import-support.ts';

/**
 * Issue #17, point 5, in English and Dutch: staff hand a customer everything held about them
 * (a readable page, downloaded), and an administrator erases the customer after typing the
 * e-mail address; staff without the permission see no erase button.
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
  en: { region: 'Privacy', exportPage: 'Export personal data (readable page)', heading: 'Personal data held about you', erase: 'Erase personal data…', confirmLabel: 'Type the customer’s e-mail address to confirm', confirm: 'Erase for good', erased: 'Personal data erased' },
  nl: { region: 'Privacy', exportPage: 'Persoonsgegevens exporteren (leesbare pagina)', heading: 'Persoonsgegevens die we van u bewaren', erase: 'Persoonsgegevens wissen…', confirmLabel: 'Typ het e-mailadres van de klant om te bevestigen', confirm: 'Definitief wissen', erased: 'Persoonsgegevens gewist' },
} as const;

describe('privacy requests on the customer page', () => {
  for (const language of ['en', 'nl'] as const) {
    it(`exports the personal data and erases the customer (${language})`, { timeout: 120_000 }, async () => {
      const text = texts[language];
      const email = `admin-privacy-${language}@shop.example`;
      await server.services.staff.createUser({ email, name: `Admin ${language}`, password, language, role: 'admin' });
      const customer = await server.services.customers.create({ email: `saskia-${language}@privacy.example`, firstName: 'Saskia', lastName: `Verhoeven-${language}`, billingAddress: { street: 'Lindelaan', number: '4', postcode: '3512 AB', city: 'Utrecht', country: 'NL' } });

      const { page, pageErrors } = await openPage(browser);
      await logIn(page, server.baseUrl, email, password);
      await page.goto(`${server.baseUrl}/admin/customers/${customer.id}`);
      const panel = page.getByRole('region', { name: text.region, exact: true });
      await panel.waitFor({ timeout: uiTimeoutMs });
      await panel.scrollIntoViewIfNeeded();
      await page.screenshot({ path: `test-results/privacy-panel-${language}.png`, fullPage: true });

      const [download] = await Promise.all([page.waitForEvent('download'), panel.getByRole('link', { name: text.exportPage }).click()]);
      const saved = await readFile((await download.path())!, 'utf8');
      expect(saved).toContain(text.heading);
      expect(saved).toContain(`Verhoeven-${language}`);
      expect(saved).toContain('Lindelaan 4');

      await panel.getByRole('button', { name: text.erase }).click();
      const dialog = page.getByRole('dialog');
      const confirm = dialog.getByRole('button', { name: text.confirm });
      await dialog.getByLabel(text.confirmLabel).fill(`saskia-${language}@privacy.exampel`);
      expect(await confirm.isDisabled()).toBe(true);
      await dialog.getByLabel(text.confirmLabel).fill(`Saskia-${language}@privacy.example`);
      await page.screenshot({ path: `test-results/privacy-erase-${language}.png`, fullPage: true });
      if (language === 'en') expect(await seriousAccessibilityViolations(page)).toEqual([]);
      await confirm.click();
      await page.waitForURL(/\/admin\/customers$/);
      await page.getByText(text.erased).waitFor();
      await page.screenshot({ path: `test-results/privacy-erased-${language}.png`, fullPage: true });
      await expect(server.services.customers.get(customer.id)).rejects.toThrow();
      // The audit names the customer number and who, never the person.
      await page.goto(`${server.baseUrl}/admin/settings/privacy-erasures`);
      await page.getByRole('cell', { name: `#${customer.id}`, exact: true }).waitFor({ timeout: uiTimeoutMs });
      await page.getByRole('cell', { name: `Admin ${language}`, exact: true }).first().waitFor();
      expect(await page.getByText('privacy.example').count()).toBe(0);
      await page.screenshot({ path: `test-results/privacy-audit-${language}.png`, fullPage: true });
      expect(pageErrors).toEqual([]);
      await page.context().close();
    });
  }

  it('shows staff without the permission the export but no erase button', { timeout: 60_000 }, async () => {
    const email = 'staff-privacy@shop.example';
    await server.services.staff.createUser({ email, name: 'Staff', password, language: 'en', role: 'staff' });
    const customer = await server.services.customers.create({ email: 'kept@privacy.example', lastName: 'Kept' });
    const { page } = await openPage(browser);
    await logIn(page, server.baseUrl, email, password);
    await page.goto(`${server.baseUrl}/admin/customers/${customer.id}`);
    const panel = page.getByRole('region', { name: 'Privacy', exact: true });
    await panel.getByRole('link', { name: texts.en.exportPage }).waitFor({ timeout: uiTimeoutMs });
    expect(await panel.getByRole('button', { name: texts.en.erase }).count()).toBe(0);
    await page.goto(`${server.baseUrl}/admin/settings/privacy-erasures`);
    await page.getByRole('heading', { name: 'No access' }).waitFor({ timeout: uiTimeoutMs });
    await page.context().close();
  });
});

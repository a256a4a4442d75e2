import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPage, seriousAccessibilityViolations, uiTimeoutMs } from '../support/browser.ts';
import { factoryCustomers, insertFactoryCustomers } from '../support/customer-factory.ts';
import { startLiveServer, type LiveServer } from '../support/live-server.ts';
import { importerView } from '../support/round-trip.ts';

/**
 * Tools > Exports as a shop owner uses it, in English and in Dutch: New export → Customers →
 * the status turns READY by itself → Download → the file holds the customers. The export runs
 * on the real queue (the in-process worker), exactly as in `clientele serve`.
 * SCREENSHOT_DIR=… keeps screenshots of the screens.
 */
let server: LiveServer;
let browser: Browser;
let downloads: string;
const customerCount = 40;
const password = 'correct horse battery staple';
const screenshotDir = process.env.SCREENSHOT_DIR;

beforeAll(async () => {
  [server, browser] = await Promise.all([startLiveServer(), launchBrowser()]);
  downloads = await mkdtemp(path.join(os.tmpdir(), 'clientele-downloads-'));
  await server.services.staff.createUser({
    email: 'sanne@shop.example',
    name: 'Sanne de Vries',
    password,
    language: 'en',
  });
  await server.services.staff.createUser({
    email: 'pieter@shop.example',
    name: 'Pieter Bakker',
    password,
    language: 'nl',
  });
  await insertFactoryCustomers(server.services, factoryCustomers(customerCount, { seed: 5 }));
  // The queue's workers start in the first test, once it has seen the export waiting as PROCESSING.
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await rm(downloads, { recursive: true, force: true });
});

async function logIn(page: Page, email: string) {
  await page.goto(`${server.baseUrl}/admin/login`);
  await page.getByLabel(/^E-mail/).fill(email);
  await page.getByLabel(/^Password|^Wachtwoord/).fill(password);
  await page.getByRole('button', { name: /^Log in$|^Inloggen$/ }).click();
  await page.waitForURL(/\/admin\/overview$/);
  await page.goto(page.url().replace(/overview$/, 'customers'));
}

const screenshot = async (page: Page, name: string) => {
  if (screenshotDir) await page.screenshot({ path: path.join(screenshotDir, `${name}.png`), fullPage: true });
};

/** Clicks Download in the first (newest) row and returns the saved file. */
async function downloadNewest(page: Page, label: RegExp): Promise<{ file: string; name: string }> {
  const row = page.locator('tbody tr').first();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    row.getByRole('link', { name: label }).click(),
  ]);
  const file = path.join(downloads, download.suggestedFilename());
  await download.saveAs(file);
  return { file, name: download.suggestedFilename() };
}

describe('Tools > Exports in the browser', () => {
  it(
    'exports all customers as CSV in English: PROCESSING turns READY, and the download holds every customer',
    { timeout: 60_000 },
    async () => {
      const { page, pageErrors } = await openPage(browser);
      await logIn(page, 'sanne@shop.example');
      // A colleague's earlier export of the customer groups, so the list has more than one row.
      const colleague = await server.services.staff.createUser({
        email: 'kees@shop.example',
        name: 'Kees Smit',
        password,
        language: 'nl',
      });
      await server.services.exports.create({ type: 'customer-groups', format: 'xlsx' }, colleague);
      await page
        .getByRole('navigation', { name: 'Main navigation' })
        .getByRole('link', { name: 'Exports' })
        .click();
      await page.getByRole('heading', { name: 'Exports', level: 1 }).waitFor();
      await page.getByRole('link', { name: 'New export' }).click();
      await page.getByRole('heading', { name: 'New export', level: 1 }).waitFor();
      await page
        .getByRole('radio', { name: /Customers/ })
        .first()
        .check();
      await page.getByRole('radio', { name: /CSV \(UTF-8, comma\)/ }).check();
      await page.getByText('Newsletter and groups').waitFor({ state: 'detached' }); // all columns: no checkboxes shown
      await screenshot(page, 'new-export-en');
      expect(await seriousAccessibilityViolations(page)).toEqual([]);
      // A date that does not exist is caught before anything is started.
      await page.getByLabel('Created on or after').fill('31-02-2024');
      await page.getByRole('button', { name: 'Export', exact: true }).click();
      await page.getByRole('alert').getByText('Enter a date as day-month-year, e.g. 31-12-2024.').waitFor();
      await page.getByLabel('Created on or after').fill('01-01-2000');
      await page.getByRole('button', { name: 'Export', exact: true }).click();
      await page.waitForURL(/\/admin\/exports$/);
      const row = page.locator('tbody tr').first();
      await row.getByText('Processing', { exact: true }).waitFor();
      await row.getByText('Waiting to start…').waitFor();
      expect(await row.getByRole('progressbar', { name: 'Processing' }).getAttribute('aria-valuetext')).toBe(
        '0%',
      );
      expect(await row.getByRole('link', { name: /^Download/ }).count()).toBe(0);
      await server.services.queue.startWorkers();
      await row.getByText('Ready', { exact: true }).waitFor({ timeout: 30_000 });
      await expect.poll(() => row.innerText(), { timeout: uiTimeoutMs }).toContain(String(customerCount));
      expect(await row.innerText()).toContain('Sanne de Vries');
      expect(await row.innerText()).toContain('filtered');
      const colleagueRow = page.locator('tbody tr').nth(1);
      await colleagueRow.getByText('Ready', { exact: true }).waitFor({ timeout: 30_000 });
      expect(await colleagueRow.innerText()).toContain('Customer groups');
      await page.getByRole('button', { name: 'Close' }).click();
      await page.getByText('The export has started.', { exact: false }).waitFor({ state: 'detached' });
      await screenshot(page, 'exports-en');
      expect(await seriousAccessibilityViolations(page)).toEqual([]);

      const { file, name } = await downloadNewest(page, /^Download customers-/);
      expect(name).toMatch(/^customers-\d{4}-\d{2}-\d{2}-\d{4}\.csv$/);
      const view = await importerView(file);
      expect(view.headings.slice(0, 3)).toEqual(['Clientele ID', 'External ID', 'E-mail']);
      expect(view.drafts).toHaveLength(customerCount);
      expect(view.errors).toEqual([]);
      expect(pageErrors).toEqual([]);
    },
  );

  it(
    'exports a mailing list as XLSX in Dutch, with a notification when it is KLAAR, and deletes it',
    { timeout: 60_000 },
    async () => {
      const { page, pageErrors } = await openPage(browser, { locale: 'nl-NL' });
      await logIn(page, 'pieter@shop.example');
      await page
        .getByRole('navigation', { name: 'Hoofdmenu' })
        .getByRole('link', { name: 'Exporteren' })
        .click();
      await page.getByRole('link', { name: 'Nieuwe export' }).click();
      await page.getByRole('radio', { name: /Excel-werkmap/ }).check();
      await page.locator('label', { hasText: 'Kolommen kiezen' }).click();
      await page.getByText(/^\d+ van \d+ kolommen$/).waitFor();
      await page.getByRole('checkbox', { name: 'Factuuradres postcode' }).uncheck();
      await screenshot(page, 'columns-nl');
      await page.locator('label', { hasText: 'Mailinglijst' }).click();
      await page.getByText(/met een link naar de pagina waar klanten hun wachtwoord instellen/).waitFor();
      await page.getByRole('checkbox', { name: 'Laat het me weten als het bestand klaar is' }).check();
      await screenshot(page, 'new-export-nl');
      await page.getByRole('button', { name: 'Exporteren', exact: true }).click();
      await page.waitForURL(/\/admin\/exports$/);
      const row = page.locator('tbody tr').first();
      await row.getByText('Klaar', { exact: true }).waitFor({ timeout: 30_000 });
      expect(
        await row
          .getByText('Klaar', { exact: true })
          .evaluate((element) => getComputedStyle(element).textTransform),
      ).toBe('uppercase');
      await page.getByText('Je export is klaar').waitFor({ timeout: 15_000 });
      await page.waitForTimeout(500); // the notification's fade-in, which axe would measure half-way
      await screenshot(page, 'exports-nl');
      expect(await seriousAccessibilityViolations(page)).toEqual([]);

      const { file } = await downloadNewest(page, /downloaden$/);
      const view = await importerView(file);
      expect(view.headings).toEqual([
        'E-mail',
        'Voornaam',
        'Achternaam',
        'Taal',
        'Nieuwsbrief',
        'Nieuwsbrief toestemmingsdatum',
        'Nieuwsbrief toestemmingsbron',
        'Pagina wachtwoord herstellen',
      ]);
      // A mailing list holds the subscribed customers only.
      const { rows } = await server.services.db.pool.query<{ count: number }>('SELECT count(*)::int AS count FROM customers WHERE newsletter');
      expect(rows[0]!.count).toBeGreaterThan(0);
      expect(rows[0]!.count).toBeLessThan(customerCount);
      expect(view.drafts).toHaveLength(rows[0]!.count);
      const xlsx = await readFile(file);
      expect(xlsx.subarray(0, 2).toString()).toBe('PK');

      await row.getByRole('button', { name: /^Export .* verwijderen$/ }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Verwijderen' }).click();
      await page.getByText('De export is verwijderd.').waitFor();
      await expect.poll(() => page.locator('tbody tr').count(), { timeout: uiTimeoutMs }).toBe(2);
      expect(pageErrors).toEqual([]);
    },
  );
});

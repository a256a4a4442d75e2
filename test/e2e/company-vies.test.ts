// Code inside page.evaluate() runs in the browser, so these files see the DOM types too.
/// <reference lib="dom" />
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPage, seriousAccessibilityViolations, uiTimeoutMs } from '../support/browser.ts';
import { startLiveServer, type LiveServer } from '../support/live-server.ts';
import { startFakeVies, type FakeViesServer } from '../support/vies-server.ts';
import { logIn } from './import-support.ts';

/**
 * Issue #19, points 4 and 5 in the back office, against a fake VIES: in English, a company's
 * "VAT number (VIES)" section — Check now, the valid result with its reference and VIES's name
 * beside ours, reverse charge turned on — and "Check VAT numbers" for a selection on the list;
 * in Dutch, a number that could not be checked (never "invalid") and the switch that stays off.
 */
let server: LiveServer;
let browser: Browser;
let vies: FakeViesServer;
const password = 'correct horse battery staple';

beforeAll(async () => {
  vies = await startFakeVies({
    DE136695976: { kind: 'valid', name: 'MUSTER HANDEL GMBH', address: 'MUSTERSTRASSE 1\n10115 BERLIN' },
    FR40303265045: { kind: 'error', code: 'MS_UNAVAILABLE' },
  });
  [server, browser] = await Promise.all([
    startLiveServer({
      VIES_BASE_URL: vies.baseUrl,
      VIES_RETRY_DELAY_MS: '10',
      VIES_REQUESTS_PER_SECOND: '50',
    }),
    launchBrowser(),
  ]);
  await server.services.queue.startWorkers();
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
  await vies?.close();
});

describe('VAT numbers checked with VIES, in the back office', () => {
  it(
    'checks a company now, shows the result, and turns reverse charge on (English)',
    { timeout: 120_000 },
    async () => {
      const company = await server.services.companies.create({
        name: 'Muster Handel',
        cocCountry: 'DE',
        vatNumber: 'DE136695976',
      });
      const { page, pageErrors } = await openPage(browser);
      await logIn(page, server.baseUrl, 'bram@shop.example', password);
      await page.goto(`${server.baseUrl}/admin/companies/${company.id}`);
      const section = page.getByTestId('company-vies');
      await section.getByRole('heading', { name: 'VAT number (VIES)' }).waitFor();
      await section.getByText('Not checked with VIES yet.').waitFor();
      const reverseCharge = section.getByRole('switch', {
        name: 'Reverse charge (VAT shifted to the customer)',
      });
      expect(await reverseCharge.isDisabled()).toBe(true);
      await section.getByText('Check the VAT number with VIES first.').waitFor();

      await section.getByRole('button', { name: 'Check now' }).click();
      await section.getByText('VAT numbers checked: 1').waitFor({ timeout: 30_000 });
      await section.getByText('1 valid · 0 invalid · 0 could not be checked').waitFor();
      const latest = section.getByTestId('vies-latest');
      await latest.getByText('Valid', { exact: true }).waitFor({ timeout: uiTimeoutMs });
      await latest.getByText(/^Consultation reference: WAPIAAAAW\d{6}$/).waitFor();
      const differences = section.getByTestId('vies-differences');
      await differences.getByRole('cell', { name: 'MUSTER HANDEL GMBH' }).waitFor();
      await differences.getByRole('cell', { name: 'Muster Handel', exact: true }).waitFor();

      expect(await reverseCharge.isDisabled()).toBe(false);
      // A controlled switch: it turns on once the server said so.
      await reverseCharge.click();
      await page.getByText('Reverse charge turned on').waitFor();
      await expect.poll(() => reverseCharge.isChecked()).toBe(true);
      await section
        .getByText(/^Turned on by Bram on .*, on the VIES check of .* \(reference WAPIAAAAW\d{6}\)\.$/)
        .waitFor();
      const stored = await server.services.companies.get(company.id);
      expect(stored.reverseCharge).toMatchObject({
        isReverseCharge: true,
        setBy: 'Bram',
        check: { id: stored.latestVatCheck!.id },
      });
      await page.screenshot({ path: 'test-results/company-vies-en.png', fullPage: true });
      expect(await seriousAccessibilityViolations(page)).toEqual([]);

      // The list: choose one company and check its number; the progress ends in the counts.
      const other = await server.services.companies.create({
        name: 'Fromagerie du Lac',
        cocCountry: 'FR',
        vatNumber: 'FR40303265045',
      });
      await page.goto(`${server.baseUrl}/admin/companies`);
      await page.getByRole('checkbox', { name: `Select ${other.name}` }).check();
      await page.getByRole('button', { name: 'Check VAT number of 1 selected company' }).click();
      await page
        .getByTestId('vat-check-progress')
        .getByText('0 valid · 0 invalid · 1 could not be checked')
        .waitFor({ timeout: 30_000 });
      await page.screenshot({ path: 'test-results/company-vies-list-en.png' });
      expect((await server.services.companies.get(other.id)).latestVatCheck).toMatchObject({
        result: 'unavailable',
        errorCode: 'MS_UNAVAILABLE',
      });
      expect(pageErrors).toEqual([]);
      await page.context().close();
    },
  );

  it(
    'shows a number that could not be checked, and keeps reverse charge off (Dutch)',
    { timeout: 120_000 },
    async () => {
      const company = await server.services.companies.create({
        name: 'Fromagerie de la Vallée',
        cocCountry: 'FR',
        vatNumber: 'FR40303265045',
      });
      const run = await server.services.vatChecks.start({ companyIds: [company.id] }, null);
      await expect
        .poll(async () => (await server.services.vatChecks.getRun(run.id)).status, { timeout: 30_000 })
        .toBe('done');
      const { page, pageErrors } = await openPage(browser, { locale: 'nl-NL' });
      await logIn(page, server.baseUrl, 'ilse@shop.example', password);
      await page.goto(`${server.baseUrl}/admin/companies/${company.id}`);
      const section = page.getByTestId('company-vies');
      await section.getByRole('heading', { name: 'Btw-nummer (VIES)' }).waitFor();
      await section.getByText('Niet te controleren', { exact: true }).waitFor();
      await section
        .getByText(
          'VIES of de dienst van de lidstaat gaf geen antwoord (MS_UNAVAILABLE). Dat zegt niets over het nummer: probeer het later opnieuw.',
        )
        .waitFor();
      expect(await section.getByText('Ongeldig', { exact: true }).count()).toBe(0);
      const reverseCharge = section.getByRole('switch', { name: 'Btw verlegd' });
      expect(await reverseCharge.isDisabled()).toBe(true);
      // The reason is the switch's description, for screen readers too.
      const reasonId = await reverseCharge.getAttribute('aria-describedby');
      expect(await page.locator(`[id="${reasonId}"]`).textContent()).toBe(
        'Alleen als VIES het btw-nummer bij de laatste controle als geldig bevestigde.',
      );
      await section.getByRole('button', { name: 'Nu controleren' }).waitFor();
      await page.screenshot({ path: 'test-results/company-vies-nl.png', fullPage: true });
      expect(pageErrors).toEqual([]);
      await page.context().close();
    },
  );
});

// Code inside page.evaluate() runs in the browser, so these files see the DOM types too.
/// <reference lib="dom" />
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPage } from '../support/browser.ts';
import { startLiveServer, type LiveServer } from '../support/live-server.ts';

let server: LiveServer;
let browser: Browser;
const password = 'correct horse battery staple';

beforeAll(async () => {
  [server, browser] = await Promise.all([startLiveServer(), launchBrowser()]);
  for (const [email, name, language] of [
    ['eva@shop.example', 'Eva Green', 'en'],
    ['noor@shop.example', 'Noor de Wit', 'nl'],
  ] as const)
    await server.services.staff.createUser({ email, name, password, language });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('a new shop’s empty customer list', () => {
  it.each([
    ['en', 'eva@shop.example', 'Customers', 'No customers yet', 'Import your customers', 'New customer', 'New import'],
    ['nl', 'noor@shop.example', 'Klanten', 'Nog geen klanten', 'Importeer je klanten', 'Nieuwe klant', 'Nieuwe import'],
  ] as const)(
    '%s: leads to the import, with "New customer" beside it',
    { timeout: 45_000 },
    async (_language, email, heading, empty, importLabel, newLabel, importHeading) => {
      const { page, context, pageErrors } = await openPage(browser);
      await page.goto(`${server.baseUrl}/admin/login`);
      await page.getByLabel(/^E-mailadres|^E-mail address/).fill(email);
      await page.getByLabel(/^Wachtwoord|^Password/).fill(password);
      await page.getByRole('button', { name: /^(Inloggen|Log in)$/ }).click();
      await page.waitForURL(/\/admin\/overview$/);
      await page.goto(page.url().replace(/overview$/, 'customers'));
      await page.getByRole('heading', { name: heading, level: 1 }).waitFor();
      await page.getByText(empty).waitFor();
      const hint = await page.getByText(empty).locator('xpath=..').innerText();
      expect(hint).not.toMatch(/comes next|komt binnenkort/);
      const importLink = page.getByRole('link', { name: importLabel });
      const newLink = page.getByRole('link', { name: newLabel });
      expect(await importLink.count()).toBe(1);
      expect(await newLink.count()).toBeGreaterThanOrEqual(1);
      // The empty state's actions: the import first (primary), "New customer" beside it.
      const actions = await importLink.locator('xpath=..').getByRole('link').allInnerTexts();
      expect(actions.map((text) => text.trim())).toEqual([importLabel, newLabel]);
      await importLink.click();
      await page.waitForURL(/\/admin\/imports\/new$/);
      await page.getByRole('heading', { name: importHeading, level: 1 }).waitFor();
      expect(pageErrors).toEqual([]);
      await context.close();
    },
  );
});

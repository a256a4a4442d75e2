// Code inside page.evaluate() runs in the browser, so these files see the DOM types too.
/// <reference lib="dom" />
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPage, seriousAccessibilityViolations } from '../support/browser.ts';
import { startLiveServer, type LiveServer } from '../support/live-server.ts';

/** The shop's identity (#22) in a real browser: the setup page in Dutch, Settings › General in English. */
let server: LiveServer;
let browser: Browser;
const password = 'correct horse battery staple';
/** Set to a directory (docs/screenshots) to write the README's picture of Settings › General. */
const shots = process.env.SHOP_SCREENSHOTS;

beforeAll(async () => {
  [server, browser] = await Promise.all([startLiveServer(), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('shop identity in the back office', () => {
  it('asks for the shop at first setup (Dutch), and stores the answers', async () => {
    const token = (await server.services.staff.issueSetupToken())!;
    const { page, context, pageErrors } = await openPage(browser, { locale: 'nl-NL' });
    try {
      await page.goto(`${server.baseUrl}/admin/setup?token=${token}`);
      await page.getByLabel('Je naam').fill('Anouk de Boer');
      await page.getByLabel('E-mailadres').fill('anouk@fietsen.example');
      await page.getByLabel('Wachtwoord', { exact: false }).first().fill(password);
      await page.getByLabel('Herhaal het wachtwoord').fill(password);
      expect(await seriousAccessibilityViolations(page)).toEqual([]);
      // The placeholder name is not offered: the owner has to type theirs.
      await expect.poll(() => page.getByLabel('Naam van de winkel').inputValue()).toBe('');
      await page.getByRole('button', { name: 'Account aanmaken en inloggen' }).click();
      await expect.poll(() => page.getByText('Vul de naam van je winkel in.').count()).toBe(1);
      await page.getByLabel('Naam van de winkel').fill('Fietsen Bakker');
      await page.getByLabel('Land van de winkel').first().fill('België');
      await page.getByRole('option', { name: 'België' }).click();
      await page.getByLabel('Standaardtaal voor klanten').first().click();
      await page.getByRole('option', { name: 'Nederlands' }).click();
      await page.getByRole('button', { name: 'Account aanmaken en inloggen' }).click();
      await page.waitForURL(/\/admin\/overview$/);
      await page.goto(page.url().replace(/overview$/, 'customers'));
      expect(await server.services.shopSettings.current()).toMatchObject({
        shopName: 'Fietsen Bakker',
        country: 'BE',
        defaultLanguage: 'nl',
      });
      expect(pageErrors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('edits the shop in Settings › General (English); the storefront shows the new name', async () => {
    await server.services.staff.createUser({ email: 'kees@fietsen.example', name: 'Kees', password, language: 'en' });
    await server.services.db.pool.query(`UPDATE staff_users SET role = 'admin' WHERE email = 'kees@fietsen.example'`);
    const { page, context, pageErrors } = await openPage(browser);
    try {
      await page.goto(`${server.baseUrl}/admin/login`);
      await page.locator('input[type=email]').fill('kees@fietsen.example');
      await page.locator('input[type=password]').fill(password);
      await page.locator('button[type=submit]').click();
      await page.waitForURL(/\/admin\/overview$/);
      await page.goto(`${server.baseUrl}/admin/settings`);
      const name = page.getByLabel('Shop name');
      await expect.poll(() => name.inputValue()).toBe('Fietsen Bakker');
      expect(await page.getByLabel('Country of the shop').first().inputValue()).toBe('Belgium');
      expect(await seriousAccessibilityViolations(page)).toEqual([]);
      if (shots) await page.screenshot({ path: `${shots}/shop-settings.png` });
      await name.fill('Bakker Bikes');
      await page.getByLabel('Default language for customers').first().click();
      await page.getByRole('option', { name: 'English' }).click();
      await page.getByRole('button', { name: 'Save' }).click();
      await expect.poll(() => page.getByText('The shop settings are saved.', { exact: false }).count()).toBe(1);
      expect(await server.services.shopSettings.current()).toMatchObject({ shopName: 'Bakker Bikes', country: 'BE', defaultLanguage: 'en' });
      await page.goto(`${server.baseUrl}/account/login`);
      expect(await page.locator('a.brand').textContent()).toBe('Bakker Bikes');
      expect(pageErrors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('searches the mailbox by recipient or subject as people type (Dutch)', async () => {
    await server.services.db.pool.query(
      `INSERT INTO mailbox_messages (from_address, to_address, subject, body_html, body_text, created_at)
       VALUES ('shop@example.com', 'sanne@klant.example', 'Stel je wachtwoord in', '<p>x</p>', 'x', now()),
              ('shop@example.com', 'piet@klant.example', 'Je wachtwoord is gewijzigd', '<p>x</p>', 'x', now())`,
    );
    await server.services.staff.createUser({ email: 'anja@fietsen.example', name: 'Anja', password, language: 'nl' });
    const { page, context, pageErrors } = await openPage(browser, { locale: 'nl-NL' });
    try {
      await page.goto(`${server.baseUrl}/admin/login`);
      await page.locator('input[type=email]').fill('anja@fietsen.example');
      await page.locator('input[type=password]').fill(password);
      await page.locator('button[type=submit]').click();
      await page.waitForURL(/\/admin\/overview$/);
      await page.goto(`${server.baseUrl}/admin/settings/mailbox`);
      const rows = page.getByRole('row').filter({ hasText: 'klant.example' });
      await expect.poll(() => rows.count()).toBe(2);
      await page.getByLabel('Zoeken').fill('SANNE');
      await expect.poll(() => rows.allTextContents()).toEqual([expect.stringContaining('sanne@klant.example')]);
      await page.getByLabel('Zoeken').fill('gewijzigd');
      await expect.poll(() => rows.allTextContents()).toEqual([expect.stringContaining('piet@klant.example')]);
      expect(page.url()).toContain('q=gewijzigd');
      await page.getByLabel('Zoeken').fill('niemand');
      await page.getByText('Geen berichten gevonden').waitFor();
      expect(pageErrors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});

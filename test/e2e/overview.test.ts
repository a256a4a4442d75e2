import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPage, seriousAccessibilityViolations } from '../support/browser.ts';
import { startLiveServer, type LiveServer } from '../support/live-server.ts';

/**
 * The overview (start page) in English and Dutch: the figures are there, and a chart's bar or
 * its table link opens the customer list filtered to exactly the customers it counts.
 * OVERVIEW_SCREENSHOTS=<dir> keeps a screenshot of the page in each language.
 */
let server: LiveServer;
let browser: Browser;
const password = 'correct horse battery staple';
const shots = process.env.OVERVIEW_SCREENSHOTS;

beforeAll(async () => {
  [server, browser] = await Promise.all([startLiveServer(), launchBrowser()]);
  await server.services.staff.createUser({ email: 'staff@shop.example', name: 'Kees Smit', password, language: 'en' });
  await server.services.staff.createUser({ email: 'anja@shop.example', name: 'Anja de Vries', password, language: 'nl' });
  const db = server.services.db.pool;
  // 48 customers over 18 months and five "countries" (one: none), two in three on the newsletter.
  await db.query(
    `INSERT INTO customers (email, email_normalized, first_name, last_name, billing_country, newsletter, email_consent, customer_since, created_at)
     SELECT 'klant' || i || '@overview.example', 'klant' || i || '@overview.example', 'Klant', 'Nummer ' || i,
            CASE WHEN i <= 20 THEN 'NL' WHEN i <= 32 THEN 'BE' WHEN i <= 40 THEN 'DE' WHEN i <= 45 THEN 'GB' ELSE '' END,
            i % 3 <> 0, CASE WHEN i % 3 <> 0 THEN 'subscribed' ELSE 'not_set' END,
            CASE WHEN i % 4 = 0 THEN NULL ELSE date '2024-01-05' + (i * 11) END,
            timestamptz '2025-11-20 10:00Z' - make_interval(days => i * 7)
       FROM generate_series(1, 48) AS i`,
  );
  await db.query(
    `INSERT INTO imports (file_name, file_name_search, file_key, file_size_bytes, file_sha256, format, created_by_name, status,
                          settings, analysis, created_count, updated_count, started_at, finished_at, created_at)
     SELECT 'klanten-' || i || '.csv', 'klanten-' || i || '.csv', 'key-' || i, 1000, 'sha', 'csv', 'Kees Smit', 'done',
            '{}', '{}', 10 * i, i, now() - make_interval(days => i * 40), now() - make_interval(days => i * 40), now() - make_interval(days => i * 40)
       FROM generate_series(0, 2) AS i`,
  );
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const count = async (where: string): Promise<number> =>
  (await server.services.db.pool.query<{ count: number }>(`SELECT count(*)::int AS count FROM customers WHERE ${where}`)).rows[0]!.count;

async function openOverview(email: string) {
  const opened = await openPage(browser);
  await opened.page.goto(`${server.baseUrl}/admin/login?next=%2Fadmin%2Foverview`);
  await opened.page.getByLabel(/^(E-mail address|E-mailadres)/).fill(email);
  await opened.page.getByLabel(/^(Password|Wachtwoord)/).fill(password);
  await opened.page.getByRole('button', { name: /^(Log in|Inloggen)$/ }).click();
  // The back office's start page is the overview.
  await opened.page.waitForURL(/\/admin\/overview$/);
  return opened;
}

/** The whole page at the browser's width, the navigation bar included (a full-page shot cuts the fixed bar off). */
async function screenshot(page: Page, name: string): Promise<void> {
  if (!shots) return;
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  await page.setViewportSize({ width: 1280, height });
  await page.waitForFunction((expected) => window.innerHeight === expected, height);
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  await page.screenshot({ path: `${shots}/${name}.png` });
  await page.setViewportSize({ width: 1280, height: 900 });
}

const card = (page: Page, title: string) => page.getByRole('region', { name: title });
/** "1–20 of 20" / "1–20 van 20": the list's total. */
const listTotal = (page: Page, total: number) => page.getByText(new RegExp(`^1–${Math.min(total, 25)} (of|van) ${total}$`));

describe('the overview', () => {
  it('shows the figures in English; a bar and a table link open the filtered customer list', { timeout: 120_000 }, async () => {
    const { page, context, pageErrors } = await openOverview('staff@shop.example');
    try {
      await page.getByRole('heading', { name: 'Overview', level: 1 }).waitFor();
      await page.getByRole('link', { name: 'Overview' }).and(page.locator('[aria-current="page"]')).waitFor();
      // The charts are a lazily loaded bundle (recharts): on a busy machine its first paint takes a while.
      await card(page, 'New customers over time').locator('.recharts-bar-rectangle').first().waitFor({ timeout: 30_000 });
      expect(await page.getByText('48', { exact: true }).count()).toBeGreaterThan(0);
      expect(await seriousAccessibilityViolations(page)).toEqual([]);
      await screenshot(page, 'overview');

      // The first bar of "customer since" is January 2024 (registration date, else the day added).
      const january = await count(`COALESCE(customer_since, (created_at AT TIME ZONE 'UTC')::date) >= '2024-01-01' AND COALESCE(customer_since, (created_at AT TIME ZONE 'UTC')::date) < '2024-02-01'`);
      await card(page, 'New customers over time').locator('.recharts-bar-rectangle path').first().click({ force: true });
      await page.waitForURL(/\/admin\/customers\?sinceFrom=2024-01-01&sinceBefore=2024-02-01$/);
      await listTotal(page, january).waitFor();

      // The countries as a table: its links are the chart's text alternative.
      await page.goto(`${server.baseUrl}/admin/overview`);
      const countries = card(page, 'Customers by country');
      await countries.getByText('Table', { exact: true }).click();
      await countries.getByRole('row', { name: /Belgium\s+12/ }).waitFor();
      await countries.getByRole('link', { name: 'No country' }).click();
      await page.waitForURL(/\/admin\/customers\?country=-$/);
      await listTotal(page, 3).waitFor();
      await page.getByText('Country: No country').waitFor();
      await page.getByRole('button', { name: 'Remove the filter “Country: No country”' }).click();
      await listTotal(page, 48).waitFor();

      // Customers by day added, from the same chart with the other basis.
      await page.goto(`${server.baseUrl}/admin/overview`);
      const overTime = card(page, 'New customers over time');
      await overTime.getByText('Added to Clientele', { exact: true }).click();
      await overTime.getByText('Table', { exact: true }).click();
      await overTime.getByRole('link', { name: 'Nov 2025' }).click();
      await page.waitForURL(/\/admin\/customers\?createdFrom=2025-11-01&createdBefore=2025-12-01$/);
      await listTotal(page, await count(`created_at >= '2025-11-01' AND created_at < '2025-12-01'`)).waitFor();
      expect(pageErrors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('speaks Dutch: the newsletter and a country open the list with those filters', { timeout: 90_000 }, async () => {
    const { page, context, pageErrors } = await openOverview('anja@shop.example');
    try {
      await page.getByRole('heading', { name: 'Overzicht', level: 1 }).waitFor();
      await card(page, 'Klanten per land').locator('text=Nederland').first().waitFor();
      await screenshot(page, 'overview-nl');

      const newsletter = card(page, 'Nieuwsbrief');
      await newsletter.getByText('Tabel', { exact: true }).click();
      await newsletter.getByRole('link', { name: 'Aangemeld', exact: true }).click();
      await page.waitForURL(/\/admin\/customers\?newsletter=true$/);
      await listTotal(page, await count('newsletter')).waitFor();
      await page.getByText('Nieuwsbrief: aangemeld').waitFor();

      await page.goto(`${server.baseUrl}/admin/overview`);
      await card(page, 'Klanten per land').getByText('Duitsland', { exact: true }).click();
      await page.waitForURL(/\/admin\/customers\?country=DE$/);
      await listTotal(page, 8).waitFor();
      await page.getByText('Land: Duitsland').waitFor();
      await screenshot(page, 'customers-by-country-nl');

      await page.goto(`${server.baseUrl}/admin/overview`);
      const imports = card(page, 'Imports, laatste 12 maanden');
      await imports.getByText('3 imports gestart in de laatste 12 maanden. Klik op een maand om de imports te zien.').waitFor();
      expect(pageErrors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});

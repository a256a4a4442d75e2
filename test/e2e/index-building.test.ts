import { Readable } from 'node:stream';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPage, seriousAccessibilityViolations } from '../support/browser.ts';
import { startLiveServer, type LiveServer } from '../support/live-server.ts';
import { logIn } from './import-support.ts';

/**
 * Issue #20, in English and Dutch: while a large first import builds the search indexes it loaded
 * without (customers/deferred-indexes.ts), its page says that every row is in and what the last
 * step is, and a customer search says the index is being built instead of timing out. The state
 * is set in the database as the import leaves it (a real build of a few rows is over at once).
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
  en: {
    title: 'Building the search index…',
    note: 'Every row is in.',
    search: 'The search index is being built after a large import',
  },
  nl: {
    title: 'Zoekindex opbouwen…',
    note: 'Alle rijen zijn binnen.',
    search: 'De zoekindex wordt opgebouwd na een grote import',
  },
} as const;

describe('while the indexes of a large first import are built', () => {
  for (const language of ['en', 'nl'] as const) {
    it(`the import page and a customer search say so (${language})`, { timeout: 90_000 }, async () => {
      const text = texts[language];
      const email = `staff-${language}@shop.example`;
      const staff = await server.services.staff.createUser({
        email,
        name: `Staff ${language}`,
        password,
        language,
      });
      await server.services.customers.create({
        email: `anna-${language}@example.com`,
        firstName: 'Anna',
        lastName: 'Visser',
      });
      const file = Readable.from([
        Buffer.from(`E-mail,First name,Last name\r\nbert-${language}@example.com,Bert,Visser\r\n`),
      ]);
      const uploaded = await server.services.imports.upload(file, `first-${language}.csv`, {
        id: staff.id,
        name: staff.name,
        language,
      });
      const { pool } = server.services.db;
      // Held by a run (its lease) that the test plays: no worker takes the import over meanwhile.
      await pool.query(
        `UPDATE imports SET status = 'processing', started_at = now() - interval '3 minutes', rows_done = 1, total_rows = 1,
                building_indexes_since = now(), lease_job_id = 'e2e', lease_until = now() + interval '1 hour' WHERE id = $1`,
        [uploaded.id],
      );
      await pool.query(
        `INSERT INTO deferred_indexes (name, definition, import_id, deferred_at) VALUES ('customers_e2e_${language}', 'CREATE INDEX customers_e2e_${language} ON customers (billing_city)', $1, now())`,
        [uploaded.id],
      );
      try {
        const { page, pageErrors } = await openPage(browser);
        await logIn(page, server.baseUrl, email, password);
        await page.goto(`${server.baseUrl}/admin/imports/${uploaded.id}`);
        await page.getByRole('heading', { name: text.title }).waitFor();
        await page.getByText(text.note, { exact: false }).waitFor();
        await page.screenshot({ path: `test-results/index-building-import-${language}.png`, fullPage: true });
        expect(await seriousAccessibilityViolations(page)).toEqual([]);

        await page.goto(`${server.baseUrl}/admin/customers?q=Visser`);
        await page.getByRole('alert').getByText(text.search, { exact: false }).waitFor();
        await page.screenshot({ path: `test-results/index-building-search-${language}.png`, fullPage: true });
        // The list without a search works meanwhile.
        await page.goto(`${server.baseUrl}/admin/customers`);
        await page.getByText(`anna-${language}@example.com`).waitFor();
        expect(pageErrors).toEqual([]);
        await page.context().close();
      } finally {
        await pool.query('DELETE FROM deferred_indexes WHERE import_id = $1', [uploaded.id]);
      }
    });
  }
});

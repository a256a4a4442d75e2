import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPage, uiTimeoutMs } from '../support/browser.ts';
import {
  finishedImportWithRejectedRows,
  logIn,
  startImportServer,
  type ImportServer,
} from './import-support.ts';

/**
 * Issue #18, point 1: the grid of rejected rows stays smooth with 50,000 of them — only the rows
 * in view are rendered and only the pages scrolled to are fetched; row 40,000 is scrolled to and
 * fixed (the stories of fixing rows: import-fix-in-place.test.ts).
 */

let server: ImportServer;
let browser: Browser;
const password = 'correct horse battery staple';

beforeAll(async () => {
  [server, browser] = await Promise.all([startImportServer(), launchBrowser()]);
  await server.services.staff.createUser({
    email: 'emma@shop.example',
    name: 'Emma Bakker',
    password,
    language: 'en',
  });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('many rejected rows', () => {
  it(
    'scrolls to row 40,000 of 50,003 and fixes it, rendering only the rows in view',
    { timeout: 150_000 },
    async () => {
      const firstId = await finishedImportWithRejectedRows(server, 'many.test', 'en');
      // 50,000 more rejected rows, as a large file would leave them (row numbers 100 to 50099).
      await server.services.db.pool.query(
        `INSERT INTO import_rejections (import_id, row_number, cells, errors)
       SELECT $1, n, ARRAY['person' || n || '@example', 'Person', 'No. ' || n, 'Delft'],
              jsonb_build_array(jsonb_build_object('rowNumber', n, 'column', 'E-mail', 'columnIndex', 0, 'field', 'email',
                'value', 'person' || n || '@example', 'code', 'email_invalid', 'message', 'This is not a valid e-mail address.', 'params', '{}'::jsonb))
         FROM generate_series(100, 50099) AS n`,
        [firstId],
      );
      const { page, pageErrors } = await openPage(browser, { locale: 'en-GB' });
      await logIn(page, server.baseUrl, 'emma@shop.example', password);
      await page.goto(`${server.baseUrl}/admin/imports/${firstId}/fix`);
      await page.getByText('0 of 50,003 rows fixed').waitFor();
      const grid = page.getByRole('table');
      const firstRow = grid.locator('[data-row-number="3"]');
      await firstRow.waitFor();
      expect(await grid.locator('[data-row-number]').count()).toBeLessThan(20);

      // Row 40,000 is at index 39,903 (rows 3, 4 and 5, then 100 onwards): scrolled to by the height a row has.
      const rowHeight = await firstRow.evaluate((row) => (row as HTMLElement).offsetHeight);
      await grid.evaluate((element, top) => element.scrollTo({ top }), 39_903 * rowHeight);
      const row = grid.locator('[data-row-number="40000"]');
      await row.waitFor({ timeout: uiTimeoutMs });
      expect(await grid.locator('[data-row-number]').count()).toBeLessThan(20);
      const email = page.getByRole('textbox', { name: 'Row 40000, E-mail' });
      await email.fill('person40000@many.test');
      await email.press('Tab');
      await row.getByText('Fixed', { exact: true }).waitFor();
      await page.getByText('1 of 50,003 rows fixed').waitFor();
      await page.screenshot({ path: 'test-results/import-fix-in-place-many-en.png' });
      expect(pageErrors).toEqual([]);
      await page.context().close();
    },
  );
});

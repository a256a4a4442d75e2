import { Readable } from 'node:stream';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPage, uiTimeoutMs } from '../support/browser.ts';
import {
  countCards,
  finishedImportWithRejectedRows,
  logIn,
  startImportServer,
  type ImportServer,
} from './import-support.ts';

/**
 * Issue #18, point 1, as staff click through it in English and in Dutch: a finished import with
 * three rejected rows, fixed in the app (one e-mail typed, a column filled by find & replace),
 * and the fixed rows imported as a follow-up import that ends done; and a checked import whose
 * rejected rows are fixed before the start (a suggested fix, a cell typed), back to the check,
 * checked again, and started: the same import takes the fixed rows in.
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
  await server.services.staff.createUser({
    email: 'joost@shop.example',
    name: 'Joost Smit',
    password,
    language: 'nl',
  });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const finishedImport = (domain: string, language: 'en' | 'nl') =>
  finishedImportWithRejectedRows(server, domain, language);

type Story = {
  language: 'en' | 'nl';
  email: string;
  locale: string;
  doneWithErrors: string;
  fixButton: string;
  title: string;
  cell: (row: number, column: string) => string;
  fixed: string;
  problems: string;
  show: string;
  missingKind: string;
  allRows: string;
  replaceColumn: string;
  find: string;
  replaceWith: string;
  replaceAll: string;
  replaced: string;
  progress: string;
  importFixed: string;
  checkTitle: string;
  start: string;
  done: string;
  parent: string;
};

describe('fixing rejected rows in the app', () => {
  it.each<Story>([
    {
      language: 'en',
      email: 'emma@shop.example',
      locale: 'en-GB',
      doneWithErrors: 'Import finished, with rejected rows',
      fixButton: 'Fix in the app',
      title: 'Fix the rejected rows',
      cell: (row, column) => `Row ${row}, ${column}`,
      fixed: 'Fixed',
      problems: '1 problem',
      show: 'Show',
      missingKind: 'Required value missing (2)',
      allRows: 'All rejected rows',
      replaceColumn: 'Column',
      find: 'Find',
      replaceWith: 'Replace with',
      replaceAll: 'Replace in all rows',
      replaced: 'Changed in 2 rows.',
      progress: '3 of 3 rows fixed',
      importFixed: 'Import the 3 fixed rows',
      checkTitle: 'Result of the check',
      start: 'Start import',
      done: 'Import finished',
      parent: 'This import holds the rows fixed in the app from',
    },
    {
      language: 'nl',
      email: 'joost@shop.example',
      locale: 'nl-NL',
      doneWithErrors: 'Import klaar, met afgekeurde rijen',
      fixButton: 'Verbeter in de app',
      title: 'Afgekeurde rijen verbeteren',
      cell: (row, column) => `Rij ${row}, ${column}`,
      fixed: 'Verbeterd',
      problems: '1 probleem',
      show: 'Toon',
      missingKind: 'Verplichte waarde ontbreekt (2)',
      allRows: 'Alle afgekeurde rijen',
      replaceColumn: 'Kolom',
      find: 'Zoek',
      replaceWith: 'Vervang door',
      replaceAll: 'Vervang in alle rijen',
      replaced: 'Gewijzigd in 2 rijen.',
      progress: '3 van 3 rijen verbeterd',
      importFixed: 'Importeer de 3 verbeterde rijen',
      checkTitle: 'Resultaat van de controle',
      start: 'Import starten',
      done: 'Import klaar',
      parent: 'Deze import bevat de in de app verbeterde rijen van',
    },
  ])(
    '$language: fix an e-mail, fill a column, import the fixed rows',
    { timeout: 150_000 },
    async (story) => {
      const domain = `fix-${story.language}.test`;
      const firstId = await finishedImport(domain, story.language);
      const { page, pageErrors } = await openPage(browser, { locale: story.locale });
      await logIn(page, server.baseUrl, story.email, password);
      await page.goto(`${server.baseUrl}/admin/imports/${firstId}`);
      await page.getByRole('heading', { name: story.doneWithErrors, exact: true }).waitFor();
      await page.getByRole('link', { name: story.fixButton }).scrollIntoViewIfNeeded();
      await page.screenshot({ path: `test-results/import-fix-in-place-report-${story.language}.png` });
      await page.getByRole('link', { name: story.fixButton }).click();
      await page.waitForURL(new RegExp(`/admin/imports/${firstId}/fix$`));
      await page.getByRole('heading', { name: story.title, level: 1 }).waitFor();

      // Three rejected rows, each with its problem under the cell.
      const grid = page.getByRole('table');
      await expect.poll(() => grid.locator('[data-row-number]').count(), { timeout: uiTimeoutMs }).toBe(3);
      const wimRow = grid.locator('[data-row-number="5"]');
      await wimRow.getByText(story.problems).waitFor();
      await page.screenshot({
        path: `test-results/import-fix-in-place-grid-${story.language}.png`,
        fullPage: true,
      });

      // Only the rows of one kind of problem (the missing last names), then all again.
      const show = async (option: string, rows: number) => {
        await page.getByRole('combobox', { name: story.show }).click();
        await page.getByRole('option', { name: option, exact: true }).click();
        await expect
          .poll(() => grid.locator('[data-row-number]').count(), { timeout: uiTimeoutMs })
          .toBe(rows);
      };
      await show(story.missingKind, 2);
      await show(story.allRows, 3);

      // Fix Wim's e-mail address: saved on leaving the cell, the row is fixed at once.
      const email = page.getByRole('textbox', { name: story.cell(5, 'E-mail') });
      expect(await email.getAttribute('aria-invalid')).toBe('true');
      await email.fill(`wim@${domain}`);
      await email.press('Enter');
      await wimRow.getByText(story.fixed, { exact: true }).waitFor();

      // Fill the empty last names with find & replace in that column.
      await page.getByRole('combobox', { name: story.replaceColumn }).click();
      await page.getByRole('option', { name: 'Last name', exact: true }).click();
      await page.getByRole('textbox', { name: story.replaceWith }).fill('Jansen');
      await page.getByRole('button', { name: story.replaceAll }).click();
      await page.getByText(story.replaced).waitFor();
      await page.getByText(story.progress).waitFor();
      expect(await page.getByRole('textbox', { name: story.cell(3, 'Last name') }).inputValue()).toBe(
        'Jansen',
      );
      await page.screenshot({
        path: `test-results/import-fix-in-place-fixed-${story.language}.png`,
        fullPage: true,
      });

      // Import the fixed rows: the follow-up import, checked, started here, done.
      await page.getByRole('button', { name: story.importFixed }).click();
      await page.waitForURL(/\/admin\/imports\/\d+$/);
      const followUpId = Number(/(\d+)$/.exec(page.url())?.[1]);
      expect(followUpId).not.toBe(firstId);
      await page.getByText(story.parent).waitFor();
      await page.getByRole('heading', { name: story.checkTitle }).waitFor({ timeout: 20_000 });
      await expect
        .poll(() => countCards(page), { timeout: uiTimeoutMs })
        .toEqual({ created: '3', updated: '0', unchanged: '0', rejected: '0' });
      await page.getByRole('button', { name: story.start }).click();
      await page.getByRole('heading', { name: story.done, exact: true }).waitFor({ timeout: 20_000 });
      await page.screenshot({
        path: `test-results/import-fix-in-place-follow-up-${story.language}.png`,
        fullPage: true,
      });
      for (const name of ['wim', 'bert', 'sam'])
        expect(await server.services.customers.findByEmail(`${name}@${domain}`)).toBeTruthy();
      expect((await server.services.customers.findByEmail(`bert@${domain}`))?.lastName).toBe('Jansen');

      // The first import links to it.
      await page.goto(`${server.baseUrl}/admin/imports/${firstId}`);
      await page.getByRole('link', { name: new RegExp(`#${followUpId}$`) }).waitFor();
      expect(pageErrors).toEqual([]);
      await page.context().close();
    },
  );
});

type BeforeRunStory = {
  language: 'en' | 'nl';
  email: string;
  locale: string;
  checkTitle: string;
  fixHere: string;
  title: string;
  suggestion: string;
  applyOne: string;
  fixed: string;
  cell: (row: number, column: string) => string;
  /** The way back to the check: the grid's button, or the import's page (which says rows changed since, and checks again). */
  back: { button: string } | { editedNote: string; checkAgain: string };
  start: string;
  doneWithErrors: string;
};

describe('fixing the rows the check rejected, before the start', () => {
  it.each<BeforeRunStory>([
    {
      language: 'en',
      email: 'emma@shop.example',
      locale: 'en-GB',
      checkTitle: 'Result of the check',
      fixHere: 'Fix these rows here',
      title: 'Fix the rejected rows',
      suggestion: 'has a character that does not belong in an e-mail address; suggested:',
      applyOne: 'Apply to the 1 row',
      fixed: 'Fixed',
      cell: (row, column) => `Row ${row}, ${column}`,
      back: { button: 'Back to the check' },
      start: 'Start import',
      doneWithErrors: 'Import finished, with rejected rows',
    },
    {
      language: 'nl',
      email: 'joost@shop.example',
      locale: 'nl-NL',
      checkTitle: 'Resultaat van de controle',
      fixHere: 'Verbeter deze rijen hier',
      title: 'Afgekeurde rijen verbeteren',
      suggestion: 'staat een teken dat niet in een e-mailadres hoort; voorstel:',
      applyOne: 'Pas toe op de 1 rij',
      fixed: 'Verbeterd',
      cell: (row, column) => `Rij ${row}, ${column}`,
      back: {
        editedNote: 'U hebt na deze controle 2 afgekeurde rijen in de app gewijzigd.',
        checkAgain: 'Opnieuw controleren',
      },
      start: 'Import starten',
      doneWithErrors: 'Import klaar, met afgekeurde rijen',
    },
  ])(
    '$language: fix rows in the check step, check again, start: one import',
    { timeout: 150_000 },
    async (story) => {
      const domain = `before-${story.language}.test`;
      // Wim's e-mail address ends in a dot (a suggested fix); Bert and Sam lack a last name.
      const rows = `E-mail,First name,Last name,City\r\nolga@${domain},Olga,Ok,Delft\r\nbert@${domain},Bert,,Leiden\r\nsam@${domain},Sam,,Gouda\r\nwim@${domain}.,Wim,Wit,Utrecht`;
      const imports = server.services.imports;
      const setup = { id: null, name: 'Setup', language: story.language };
      const uploaded = await imports.upload(
        Readable.from([Buffer.from(rows)]),
        `voor-de-start-${story.language}.csv`,
        setup,
      );
      await imports.check(uploaded.id, {}, story.language, { isInline: true });

      const { page, pageErrors } = await openPage(browser, { locale: story.locale });
      await logIn(page, server.baseUrl, story.email, password);
      await page.goto(`${server.baseUrl}/admin/imports/${uploaded.id}`);
      await page.getByRole('heading', { name: story.checkTitle }).waitFor();
      await expect
        .poll(() => countCards(page), { timeout: uiTimeoutMs })
        .toEqual({ created: '1', updated: '0', unchanged: '0', rejected: '3' });
      await page.getByRole('link', { name: story.fixHere }).scrollIntoViewIfNeeded();
      await page.screenshot({
        path: `test-results/import-fix-before-run-check-${story.language}.png`,
        fullPage: true,
      });
      await page.getByRole('link', { name: story.fixHere }).click();
      await page.waitForURL(new RegExp(`/admin/imports/${uploaded.id}/fix$`));
      await page.getByRole('heading', { name: story.title, level: 1 }).waitFor();
      const grid = page.getByRole('table');
      await expect.poll(() => grid.locator('[data-row-number]').count(), { timeout: uiTimeoutMs }).toBe(3);

      // The suggested fix for Wim's address, in the staff user's language, applied to the row that has it.
      await page.getByText(story.suggestion).waitFor();
      await page.screenshot({
        path: `test-results/import-fix-before-run-grid-${story.language}.png`,
        fullPage: true,
      });
      await page.getByRole('button', { name: story.applyOne }).click();
      await grid.locator('[data-row-number="5"]').getByText(story.fixed, { exact: true }).waitFor();
      expect(await page.getByRole('textbox', { name: story.cell(5, 'E-mail') }).inputValue()).toBe(
        `wim@${domain}`,
      );
      // Bert's last name typed in.
      const lastName = page.getByRole('textbox', { name: story.cell(3, 'Last name') });
      await lastName.fill('Bakker');
      await lastName.press('Enter');
      await grid.locator('[data-row-number="3"]').getByText(story.fixed, { exact: true }).waitFor();
      await page.screenshot({
        path: `test-results/import-fix-before-run-fixed-${story.language}.png`,
        fullPage: true,
      });

      // Back at the check, the file is checked again with the changes: Sam is the one row left rejected.
      if ('button' in story.back) {
        await page.getByRole('button', { name: story.back.button }).click();
        await page.waitForURL(new RegExp(`/admin/imports/${uploaded.id}\\?step=check$`));
      } else {
        // Another way back: the check step says rows were changed since the check, and checks again.
        await page.goto(`${server.baseUrl}/admin/imports/${uploaded.id}`);
        await page.getByText(story.back.editedNote).scrollIntoViewIfNeeded();
        await page.screenshot({ path: `test-results/import-fix-before-run-changed-${story.language}.png` });
        await page.getByRole('button', { name: story.back.checkAgain }).last().click();
      }
      await expect
        .poll(() => countCards(page), { timeout: 20_000 })
        .toEqual({ created: '3', updated: '0', unchanged: '0', rejected: '1' });
      await page.getByRole('button', { name: story.start }).click();
      await page
        .getByRole('heading', { name: story.doneWithErrors, exact: true })
        .waitFor({ timeout: 20_000 });
      await page.screenshot({
        path: `test-results/import-fix-before-run-report-${story.language}.png`,
        fullPage: true,
      });
      const done = await imports.find(uploaded.id);
      expect({
        created: done.created_count,
        rejected: done.rejected_count,
        parent: done.parent_import_id,
      }).toEqual({ created: 3, rejected: 1, parent: null });
      expect((await server.services.customers.findByEmail(`bert@${domain}`))?.lastName).toBe('Bakker');
      expect(await server.services.customers.findByEmail(`wim@${domain}`)).toBeTruthy();
      expect(await server.services.customers.findByEmail(`sam@${domain}`)).toBeFalsy();
      expect(pageErrors).toEqual([]);
      await page.context().close();
    },
  );
});

import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPage } from '../support/browser.ts';
import { logIn, startImportServer, type ImportServer } from './import-support.ts';

/**
 * Issue #18, point 2, as staff meet it in English and in Dutch: an upload is an import in the
 * history from the moment its file is stored. A user who changes the mapping and closes the tab
 * finds the import in the history (waiting for the mapping), opens it, finds the mapping as they
 * left it, and goes on to the check and the start.
 */

let server: ImportServer;
let browser: Browser;
const password = 'correct horse battery staple';

beforeAll(async () => {
  [server, browser] = await Promise.all([startImportServer(), launchBrowser()]);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

type Story = {
  language: 'en' | 'nl';
  locale: string;
  mainNavigation: string;
  imports: string;
  newImport: string;
  browse: string;
  howRead: string;
  next: string;
  typeQuestion: string;
  fieldsTitle: string;
  fieldFor: (column: string) => string;
  doNotImport: string;
  waiting: string;
  open: (fileName: string) => string;
  checkFile: string;
  checkTitle: string;
  start: string;
  done: string;
};

const stories: Story[] = [
  {
    language: 'en',
    locale: 'en-GB',
    mainNavigation: 'Main navigation',
    imports: 'Imports',
    newImport: 'New import',
    browse: 'Browse computer',
    howRead: 'How the file is read',
    next: 'Continue',
    typeQuestion: 'What do you want to import?',
    fieldsTitle: 'Select fields',
    fieldFor: (column) => `Field for column “${column}”`,
    doNotImport: 'Do not import',
    waiting: 'Waiting for mapping',
    open: (fileName) => `Open of ${fileName}`,
    checkFile: 'Check the file',
    checkTitle: 'Result of the check',
    start: 'Start import',
    done: 'Import finished',
  },
  {
    language: 'nl',
    locale: 'nl-NL',
    mainNavigation: 'Hoofdmenu',
    imports: 'Importeren',
    newImport: 'Nieuwe import',
    browse: 'Bestand kiezen',
    howRead: 'Hoe het bestand gelezen wordt',
    next: 'Verder',
    typeQuestion: 'Wat wil je importeren?',
    fieldsTitle: 'Kolommen koppelen',
    fieldFor: (column) => `Veld voor kolom “${column}”`,
    doNotImport: 'Niet importeren',
    waiting: 'Wacht op koppelen',
    open: (fileName) => `Openen van ${fileName}`,
    checkFile: 'Bestand controleren',
    checkTitle: 'Resultaat van de controle',
    start: 'Import starten',
    done: 'Import klaar',
  },
];

describe('an import picked up where it was left', () => {
  it.each(stories)(
    '$language: the mapping changed, the tab closed, found in the history and finished',
    { timeout: 150_000 },
    async (story) => {
      const email = `resume-${story.language}@shop.example`;
      await server.services.staff.createUser({ email, name: 'Resume', password, language: story.language });
      const fileName = `resume-${story.language}.csv`;
      const domain = `resume-${story.language}.test`;
      const rows = `E-mail,First name,Last name,City\r\nanna@${domain},Anna,Appel,Delft\r\nbram@${domain},Bram,Bes,Gouda\r\n`;

      // The first tab: upload, on to the fields, leave City out; then the tab is closed.
      const first = await openPage(browser, { locale: story.locale });
      await logIn(first.page, server.baseUrl, email, password);
      await first.page
        .getByRole('navigation', { name: story.mainNavigation })
        .getByRole('link', { name: story.imports })
        .click();
      await first.page.getByRole('link', { name: story.newImport }).first().click();
      const [chooser] = await Promise.all([
        first.page.waitForEvent('filechooser'),
        first.page.getByRole('button', { name: story.browse }).click(),
      ]);
      await chooser.setFiles({ name: fileName, mimeType: 'text/csv', buffer: Buffer.from(rows) });
      await first.page.getByRole('heading', { name: story.howRead }).waitFor();
      await first.page.getByRole('button', { name: story.next }).click();
      await first.page.getByText(story.typeQuestion).waitFor();
      await first.page.getByRole('button', { name: story.next }).click();
      await first.page.getByRole('heading', { name: story.fieldsTitle }).waitFor();
      const city = (page: typeof first.page) => page.getByRole('combobox', { name: story.fieldFor('City') });
      await city(first.page).click();
      await first.page.getByRole('option', { name: story.doNotImport, exact: true }).click();
      // Saved with the import as it is chosen, before anything else is pressed.
      const id = Number(/\/imports\/(\d+)/.exec(first.page.url())?.[1]);
      const cityField = async () => {
        const { mapping } = await server.services.imports.find(id);
        const columns = (mapping as { columns?: Array<{ index: number; field: string | null }> } | null)
          ?.columns;
        return columns?.find((column) => column.index === 3)?.field;
      };
      await expect.poll(cityField).toBeNull();
      expect(first.pageErrors).toEqual([]);
      await first.page.context().close();

      // Another tab, later: the import is in the history, waiting for its mapping; opened, it goes on.
      const { page, pageErrors } = await openPage(browser, { locale: story.locale });
      await logIn(page, server.baseUrl, email, password);
      await page
        .getByRole('navigation', { name: story.mainNavigation })
        .getByRole('link', { name: story.imports })
        .click();
      const row = page.getByRole('row').filter({ hasText: fileName });
      await row.getByText(story.waiting).waitFor();
      await page.screenshot({
        path: `test-results/import-resume-history-${story.language}.png`,
        fullPage: true,
      });
      await row.getByRole('link', { name: story.open(fileName) }).click();
      await page.getByRole('heading', { name: story.howRead }).waitFor();
      await page.getByRole('button', { name: story.next }).click();
      await page.getByText(story.typeQuestion).waitFor();
      await page.getByRole('button', { name: story.next }).click();
      await page.getByRole('heading', { name: story.fieldsTitle }).waitFor();
      expect(await city(page).inputValue()).toBe(story.doNotImport);
      await page.getByRole('button', { name: story.next }).click();
      await page.getByRole('button', { name: story.checkFile }).click();
      await page.getByRole('heading', { name: story.checkTitle }).waitFor({ timeout: 20_000 });
      await page.getByRole('button', { name: story.start }).click();
      await page.getByRole('heading', { name: story.done, exact: true }).waitFor({ timeout: 20_000 });
      const anna = await server.services.customers.findByEmail(`anna@${domain}`);
      expect(anna).toBeTruthy();
      expect(JSON.stringify(anna)).not.toContain('Delft');
      expect(pageErrors).toEqual([]);
      await page.context().close();
    },
  );
});

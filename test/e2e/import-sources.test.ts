import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPage, seriousAccessibilityViolations } from '../support/browser.ts';
import { logIn, startImportServer, type ImportServer } from './import-support.ts';

/**
 * Issue #18, point 4, in the back office: Imports › Recurring imports. A staff user sets up a
 * source that fetches a customer list from a web address (a real HTTP server this test starts on
 * 127.0.0.1, which the server allows through SOURCE_ALLOWED_HOSTS) with a sign-in whose secret
 * is never shown again, runs it now, follows the run to its import and back from the import
 * history; then the file changes, the next run waits for approval with its reasons, and the
 * staff user looks at the check first and approves (English) or declines (Dutch) it; the Dutch
 * user then deletes the source, whose imports stay in the history.
 */

const password = 'correct horse battery staple';
const runTimeoutMs = 30_000;
let server: ImportServer;
let browser: Browser;
let web: Server;
let webBase = '';
/** What the ERP's web server answers per path; a test swaps the file to make the next run wait. */
const files: Record<string, { body: string; authorization: string }> = {};

beforeAll(async () => {
  web = createServer((request: IncomingMessage, response: ServerResponse) => {
    const file = files[request.url ?? ''];
    if (!file) return void response.writeHead(404).end();
    if (request.headers.authorization !== file.authorization) return void response.writeHead(401).end();
    response.writeHead(200, { 'content-type': 'text/csv' }).end(file.body);
  });
  await new Promise<void>((resolve) => web.listen(0, '127.0.0.1', resolve));
  webBase = `http://127.0.0.1:${(web.address() as AddressInfo).port}`;
  [server, browser] = await Promise.all([
    startImportServer({
      SOURCE_ALLOWED_HOSTS: '127.0.0.1',
      SOURCE_CREDENTIALS_KEY: 'an-e2e-secret-of-at-least-32-characters',
    }),
    launchBrowser(),
  ]);
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await new Promise((resolve) => web?.close(resolve));
});

const stories = [
  {
    language: 'en' as const,
    locale: 'en-GB',
    email: 'emma@shop.example',
    name: 'Emma Bakker',
    imports: 'Imports',
    sources: 'Recurring imports',
    newSource: 'New recurring import',
    create: 'Create recurring import',
    nameLabel: 'Name',
    urlLabel: 'Web address',
    mapping: 'Saved mapping',
    signIn: 'Sign-in',
    basic: 'User name and password (basic auth)',
    userLabel: 'User name',
    passwordLabel: 'Password',
    everyDay: 'Every day',
    at: 'At',
    needName: 'Enter a name.',
    needMapping: 'Choose a saved mapping.',
    scheduleWords: 'Every day at 06:30',
    runNow: 'Run now',
    imported: 'Imported',
    waiting: 'Waiting for approval',
    fromSource: 'Recurring import',
    edit: 'Edit',
    stored: 'Stored: User name and password (basic auth)',
    replace: 'Replace',
    save: 'Save',
    reasonColumns: 'new: Loyalty',
    reasonRejected: 'Rows rejected: 1',
    lookFirst: 'Look at the check',
    decide: 'Approve',
    decided: 'Approved by Emma Bakker',
    lastRun: 'Imported',
    confirmTitle: 'Import the file of',
  },
  {
    language: 'nl' as const,
    locale: 'nl-NL',
    email: 'joost@shop.example',
    name: 'Joost Smit',
    imports: 'Importeren',
    sources: 'Terugkerende imports',
    newSource: 'Nieuwe terugkerende import',
    create: 'Terugkerende import aanmaken',
    nameLabel: 'Naam',
    urlLabel: 'Webadres',
    mapping: 'Opgeslagen koppeling',
    signIn: 'Aanmelden',
    basic: 'Gebruikersnaam en wachtwoord (basic auth)',
    userLabel: 'Gebruikersnaam',
    passwordLabel: 'Wachtwoord',
    everyDay: 'Elke dag',
    at: 'Om',
    needName: 'Vul een naam in.',
    needMapping: 'Kies een opgeslagen koppeling.',
    scheduleWords: 'Elke dag om 06:30',
    runNow: 'Nu uitvoeren',
    imported: 'Geïmporteerd',
    waiting: 'Wacht op goedkeuring',
    fromSource: 'Terugkerende import',
    edit: 'Wijzigen',
    stored: 'Opgeslagen: Gebruikersnaam en wachtwoord (basic auth)',
    replace: 'Vervangen',
    save: 'Opslaan',
    reasonColumns: 'nieuw: Loyalty',
    reasonRejected: 'Afgewezen rijen: 1',
    lookFirst: 'Bekijk de controle',
    decide: 'Afwijzen',
    decided: 'Afgewezen door Joost Smit',
    lastRun: 'Afgewezen',
    confirmTitle: 'Het bestand van',
  },
];

/** Notifications fade in and out: axe would measure their half-transparent text. Scan once they are gone. */
const notificationsGone = (page: Page) =>
  page.locator('.mantine-Notification-root').first().waitFor({ state: 'detached', timeout: 20_000 });

const runRows = (page: Page) =>
  page.getByRole('table', { name: /^(Runs|Uitvoeringen)$/ }).locator('tbody tr');

describe('recurring imports in the back office', () => {
  it.each(stories)(
    '$language: set up, run now, follow the run to its import, and decide on a run that waits',
    { timeout: 240_000 },
    async (story) => {
      const staffId = (
        await server.services.staff.createUser({
          email: story.email,
          name: story.name,
          password,
          language: story.language,
        })
      ).id;
      // The saved mapping the source uses, made from a first upload of the ERP's file by hand.
      const headings = 'E-mail,First name,Last name';
      const sample = await server.services.imports.upload(
        Readable.from([Buffer.from(`${headings}\nsample.${story.language}@erp.example,Sam,Ple\n`)]),
        `erp-${story.language}.csv`,
        { id: staffId, name: story.name, language: story.language },
      );
      const mapping = await server.services.savedMappings.save(
        { name: `ERP ${story.language}`, importId: sample.id },
        staffId,
      );
      const path = `/customers-${story.language}.csv`;
      const secret = `s3cret-${story.language}`;
      const authorization = `Basic ${Buffer.from(`erp:${secret}`).toString('base64')}`;
      files[path] = {
        authorization,
        body: `${headings}\nanna.${story.language}@erp.example,Anna,Appel\nbram.${story.language}@erp.example,Bram,Bes\n`,
      };

      const { page, pageErrors } = await openPage(browser, { locale: story.locale });
      await logIn(page, server.baseUrl, story.email, password);
      await page.getByRole('navigation').getByRole('link', { name: story.imports }).click();
      await page.getByRole('link', { name: story.sources }).click();
      await page.getByRole('heading', { name: story.sources, level: 1 }).waitFor();
      await page.getByRole('link', { name: story.newSource }).first().click();

      // The form says what is missing, in the staff user's language, before anything is sent.
      await page.getByRole('button', { name: story.create }).click();
      await page.getByText(story.needName).waitFor();
      await page.getByText(story.needMapping).waitFor();

      const sourceName = `ERP nightly ${story.language}`;
      await page.getByRole('textbox', { name: story.nameLabel, exact: true }).fill(sourceName);
      await page.getByRole('textbox', { name: story.urlLabel }).fill(`${webBase}${path}`);
      await page.getByRole('combobox', { name: story.signIn }).click();
      await page.getByRole('option', { name: story.basic }).click();
      await page.getByRole('textbox', { name: story.userLabel }).fill('erp');
      await page.getByLabel(new RegExp(`^${story.passwordLabel}`)).fill(secret);
      await page.getByRole('combobox', { name: story.mapping }).click();
      await page.getByRole('option', { name: mapping.name }).click();
      await page.getByRole('radio', { name: story.everyDay }).check();
      await page.getByLabel(story.at, { exact: true }).fill('06:30');
      // The whole form in one picture (a tall window: a full-page shot repeats the fixed header).
      await page.setViewportSize({ width: 1280, height: 1700 });
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({ path: `test-results/import-sources-form-${story.language}.png` });
      await page.setViewportSize({ width: 1280, height: 900 });
      if (story.language === 'nl') expect(await seriousAccessibilityViolations(page)).toEqual([]);
      await page.getByRole('button', { name: story.create }).click();

      // The source's page: its settings in words, then Run now; the run imports by itself.
      await page.getByRole('heading', { name: sourceName, level: 1 }).waitFor();
      await page.getByText(story.scheduleWords).waitFor();
      const sourceUrl = page.url();
      await page.getByRole('button', { name: story.runNow }).click();
      await runRows(page).first().getByText(story.imported).waitFor({ timeout: runTimeoutMs });
      const importLink = runRows(page)
        .first()
        .getByRole('link', { name: /^Import #\d+$/ });
      const importId = Number((await importLink.textContent())?.replace(/\D/g, ''));
      // "Imported" means its import started: the customers are there when that import is done.
      const erpCustomers = async () =>
        (
          await server.services.db.pool.query<{ email: string }>(
            "SELECT email FROM customers WHERE email LIKE $1 AND email NOT LIKE 'sample.%' ORDER BY email",
            [`%.${story.language}@erp.example`],
          )
        ).rows.map((row) => row.email);
      await expect
        .poll(erpCustomers, { timeout: runTimeoutMs })
        .toEqual([`anna.${story.language}@erp.example`, `bram.${story.language}@erp.example`]);

      // The run's import names its source, on its page and in the import history.
      await importLink.click();
      await page.getByRole('heading', { name: `customers-${story.language}.csv`, level: 1 }).waitFor();
      await page.getByRole('main').getByRole('link', { name: sourceName }).waitFor();
      await page.getByRole('navigation').getByRole('link', { name: story.imports }).click();
      const historyRow = page
        .getByRole('row')
        .filter({ hasText: `import #${importId}` })
        .filter({ hasText: `customers-${story.language}.csv` });
      await historyRow.getByText(story.fromSource).waitFor();
      await historyRow.getByRole('link', { name: sourceName }).waitFor();
      await page.screenshot({
        path: `test-results/import-sources-history-${story.language}.png`,
        fullPage: true,
      });

      // Editing never shows the stored secret; left alone it stays (the next run signs in with it).
      await page.goto(sourceUrl);
      await page.getByRole('link', { name: story.edit }).click();
      await page.getByText(story.stored).waitFor();
      await page.screenshot({ path: `test-results/import-sources-edit-${story.language}.png` });
      expect(await page.content()).not.toContain(secret);
      await page.getByRole('button', { name: story.replace }).click();
      expect(await page.getByLabel(new RegExp(`^${story.passwordLabel}`)).inputValue()).toBe('');
      await page
        .getByRole('button', { name: /^(Keep the stored ones|De opgeslagen gegevens houden)$/ })
        .click();
      await page
        .getByRole('radio', { name: /^(Only when I press Run now|Alleen als ik op Nu uitvoeren druk)$/ })
        .check();
      await page.getByRole('button', { name: story.save }).click();
      await page.getByRole('heading', { name: sourceName, level: 1 }).waitFor();

      // The ERP adds a column and sends a bad row: the next run is checked and waits, with its reasons.
      files[path] = {
        authorization,
        body: `${headings},Loyalty\nanna.${story.language}@erp.example,Anna,Appel-Boom,gold\nnot-an-address,No,Body,\n`,
      };
      await page.getByRole('button', { name: story.runNow }).click();
      const waitingRow = runRows(page).first();
      await waitingRow.getByText(story.waiting).waitFor({ timeout: runTimeoutMs });
      await waitingRow.getByText(story.reasonColumns).waitFor();
      await waitingRow.getByText(story.reasonRejected).waitFor();
      // (English: the picture for the docs, once the notifications are gone; and the one axe scan of this screen.)
      if (story.language === 'en') await notificationsGone(page);
      await page.screenshot({
        path: `test-results/import-sources-waiting-${story.language}.png`,
        fullPage: true,
      });
      if (story.language === 'en') expect(await seriousAccessibilityViolations(page)).toEqual([]);

      // Look at the check first; decide there, after a confirmation.
      await waitingRow.getByRole('link', { name: story.lookFirst }).click();
      const note = page.getByRole('status').filter({ hasText: story.waiting });
      await note.waitFor();
      // The check is there to look at; the import starts with Approve, not with the check's own Start.
      await page
        .getByRole('heading', { name: /^(Result of the check|Resultaat van de controle)$/ })
        .waitFor();
      expect(await page.getByRole('button', { name: /^(Start import|Import starten)$/ }).count()).toBe(0);
      await page.screenshot({
        path: `test-results/import-sources-check-${story.language}.png`,
        fullPage: true,
      });
      await note.getByRole('button', { name: story.decide }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByText(story.confirmTitle).waitFor();
      await dialog.getByRole('button', { name: story.decide }).click();
      await note.waitFor({ state: 'detached', timeout: runTimeoutMs });
      await page.goto(sourceUrl);
      await runRows(page).first().getByText(story.decided).waitFor({ timeout: runTimeoutMs });
      await page.screenshot({
        path: `test-results/import-sources-decided-${story.language}.png`,
        fullPage: true,
      });

      // Approved, the run's import applies the file; declined, the customers stay as they were.
      const lastNameOfAnna = async () =>
        (
          await server.services.db.pool.query<{ last_name: string }>(
            'SELECT last_name FROM customers WHERE email = $1',
            [`anna.${story.language}@erp.example`],
          )
        ).rows[0]?.last_name;
      if (story.language === 'en') {
        await runRows(page).first().getByText(story.imported).waitFor({ timeout: runTimeoutMs });
        await expect.poll(lastNameOfAnna, { timeout: runTimeoutMs }).toBe('Appel-Boom');
      } else {
        expect(await lastNameOfAnna()).toBe('Appel');
      }

      // The list: where each source fetches from, its schedule in words, and how its last run went.
      await page.getByRole('link', { name: story.sources }).click();
      const listRow = page.getByRole('row').filter({ hasText: sourceName });
      await listRow.getByText(story.lastRun).waitFor();
      await listRow.getByText(`${webBase}${path}`).waitFor();
      await page.screenshot({
        path: `test-results/import-sources-list-${story.language}.png`,
        fullPage: true,
      });

      // Deleted after a confirmation, the source leaves the list; its imports stay in the history.
      if (story.language === 'nl') {
        await listRow.getByRole('link', { name: sourceName }).click();
        await page.getByRole('button', { name: 'Verwijderen' }).click();
        await page
          .getByRole('dialog')
          .getByText('De imports ervan blijven in de importgeschiedenis.')
          .waitFor();
        await page.getByRole('dialog').getByRole('button', { name: 'Verwijderen' }).click();
        await page.getByRole('heading', { name: story.sources, level: 1 }).waitFor();
        await listRow.waitFor({ state: 'detached' });
        const left = await server.services.db.pool.query<{ n: number }>(
          "SELECT count(*)::int AS n FROM imports WHERE file_name = 'customers-nl.csv'",
        );
        expect(left.rows[0]?.n).toBe(2);
      }
      expect(pageErrors).toEqual([]);
      await page.context().close();
    },
  );
});

// Code inside page.evaluate() runs in the browser, so these files see the DOM types too.
/// <reference lib="dom" />
import { readFile } from 'node:fs/promises';
import iconv from 'iconv-lite';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture } from '../imports/import-helpers.ts';
import { launchBrowser, openPage, seriousAccessibilityViolations, uiTimeoutMs } from '../support/browser.ts';
import {
  countCards,
  dutchFileWithBrokenRows,
  logIn,
  startImportServer,
  type ImportServer,
  storedRenee,
} from './import-support.ts';

let server: ImportServer;
let browser: Browser;
const password = 'correct horse battery staple';
const shots = process.env.IMPORT_SCREENSHOTS;

beforeAll(async () => {
  [server, browser] = await Promise.all([startImportServer({ IMPORT_MAX_FILE_MB: '1' }), launchBrowser()]);
  await server.services.staff.createUser({
    email: 'sanne@shop.example',
    name: 'Sanne de Vries',
    password,
    language: 'en',
  });
  // Renée is a customer already: the file updates her (a new phone number, the rest as stored).
  await server.services.customers.create(storedRenee);
  // And a customer no import touches.
  await server.services.customers.create({
    email: 'someone@else.example',
    firstName: 'Some',
    lastName: 'One',
  });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function shot(page: Page, name: string) {
  if (!shots) return;
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: `${shots}/${name}.png`, fullPage: true });
}

const uploads = (page: Page) => {
  const posts: string[] = [];
  page.on('request', (request) => {
    if (request.method() === 'POST' && new URL(request.url()).pathname === '/api/v1/imports')
      posts.push(request.url());
  });
  return posts;
};

/** Clicks through the file and type steps to the mapping screen. */
async function toFields(page: Page) {
  await page.getByRole('heading', { name: 'How the file is read' }).waitFor();
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByRole('radio', { name: /Customers/ }).waitFor();
  expect(await page.getByRole('radio', { name: /Customers/ }).isChecked()).toBe(true);
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByRole('heading', { name: 'Select fields' }).waitFor();
}

async function checkFile(page: Page) {
  await page.getByRole('button', { name: 'Continue' }).click();
  // This story is about rejected rows and the rejected-rows file: bad values reject their row
  // (strict). What the default does with them is import-warnings.test.ts's story.
  await page.getByRole('radio', { name: 'Reject the whole row (strict)' }).check();
  await page.getByRole('button', { name: 'Check the file' }).click();
  await page.getByRole('heading', { name: 'Result of the check' }).waitFor();
}

async function uploadFile(page: Page, name: string, buffer: Buffer) {
  const [chooser] = await Promise.all([
    page.waitForEvent('filechooser'),
    page.getByRole('button', { name: 'Browse computer' }).click(),
  ]);
  await chooser.setFiles({
    name,
    mimeType: name.endsWith('.csv') ? 'text/csv' : 'application/octet-stream',
    buffer,
  });
}

describe('the import tool, as a shop owner uses it', () => {
  it(
    'uploads a Dutch Excel file, maps, checks, imports with progress, reports, re-imports the fixed rows and undoes',
    { timeout: 180_000 },
    async () => {
      const { page, pageErrors } = await openPage(browser);
      const posted = uploads(page);
      await logIn(page, server.baseUrl, 'sanne@shop.example', password);
      await page
        .getByRole('navigation', { name: 'Main navigation' })
        .getByRole('link', { name: 'Imports' })
        .click();
      await page.getByRole('heading', { name: 'Imports', level: 1 }).waitFor();
      await page.getByText('No imports yet').waitFor();
      await page.getByRole('link', { name: 'New import' }).first().click();
      await page.getByText('CSV, TSV or TXT, or an Excel workbook (.xlsx), up to 1 MB').waitFor();
      await shot(page, 'upload');

      // Too big: said before anything is sent.
      await uploadFile(page, 'alle-klanten.csv', Buffer.alloc(1024 * 1024 + 200 * 1024, 'a'));
      await page.getByRole('alert').getByText('This file is too large').waitFor();
      await page
        .getByText('“alle-klanten.csv” is 1.2 MB; an import takes files up to 1 MB.', { exact: false })
        .waitFor();
      expect(posted).toEqual([]);
      // Refused by the server, with its explanation.
      await uploadFile(page, 'klanten.xls', fixture('legacy-header.xls'));
      await page.getByRole('alert').getByText('This file cannot be imported').waitFor();
      await page
        .getByRole('alert')
        .getByText(/old Excel 97–2003 workbook \(\.xls\)/)
        .waitFor();
      expect(posted).toHaveLength(1);

      // The real file: semicolons, Windows-1252, three good rows and three problem rows.
      await uploadFile(page, 'klanten.csv', dutchFileWithBrokenRows());
      await page.waitForURL(/\/admin\/imports\/\d+$/);
      const firstImportUrl = page.url();
      await page.getByRole('heading', { name: 'klanten.csv', level: 1 }).waitFor();
      expect(await page.getByRole('combobox', { name: 'Character set' }).inputValue()).toBe(
        'Windows-1252 (Excel “CSV”)',
      );
      expect(await page.getByRole('combobox', { name: 'Separator' }).inputValue()).toBe('Semicolon ;');
      expect(await page.getByRole('textbox', { name: 'Heading row' }).inputValue()).toBe('1');
      const fileRows = page.getByRole('table', { name: 'The first rows of the file' });
      await fileRows.getByRole('cell', { name: 'Renée' }).waitFor();
      await fileRows.getByRole('cell', { name: 'Straße des 17. Juni' }).waitFor();
      await shot(page, 'analyse');

      // Mapped automatically from the Dutch headings.
      await toFields(page);
      const fieldOf = (heading: string) =>
        page.getByRole('combobox', { name: `Field for column “${heading}”` });
      const expected: Record<string, string> = {
        'E-mailadres': 'E-mail',
        Voornaam: 'First name',
        Tussenvoegsel: 'Name insertion',
        Achternaam: 'Last name',
        Straat: 'Billing street',
        Huisnummer: 'Billing house number',
        Postcode: 'Billing postcode',
        Woonplaats: 'Billing city',
        Telefoon: 'Phone',
        Geboortedatum: 'Date of birth',
      };
      for (const [heading, field] of Object.entries(expected))
        expect(await fieldOf(heading).inputValue(), heading).toBe(field);
      const mappingTable = page.getByRole('table', { name: 'Columns of the file and the fields they fill' });
      expect(await mappingTable.getByRole('row', { name: /Voornaam/ }).innerText()).toContain(
        'Exact heading',
      );
      expect(await mappingTable.getByRole('row', { name: /Woonplaats/ }).innerText()).toContain(
        'Known heading',
      );
      expect(await page.getByText('Still needed for new customers').count()).toBe(0);
      const values = page.getByRole('table', { name: 'What the first rows become' });
      await values.getByRole('cell', { name: 'Keizersgracht' }).waitFor();
      expect(await values.getByRole('row', { name: /renee\.jansen/ }).innerText()).toMatch(/1980-03-05/);
      expect(await values.getByRole('row', { name: /piet\.puk/ }).innerText()).toContain(
        'is not a valid e-mail address',
      );
      expect(await seriousAccessibilityViolations(page)).toEqual([]);
      await shot(page, 'fields');

      // The check: counts, the change to Renée field by field, and a fix to accept.
      await checkFile(page);
      await expect
        .poll(() => countCards(page), { timeout: uiTimeoutMs })
        .toEqual({ created: '2', updated: '1', unchanged: '0', rejected: '3' });
      await page.getByText('Row 2 · renee.jansen@example.nl').waitFor();
      await page.getByText('Phone: +31 6 12345678 → +31 20 123 4567').waitFor();
      await page.getByText('Column “Telefoon”: 1 value seems to have lost its leading 0 in Excel.').waitFor();
      await page.getByText('612345678 → 0612345678').waitFor();
      await page.getByRole('button', { name: 'Accept the fix for column “Telefoon”' }).click();
      await expect
        .poll(() => countCards(page), { timeout: uiTimeoutMs })
        .toEqual({ created: '3', updated: '1', unchanged: '0', rejected: '2' });
      await page.getByText('Column “Telefoon”: the leading 0 that Excel removed is put back.').waitFor();
      await page.getByRole('tab', { name: 'Rejected rows (2)' }).click();
      const rejectedSample = page.getByRole('table', { name: 'Rejected rows' });
      expect(await rejectedSample.getByRole('row', { name: /piet\.puk@example/ }).innerText()).toContain(
        '“piet.puk@example” is not a valid e-mail address.',
      );
      expect(await rejectedSample.getByRole('row', { name: /99999/ }).innerText()).toContain('Postcode');
      await shot(page, 'check');

      // Start: the import runs in the background, with live progress; held after its first batch.
      server.holdImportAfterFirstBatch();
      await page.getByRole('button', { name: 'Start import' }).click();
      await page.getByText('2 of 6 rows (33%)').waitFor();
      await page.getByRole('button', { name: 'Cancel import' }).waitFor();
      await shot(page, 'progress');
      // Leave and come back: the list shows it running, and "Open" returns to the progress.
      await page.getByRole('link', { name: 'Imports' }).first().click();
      const running = page.getByRole('row', { name: /klanten\.csv/ });
      await running.getByText('Importing').waitFor();
      await running.getByText('33%').waitFor();
      await running.getByRole('link', { name: 'Open of klanten.csv' }).click();
      await page.getByText('2 of 6 rows (33%)').waitFor();
      server.releaseImport();

      // The report.
      await page
        .getByRole('heading', { name: 'Import finished, with rejected rows' })
        .waitFor({ timeout: 20_000 });
      expect(page.url()).toBe(firstImportUrl);
      expect(await countCards(page)).toEqual({ created: '3', updated: '1', unchanged: '0', rejected: '2' });
      await page.getByText('Started by').waitFor();
      await page.getByText('Create new customers and update existing ones').waitFor();
      expect(await page.getByText('Fixes accepted for:').locator('..').innerText()).toBe(
        'Fixes accepted for: Phone',
      );
      const rejected = page.getByRole('table', { name: 'Rejected rows' });
      expect(await rejected.locator('tbody tr').allInnerTexts()).toEqual([
        expect.stringMatching(
          /^6\s+E-mailadres\s+piet\.puk@example\s+“piet\.puk@example” is not a valid e-mail address\.$/,
        ),
        expect.stringMatching(/^7\s+Postcode\s+99999\s+.*postcode/),
      ]);
      expect(await seriousAccessibilityViolations(page)).toEqual([]);
      await shot(page, 'report');

      // Download the rejected rows: the same layout, encoding and separator, with the reason added.
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('link', { name: 'Download rejected rows' }).click(),
      ]);
      expect(download.suggestedFilename()).toBe('klanten-rejected.csv');
      const rejectedFile = iconv.decode(await readFile(await download.path()), 'windows-1252');
      const lines = rejectedFile.split('\r\n').filter(Boolean);
      expect(lines).toHaveLength(3);
      expect(lines[0]).toBe(
        'E-mailadres;Voornaam;Tussenvoegsel;Achternaam;Straat;Huisnummer;Toevoeging;Postcode;Woonplaats;Land;Telefoon;Geboortedatum;Nieuwsbrief;Geslacht;Import errors',
      );
      expect(lines[1]).toMatch(
        /^piet\.puk@example;Piet;;Puk;Stationsweg;7;;2312 AV;Leiden;Nederland;071-5123456;15-06-1990;nee;man;Row 6 – E-mailadres: .*not a valid e-mail address/,
      );
      expect(lines[2]).toMatch(
        /^lotte\.devries@example\.nl;Lotte;de;Vries;Kerkstraat;5;;99999;Rotterdam;.*;Row 7 – Postcode: /,
      );

      // The customers this import created or updated, as a removable filter of the customer list.
      await page.getByRole('link', { name: 'Show the 4 customers this import created or updated' }).click();
      await page.waitForURL(/\/admin\/customers\?importId=\d+$/);
      await page.getByText(/^Changed by import #\d+$/).waitFor();
      await expect.poll(() => page.locator('tbody tr').count(), { timeout: uiTimeoutMs }).toBe(4);
      expect((await page.locator('tbody').innerText()).includes('someone@else.example')).toBe(false);
      await page.getByRole('button', { name: /^Remove the filter “changed by import #\d+”$/ }).click();
      await expect.poll(() => page.locator('tbody tr').count(), { timeout: uiTimeoutMs }).toBe(5);

      // Fix the two rows in the downloaded file and import it again (its error column is ignored).
      const fixed = rejectedFile
        .replace('piet.puk@example;', 'piet.puk@example.nl;')
        .replace(';99999;', ';3011 AB;');
      await page
        .getByRole('navigation', { name: 'Main navigation' })
        .getByRole('link', { name: 'Imports' })
        .click();
      await page.getByRole('link', { name: 'New import' }).first().click();
      await uploadFile(page, 'klanten-rejected.csv', iconv.encode(fixed, 'windows-1252'));
      await page.waitForURL(/\/admin\/imports\/\d+$/);
      await toFields(page);
      expect(await fieldOf('Import errors').inputValue()).toBe('Do not import');
      await checkFile(page);
      await expect
        .poll(() => countCards(page), { timeout: uiTimeoutMs })
        .toEqual({ created: '2', updated: '0', unchanged: '0', rejected: '0' });
      await page.getByRole('button', { name: 'Start import' }).click();
      await page.getByRole('heading', { name: 'Import finished' }).waitFor({ timeout: 20_000 });
      expect(await countCards(page)).toEqual({ created: '2', updated: '0', unchanged: '0', rejected: '0' });
      expect((await server.services.customers.findByEmail('piet.puk@example.nl'))?.billingAddress.city).toBe(
        'Leiden',
      );

      // Both imports in the list; the first one's report, and undo it.
      await page.getByRole('link', { name: 'Imports' }).first().click();
      const list = page.getByRole('table', { name: 'Imports' });
      await list
        .getByRole('row', { name: /klanten-rejected\.csv/ })
        .getByText('Done', { exact: true })
        .waitFor();
      expect(await list.getByRole('row', { name: /klanten\.csv/ }).innerText()).toMatch(
        /Done with errors[\s\S]*3 new · 1 updated · 0 unchanged\s+2 rejected/,
      );
      await page.mouse.move(900, 10); // off the menu link just clicked: axe would rate its hover colours
      expect(await seriousAccessibilityViolations(page)).toEqual([]);
      await shot(page, 'list');
      await page.getByRole('searchbox', { name: 'File name' }).fill('rejected');
      await expect.poll(() => list.locator('tbody tr').count(), { timeout: uiTimeoutMs }).toBe(1);
      await page.getByRole('button', { name: 'Clear filters' }).click();
      await expect.poll(() => list.locator('tbody tr').count(), { timeout: uiTimeoutMs }).toBe(2);
      await list.getByRole('link', { name: 'View report of klanten.csv' }).click();
      await page.getByRole('button', { name: 'Undo import' }).click();
      const dialog = page.getByRole('dialog', { name: 'Undo this import?' });
      await dialog.getByText('3 customers this import created are deleted.').waitFor();
      await dialog.getByText('1 customer this import updated gets the previous values back.').waitFor();
      await shot(page, 'undo-confirm');
      await dialog.getByRole('button', { name: 'Undo import' }).click();
      await page.getByRole('heading', { name: 'The import was undone' }).waitFor({ timeout: 20_000 });
      await page.getByText('3 customers created by the import were deleted').waitFor();
      await page.getByText('1 customer got the previous values back').waitFor();
      await shot(page, 'undone');
      expect(await server.services.customers.findByEmail('kees.bakker@example.nl')).toBeUndefined();
      expect((await server.services.customers.findByEmail('renee.jansen@example.nl'))?.phone).toBe(
        '+31 6 12345678',
      );
      expect(await server.services.customers.findByEmail('piet.puk@example.nl')).toBeDefined();

      expect(pageErrors).toEqual([]);
      await page.context().close();
    },
  );

  it('maps hand-made Dutch headings, with fuzzy scores, and shows combined columns split in the preview', async () => {
    const { page, pageErrors } = await openPage(browser);
    await logIn(page, server.baseUrl, 'sanne@shop.example', password);
    await page.goto(`${server.baseUrl}/admin/imports/new`);
    const csv = [
      'Klantnummer;Naam;E-mailadres;Adres;Postcode;Woonplaats;Telefoonnr;Mobiele nr;Klantgroep;Opmerking intern',
      '1001;Jan van der Berg;jan.vdberg@example.nl;Keizersgracht 313-II;1016 EE;Amsterdam;020-1234567;06 12345678;Groothandel;Belt graag na vijven',
      '1002;Sanne de Vries;sanne@example.nl;Hoofdstraat 12a;3581 AB;Utrecht;;06 87654321;Particulier;',
      '1003;P. Jansen;p.jansen@example.nl;Laan 1940-1945 12;2312 AV;Leiden;071-5123456;;Groothandel;',
    ].join('\r\n');
    await uploadFile(
      page,
      'klantenlijst.csv',
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(csv, 'utf8')]),
    );
    await page.waitForURL(/\/admin\/imports\/\d+$/);
    await toFields(page);
    const fieldOf = (heading: string) =>
      page.getByRole('combobox', { name: `Field for column “${heading}”` });
    expect(await fieldOf('Naam').inputValue()).toBe('Full name');
    expect(await fieldOf('Adres').inputValue()).toBe('Billing street and number');
    const mappingTable = page.getByRole('table', { name: 'Columns of the file and the fields they fill' });
    expect(await mappingTable.getByRole('row', { name: /Telefoonnr/ }).innerText()).toMatch(
      /Similar \(88%\)/,
    );
    const values = page.getByRole('table', { name: 'What the first rows become' });
    await values.getByRole('columnheader', { name: /^First name\s+split from “Naam”$/ }).waitFor();
    await values
      .getByRole('columnheader', { name: /^Billing house number extension\s+split from “Adres”$/ })
      .waitFor();
    const jan = await values
      .getByRole('row', { name: /jan\.vdberg/ })
      .locator('td')
      .allInnerTexts();
    expect(jan).toEqual(expect.arrayContaining(['Jan', 'van der', 'Berg', 'Keizersgracht', '313', 'II']));
    const laan = await values
      .getByRole('row', { name: /p\.jansen/ })
      .locator('td')
      .allInnerTexts();
    expect(laan).toEqual(expect.arrayContaining(['P.', 'Jansen', 'Laan 1940-1945', '12']));
    if (shots) {
      // The README's picture of the mapping step (docs/screenshots/import-mapping.png).
      await page.setViewportSize({ width: 1280, height: 1780 });
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({ path: `${shots}/mapping-readme.png` });
      await page.setViewportSize({ width: 1280, height: 900 });
    }
    // Nothing required is missing; take the name out and the screen says what new customers lack.
    await page.getByRole('combobox', { name: 'Field for column “Naam”' }).click();
    await page.getByRole('option', { name: 'Do not import', exact: true }).click();
    await page.getByText('No column is mapped to: First name, Last name.', { exact: false }).waitFor();
    expect(pageErrors).toEqual([]);
    await page.context().close();
  });
});

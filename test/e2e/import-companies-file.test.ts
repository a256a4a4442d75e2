// Code inside evaluate() runs in the browser, so this file sees the DOM types too.
/// <reference lib="dom" />
import { mkdir, readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPage, seriousAccessibilityViolations, uiTimeoutMs } from '../support/browser.ts';
import { startLiveServer, type LiveServer } from '../support/live-server.ts';
import { countCards, dropFile, logIn } from './import-support.ts';

/**
 * Issue #19: a Companies file (the Companies export's headings) through the back office, in
 * English and in Dutch, as a shop owner clicks through it. Step Type finds Companies; step Check
 * shows the fixed rules instead of the customers' options and counts companies (one updated by
 * its Company ID, one unchanged, two new, one row without a name rejected, a malformed VAT
 * number left out with a warning); the report says the same in company words; the Companies
 * list shows the companies; undo takes them away again. No screen of it speaks of customers.
 * Screenshots of every step (both languages) go to test-results/.
 */

let server: LiveServer;
let browser: Browser;
const password = 'correct horse battery staple';

beforeAll(async () => {
  [server, browser] = await Promise.all([
    startLiveServer(),
    launchBrowser(),
    mkdir('test-results', { recursive: true }),
  ]);
  await server.services.startWorkers();
  await server.services.staff.createUser({ email: 'sanne@shop.example', name: 'Sanne', password, language: 'en' });
  await server.services.staff.createUser({ email: 'ilse@shop.example', name: 'Ilse', password, language: 'nl' });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

type Story = {
  language: 'en' | 'nl';
  locale: string;
  staff: string;
  fileName: string;
  /** The stored companies: one the file updates (notes and a billing city), one it leaves as it is. */
  stored: { updated: string; unchanged: string };
  /** The file, given the two stored companies' IDs. */
  file: (updatedId: number, unchangedId: number) => string;
  /** The two new companies as the Companies list shows them: name, CoC number, VAT number, city. */
  created: [string, string, string, string][];
  updatedCity: string;
  malformedVat: string;
  mapped: Record<string, string>;
  /** Words that must not appear in the wizard's own content of a Companies import. */
  customerWord: RegExp;
  text: Record<
    | 'nav' | 'imports' | 'newImport' | 'continue' | 'readTitle' | 'companiesType' | 'mappingTable'
    | 'optionsTitle' | 'optionsIntro' | 'rules' | 'check' | 'checkHeading' | 'checkCreated'
    | 'checkUpdated' | 'checkWarnings' | 'warningsIntro' | 'warningKind' | 'rejectedTab'
    | 'start' | 'done' | 'reportCreated' | 'reportUpdated' | 'reportWarnings' | 'rejectedTitle'
    | 'rejectedMessage' | 'downloadWarnings' | 'companies' | 'listLine' | 'viewReport' | 'undo' | 'undoDialog'
    | 'willDelete' | 'willRestore' | 'undoSkipped' | 'undone' | 'deleted' | 'restored',
    string
  >;
  fieldFor: (heading: string) => string;
};

const stories: Story[] = [
  {
    language: 'en',
    locale: 'en-GB',
    staff: 'sanne@shop.example',
    fileName: 'companies.csv',
    stored: { updated: 'Harbour Supplies Ltd', unchanged: 'Quiet Goods BV' },
    file: (updatedId, unchangedId) =>
      [
        'Company ID,Company name,Chamber of Commerce number,VAT number,Billing city,Notes',
        `${updatedId},Harbour Supplies Ltd,,,Rotterdam,Delivers on Mondays`,
        `${unchangedId},Quiet Goods BV,,,,`,
        ',Bakkerij de Korenaar,12345678,NL000099998B57,Utrecht,New in 2026',
        ',Delta Tools,,NL12345,Eindhoven,',
        ',,,,,Call back about the invoice',
        '',
      ].join('\r\n'),
    created: [
      ['Bakkerij de Korenaar', '12345678', 'NL000099998B57', 'Utrecht'],
      ['Delta Tools', '', '', 'Eindhoven'],
    ],
    updatedCity: 'Rotterdam',
    malformedVat: 'NL12345',
    mapped: {
      'Company ID': 'Company ID',
      'Company name': 'Company name',
      'Chamber of Commerce number': 'Chamber of Commerce number',
      'VAT number': 'VAT number',
      'Billing city': 'Billing city',
    },
    customerWord: /customer/i,
    fieldFor: (heading) => `Field for column “${heading}”`,
    text: {
      nav: 'Main navigation',
      imports: 'Imports',
      newImport: 'New import',
      continue: 'Continue',
      readTitle: 'How the file is read',
      companiesType: 'Companies',
      mappingTable: 'Columns of the file and the fields they fill',
      optionsTitle: 'Options',
      optionsIntro: 'Check what the file changes in your companies. The check reads the whole file but saves nothing.',
      rules: 'A company file has no options: each row finds its company by its Company ID, else its CoC number, else its VAT number, else its name (with a warning); a company that is not found is created. Empty cells keep the stored value. A CoC or VAT number that is not valid is left out and reported; the company comes in without it. Reverse charge is never set from a file.',
      check: 'Check the file',
      checkHeading: 'Result of the check',
      checkCreated: '2 companies will be created.',
      checkUpdated: '1 company will be updated from the file.',
      checkWarnings: '1 row will be imported with a warning',
      warningsIntro: 'These companies are imported. Each warning says what was left out or what to check on the company.',
      warningKind: 'CoC or VAT number not valid: company without it',
      rejectedTab: 'Rejected rows (1)',
      start: 'Start import',
      done: 'Import finished, with rejected rows',
      reportCreated: '2 companies created.',
      reportUpdated: '1 company updated from the file.',
      reportWarnings: '1 row imported with a warning',
      rejectedTitle: '1 rejected row',
      rejectedMessage: 'This row has no company name, no Chamber of Commerce or VAT number and no Company ID: a company cannot exist without a name. Give at least the company name.',
      downloadWarnings: 'Download the rows with warnings',
      companies: 'Companies',
      listLine: '2 new · 1 updated · 1 unchanged',
      viewReport: 'View report of companies.csv',
      undo: 'Undo import',
      undoDialog: 'Undo this import?',
      willDelete: '2 companies this import created are deleted.',
      willRestore: '1 company this import updated gets the previous values back.',
      undoSkipped: 'A value that was changed after the import (by hand or by another import) stays as it is, and a company that has contacts since is not deleted, so no later change is lost.',
      undone: 'The import was undone',
      deleted: '2 companies created by the import were deleted',
      restored: '1 company got the previous values back',
    },
  },
  {
    language: 'nl',
    locale: 'nl-NL',
    staff: 'ilse@shop.example',
    fileName: 'bedrijven.csv',
    stored: { updated: 'Bloemenhuis Zoë', unchanged: 'Stille Handel BV' },
    // As the Dutch Companies export writes it: semicolons, UTF-8 with a BOM.
    file: (updatedId, unchangedId) =>
      [
        '\uFEFFBedrijfs-ID;Bedrijfsnaam;KvK-nummer;Btw-nummer;Factuuradres plaats;Notities',
        `${updatedId};Bloemenhuis Zoë;;;Haarlem;Levert op maandag`,
        `${unchangedId};Stille Handel BV;;;;`,
        ';Tulp & Co;87654321;NL100000315B01;Leiden;Nieuw in 2026',
        ';Molen de Hoop;;NL9999;Zaandam;',
        ';;;;;Terugbellen over de factuur',
        '',
      ].join('\r\n'),
    created: [
      ['Tulp & Co', '87654321', 'NL100000315B01', 'Leiden'],
      ['Molen de Hoop', '', '', 'Zaandam'],
    ],
    updatedCity: 'Haarlem',
    malformedVat: 'NL9999',
    mapped: {
      'Bedrijfs-ID': 'Bedrijfs-ID',
      Bedrijfsnaam: 'Bedrijfsnaam',
      'KvK-nummer': 'KvK-nummer',
      'Btw-nummer': 'Btw-nummer',
      'Factuuradres plaats': 'Factuuradres plaats',
    },
    customerWord: /klant/i,
    fieldFor: (heading) => `Veld voor kolom “${heading}”`,
    text: {
      nav: 'Hoofdmenu',
      imports: 'Importeren',
      newImport: 'Nieuwe import',
      continue: 'Verder',
      readTitle: 'Hoe het bestand gelezen wordt',
      companiesType: 'Bedrijven',
      mappingTable: 'Kolommen van het bestand en de velden die ze vullen',
      optionsTitle: 'Opties',
      optionsIntro: 'Laat controleren wat het bestand aan je bedrijven verandert. De controle leest het hele bestand, maar slaat niets op.',
      rules: 'Een bedrijvenbestand heeft geen opties: elke rij vindt zijn bedrijf aan het bedrijfs-ID, anders het KvK-nummer, anders het btw-nummer, anders de naam (met een waarschuwing); een bedrijf dat niet gevonden wordt, wordt aangemaakt. Lege cellen houden de opgeslagen waarde. Een KvK- of btw-nummer dat niet klopt, wordt weggelaten en gemeld; het bedrijf komt binnen zonder dat nummer. Btw verlegd wordt nooit uit een bestand gezet.',
      check: 'Bestand controleren',
      checkHeading: 'Resultaat van de controle',
      checkCreated: '2 bedrijven worden aangemaakt.',
      checkUpdated: '1 bedrijf wordt bijgewerkt uit het bestand.',
      checkWarnings: '1 rij wordt geïmporteerd met een waarschuwing',
      warningsIntro: 'Deze bedrijven worden geïmporteerd. Elke waarschuwing zegt wat er is weggelaten of wat je bij het bedrijf moet nakijken.',
      warningKind: 'KvK- of btw-nummer klopt niet: bedrijf zonder dat nummer',
      rejectedTab: 'Afgekeurde rijen (1)',
      start: 'Import starten',
      done: 'Import klaar, met afgekeurde rijen',
      reportCreated: '2 bedrijven aangemaakt.',
      reportUpdated: '1 bedrijf bijgewerkt uit het bestand.',
      reportWarnings: '1 rij geïmporteerd met een waarschuwing',
      rejectedTitle: '1 afgekeurde rij',
      rejectedMessage: 'Deze rij heeft geen bedrijfsnaam, geen KvK- of btw-nummer en geen bedrijfs-ID: een bedrijf kan niet bestaan zonder naam. Geef ten minste de bedrijfsnaam.',
      downloadWarnings: 'Rijen met waarschuwingen downloaden',
      companies: 'Bedrijven',
      listLine: '2 nieuw · 1 bijgewerkt · 1 ongewijzigd',
      viewReport: 'Rapport bekijken van bedrijven.csv',
      undo: 'Import ongedaan maken',
      undoDialog: 'Deze import ongedaan maken?',
      willDelete: '2 bedrijven die deze import heeft aangemaakt, worden verwijderd.',
      willRestore: '1 bedrijf dat deze import heeft bijgewerkt, krijgt de vorige gegevens terug.',
      undoSkipped: 'Een waarde die na de import is gewijzigd (met de hand of door een andere import), blijft zoals hij is, en een bedrijf dat inmiddels contactpersonen heeft, wordt niet verwijderd, zodat er geen latere wijziging verloren gaat.',
      undone: 'De import is ongedaan gemaakt',
      deleted: '2 bedrijven die de import had aangemaakt, zijn verwijderd',
      restored: '1 bedrijf heeft de vorige gegevens terug',
    },
  },
];

async function shot(page: Page, language: string, name: string) {
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: `test-results/import-companies-file-${name}-${language}.png`, fullPage: true });
}

/** The Companies list's rows as the user reads them: name, CoC number (country), VAT number, city. */
async function companyRows(page: Page): Promise<Record<string, string[]>> {
  const rows = await page.locator('tbody tr').evaluateAll((elements) =>
    elements.map((row) => [...row.querySelectorAll('td')].slice(1, 5).map((cell) => cell.textContent?.trim() ?? '')),
  );
  return Object.fromEntries(rows.map(([name = '', ...rest]) => [name, rest]));
}

/** The wizard's own content (not the menu, which names Customers): it must not speak of customers. */
const mainText = (page: Page) => page.locator('main').innerText();

async function companiesStory(story: Story) {
  const { text } = story;
  const updated = await server.services.companies.create({ name: story.stored.updated, notes: 'Old note' });
  const unchanged = await server.services.companies.create({ name: story.stored.unchanged });
  const { page, pageErrors } = await openPage(browser, { locale: story.locale });
  await logIn(page, server.baseUrl, story.staff, password);
  const nav = page.getByRole('navigation', { name: text.nav });
  await nav.getByRole('link', { name: text.imports, exact: true }).click();
  await page.getByRole('link', { name: text.newImport }).first().click();
  await dropFile(page, story.fileName, Buffer.from(story.file(updated.id, unchanged.id), 'utf8'));
  await page.waitForURL(/\/admin\/imports\/\d+$/);
  await page.getByRole('heading', { name: text.readTitle }).waitFor();
  await page.getByRole('button', { name: text.continue }).click();

  // Step Type: the Company ID heading without an e-mail column makes it a Companies file.
  const companiesType = page.getByRole('radio', { name: new RegExp(`^${text.companiesType}`) });
  await companiesType.waitFor();
  expect(await companiesType.isChecked()).toBe(true);
  await shot(page, story.language, 'type');
  await page.getByRole('button', { name: text.continue }).click();

  await page.getByRole('table', { name: text.mappingTable }).waitFor();
  for (const [heading, field] of Object.entries(story.mapped))
    expect(await page.getByRole('combobox', { name: story.fieldFor(heading) }).inputValue(), heading).toBe(field);
  expect(await mainText(page)).not.toMatch(story.customerWord);
  await shot(page, story.language, 'fields');
  await page.getByRole('button', { name: text.continue }).click();

  // Step Check: the fixed rules instead of options, then the company counts.
  await page.getByRole('heading', { name: text.optionsTitle, exact: true }).waitFor();
  await page.getByText(text.optionsIntro, { exact: true }).waitFor();
  await page.getByText(text.rules, { exact: true }).waitFor();
  expect(await page.getByRole('radio').count()).toBe(0);
  await page.getByRole('button', { name: text.check }).click();
  await page.getByRole('heading', { name: text.checkHeading }).waitFor();
  await expect
    .poll(() => countCards(page), { timeout: uiTimeoutMs })
    .toEqual({ created: '2', updated: '1', unchanged: '1', rejected: '1' });
  await page.getByText(text.checkCreated, { exact: true }).waitFor();
  await page.getByText(text.checkUpdated, { exact: true }).waitFor();
  await page.getByText(text.checkWarnings, { exact: true }).waitFor();
  await page.getByText(text.warningsIntro, { exact: true }).waitFor();
  await page.getByRole('cell', { name: text.warningKind, exact: true }).waitFor();
  await page.getByRole('cell', { name: story.malformedVat, exact: true }).first().waitFor();
  expect(await page.getByRole('tab').allInnerTexts()).toContain(text.rejectedTab);
  expect(await mainText(page)).not.toMatch(story.customerWord);
  await shot(page, story.language, 'check');
  if (story.language === 'en') expect(await seriousAccessibilityViolations(page)).toEqual([]);

  // The report: the same counts, in company words, with the warning and the rejected row.
  await page.getByRole('button', { name: text.start }).click();
  await page.getByRole('heading', { name: text.done }).waitFor({ timeout: 30_000 });
  expect(await countCards(page)).toEqual({ created: '2', updated: '1', unchanged: '1', rejected: '1' });
  await page.getByText(text.reportCreated, { exact: true }).waitFor();
  await page.getByText(text.reportUpdated, { exact: true }).waitFor();
  await page.getByText(text.reportWarnings, { exact: true }).waitFor();
  await page.getByText(text.warningsIntro, { exact: true }).waitFor();
  await page.getByRole('heading', { name: text.rejectedTitle, exact: true }).waitFor();
  await page.getByRole('cell', { name: text.rejectedMessage, exact: true }).waitFor();
  expect(await mainText(page)).not.toMatch(story.customerWord);
  await shot(page, story.language, 'report');
  if (story.language === 'nl') expect(await seriousAccessibilityViolations(page)).toEqual([]);
  // The rows with warnings, downloaded: the row of the malformed VAT number, with what was done.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: text.downloadWarnings, exact: true }).click(),
  ]);
  const warningRows = (await readFile(await download.path())).toString('utf8');
  expect(warningRows).toContain(story.created[1]![0]);
  expect(warningRows).toContain(story.malformedVat);

  // The Companies list: the new companies (the malformed VAT number left out), the city added.
  await nav.getByRole('link', { name: text.companies, exact: true }).click();
  const listed = async (names: string[]) => {
    const rows = await companyRows(page);
    return names.map((name) => rows[name] ?? null);
  };
  const shown = (coc: string, vat: string, city: string) => [expect.stringMatching(coc ? `^${coc}(\\s|$)` : '^$'), vat, city];
  await expect
    .poll(() => listed([...story.created.map(([name]) => name), story.stored.updated]), { timeout: uiTimeoutMs })
    .toEqual([...story.created.map(([, coc, vat, city]) => shown(coc, vat, city)), shown('', '', story.updatedCity)]);
  await shot(page, story.language, 'companies');

  // Undo, from the imports list: the new companies go, the updated one gets its values back.
  await nav.getByRole('link', { name: text.imports, exact: true }).click();
  const row = page.locator('tbody tr').filter({ hasText: story.fileName });
  await row.getByText(text.listLine, { exact: true }).waitFor();
  await row.getByRole('link', { name: text.viewReport }).click();
  await page.getByRole('button', { name: text.undo }).click();
  const dialog = page.getByRole('dialog', { name: text.undoDialog });
  await dialog.getByText(text.willDelete, { exact: true }).waitFor();
  await dialog.getByText(text.willRestore, { exact: true }).waitFor();
  await dialog.getByText(text.undoSkipped, { exact: true }).waitFor();
  await shot(page, story.language, 'undo-confirm');
  await dialog.getByRole('button', { name: text.undo }).click();
  await page.getByRole('heading', { name: text.undone, exact: true }).waitFor({ timeout: 30_000 });
  await page.getByText(text.deleted, { exact: true }).waitFor();
  await page.getByText(text.restored, { exact: true }).waitFor();
  expect(await mainText(page)).not.toMatch(story.customerWord);
  await shot(page, story.language, 'undone');

  await nav.getByRole('link', { name: text.companies, exact: true }).click();
  // (The list may show what it held before the undo until it has fetched again.)
  await expect
    .poll(() => listed([...story.created.map(([name]) => name), story.stored.updated]), { timeout: uiTimeoutMs })
    .toEqual([...story.created.map(() => null), shown('', '', '')]);

  expect(pageErrors).toEqual([]);
  await page.context().close();
}

describe('a Companies file in the back office', () => {
  it.each(stories)(
    '$language: detected as Companies, checked by its fixed rules, imported, reported and undone in company words',
    { timeout: 120_000 },
    (story) => companiesStory(story),
  );
});

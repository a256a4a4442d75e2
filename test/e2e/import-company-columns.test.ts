// Code inside page.evaluate() runs in the browser, so these files see the DOM types too.
/// <reference lib="dom" />
import { mkdir, readFile } from 'node:fs/promises';
import iconv from 'iconv-lite';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPage, seriousAccessibilityViolations, uiTimeoutMs } from '../support/browser.ts';
import { startLiveServer, type LiveServer } from '../support/live-server.ts';
import { countCards, dropFile, logIn } from './import-support.ts';

/**
 * Issue #19: a customers file with company columns, through the back office in English and in
 * Dutch. Each file has two rows of one new company, one row that finds a stored company by its
 * name only (a warning naming it) and one row with a malformed VAT number (a warning; the
 * customer keeps it as typed, its company is created without it). Step Check and the report
 * show the company counts; the company page shows the linked contacts; the Companies export
 * from the export screen holds the company; undo from the report names the customers and the
 * companies it deleted. Screenshots of step Check, the report and the undo (both languages) go to
 * test-results/.
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
  for (const [email, name, language] of [
    ['sanne@shop.example', 'Sanne de Vries', 'en'],
    ['ilse@shop.example', 'Ilse Visser', 'nl'],
  ] as const)
    await server.services.staff.createUser({ email, name, password, language });
  await server.services.companies.create({ name: 'Cobalt Trading B.V.' });
  await server.services.companies.create({ name: 'Van Dijk Installatietechniek B.V.' });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

type Words = {
  locale: string;
  staff: string;
  staffName: string;
  fileName: string;
  file: Buffer;
  company: string;
  /** The new company's contacts: name and role. */
  contacts: [string, string][];
  nameOnly: { text: string; count: number };
  malformedVat: string;
  text: Record<
    | 'nav'
    | 'imports'
    | 'newImport'
    | 'continue'
    | 'typeQuestion'
    | 'mappingTable'
    | 'check'
    | 'checkHeading'
    | 'start'
    | 'done'
    | 'companies'
    | 'contactsHeading'
    | 'exports'
    | 'newExport'
    | 'exportType'
    | 'csv'
    | 'exportButton'
    | 'ready',
    string
  >;
  fieldFor: (heading: string) => string;
  mapped: Record<string, string>;
  checkLines: string[];
  reportLines: string[];
  /** Undo of the import from its report: the button, the dialog, and what the result lists. */
  undo: { button: string; dialog: string; done: string; lines: string[] };
  warningsTitle: string;
  /** The warnings by kind, as the table names them. */
  kinds: string[];
  download: RegExp;
  /** The Companies export: its separator, and the headings to read. */
  separator: string;
  exportHeadings: Record<'name' | 'vat' | 'contacts' | 'primary', string>;
  /** The new company's VAT number and primary contact; the company of the malformed VAT number. */
  exported: { vat: string; primary: string; withoutVat: string };
};

const english: Words = {
  locale: 'en-GB',
  staff: 'sanne@shop.example',
  staffName: 'Sanne de Vries',
  fileName: 'customers-with-companies.csv',
  file: Buffer.from(
    [
      'E-mail,First name,Last name,Company name,VAT number,Company role',
      'anna@korenaar.example,Anna,Inkoop,Bakkerij de Korenaar,NL000099998B57,Purchasing',
      'piet@korenaar.example,Piet,Boekhouder,Bakkerij de Korenaar,NL000099998B57,Finance',
      'cor@cobalt.example,Cor,Wit,cobalt trading bv,,',
      'dirk@delta.example,Dirk,Smit,Delta Tools,NL12345,Owner',
      '',
    ].join('\r\n'),
  ),
  company: 'Bakkerij de Korenaar',
  contacts: [
    ['Anna Inkoop', 'Purchasing'],
    ['Piet Boekhouder', 'Finance'],
  ],
  nameOnly: {
    text: 'Linked to Cobalt Trading B.V.',
    count: 1,
  },
  malformedVat: '“NL12345”',
  text: {
    nav: 'Main navigation',
    imports: 'Imports',
    newImport: 'New import',
    continue: 'Continue',
    typeQuestion: 'What do you want to import?',
    mappingTable: 'Columns of the file and the fields they fill',
    check: 'Check the file',
    checkHeading: 'Result of the check',
    start: 'Start import',
    done: 'Import finished',
    companies: 'Companies',
    contactsHeading: 'Contacts',
    exports: 'Exports',
    newExport: 'New export',
    exportType: 'Companies',
    csv: 'CSV (UTF-8, comma)',
    exportButton: 'Export',
    ready: 'Ready',
  },
  fieldFor: (heading) => `Field for column “${heading}”`,
  mapped: {
    'Company name': 'Company name',
    'VAT number': 'VAT number',
    'Company role': 'Company role',
  },
  checkLines: ['2 companies will be created.', '4 customers will be linked to a company as a contact.'],
  reportLines: ['2 companies created.', '4 customers linked to a company as a contact.'],
  undo: {
    button: 'Undo import',
    dialog: 'Undo this import?',
    done: 'The import was undone',
    lines: [
      '4 customers created by the import were deleted',
      '2 companies created by the import were deleted',
    ],
  },
  warningsTitle: '2 rows will be imported with warnings',
  kinds: ['Company found by its name only', 'CoC or VAT number not valid: company without it'],
  download: /^Download/,
  separator: ',',
  exportHeadings: {
    name: 'Company name',
    vat: 'VAT number',
    contacts: 'Contacts',
    primary: 'Primary contact e-mail',
  },
  exported: { vat: 'NL000099998B57', primary: 'anna@korenaar.example', withoutVat: 'Delta Tools' },
};

const dutch: Words = {
  locale: 'nl-NL',
  staff: 'ilse@shop.example',
  staffName: 'Ilse Visser',
  fileName: 'klanten-met-bedrijven.csv',
  // As Dutch Excel saves "CSV (gescheiden door lijstscheidingsteken)": semicolons, Windows-1252.
  file: iconv.encode(
    [
      'E-mailadres;Voornaam;Achternaam;Bedrijfsnaam;Btw-nummer;Rol bij bedrijf',
      'zoe@bloemenhuis.example;Zoë;Bakker;Bloemenhuis Zoë;NL100000315B01;inkoop',
      'joost@bloemenhuis.example;Joost;Vermeer;Bloemenhuis Zoë;NL100000315B01;administratie',
      'kees@vandijk.example;Kees;Dijkstra;van dijk installatietechniek bv;;',
      'lotte@tulp.example;Lotte;de Wit;Tulp & Co;NL9999;eigenaar',
      '',
    ].join('\r\n'),
    'windows-1252',
  ),
  company: 'Bloemenhuis Zoë',
  contacts: [
    ['Zoë Bakker', 'inkoop'],
    ['Joost Vermeer', 'administratie'],
  ],
  nameOnly: { text: 'Gekoppeld aan Van Dijk Installatietechniek B.V.', count: 1 },
  malformedVat: '“NL9999”',
  text: {
    nav: 'Hoofdmenu',
    imports: 'Importeren',
    newImport: 'Nieuwe import',
    continue: 'Verder',
    typeQuestion: 'Wat wil je importeren?',
    mappingTable: 'Kolommen van het bestand en de velden die ze vullen',
    check: 'Bestand controleren',
    checkHeading: 'Resultaat van de controle',
    start: 'Import starten',
    done: 'Import klaar',
    companies: 'Bedrijven',
    contactsHeading: 'Contactpersonen',
    exports: 'Exporteren',
    newExport: 'Nieuwe export',
    exportType: 'Bedrijven',
    csv: 'CSV voor Nederlandse/Europese Excel (puntkomma)',
    exportButton: 'Exporteren',
    ready: 'Klaar',
  },
  fieldFor: (heading) => `Veld voor kolom “${heading}”`,
  mapped: {
    Bedrijfsnaam: 'Bedrijfsnaam',
    'Btw-nummer': 'Btw-nummer',
    'Rol bij bedrijf': 'Rol bij bedrijf',
  },
  checkLines: [
    '2 bedrijven worden aangemaakt.',
    '4 klanten worden als contactpersoon aan een bedrijf gekoppeld.',
  ],
  reportLines: ['2 bedrijven aangemaakt.', '4 klanten als contactpersoon aan een bedrijf gekoppeld.'],
  undo: {
    button: 'Import ongedaan maken',
    dialog: 'Deze import ongedaan maken?',
    done: 'De import is ongedaan gemaakt',
    lines: [
      '4 klanten die de import had aangemaakt, zijn verwijderd',
      '2 bedrijven die de import had aangemaakt, zijn verwijderd',
    ],
  },
  warningsTitle: '2 rijen worden geïmporteerd met waarschuwingen',
  kinds: ['Bedrijf alleen op de naam gevonden', 'KvK- of btw-nummer niet geldig: bedrijf zonder dat nummer'],
  download: /downloaden$/,
  separator: ';',
  exportHeadings: {
    name: 'Bedrijfsnaam',
    vat: 'Btw-nummer',
    contacts: 'Contactpersonen',
    primary: 'E-mail hoofdcontactpersoon',
  },
  exported: { vat: 'NL100000315B01', primary: 'zoe@bloemenhuis.example', withoutVat: 'Tulp & Co' },
};

async function shot(page: Page, name: string) {
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: `test-results/import-company-columns-${name}.png`, fullPage: true });
}

async function importStory(words: Words, scanCheckStep: boolean) {
  const { text } = words;
  const language = words.locale.slice(0, 2);
  const { page, pageErrors } = await openPage(browser, { locale: words.locale });
  await logIn(page, server.baseUrl, words.staff, password);
  const nav = page.getByRole('navigation', { name: text.nav });
  await nav.getByRole('link', { name: text.imports, exact: true }).click();
  await page.getByRole('link', { name: text.newImport }).first().click();
  await dropFile(page, words.fileName, words.file);
  await page.waitForURL(/\/admin\/imports\/\d+$/);
  await page.getByRole('button', { name: text.continue }).click();
  await page.getByText(text.typeQuestion).waitFor();
  await page.getByRole('button', { name: text.continue }).click();
  await page.getByRole('table', { name: text.mappingTable }).waitFor();
  for (const [heading, field] of Object.entries(words.mapped))
    expect(await page.getByRole('combobox', { name: words.fieldFor(heading) }).inputValue(), heading).toBe(
      field,
    );

  await page.getByRole('button', { name: text.continue }).click();
  await page.getByRole('button', { name: text.check }).click();
  await page.getByRole('heading', { name: text.checkHeading }).waitFor();
  await expect
    .poll(() => countCards(page), { timeout: uiTimeoutMs })
    .toEqual({ created: '4', updated: '0', unchanged: '0', rejected: '0' });
  for (const line of words.checkLines) await page.getByText(line, { exact: true }).waitFor();
  await page.getByText(words.warningsTitle, { exact: true }).waitFor();
  for (const kind of words.kinds) await page.getByRole('cell', { name: kind, exact: true }).waitFor();
  expect(await page.getByText(words.nameOnly.text).count()).toBe(words.nameOnly.count);
  await page.getByText(words.malformedVat).first().waitFor();
  await shot(page, `check-${language}`);
  if (scanCheckStep) expect(await seriousAccessibilityViolations(page)).toEqual([]);

  await page.getByRole('button', { name: text.start }).click();
  await page.getByRole('heading', { name: text.done }).waitFor({ timeout: 30_000 });
  expect(await countCards(page)).toEqual({ created: '4', updated: '0', unchanged: '0', rejected: '0' });
  for (const line of words.reportLines) await page.getByText(line, { exact: true }).waitFor();
  await shot(page, `report-${language}`);
  const reportUrl = page.url();

  // The malformed VAT number: kept as typed on the customer, not on the company.
  const email = words.fileName.startsWith('klanten') ? 'lotte@tulp.example' : 'dirk@delta.example';
  const customer = await server.services.customers.findByEmail(email);
  expect(customer?.vatNumber).toBe(words.malformedVat.slice(1, -1));

  // The company page shows its contacts.
  await nav.getByRole('link', { name: text.companies, exact: true }).click();
  await page
    .locator('tbody tr')
    .filter({ hasText: words.company })
    .getByRole('link', { name: words.company })
    .click();
  await page.getByRole('heading', { name: text.contactsHeading }).waitFor();
  const contacts = page.getByTestId('company-contact');
  await expect.poll(() => contacts.count(), { timeout: uiTimeoutMs }).toBe(2);
  for (const [name, role] of words.contacts)
    expect(await contacts.filter({ hasText: name }).innerText()).toContain(role);

  // The Companies export from the export screen.
  await nav.getByRole('link', { name: text.exports, exact: true }).click();
  await page.getByRole('link', { name: text.newExport }).click();
  await page.getByRole('radio', { name: new RegExp(`^${text.exportType}`) }).check();
  await page.getByRole('radio', { name: text.csv }).check();
  await page.getByRole('button', { name: text.exportButton, exact: true }).click();
  await page.waitForURL(/\/admin\/exports$/);
  // This user's export: the other language's export of the file is in the list too.
  const row = page.locator('tbody tr').filter({ hasText: words.staffName });
  await row.getByText(text.ready, { exact: true }).waitFor({ timeout: 30_000 });
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    row.getByRole('link', { name: words.download }).click(),
  ]);
  // UTF-8 (with a BOM for Excel); no value of these companies holds the separator or a quote.
  const [headings, ...rows] = (await readFile(await download.path()))
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .filter(Boolean)
    .map((line) => line.split(words.separator));
  const column = (key: keyof Words['exportHeadings']) => headings!.indexOf(words.exportHeadings[key]);
  const companyRow = (name: string) => rows.find((cells) => cells[column('name')] === name);
  const company = companyRow(words.company);
  expect(company, `${words.company} in the export`).toBeDefined();
  expect({
    vat: company![column('vat')],
    contacts: company![column('contacts')],
    primary: company![column('primary')],
  }).toEqual({ vat: words.exported.vat, contacts: '2', primary: words.exported.primary });
  expect(companyRow(words.exported.withoutVat)?.[column('vat')]).toBe('');

  // Undo from the report: the result says what became of the customers and of their companies.
  await page.goto(reportUrl);
  await page.getByRole('button', { name: words.undo.button }).click();
  await page
    .getByRole('dialog', { name: words.undo.dialog })
    .getByRole('button', { name: words.undo.button })
    .click();
  await page.getByRole('heading', { name: words.undo.done, exact: true }).waitFor({ timeout: 30_000 });
  const result = page
    .getByRole('heading', { name: words.undo.done, exact: true })
    .locator('xpath=..')
    .getByRole('listitem');
  expect(await result.allInnerTexts()).toEqual(words.undo.lines);
  await shot(page, `undone-${language}`);

  expect(pageErrors).toEqual([]);
  await page.context().close();
}

describe('a customers file with company columns, in the back office', () => {
  it(
    'English: check and report count the companies, warn about a name-only match and a malformed VAT number; the company page and the Companies export',
    { timeout: 90_000 },
    () => importStory(english, true),
  );
  it('Dutch: the same with a semicolon file as Dutch Excel writes it', { timeout: 90_000 }, () =>
    importStory(dutch, false),
  );
});

import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPage, uiTimeoutMs } from '../support/browser.ts';
import { countCards, dropFile, logIn, startImportServer, type ImportServer } from './import-support.ts';

/**
 * The same customer on several rows of one file (Combine), and "Import the corrected file" from
 * the report of an import with a rejected row, in English and in Dutch, as staff click through them.
 */

let server: ImportServer;
let browser: Browser;
const password = 'correct horse battery staple';

beforeAll(async () => {
  [server, browser] = await Promise.all([startImportServer(), launchBrowser()]);
  await server.services.staff.createUser({ email: 'emma@shop.example', name: 'Emma Bakker', password, language: 'en' });
  await server.services.staff.createUser({ email: 'joost@shop.example', name: 'Joost Smit', password, language: 'nl' });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const headings = 'E-mail,Voornaam,Achternaam,Telefoon,Woonplaats,Extra info';

/** Anna on rows 2 and 4 (row 4 fills her empty phone and extra info); Bert on row 3 without a last name. */
const firstFile = (domain: string) =>
  [
    headings,
    `anna@${domain},Anna,Smit,,Delft,`,
    `bert@${domain},Bert,,0612345678,Leiden,belt na vijven`,
    `anna@${domain},,Smit-Bos,020-1234567,Gouda,vaste klant`,
  ].join('\r\n');

/** Bert corrected, on two rows again: the second fills the phone and extra info of the first. */
const correctedFile = (domain: string) =>
  [headings, `bert@${domain},Bert,Bakker,,Leiden,`, `bert@${domain},,,0612345678,,belt na vijven`].join('\r\n');

/** Picks an option in a Mantine select by its label. */
async function choose(page: Page, label: string, option: string) {
  await page.getByRole('combobox', { name: label }).click();
  await page.getByRole('option', { name: option, exact: true }).click();
}

type Story = {
  language: 'en' | 'nl';
  email: string;
  locale: string;
  newImport: string;
  next: string;
  readTitle: string;
  question: string;
  fieldsTitle: string;
  fieldFor: (column: string) => string;
  notes: string;
  saved: string;
  optionsTitle: string;
  combine: string;
  check: string;
  checkTitle: string;
  start: string;
  doneWithErrors: string;
  done: string;
  oneDuplicate: string;
  combined: (row: number, into: number) => string;
  rejectedTable: string;
  lastNameRequired: string;
  reimport: string;
  basedOn: (id: number) => string;
};

/** From the file's reading settings to the options, with Continue. */
async function toOptions(page: Page, story: Story, beforeContinue: () => Promise<void>) {
  await page.getByRole('heading', { name: story.readTitle }).waitFor();
  await page.getByRole('button', { name: story.next }).click();
  await page.getByText(story.question).waitFor();
  await page.getByRole('button', { name: story.next }).click();
  await page.getByRole('heading', { name: story.fieldsTitle }).waitFor();
  await beforeContinue();
  await page.getByRole('button', { name: story.next }).click();
  await page.getByRole('heading', { name: story.optionsTitle, exact: true }).waitFor();
}

describe('the same customer on several rows, and importing the corrected file', () => {
  it.each<Story>([
    {
      language: 'en', email: 'emma@shop.example', locale: 'en-GB', newImport: 'New import', next: 'Continue',
      readTitle: 'How the file is read', question: 'What do you want to import?', fieldsTitle: 'Select fields',
      fieldFor: (column) => `Field for column “${column}”`, notes: 'Notes', saved: 'Saved mapping',
      optionsTitle: 'Options', combine: 'Combine: later rows fill empty cells of the first',
      check: 'Check the file', checkTitle: 'Result of the check', start: 'Start import',
      doneWithErrors: 'Import finished, with rejected rows', done: 'Import finished',
      oneDuplicate: '1 row not imported on its own (same customer as another row)',
      combined: (row, into) => `Row ${row} combined into row ${into}`,
      rejectedTable: 'Rejected rows', lastNameRequired: 'Last name is required for a new customer.',
      reimport: 'Import the corrected file',
      basedOn: (id) => `This import starts with the column mapping, options and accepted fixes of import #${id}: upload the corrected file.`,
    },
    {
      language: 'nl', email: 'joost@shop.example', locale: 'nl-NL', newImport: 'Nieuwe import', next: 'Verder',
      readTitle: 'Hoe het bestand gelezen wordt', question: 'Wat wil je importeren?', fieldsTitle: 'Kolommen koppelen',
      fieldFor: (column) => `Veld voor kolom “${column}”`, notes: 'Notities', saved: 'Opgeslagen koppeling',
      optionsTitle: 'Opties', combine: 'Samenvoegen: latere rijen vullen lege cellen van de eerste',
      check: 'Bestand controleren', checkTitle: 'Resultaat van de controle', start: 'Import starten',
      doneWithErrors: 'Import klaar, met afgekeurde rijen', done: 'Import klaar',
      oneDuplicate: '1 rij niet apart geïmporteerd (dezelfde klant als een andere rij)',
      combined: (row, into) => `Rij ${row} samengevoegd met rij ${into}`,
      rejectedTable: 'Afgekeurde rijen', lastNameRequired: 'Achternaam is verplicht voor een nieuwe klant.',
      reimport: 'Het verbeterde bestand importeren',
      basedOn: (id) => `Deze import begint met de kolomindeling, opties en geaccepteerde correcties van import #${id}: upload het verbeterde bestand.`,
    },
  ])('$language: Combine joins the rows of one customer; the corrected file keeps mapping and options', { timeout: 150_000 }, async (story) => {
    const domain = `${story.language}.test`;
    const { page, pageErrors } = await openPage(browser, { locale: story.locale });
    await logIn(page, server.baseUrl, story.email, password);
    await page.goto(`${server.baseUrl}/admin/imports/new`);
    await page.getByRole('heading', { name: story.newImport, level: 1 }).waitFor();
    await dropFile(page, 'klanten.csv', Buffer.from(firstFile(domain), 'utf8'));
    await page.waitForURL(/\/admin\/imports\/\d+$/);
    const firstUrl = page.url();
    const firstId = Number(/(\d+)$/.exec(firstUrl)?.[1]);

    // "Extra info" matches no field: staff map it to the notes by hand.
    await toOptions(page, story, async () => {
      await choose(page, story.fieldFor('Extra info'), story.notes);
      await expect
        .poll(async () => (await server.services.imports.detail(firstId, story.language)).mapping.columns[5]?.field, { timeout: uiTimeoutMs })
        .toBe('notes');
    });
    const combine = page.getByRole('radio', { name: story.combine });
    expect(await combine.isChecked()).toBe(false);
    await combine.check();
    await page.getByRole('button', { name: story.check }).click();
    await page.getByRole('heading', { name: story.checkTitle }).waitFor();
    await expect
      .poll(() => countCards(page), { timeout: uiTimeoutMs })
      .toEqual({ created: '1', updated: '0', unchanged: '0', rejected: '1' });
    await page.getByText(story.oneDuplicate).waitFor();
    await page.getByText(story.combined(4, 2), { exact: true }).waitFor();

    await page.getByRole('button', { name: story.start }).click();
    await page.getByRole('heading', { name: story.doneWithErrors, exact: true }).waitFor({ timeout: 20_000 });
    expect(await countCards(page)).toEqual({ created: '1', updated: '0', unchanged: '0', rejected: '1' });
    await page.getByText(story.oneDuplicate).waitFor();
    await page.getByText(story.combined(4, 2), { exact: true }).waitFor();
    await page.getByRole('table', { name: story.rejectedTable }).getByText(story.lastNameRequired).waitFor();
    // The first row's values stay; its empty cells are filled from row 4.
    expect(await server.services.customers.findByEmail(`anna@${domain}`)).toMatchObject({
      firstName: 'Anna',
      lastName: 'Smit',
      phone: '+31 20 123 4567',
      notes: 'vaste klant',
      billingAddress: expect.objectContaining({ city: 'Delft' }),
    });
    expect(await server.services.customers.findByEmail(`bert@${domain}`)).toBeUndefined();

    // Import the corrected file: nothing downloaded, Bert typed in again with his last name.
    await page.getByRole('link', { name: story.reimport }).click();
    await page.waitForURL(new RegExp(`/admin/imports/new\\?basedOn=${firstId}$`));
    await page.getByText(story.basedOn(firstId)).waitFor();
    await dropFile(page, 'klanten-verbeterd.csv', Buffer.from(correctedFile(domain), 'utf8'));
    await page.waitForURL(/\/admin\/imports\/\d+$/);
    expect(page.url()).not.toBe(firstUrl);
    // The hand-made mapping and the duplicate rule came along, untouched.
    await toOptions(page, story, async () => {
      expect(await page.getByRole('combobox', { name: story.fieldFor('Extra info') }).inputValue()).toBe(story.notes);
      const mapping = page.getByRole('table').filter({ has: page.getByRole('combobox', { name: story.fieldFor('Extra info') }) });
      expect(await mapping.getByRole('row', { name: /Extra info/ }).innerText()).toContain(story.saved);
    });
    expect(await page.getByRole('radio', { name: story.combine }).isChecked()).toBe(true);
    await page.getByRole('button', { name: story.check }).click();
    await page.getByRole('heading', { name: story.checkTitle }).waitFor();
    await expect
      .poll(() => countCards(page), { timeout: uiTimeoutMs })
      .toEqual({ created: '1', updated: '0', unchanged: '0', rejected: '0' });
    await page.getByText(story.combined(3, 2), { exact: true }).waitFor();
    await page.getByRole('button', { name: story.start }).click();
    await page.getByRole('heading', { name: story.done, exact: true }).waitFor({ timeout: 20_000 });
    expect(await server.services.customers.findByEmail(`bert@${domain}`)).toMatchObject({
      firstName: 'Bert',
      lastName: 'Bakker',
      phone: '+31 6 12345678',
      notes: 'belt na vijven',
      billingAddress: expect.objectContaining({ city: 'Leiden' }),
    });

    expect(pageErrors).toEqual([]);
    await page.context().close();
  });
});

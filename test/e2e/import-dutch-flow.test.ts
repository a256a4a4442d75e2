// Code inside page.evaluate() runs in the browser, so these files see the DOM types too.
/// <reference lib="dom" />
import { readFile } from 'node:fs/promises';
import iconv from 'iconv-lite';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPage, uiTimeoutMs } from '../support/browser.ts';
import {
  countCards,
  dropFile,
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
  [server, browser] = await Promise.all([startImportServer(), launchBrowser()]);
  await server.services.staff.createUser({
    email: 'ilse@shop.example',
    name: 'Ilse Visser',
    password,
    language: 'nl',
  });
  await server.services.customers.create(storedRenee);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function shot(page: Page, name: string) {
  if (!shots) return;
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: `${shots}/${name}-nl.png`, fullPage: true });
}

/** Picks an option in a Mantine select by its label. */
async function choose(page: Page, label: string, option: string) {
  await page.getByRole('combobox', { name: label }).click();
  await page.getByRole('option', { name: option, exact: true }).click();
}

describe('importeren, zoals een Nederlandse winkelier het doet', () => {
  it(
    'sleept een Excel-bestand erin, koppelt, controleert, importeert, downloadt de afgekeurde rijen, importeert ze verbeterd en maakt dat ongedaan',
    { timeout: 180_000 },
    async () => {
      const { page, pageErrors } = await openPage(browser, { locale: 'nl-NL' });
      await logIn(page, server.baseUrl, 'ilse@shop.example', password);
      await page
        .getByRole('navigation', { name: 'Hoofdmenu' })
        .getByRole('link', { name: 'Importeren' })
        .click();
      await page.getByRole('heading', { name: 'Importeren', level: 1 }).waitFor();
      await page.getByText('Nog geen imports').waitFor();
      await shot(page, 'list-empty');
      await page.getByRole('link', { name: 'Nieuwe import' }).first().click();
      await page.getByText('CSV, TSV of TXT, of een Excel-werkmap (.xlsx), tot 200 MB').waitFor();
      await shot(page, 'upload');

      // Drag and drop.
      await dropFile(page, 'klanten.csv', dutchFileWithBrokenRows());
      await page.waitForURL(/\/admin\/imports\/\d+$/);
      await page.getByRole('heading', { name: 'Hoe het bestand gelezen wordt' }).waitFor();
      expect(await page.getByRole('combobox', { name: 'Tekenset' }).inputValue()).toBe(
        'Windows-1252 (Excel “CSV”)',
      );
      expect(await page.getByRole('combobox', { name: 'Scheidingsteken' }).inputValue()).toBe('Puntkomma ;');
      const fileRows = page.getByRole('table', { name: 'De eerste rijen van het bestand' });
      await fileRows.getByRole('cell', { name: 'Zoë' }).waitFor();
      await shot(page, 'analyse');
      // A wrong separator shows at once in the preview; back to the detected one.
      await choose(page, 'Scheidingsteken', 'Komma ,');
      await fileRows.getByRole('columnheader', { name: /E-mailadres;Voornaam;Tussenvoegsel/ }).waitFor();
      await choose(page, 'Scheidingsteken', 'Puntkomma ;');
      await fileRows.getByRole('columnheader', { name: /^B\s*Voornaam$/ }).waitFor();

      await page.getByRole('button', { name: 'Verder' }).click();
      await page.getByText('Wat wil je importeren?').waitFor();
      await shot(page, 'type');
      await page.getByRole('button', { name: 'Verder' }).click();
      await page.getByRole('heading', { name: 'Kolommen koppelen' }).waitFor();
      const mapping = page.getByRole('table', {
        name: 'Kolommen van het bestand en de velden die ze vullen',
      });
      expect(await page.getByRole('combobox', { name: 'Veld voor kolom “Woonplaats”' }).inputValue()).toBe(
        'Factuuradres plaats',
      );
      expect(await mapping.getByRole('row', { name: /Geslacht/ }).innerText()).toContain('Exacte kop');
      // Take a column out and put it back by hand.
      await choose(page, 'Veld voor kolom “Geslacht”', 'Niet importeren');
      await mapping
        .getByRole('row', { name: /Geslacht/ })
        .getByText('Niet geïmporteerd')
        .waitFor();
      const values = page.getByRole('table', { name: 'Wat de eerste rijen worden' });
      await expect
        .poll(() => values.getByRole('columnheader', { name: /^Geslacht/ }).count(), { timeout: uiTimeoutMs })
        .toBe(0);
      await choose(page, 'Veld voor kolom “Geslacht”', 'Geslacht');
      await mapping
        .getByRole('row', { name: /Geslacht/ })
        .getByText('Door jou gekozen')
        .waitFor();
      await values.getByRole('columnheader', { name: /^Geslacht/ }).waitFor();
      // Save the mapping for next time.
      await page.getByRole('button', { name: 'Koppeling opslaan' }).click();
      await page
        .getByRole('dialog', { name: 'Deze koppeling opslaan' })
        .getByLabel(/^Naam/)
        .fill('Nederlandse Excel');
      await page.getByRole('dialog').getByRole('button', { name: 'Opslaan' }).click();
      await page.getByText('Koppeling “Nederlandse Excel” opgeslagen.').waitFor();
      await shot(page, 'fields');

      await page.getByRole('button', { name: 'Verder' }).click();
      // Over afgekeurde rijen: waarden die niet kloppen keuren hun rij af (streng).
      await page.getByRole('radio', { name: 'Keur de hele rij af (streng)' }).check();
      await page.getByRole('button', { name: 'Bestand controleren' }).click();
      await page.getByRole('heading', { name: 'Resultaat van de controle' }).waitFor();
      await expect
        .poll(() => countCards(page), { timeout: uiTimeoutMs })
        .toEqual({ created: '2', updated: '1', unchanged: '0', rejected: '3' });
      await page.getByText('Telefoon: +31 6 12345678 → +31 20 123 4567').waitFor();
      await page
        .getByText('Kolom “Telefoon”: 1 waarde is in Excel waarschijnlijk de voorloopnul kwijtgeraakt.')
        .waitFor();
      await page.getByRole('button', { name: 'De correctie voor kolom “Telefoon” accepteren' }).click();
      await expect
        .poll(() => countCards(page), { timeout: uiTimeoutMs })
        .toEqual({ created: '3', updated: '1', unchanged: '0', rejected: '2' });
      await page.getByRole('tab', { name: 'Afgekeurde rijen (2)' }).click();
      await page
        .getByRole('table', { name: 'Afgekeurde rijen' })
        .getByText('“piet.puk@example” is geen geldig e-mailadres.')
        .waitFor();
      await shot(page, 'check');

      server.holdImportAfterFirstBatch();
      await page.getByRole('button', { name: 'Import starten' }).click();
      await page.getByText('2 van 6 rijen (33%)').waitFor();
      await page.getByRole('button', { name: 'Import annuleren' }).waitFor();
      await shot(page, 'progress');
      server.releaseImport();

      await page
        .getByRole('heading', { name: 'Import klaar, met afgekeurde rijen' })
        .waitFor({ timeout: 20_000 });
      expect(await countCards(page)).toEqual({ created: '3', updated: '1', unchanged: '0', rejected: '2' });
      const rejected = page.getByRole('table', { name: 'Afgekeurde rijen' });
      await rejected.getByText('“99999” is geen geldige postcode voor NL, bijvoorbeeld 1016 EE.').waitFor();
      await shot(page, 'report');
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('link', { name: 'Afgekeurde rijen downloaden' }).click(),
      ]);
      expect(download.suggestedFilename()).toBe('klanten-afgekeurd.csv');
      const rejectedFile = iconv.decode(await readFile(await download.path()), 'windows-1252');
      const lines = rejectedFile.split('\r\n').filter(Boolean);
      expect(lines).toHaveLength(3);
      expect(lines[0]).toMatch(/^E-mailadres;Voornaam;.*;Geslacht;Importfouten$/);
      expect(lines[1]).toContain(';Rij 6 – E-mailadres: “piet.puk@example” is geen geldig e-mailadres.');
      expect(lines[2]).toContain(';Rij 7 – Postcode: “99999” is geen geldige postcode voor NL');

      // Verbeteren en opnieuw importeren, met de opgeslagen koppeling.
      const fixed = rejectedFile
        .replace('piet.puk@example;', 'piet.puk@example.nl;')
        .replace(';99999;', ';3011 AB;');
      await page.getByRole('link', { name: 'Het verbeterde bestand importeren' }).click();
      await dropFile(page, 'klanten-afgekeurd.csv', iconv.encode(fixed, 'windows-1252'));
      await page.waitForURL(/\/admin\/imports\/\d+$/);
      const secondImportUrl = page.url();
      // Each step waited for, as in the first import: a second click in the same instant met the first step's button again.
      await page.getByRole('heading', { name: 'Hoe het bestand gelezen wordt' }).waitFor();
      await page.getByRole('button', { name: 'Verder' }).click();
      await page.getByText('Wat wil je importeren?').waitFor();
      await page.getByRole('button', { name: 'Verder' }).click();
      await page.getByRole('heading', { name: 'Kolommen koppelen' }).waitFor();
      await choose(page, 'Opgeslagen koppeling gebruiken', 'Nederlandse Excel');
      await page.getByText('Koppeling “Nederlandse Excel” toegepast.').waitFor();
      await mapping
        .getByRole('row', { name: /Woonplaats/ })
        .getByText('Opgeslagen koppeling')
        .waitFor();
      expect(await page.getByRole('combobox', { name: 'Veld voor kolom “Importfouten”' }).inputValue()).toBe(
        'Niet importeren',
      );
      await page.getByRole('button', { name: 'Verder' }).click();
      await page.getByRole('button', { name: 'Bestand controleren' }).click();
      await expect
        .poll(() => countCards(page), { timeout: uiTimeoutMs })
        .toEqual({ created: '2', updated: '0', unchanged: '0', rejected: '0' });
      await page.getByRole('button', { name: 'Import starten' }).click();
      await page.getByRole('heading', { name: 'Import klaar' }).waitFor({ timeout: 20_000 });

      // Someone edits one of the new customers; undo leaves that one alone.
      const lotte = await server.services.customers.findByEmail('lotte.devries@example.nl');
      await server.services.customers.update(lotte!.id, { notes: 'Belt graag na vijven' });
      await page.getByRole('button', { name: 'Import ongedaan maken' }).click();
      const dialog = page.getByRole('dialog', { name: 'Deze import ongedaan maken?' });
      await dialog.getByText('2 klanten die deze import heeft aangemaakt, worden verwijderd.').waitFor();
      await shot(page, 'undo-confirm');
      await dialog.getByRole('button', { name: 'Import ongedaan maken' }).click();
      await page.getByRole('heading', { name: 'De import is ongedaan gemaakt' }).waitFor({ timeout: 20_000 });
      await page.getByText('1 klant die de import had aangemaakt, is verwijderd').waitFor();
      await page.getByText('1 klant is overgeslagen, omdat die na de import is gewijzigd').waitFor();
      expect(page.url()).toBe(secondImportUrl);
      await shot(page, 'undone');
      expect(await server.services.customers.findByEmail('piet.puk@example.nl')).toBeUndefined();
      expect((await server.services.customers.findByEmail('lotte.devries@example.nl'))?.notes).toBe(
        'Belt graag na vijven',
      );

      await page.getByRole('link', { name: 'Importeren' }).first().click();
      const list = page.getByRole('table', { name: 'Imports' });
      await list
        .getByRole('row', { name: /klanten-afgekeurd\.csv/ })
        .getByText('Ongedaan gemaakt')
        .waitFor();
      await list
        .getByRole('row', { name: /klanten\.csv/ })
        .getByText('Klaar, met fouten')
        .waitFor();
      await shot(page, 'list');

      expect(pageErrors).toEqual([]);
      await page.context().close();
    },
  );
});

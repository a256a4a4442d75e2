import { Readable } from 'node:stream';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPage, uiTimeoutMs } from '../support/browser.ts';
import { logIn, startImportServer, type ImportServer } from './import-support.ts';

/**
 * Issue #18, saved mappings managed in the back office: Tools › Imports › Saved mappings lists
 * each with how many imports used it, opens those imports, renames (a name another mapping has
 * is refused with the reason) and deletes with a confirmation. In English and Dutch.
 */

let server: ImportServer;
let browser: Browser;
const password = 'correct horse battery staple';
const staffIds: Record<string, number> = {};

beforeAll(async () => {
  [server, browser] = await Promise.all([startImportServer(), launchBrowser()]);
  staffIds.en = (await server.services.staff.createUser({ email: 'emma@shop.example', name: 'Emma Bakker', password, language: 'en' })).id;
  staffIds.nl = (await server.services.staff.createUser({ email: 'joost@shop.example', name: 'Joost Smit', password, language: 'nl' })).id;
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const stories = [
  {
    language: 'en' as const, email: 'emma@shop.example', locale: 'en-GB', imports: 'Imports', link: 'Saved mappings',
    used: '2 imports, last on', rename: 'Rename', save: 'Save', taken: 'There is already a saved mapping called', delete: 'Delete', cancel: 'Cancel',
    deleteText: 'The 2 imports that used it keep their columns as they were.', usesTitle: 'Imports that used',
  },
  {
    language: 'nl' as const, email: 'joost@shop.example', locale: 'nl-NL', imports: 'Importeren', link: 'Opgeslagen koppelingen',
    used: '2 imports, laatst op', rename: 'wijzigen', save: 'Opslaan', taken: 'Er is al een opgeslagen koppeling', delete: 'Verwijderen', cancel: 'Annuleren',
    deleteText: 'De 2 imports die haar gebruikten houden hun kolommen zoals ze waren.', usesTitle: 'Imports die',
  },
];

describe('saved mappings', () => {
  it.each(stories)('$language: listed with their imports, renamed and deleted', { timeout: 120_000 }, async (story) => {
    const uploader = { id: staffIds[story.language]!, name: story.language === 'en' ? 'Emma Bakker' : 'Joost Smit', language: story.language };
    const upload = (name: string, text: string) => server.services.imports.upload(Readable.from([Buffer.from(text, 'utf8')]), name, uploader);
    const weekly = `Mail,Voornaam,Achternaam,Kassa-${story.language}`;
    const first = await upload(`kassa-${story.language}-1.csv`, `${weekly}\na@shop.test,Ann,Smit,1`);
    const cash = await server.services.savedMappings.save({ name: `Kassa ${story.language}`, importId: first.id }, staffIds[story.language]!);
    await upload(`kassa-${story.language}-2.csv`, `${weekly}\nb@shop.test,Bo,Bos,2`);
    const other = await upload(`nieuwsbrief-${story.language}.csv`, `E-mail,Nieuwsbrief-${story.language}\nc@shop.test,ja`);
    await server.services.savedMappings.save({ name: `Nieuwsbrief ${story.language}`, importId: other.id }, staffIds[story.language]!);

    const { page, pageErrors } = await openPage(browser, { locale: story.locale });
    await logIn(page, server.baseUrl, story.email, password);
    await page.getByRole('navigation').getByRole('link', { name: story.imports }).click();
    await page.getByRole('link', { name: story.link }).click();
    await page.getByRole('heading', { name: story.link, level: 1 }).waitFor();
    const cashRow = page.getByRole('row').filter({ hasText: cash.name });
    await cashRow.getByText(story.used).waitFor();
    await page.screenshot({ path: `test-results/saved-mappings-${story.language}.png`, fullPage: true });

    // The imports that used it, each a link to its import.
    await cashRow.getByRole('button', { name: story.used }).click();
    const uses = page.getByRole('dialog');
    await uses.getByText(story.usesTitle).waitFor();
    expect(await uses.getByRole('link').allTextContents()).toEqual([`kassa-${story.language}-2.csv`, `kassa-${story.language}-1.csv`]);
    await page.keyboard.press('Escape');
    await uses.waitFor({ state: 'hidden' });

    // Rename: a name the other mapping has is refused with the reason; another name is taken.
    await cashRow.getByRole('button', { name: new RegExp(story.rename, 'i') }).click();
    const name = page.getByRole('dialog').getByRole('textbox');
    await name.fill(`nieuwsbrief ${story.language.toUpperCase()}`);
    await page.getByRole('dialog').getByRole('button', { name: story.save }).click();
    await page.getByRole('dialog').getByRole('alert').getByText(story.taken).waitFor();
    await name.fill(`Weekexport kassa ${story.language}`);
    await page.getByRole('dialog').getByRole('button', { name: story.save }).click();
    await page.getByRole('dialog').waitFor({ state: 'hidden' });
    await page.getByRole('row').filter({ hasText: `Weekexport kassa ${story.language}` }).waitFor();

    // Delete, after a confirmation that says what happens to the imports that used it.
    const renamedRow = page.getByRole('row').filter({ hasText: `Weekexport kassa ${story.language}` });
    await renamedRow.getByRole('button', { name: new RegExp(story.delete, 'i') }).click();
    await page.getByRole('dialog').getByText(story.deleteText).waitFor();
    await page.screenshot({ path: `test-results/saved-mappings-delete-${story.language}.png`, fullPage: true });
    await page.getByRole('dialog').getByRole('button', { name: story.delete, exact: true }).click();
    await page.getByRole('dialog').waitFor({ state: 'hidden' });
    await expect.poll(async () => (await server.services.savedMappings.list()).map((mapping) => mapping.name), { timeout: uiTimeoutMs }).not.toContain(`Weekexport kassa ${story.language}`);
    expect(await renamedRow.count()).toBe(0);
    expect(pageErrors).toEqual([]);
    await page.context().close();
  });
});

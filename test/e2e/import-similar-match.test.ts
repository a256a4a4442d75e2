import { Readable } from 'node:stream';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPage, uiTimeoutMs } from '../support/browser.ts';
import { logIn, startImportServer, type ImportServer } from './import-support.ts';

/**
 * Safe column matching in the back office: a column matched by a similar heading must be
 * confirmed before Continue, in English and in Dutch.
 */

let server: ImportServer;
let browser: Browser;
const password = 'correct horse battery staple';
const staffIds: Record<'en' | 'nl', number> = { en: 0, nl: 0 };

beforeAll(async () => {
  [server, browser] = await Promise.all([startImportServer(), launchBrowser()]);
  staffIds.en = (await server.services.staff.createUser({ email: 'emma@shop.example', name: 'Emma Bakker', password, language: 'en' })).id;
  staffIds.nl = (await server.services.staff.createUser({ email: 'joost@shop.example', name: 'Joost Smit', password, language: 'nl' })).id;
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** A file whose "Woonplaats klant" column is matched to the billing city by similarity only. */
async function uploadGuessedFile(language: 'en' | 'nl'): Promise<number> {
  const csv = ['E-mail,Voornaam,Achternaam,Woonplaats klant', 'ans@example.nl,Ans,Bos,Delft'].join('\r\n');
  const detail = await server.services.imports.upload(Readable.from([Buffer.from(csv, 'utf8')]), 'woonplaatsen.csv', { id: null, name: 'Test', language });
  return detail.id;
}

async function toFields(page: Page, story: { next: string; readTitle: string; question: string; fieldsTitle: string }) {
  await page.getByRole('heading', { name: story.readTitle }).waitFor();
  await page.getByRole('button', { name: story.next }).click();
  await page.getByText(story.question).waitFor();
  await page.getByRole('button', { name: story.next }).click();
  await page.getByRole('heading', { name: story.fieldsTitle }).waitFor();
}

describe('a similar column match needs confirmation; a saved mapping for the same headings is applied', () => {
  it.each([
    {
      language: 'en' as const, email: 'emma@shop.example', locale: 'en-GB', next: 'Continue', fieldsTitle: 'Select fields',
      readTitle: 'How the file is read', question: 'What do you want to import?',
      confirm: '“Woonplaats klant” is “Billing city”: right match', waiting: 'Check the similar matches', checkTitle: 'Options',
      applied: 'Saved mapping “Woonplaatsen en” applied — its headings match this file.',
    },
    {
      language: 'nl' as const, email: 'joost@shop.example', locale: 'nl-NL', next: 'Verder', fieldsTitle: 'Kolommen koppelen',
      readTitle: 'Hoe het bestand gelezen wordt', question: 'Wat wil je importeren?',
      confirm: '“Woonplaats klant” is “Factuuradres plaats”: klopt', waiting: 'Controleer de gelijkende koppelingen', checkTitle: 'Opties',
      applied: 'Opgeslagen koppeling “Woonplaatsen nl” toegepast — de kolomkoppen komen overeen met dit bestand.',
    },
  ])('$language: Continue waits until the match is ticked; saved, the mapping is applied to the next file', { timeout: 120_000 }, async (story) => {
    const id = await uploadGuessedFile(story.language);
    const { page, pageErrors } = await openPage(browser, { locale: story.locale });
    await logIn(page, server.baseUrl, story.email, password);
    await page.goto(`${server.baseUrl}/admin/imports/${id}`);
    await toFields(page, story);

    await page.getByText(story.waiting).waitFor();
    const next = page.getByRole('button', { name: story.next });
    expect(await next.isDisabled()).toBe(true);

    const tick = page.getByRole('checkbox', { name: story.confirm });
    // The tick is stored on the server first (a controlled checkbox): click, then wait for the stored state.
    await tick.click();
    await page.getByText(story.waiting).waitFor({ state: 'detached', timeout: uiTimeoutMs });
    expect(await next.isDisabled()).toBe(false);
    expect(await tick.isChecked()).toBe(true);
    const stored = await server.services.imports.detail(id, story.language);
    expect(stored.mapping.columns[3]).toMatchObject({ field: 'billing.city', confidence: 'fuzzy', isConfirmed: true });

    await next.click();
    await page.getByRole('heading', { name: story.checkTitle, exact: true }).waitFor();

    // Saved under a name, the mapping is applied to the next file with these headings, and the screen says so.
    const saved = await server.services.savedMappings.save({ name: `Woonplaatsen ${story.language}`, importId: id }, staffIds[story.language]);
    const next2 = await uploadGuessedFile(story.language);
    await page.goto(`${server.baseUrl}/admin/imports/${next2}`);
    await toFields(page, story);
    await page.getByText(story.applied).waitFor();
    expect(await page.getByText(story.waiting).count()).toBe(0);
    expect(await page.getByRole('button', { name: story.next }).isDisabled()).toBe(false);
    await server.services.savedMappings.delete(saved.id); // The other language's story starts without it.
    expect(pageErrors).toEqual([]);
    await page.context().close();
  });
});

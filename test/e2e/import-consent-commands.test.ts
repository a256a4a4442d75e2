import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPage, uiTimeoutMs } from '../support/browser.ts';
import { countCards, dropFile, logIn, startImportServer, type ImportServer } from './import-support.ts';

/**
 * Issue #17 in step Check, in English and Dutch: a file that marks a customer who unsubscribed
 * as subscribed leaves them unsubscribed until the staff states (and confirms, with the count)
 * that the file holds new consent; a Command column that deletes a customer names it in the
 * check, and the import starts only after the staff typed the number of deletions.
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

const stories = [
  {
    language: 'en' as const, email: 'emma@shop.example', locale: 'en-GB', next: 'Continue', readTitle: 'How the file is read',
    fieldsTitle: 'Select fields', optionsTitle: 'Options', check: 'Check the file', kept: '1 customer who unsubscribed is marked subscribed in this file.',
    evidence: 'This file holds new consent…', confirmEvidence: 'Yes, subscribe 1 customer again', resubscribed: '1 customer who had unsubscribed is subscribed again.',
    deletes: 'This import deletes 1 customer', start: 'Start import', undo: 'Undo import', typeLabel: 'Number of customers to delete', confirmDelete: 'Delete 1 customer and import',
  },
  {
    language: 'nl' as const, email: 'joost@shop.example', locale: 'nl-NL', next: 'Verder', readTitle: 'Hoe het bestand gelezen wordt',
    fieldsTitle: 'Kolommen koppelen', optionsTitle: 'Opties', check: 'Bestand controleren', kept: '1 klant die zich heeft afgemeld, staat in dit bestand als aangemeld.',
    evidence: 'Dit bestand bevat nieuwe toestemming…', confirmEvidence: 'Ja, meld 1 klant weer aan', resubscribed: '1 klant die zich had afgemeld, wordt weer aangemeld.',
    deletes: 'Deze import verwijdert 1 klant', start: 'Import starten', undo: 'Import ongedaan maken', typeLabel: 'Aantal te verwijderen klanten', confirmDelete: '1 klant verwijderen en importeren',
  },
];

describe('consent and row commands in step Check', () => {
  it.each(stories)('$language: re-subscribing needs the stated evidence; a deletion needs its number typed', { timeout: 120_000 }, async (story) => {
    const domain = `${story.language}.commands`;
    await server.services.customers.create({ email: `left@${domain}`, firstName: 'Left', lastName: 'Once', emailConsent: 'unsubscribed' });
    await server.services.customers.create({ email: `gone@${domain}`, firstName: 'Gone', lastName: 'Soon' });
    const file = [
      'E-mail,First name,Last name,Newsletter,Command',
      `left@${domain},Left,Again,yes,`,
      `gone@${domain},,,,delete`,
      `new@${domain},New,Customer,ja,`,
    ].join('\r\n');
    const { page, pageErrors } = await openPage(browser, { locale: story.locale });
    await logIn(page, server.baseUrl, story.email, password);
    await page.goto(`${server.baseUrl}/admin/imports/new`);
    await dropFile(page, 'commands.csv', Buffer.from(file, 'utf8'));
    await page.waitForURL(/\/admin\/imports\/\d+$/);
    await page.getByRole('heading', { name: story.readTitle }).waitFor();
    await page.getByRole('button', { name: story.next }).click();
    await page.getByRole('radio', { name: /Customer addresses|Adressen van klanten/ }).waitFor();
    await page.getByRole('button', { name: story.next }).click();
    await page.getByRole('heading', { name: story.fieldsTitle }).waitFor();
    await page.getByRole('button', { name: story.next }).click();
    await page.getByRole('heading', { name: story.optionsTitle, exact: true }).waitFor();
    await page.getByRole('button', { name: story.check }).click();
    await expect.poll(() => countCards(page), { timeout: uiTimeoutMs }).toMatchObject({ created: '1', updated: '1', deleted: '1' });
    await page.getByText(story.kept).waitFor();
    await page.getByText(story.deletes).waitFor();
    await page.getByText(`gone@${domain}`).first().waitFor();
    await page.screenshot({ path: `test-results/import-consent-commands-check-${story.language}.png`, fullPage: true });

    await page.getByRole('button', { name: story.evidence }).click();
    await page.getByRole('button', { name: story.confirmEvidence }).click();
    await page.getByText(story.resubscribed).waitFor({ timeout: uiTimeoutMs });

    await page.getByRole('button', { name: story.start }).click();
    const confirm = page.getByRole('button', { name: story.confirmDelete });
    expect(await confirm.isDisabled()).toBe(true);
    await page.getByLabel(story.typeLabel).fill('1');
    await page.screenshot({ path: `test-results/import-consent-commands-confirm-${story.language}.png` });
    await confirm.click();
    // The report (not the check's cards, which show the same numbers): its undo button.
    await page.getByRole('button', { name: story.undo }).waitFor({ timeout: uiTimeoutMs });
    expect(await countCards(page)).toMatchObject({ created: '1', deleted: '1' });
    expect(await server.services.customers.findByEmail(`left@${domain}`)).toMatchObject({ emailConsent: 'subscribed' });
    expect(await server.services.customers.findByEmail(`gone@${domain}`)).toBeUndefined();
    expect(pageErrors).toEqual([]);
    await page.context().close();
  });
});

// Code inside evaluate() runs in the browser, so this file sees the DOM types too.
/// <reference lib="dom" />
import { mkdir, readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPage, seriousAccessibilityViolations, uiTimeoutMs } from '../support/browser.ts';
import { startLiveServer, type LiveServer } from '../support/live-server.ts';
import { stories, type Story } from './import-companies-file.stories.ts';
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
  await server.services.staff.createUser({
    email: 'sanne@shop.example',
    name: 'Sanne',
    password,
    language: 'en',
  });
  await server.services.staff.createUser({
    email: 'ilse@shop.example',
    name: 'Ilse',
    password,
    language: 'nl',
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function shot(page: Page, language: string, name: string) {
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({
    path: `test-results/import-companies-file-${name}-${language}.png`,
    fullPage: true,
  });
}

/** The Companies list's rows as the user reads them: name, CoC number (country), VAT number, city. */
async function companyRows(page: Page): Promise<Record<string, string[]>> {
  const rows = await page.locator('tbody tr').evaluateAll((elements) =>
    elements.map((row) =>
      Array.from(row.querySelectorAll('td'))
        .slice(1, 5)
        .map((cell) => cell.textContent?.trim() ?? ''),
    ),
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
    expect(await page.getByRole('combobox', { name: story.fieldFor(heading) }).inputValue(), heading).toBe(
      field,
    );
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
  const shown = (coc: string, vat: string, city: string) => [
    expect.stringMatching(coc ? `^${coc}(\\s|$)` : '^$'),
    vat,
    city,
  ];
  await expect
    .poll(() => listed([...story.created.map(([name]) => name), story.stored.updated]), {
      timeout: uiTimeoutMs,
    })
    .toEqual([
      ...story.created.map(([, coc, vat, city]) => shown(coc, vat, city)),
      shown('', '', story.updatedCity),
    ]);
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
    .poll(() => listed([...story.created.map(([name]) => name), story.stored.updated]), {
      timeout: uiTimeoutMs,
    })
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

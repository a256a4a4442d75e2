import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPage, seriousAccessibilityViolations, uiTimeoutMs } from '../support/browser.ts';
import { startImportServer, type ImportServer } from './import-support.ts';

/**
 * Issue #17 in the storefront, in English and Dutch: a customer signs up, opens My account, ticks
 * the newsletter and saves; the consent is theirs (source storefront) and the page says since when.
 */

let server: ImportServer;
let browser: Browser;
const password = 'a long and unusual passphrase 42';

beforeAll(async () => {
  [server, browser] = await Promise.all([startImportServer(), launchBrowser()]);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const stories = [
  { language: 'en' as const, locale: 'en-GB', choice: 'Send me the newsletter by e-mail', save: 'Save my choices', saved: 'Your choices are saved.', since: 'Subscribed since' },
  { language: 'nl' as const, locale: 'nl-NL', choice: 'Stuur mij de nieuwsbrief per e-mail', save: 'Mijn keuzes opslaan', saved: 'Je keuzes zijn opgeslagen.', since: 'Aangemeld sinds' },
];

describe('My account: newsletter and offers', () => {
  it.each(stories)('$language: the customer subscribes to the newsletter themselves', { timeout: 90_000 }, async (story) => {
    const email = `shopper-${story.language}@consent.example`;
    const { page, pageErrors } = await openPage(browser, { locale: story.locale });
    await page.goto(`${server.baseUrl}/account/register?lang=${story.language}`);
    await page.fill('input[name="email"]', email);
    await page.fill('input[name="firstName"]', 'Sam');
    await page.fill('input[name="lastName"]', 'Shopper');
    await page.fill('input[name="password"]', password);
    await page.fill('input[name="passwordConfirmation"]', password);
    await page.locator('form button[type="submit"]').last().click();
    await page.waitForLoadState();
    await page.goto(`${server.baseUrl}/account/login?lang=${story.language}`);
    await page.fill('input[name="email"]', email);
    await page.fill('input[name="password"]', password);
    await page.locator('form button[type="submit"]').last().click();
    await page.waitForURL(/\/account$/, { timeout: uiTimeoutMs });
    await page.getByLabel(story.choice).check();
    await page.getByRole('button', { name: story.save }).click();
    await page.getByText(story.saved).waitFor({ timeout: uiTimeoutMs });
    await page.getByText(story.since).waitFor();
    expect(await page.getByLabel(story.choice).isChecked()).toBe(true);
    await page.screenshot({ path: `test-results/storefront-consent-${story.language}.png`, fullPage: true });
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    expect(await server.services.customers.findByEmail(email)).toMatchObject({ emailConsent: 'subscribed', emailConsentSource: 'storefront' });
    expect(pageErrors).toEqual([]);
    await page.context().close();
  });
});

import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPage, seriousAccessibilityViolations, uiTimeoutMs } from '../support/browser.ts';
import { startLiveServer, type LiveServer } from '../support/live-server.ts';

/**
 * Issue #19, point 6, in a real browser, in English and Dutch: a customer ticks "I'm registering
 * for a business", types a KvK number of the wrong form, reads why in their language, corrects it
 * (the rest of the form kept), registers, and finds the company with its contacts in My account.
 * axe looks at the refused registration in English and at My account in Dutch.
 */

let server: LiveServer;
let browser: Browser;
const password = 'a long and unusual passphrase 42';

beforeAll(async () => {
  [server, browser] = await Promise.all([startLiveServer(), launchBrowser()]);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const stories = [
  {
    language: 'en' as const,
    locale: 'en-GB',
    business: 'I’m registering for a business',
    companyName: 'Company name',
    coc: 'Chamber of Commerce number',
    vat: 'VAT number',
    cocError: 'KvK number must be 8 digits, like 12345678.',
    sent: 'Check your e-mail',
    primary: 'You are the primary contact of this company.',
    number: '12345678',
    vatNumber: 'NL100000009B01',
    scan: 'register',
  },
  {
    language: 'nl' as const,
    locale: 'nl-NL',
    business: 'Ik registreer me voor een bedrijf',
    companyName: 'Bedrijfsnaam',
    coc: 'KvK-nummer',
    vat: 'Btw-nummer',
    cocError: 'Een KvK-nummer bestaat uit 8 cijfers, zoals 12345678.',
    sent: 'Kijk in je e-mail',
    primary: 'Je bent de hoofdcontactpersoon van dit bedrijf.',
    number: '87654321',
    vatNumber: 'NL100000010B01',
    scan: 'account',
  },
];

describe('Storefront: registering as a business', () => {
  it.each(stories)('$language: registers a company, corrects a malformed KvK number, sees the company in My account', { timeout: 120_000 }, async (story) => {
    const email = `buyer-${story.language}@business.example`;
    const { page, pageErrors } = await openPage(browser, { locale: story.locale });
    await page.goto(`${server.baseUrl}/account/register?lang=${story.language}`);
    // The company's fields appear only for a business.
    expect(await page.getByLabel(story.companyName).isVisible()).toBe(false);
    await page.getByLabel(story.business).check();
    await page.getByLabel(story.companyName).waitFor({ state: 'visible' });
    await page.fill('input[name="email"]', email);
    await page.fill('input[name="firstName"]', 'Sam');
    await page.fill('input[name="lastName"]', 'Koper');
    await page.getByLabel(story.companyName).fill(`Koper & Zn ${story.language.toUpperCase()}`);
    await page.getByLabel(story.coc).fill('1234');
    await page.getByLabel(story.vat).fill(story.vatNumber.toLowerCase());
    await page.fill('input[name="password"]', password);
    await page.fill('input[name="passwordConfirmation"]', password);
    await page.locator('form button[type="submit"]').last().click();
    await page.getByText(story.cocError).waitFor({ timeout: uiTimeoutMs });
    expect(await page.getByLabel(story.coc).inputValue()).toBe('1234');
    expect(await page.getByLabel(story.companyName).inputValue()).toBe(`Koper & Zn ${story.language.toUpperCase()}`);
    expect(await page.getByLabel(story.business).isChecked()).toBe(true);
    await page.screenshot({ path: `test-results/storefront-business-register-${story.language}.png`, fullPage: true });
    if (story.scan === 'register') expect(await seriousAccessibilityViolations(page)).toEqual([]);

    await page.getByLabel(story.coc).fill(story.number);
    await page.fill('input[name="password"]', password);
    await page.fill('input[name="passwordConfirmation"]', password);
    await page.locator('form button[type="submit"]').last().click();
    await page.getByRole('heading', { name: story.sent }).waitFor({ timeout: uiTimeoutMs });

    // A colleague, linked by staff, shows to this primary contact with their role.
    const company = (await server.services.companies.list({ q: story.number })).items[0]!;
    const colleague = await server.services.customers.create({ email: `finance-${story.language}@business.example`, firstName: 'Fleur', lastName: 'Financieel' });
    await server.services.companies.linkContact(company.id, { customerId: colleague.id, role: 'finance' });

    await page.goto(`${server.baseUrl}/account/login?lang=${story.language}`);
    await page.fill('input[name="email"]', email);
    await page.fill('input[name="password"]', password);
    await page.locator('form button[type="submit"]').last().click();
    await page.waitForURL(/\/account$/, { timeout: uiTimeoutMs });
    const section = page.locator('section.company');
    await section.getByRole('heading', { name: `Koper & Zn ${story.language.toUpperCase()}` }).waitFor();
    await section.getByText(story.primary).waitFor();
    await section.getByText(story.vatNumber).waitFor();
    await section.getByRole('cell', { name: `finance-${story.language}@business.example` }).waitFor();
    await page.screenshot({ path: `test-results/storefront-business-account-${story.language}.png`, fullPage: true });
    if (story.scan === 'account') expect(await seriousAccessibilityViolations(page)).toEqual([]);
    expect(pageErrors).toEqual([]);
    await page.context().close();
  });
});

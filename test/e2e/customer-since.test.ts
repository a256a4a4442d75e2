import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPage } from '../support/browser.ts';
import { startLiveServer, type LiveServer } from '../support/live-server.ts';

/** "Customer since" on the customer page and in the list (column and since/before filter), in English and Dutch. */
let server: LiveServer;
let browser: Browser;
const password = 'correct horse battery staple';
let oldId: number;
let newId: number;

beforeAll(async () => {
  [server, browser] = await Promise.all([startLiveServer(), launchBrowser()]);
  await server.services.staff.createUser({ email: 'staff@shop.example', name: 'Kees Smit', password, language: 'en' });
  await server.services.staff.createUser({ email: 'anja@shop.example', name: 'Anja de Vries', password, language: 'nl' });
  oldId = (await server.services.customers.create({ email: 'trouw@since.example', firstName: 'Truus', lastName: 'Trouw', customerSince: '2012-05-20' })).id;
  newId = (await server.services.customers.create({ email: 'nieuw@since.example', firstName: 'Nico', lastName: 'Nieuw' })).id;
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function logIn(email: string) {
  const opened = await openPage(browser);
  await opened.page.goto(`${server.baseUrl}/admin/login`);
  await opened.page.getByLabel(/^(E-mail address|E-mailadres)/).fill(email);
  await opened.page.getByLabel(/^(Password|Wachtwoord)/).fill(password);
  await opened.page.getByRole('button', { name: /^(Log in|Inloggen)$/ }).click();
  await opened.page.waitForURL(/\/admin\/overview$/);
  await opened.page.goto(opened.page.url().replace(/overview$/, 'customers'));
  return opened;
}

describe('customer since in the back office', () => {
  it('shows the registration date, or says it is not known, and filters the list on it', { timeout: 60_000 }, async () => {
    const { page, context, pageErrors } = await logIn('staff@shop.example');
    await page.getByRole('columnheader', { name: 'Customer since' }).waitFor();
    await page.getByRole('row', { name: /Truus Trouw/ }).getByText('20 May 2012').waitFor();

    await page.getByLabel('Customer since, before').fill('2015-01-01');
    await page.getByText('1–1 of 1').waitFor();
    expect(await page.getByRole('row', { name: /Nico Nieuw/ }).count()).toBe(0);
    expect(page.url()).toContain('sinceBefore=2015-01-01');

    await page.goto(`${server.baseUrl}/admin/customers/${oldId}`);
    await expect.poll(() => page.getByLabel('Customer since').inputValue()).toBe('20-05-2012');
    await page.goto(`${server.baseUrl}/admin/customers/${newId}`);
    await page.getByText(/not known; created here on/).waitFor();
    await page.getByLabel('Customer since').fill('01-02-2020');
    await page.getByRole('button', { name: /^Save/ }).click();
    await expect.poll(async () => (await server.services.customers.findByEmail('nieuw@since.example'))?.customerSince).toBe('2020-02-01');
    expect(pageErrors).toEqual([]);
    await context.close();
  });

  it('speaks Dutch', { timeout: 60_000 }, async () => {
    const { page, context, pageErrors } = await logIn('anja@shop.example');
    await page.getByRole('columnheader', { name: 'Klant sinds' }).waitFor();
    await page.getByLabel('Klant sinds, vanaf').waitFor();
    await page.goto(`${server.baseUrl}/admin/customers/${oldId}`);
    await expect.poll(() => page.getByLabel('Klant sinds').inputValue()).toBe('20-05-2012');
    expect(pageErrors).toEqual([]);
    await context.close();
  });
});

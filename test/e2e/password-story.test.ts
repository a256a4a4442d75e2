// Code inside page.evaluate() runs in the browser, so these files see the DOM types too.
/// <reference lib="dom" />
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPage, seriousAccessibilityViolations, uiTimeoutMs } from '../support/browser.ts';
import { startLiveServer, type LiveServer } from '../support/live-server.ts';
import { startTestSmtpServer, type TestSmtpServer } from '../support/smtp-server.ts';

/**
 * The whole story of issue 6 in a real browser, against the real server and a real SMTP server:
 * staff has customers without a password → bulk "Send password" from the customer list → the
 * e-mail arrives → its link opens the storefront reset page → new password → the customer is
 * logged in → edits the shipping address. (The lead will put a real import at the start.)
 */
let server: LiveServer;
let browser: Browser;
let smtp: TestSmtpServer;
const staffPassword = 'correct horse battery staple';
const customers = [
  { email: 'sanne@story.example', firstName: 'Sanne', lastName: 'de Vries', language: 'nl' },
  { email: 'emma@story.example', firstName: 'Emma', lastName: 'Johnson', language: 'en' },
  { email: 'joost@story.example', firstName: 'Joost', lastName: 'Bakker', language: 'nl' },
];
const ids = new Map<string, number>();

/** A staff session over the REST API, as a script or an integrator would use it. */
async function restSession() {
  const login = await fetch(`${server.baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'staff@shop.example', password: staffPassword }),
  });
  expect(login.status).toBe(200);
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  return (method: string, path: string, body?: unknown) =>
    fetch(`${server.baseUrl}/api/v1${path}`, {
      method,
      headers: { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
}

beforeAll(async () => {
  smtp = await startTestSmtpServer();
  [server, browser] = await Promise.all([
    startLiveServer({ SMTP_URL: smtp.url, SHOP_NAME: 'De Fietsenwinkel', MAIL_SEND_PER_MINUTE: '600' }),
    launchBrowser(),
  ]);
  await server.services.queue.startWorkers();
  await server.services.staff.createUser({
    email: 'staff@shop.example',
    name: 'Kees Smit',
    password: staffPassword,
    language: 'en',
  });
  const api = await restSession();
  for (const customer of [...customers, { email: 'someone@elsewhere.example', firstName: 'Other' }]) {
    const response = await api('POST', '/customers', customer);
    expect(response.status, await response.clone().text()).toBe(201);
    ids.set(customer.email, ((await response.json()) as { id: number }).id);
  }
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await server?.services.mailTransport.close();
  await smtp?.close();
});

describe('passwords after import, in the browser', () => {
  it(
    'bulk-sends the password e-mail from the customer list; the customer sets a password with the link and edits the shipping address',
    { timeout: 90_000 },
    async () => {
      const staff = await openPage(browser);
      const { page } = staff;
      await page.goto(`${server.baseUrl}/admin/login`);
      await page.getByLabel(/^E-mail address/).fill('staff@shop.example');
      await page.getByLabel(/^Password/).fill(staffPassword);
      await page.getByRole('button', { name: 'Log in' }).click();
      await page.waitForURL(/\/admin\/overview$/);
      await page.goto(page.url().replace(/overview$/, 'customers'));

      await page.getByRole('searchbox', { name: 'Search' }).fill('@story.example');
      await page.getByText('1–3 of 3').waitFor();
      await page.getByRole('checkbox', { name: 'Select all customers on this page' }).check();
      const bar = page.getByRole('region', { name: 'Selected customers' });
      await bar.getByText('3 customers selected').waitFor();
      await bar.getByRole('button', { name: 'Send password' }).click();

      const dialog = page.getByRole('dialog', { name: 'Send password e-mail' });
      await dialog
        .getByText('3 customers receive the Account password e-mail, each in their own language.')
        .waitFor();
      expect(await seriousAccessibilityViolations(page)).toEqual([]);
      await dialog.getByRole('button', { name: 'Send 3 e-mails' }).click();
      await dialog.getByText('100% done').waitFor({ timeout: 30_000 });
      expect(
        await dialog
          .getByText('Sent', { exact: true })
          .locator('xpath=following-sibling::*[1]')
          .textContent(),
      ).toBe('3');
      expect(await seriousAccessibilityViolations(page)).toEqual([]);

      // Every selected customer got exactly one e-mail, the customer outside the search none.
      await expect
        .poll(() => smtp.received.filter((mail) => mail.to[0]?.endsWith('@story.example')).length, {
          timeout: uiTimeoutMs,
        })
        .toBe(3);
      for (const customer of customers) {
        expect(
          smtp.received.filter((mail) => mail.to.includes(customer.email)),
          customer.email,
        ).toHaveLength(1);
      }
      expect(smtp.received.some((mail) => mail.to.includes('someone@elsewhere.example'))).toBe(false);
      const mail = smtp.received.find((received) => received.to.includes('sanne@story.example'))!;
      expect(mail.subject).toBe('Stel je wachtwoord in voor De Fietsenwinkel');

      // The bulk send can be found again after closing the dialog.
      await dialog.getByRole('button', { name: 'Close', exact: true }).click();
      await page.goto(`${server.baseUrl}/admin/settings/bulk-sends`);
      const row = page.getByRole('row').filter({ hasText: '3 selected customers' });
      await row.getByText('Done').waitFor();
      expect(await row.textContent()).toContain('100%');

      // The customer opens the link. It points at PUBLIC_URL (here the default 127.0.0.1:3000,
      // as the test server listens on a free port): the same path and token on the real server.
      const href = /href="([^"]*\/account\/reset-password\?token=[^"]+)"/
        .exec(mail.html)?.[1]
        ?.replace(/&amp;/g, '&');
      expect(href).toMatch(/token=[\w-]{43}&lang=nl$/);
      const link = new URL(href!);
      const customer = await openPage(browser, { locale: 'nl-NL' });
      await customer.page.goto(`${server.baseUrl}${link.pathname}${link.search}`);
      await customer.page.getByRole('heading', { name: 'Kies een nieuw wachtwoord' }).waitFor();
      await customer.page.getByLabel('Nieuw wachtwoord').fill('tulpen in de lente 2026');
      await customer.page.getByLabel('Herhaal het wachtwoord').fill('tulpen in de lente 2026');
      await customer.page.getByRole('button', { name: 'Wachtwoord opslaan en inloggen' }).click();
      await customer.page.waitForURL(/\/account\?notice=password-set$/);
      await customer.page.getByText('Je wachtwoord is opgeslagen en je bent ingelogd.').waitFor();
      await customer.page.getByText('sanne@story.example').first().waitFor();

      // Logged in: the customer ships somewhere else from now on.
      await customer.page.getByLabel('Afleveradres gelijk aan factuuradres').uncheck();
      await customer.page.locator('#f-shippingAddress-street').fill('Oudegracht');
      await customer.page.locator('#f-shippingAddress-number').fill('12');
      await customer.page.locator('#f-shippingAddress-postcode').fill('3511 AB');
      await customer.page.locator('#f-shippingAddress-city').fill('Utrecht');
      await customer.page.locator('#f-shippingAddress-country').selectOption({ label: 'Nederland' });
      await customer.page.getByRole('button', { name: 'Opslaan', exact: true }).click();
      await customer.page.getByText('Je gegevens zijn opgeslagen.').waitFor();
      expect(customer.pageErrors).toEqual([]);
      await customer.context.close();

      const api = await restSession();
      const stored = (await (await api('GET', `/customers/${ids.get('sanne@story.example')}`)).json()) as {
        passwordState: string;
        shippingSameAsBilling: boolean;
        shippingAddress: { street: string; city: string; country: string };
      };
      expect(stored).toMatchObject({
        passwordState: 'set',
        shippingSameAsBilling: false,
        shippingAddress: { street: 'Oudegracht', city: 'Utrecht', country: 'NL' },
      });

      // Back in the back office, the customer's page says the password was chosen since the e-mail.
      await page.goto(`${server.baseUrl}/admin/customers/${ids.get('sanne@story.example')}`);
      const section = page.getByRole('region', { name: 'Account password' });
      await section.getByText(/^Yes, on /).waitFor();
      await section.getByText('Sent', { exact: true }).waitFor();
      expect(staff.pageErrors).toEqual([]);
      await staff.context.close();
    },
  );

  it(
    'sends one customer the password e-mail from their page, after a confirmation, and shows when it went out',
    { timeout: 90_000 },
    async () => {
      const { page, context, pageErrors } = await openPage(browser);
      await page.goto(`${server.baseUrl}/admin/login`);
      await page.getByLabel(/^E-mail address/).fill('staff@shop.example');
      await page.getByLabel(/^Password/).fill(staffPassword);
      await page.getByRole('button', { name: 'Log in' }).click();
      await page.waitForURL(/\/admin\/overview$/);
      await page.goto(page.url().replace(/overview$/, 'customers'));
      const id = ids.get('someone@elsewhere.example');
      await page.goto(`${server.baseUrl}/admin/customers/${id}`);
      const section = page.getByRole('region', { name: 'Account password' });
      await section.getByText('Never').waitFor();

      await section.getByRole('button', { name: 'Send password' }).click();
      const confirm = page.getByRole('dialog', { name: 'Send password e-mail?' });
      await confirm
        .getByText(/receives the “Account password” e-mail in English at someone@elsewhere\.example/)
        .waitFor();
      await confirm.getByText('The link works once, for 7 days.').waitFor();
      expect(await seriousAccessibilityViolations(page)).toEqual([]);
      await confirm.getByRole('button', { name: 'Send password' }).click();
      await page.getByText('Password e-mail for someone@elsewhere.example is on its way.').waitFor();
      await section.getByText('Sent', { exact: true }).waitFor({ timeout: 20_000 });
      await section.getByText('Not yet').waitFor();
      expect(smtp.received.filter((mail) => mail.to.includes('someone@elsewhere.example'))).toHaveLength(1);
      expect(await seriousAccessibilityViolations(page)).toEqual([]);
      expect(pageErrors).toEqual([]);
      await context.close();
    },
  );
});

// Code inside page.evaluate() runs in the browser, so these files see the DOM types too.
/// <reference lib="dom" />
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPage, uiTimeoutMs } from '../support/browser.ts';
import { startLiveServer, type LiveServer } from '../support/live-server.ts';

/**
 * No lost update in the back office (issue #15, point 9): a customer open in two pages, saved in
 * the first, then saved in the second. The second save must not overwrite the first: it says the
 * customer was changed by someone else and offers to reload.
 */

let server: LiveServer;
let browser: Browser;
const password = 'correct horse battery staple';

beforeAll(async () => {
  [server, browser] = await Promise.all([startLiveServer(), launchBrowser()]);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const texts = {
  en: {
    save: 'Save', saved: 'Changes saved.',
    firstName: 'First name', notes: 'Notes',
    staleTitle: 'Changed by someone else',
    staleBody: 'This customer was changed by someone else since you opened it — reload to see the changes.',
    reload: 'Reload the customer',
  },
  nl: {
    save: 'Opslaan', saved: 'Wijzigingen opgeslagen.',
    firstName: 'Voornaam', notes: 'Notities',
    staleTitle: 'Gewijzigd door iemand anders',
    staleBody: 'Deze klant is door iemand anders gewijzigd sinds je hem opende — laad opnieuw om de wijzigingen te zien.',
    reload: 'Klant opnieuw laden',
  },
} as const;

async function logIn(page: Page, email: string): Promise<void> {
  await page.goto(`${server.baseUrl}/admin/login`);
  // The login page follows the browser's language; the back office then the staff user's.
  await page.getByLabel(/^E-mailadres|^E-mail address/).fill(email);
  await page.getByLabel(/^Wachtwoord|^Password/).fill(password);
  await page.getByRole('button', { name: /^(Inloggen|Log in)$/ }).click();
  await page.waitForURL(/\/admin\/overview$/);
  await page.goto(page.url().replace(/overview$/, 'customers'));
}

describe('a customer saved in two pages', () => {
  for (const language of ['en', 'nl'] as const) {
    it(`refuses the stale save with “changed by someone else” and reloads on request (${language})`, { timeout: 90_000 }, async () => {
      const text = texts[language];
      const email = `staff-${language}@shop.example`;
      await server.services.staff.createUser({ email, name: `Staff ${language}`, password, language });
      const customer = await server.services.customers.create({ email: `two-pages-${language}@example.com`, firstName: 'Anna', lastName: 'Bakker', notes: 'First note' });

      // One staff user, the customer open in two tabs of the same browser.
      const first = await openPage(browser);
      await logIn(first.page, email);
      const second = { page: await first.context.newPage(), pageErrors: [] as string[] };
      second.page.on('pageerror', (error) => second.pageErrors.push(error.message));
      for (const { page } of [first, second]) {
        await page.goto(`${server.baseUrl}/admin/customers/${customer.id}`);
        await page.getByLabel(text.firstName).waitFor();
      }

      await first.page.getByLabel(text.firstName).fill('Annemarie');
      await first.page.getByRole('button', { name: text.save }).click();
      await first.page.getByText(text.saved).waitFor();
      await expect.poll(async () => (await server.services.customers.get(customer.id)).firstName, { timeout: uiTimeoutMs }).toBe('Annemarie');

      // The second page still shows Anna; its save would put her name back.
      expect(await second.page.getByLabel(text.firstName).inputValue()).toBe('Anna');
      await second.page.getByRole('textbox', { name: text.notes }).fill('Second note');
      await second.page.getByRole('button', { name: text.save }).click();
      const alert = second.page.getByRole('alert').filter({ hasText: text.staleTitle });
      await alert.waitFor();
      expect(await alert.innerText()).toContain(text.staleBody);
      expect(await server.services.customers.get(customer.id)).toMatchObject({ firstName: 'Annemarie', notes: 'First note' });

      // Reload shows the other page's change; saving the note again then keeps both.
      await alert.getByRole('button', { name: text.reload }).click();
      await expect.poll(() => second.page.getByLabel(text.firstName).inputValue(), { timeout: uiTimeoutMs }).toBe('Annemarie');
      expect(await second.page.getByRole('textbox', { name: text.notes }).inputValue()).toBe('First note');
      expect(await second.page.getByRole('alert').filter({ hasText: text.staleTitle }).count()).toBe(0);
      await second.page.getByRole('textbox', { name: text.notes }).fill('Second note');
      await second.page.getByRole('button', { name: text.save }).click();
      await second.page.getByText(text.saved).waitFor();
      expect(await server.services.customers.get(customer.id)).toMatchObject({ firstName: 'Annemarie', notes: 'Second note' });

      expect([...first.pageErrors, ...second.pageErrors]).toEqual([]);
      await first.context.close();
    });
  }
});

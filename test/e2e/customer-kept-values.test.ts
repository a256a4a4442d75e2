// Code inside page.evaluate() runs in the browser, so these files see the DOM types too.
/// <reference lib="dom" />
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPage } from '../support/browser.ts';
import { startLiveServer, type LiveServer } from '../support/live-server.ts';
import { logIn } from './import-support.ts';

let server: LiveServer;
let browser: Browser;
const password = 'correct horse battery staple';

/**
 * What an import with the default "keep as typed and flag" leaves behind (as in
 * customer-flags.test.ts): a phone kept as typed and its open flag.
 */
async function flaggedCustomer(email: string, firstName: string): Promise<number> {
  const { id } = await server.services.customers.create({ email, firstName, lastName: 'Bakker' });
  const phone = '06-01234567';
  const pool = server.services.db.pool;
  await pool.query('UPDATE customers SET phone = $2 WHERE id = $1', [id, phone]);
  await pool.query(
    `INSERT INTO customer_flags (customer_id, field, column_name, value, stored_value, code, message, params, row_number, created_at)
     VALUES ($1, 'phone', 'phone', $2, $2, 'phone_unassigned', $3, $4, 2, now())`,
    [id, phone, `“${phone}” has the form of a phone number, but its number range is not in use according to the numbering plan.`, JSON.stringify({ value: phone })],
  );
  return id;
}

beforeAll(async () => {
  [server, browser] = await Promise.all([startLiveServer(), launchBrowser()]);
  await server.services.staff.createUser({ email: 'staff@shop.example', name: 'Kees Smit', password, language: 'en' });
  await server.services.staff.createUser({ email: 'medewerker@shop.example', name: 'Ilse Jansen', password, language: 'nl' });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const cases = [
  { language: 'English', email: 'staff@shop.example', firstName: 'First name', phone: 'Phone', save: 'Save', saved: 'Changes saved.', warning: 'Kept as typed by an import — check it.' },
  { language: 'Dutch', email: 'medewerker@shop.example', firstName: 'Voornaam', phone: 'Telefoon', save: 'Opslaan', saved: 'Wijzigingen opgeslagen.', warning: 'Zo getypt overgenomen uit een import — kijk het na.' },
];

describe('saving a customer with a value kept as typed by an import', () => {
  for (const [index, labels] of cases.entries()) {
    it(`in ${labels.language}: another change saves, and the phone stays as typed with its warning`, async () => {
      const id = await flaggedCustomer(`anna${index}@example.nl`, 'Anna');
      const { page, context } = await openPage(browser);
      try {
        await logIn(page, server.baseUrl, labels.email, password);
        await page.goto(`${server.baseUrl}/admin/customers/${id}`);
        const phone = page.getByLabel(labels.phone, { exact: true });
        await page.getByText(labels.warning).waitFor();
        expect(await phone.inputValue()).toBe('06-01234567');
        expect(await phone.getAttribute('aria-invalid')).not.toBe('true');

        await page.getByLabel(labels.firstName, { exact: true }).fill('Annie');
        await page.getByRole('button', { name: labels.save }).click();
        await page.getByText(labels.saved).waitFor();

        expect(await phone.inputValue()).toBe('06-01234567');
        await page.getByText(labels.warning).waitFor();
        const stored = await server.services.customers.get(id);
        expect(stored).toMatchObject({ firstName: 'Annie', phone: '06-01234567' });

        // Once edited, the phone is checked as usual: the old warning goes, and a number that does
        // not fit is saved as typed and flagged again (issue #22 point 6), never refused.
        // The first save's notification goes first, so that the wait below sees this save's own.
        await page.getByText(labels.saved).waitFor({ state: 'detached', timeout: 30_000 });
        await phone.fill('06-0123');
        await page.getByText(labels.warning).waitFor({ state: 'detached' });
        await page.getByRole('button', { name: labels.save }).click();
        await page.getByText(labels.saved).waitFor();
        await expect.poll(async () => (await server.services.customers.get(id)).phone).toBe('06-0123');
        await page.getByTestId('flag-phone').waitFor();
        expect(await phone.getAttribute('aria-invalid')).not.toBe('true');
      } finally {
        await context.close();
      }
    });
  }
});

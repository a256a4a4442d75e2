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
let annaId: number;
let bramId: number;

/**
 * What an import with the default "keep as typed and flag" leaves behind (see
 * test/imports/import-warnings.test.ts for the import itself): a mobile kept as typed and its
 * flag, whose stored value is what the column holds.
 */
async function flagMobile(customerId: number, mobile: string) {
  const pool = server.services.db.pool;
  await pool.query('UPDATE customers SET mobile = $2 WHERE id = $1', [customerId, mobile]);
  await pool.query(
    `INSERT INTO customer_flags (customer_id, field, column_name, value, stored_value, code, message, params, row_number, created_at)
     VALUES ($1, 'mobile', 'mobile', $2, $2, 'phone_unassigned', $3, $4, 2, now())`,
    [customerId, mobile, `“${mobile}” has the form of a phone number, but its number range is not in use according to the numbering plan.`, JSON.stringify({ value: mobile })],
  );
}

beforeAll(async () => {
  [server, browser] = await Promise.all([startLiveServer(), launchBrowser()]);
  await server.services.staff.createUser({ email: 'staff@shop.example', name: 'Kees Smit', password, language: 'en' });
  await server.services.staff.createUser({ email: 'medewerker@shop.example', name: 'Ilse Jansen', password, language: 'nl' });
  annaId = (await server.services.customers.create({ email: 'anna@example.nl', firstName: 'Anna', lastName: 'Bakker' })).id;
  bramId = (await server.services.customers.create({ email: 'bram@example.nl', firstName: 'Bram', lastName: 'Dam' })).id;
  await server.services.customers.create({ email: 'cor@example.nl', firstName: 'Cor', lastName: 'Wit' });
  await flagMobile(annaId, '06-01234567');
  await flagMobile(bramId, '0671234567');
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('values to review', () => {
  it('shows the flag with its reason, filters the list on it, and a corrected value closes it', async () => {
    const { page, context } = await openPage(browser);
    try {
      await logIn(page, server.baseUrl, 'staff@shop.example', password);
      // Mantine's chip is a visually hidden checkbox inside its label: people click the label.
      await page.getByText('Values to review', { exact: true }).click();
      await page.waitForURL(/flagged=true/);
      await page.getByText('1–2 of 2').waitFor();
      expect(await page.getByRole('checkbox', { name: 'Values to review' }).isChecked()).toBe(true);
      expect(await page.getByRole('row', { name: /@example\.nl/ }).count()).toBe(2);
      expect(await page.getByRole('row', { name: /cor@example\.nl/ }).count()).toBe(0);

      await page.goto(`${server.baseUrl}/admin/customers/${annaId}`);
      const alert = page.getByRole('alert').filter({ hasText: '1 value to review' });
      await alert.waitFor();
      expect(await alert.innerText()).toContain('06-01234567');
      expect(await alert.innerText()).toContain('its number range is not in use according to the numbering plan');

      await page.getByLabel('Mobile', { exact: true }).fill('06-12345678');
      await page.getByRole('button', { name: 'Save' }).click();
      await page.getByText('Changes saved.').waitFor();
      await alert.waitFor({ state: 'detached' });

      await page.goto(`${server.baseUrl}/admin/customers?flagged=true`);
      await page.getByText('1–1 of 1').waitFor();
      expect(await page.getByRole('row', { name: /@example\.nl/ }).count()).toBe(1);
      expect(await page.getByRole('row', { name: /bram@example\.nl/ }).count()).toBe(1);
    } finally {
      await context.close();
    }
  });

  it('in Dutch: the reason in Dutch, and "Zo laten" keeps the value and removes the flag', async () => {
    const { page, context } = await openPage(browser);
    try {
      await logIn(page, server.baseUrl, 'medewerker@shop.example', password);
      await page.getByText('Na te kijken waarden', { exact: true }).waitFor();
      await page.goto(`${server.baseUrl}/admin/customers/${bramId}`);
      const alert = page.getByRole('alert').filter({ hasText: '1 waarde om na te kijken' });
      await alert.waitFor();
      expect(await alert.innerText()).toContain('heeft de vorm van een telefoonnummer, maar de nummerreeks is volgens het nummerplan niet in gebruik');
      await alert.getByRole('button', { name: 'Zo laten' }).click();
      await alert.waitFor({ state: 'detached' });
      expect((await server.services.customers.get(bramId)).mobile).toBe('0671234567');
    } finally {
      await context.close();
    }
  });
});

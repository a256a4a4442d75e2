// Code inside page.evaluate() runs in the browser, so these files see the DOM types too.
/// <reference lib="dom" />
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPage, seriousAccessibilityViolations, uiTimeoutMs } from '../support/browser.ts';
import { startTestSmtpServer, type TestSmtpServer } from '../support/smtp-server.ts';
import { countCards, logIn, startImportServer, type ImportServer } from './import-support.ts';

/**
 * The story of issues 4 and 6 end to end, in a real browser, over a real SMTP server: staff
 * imports customers from a worksheet → "Send password e-mail" from the import's report → each
 * customer gets one e-mail → the link opens the storefront reset page → a new password → the
 * customer is logged in.
 */
let server: ImportServer;
let browser: Browser;
let smtp: TestSmtpServer;
const password = 'correct horse battery staple';
// Dirk's old shop password hash (WordPress phpass) comes along: he logs in with his old password.
const worksheet = [
  'E-mail;Voornaam;Achternaam;Taal;Wachtwoord-hash',
  'anouk@migrated.example;Anouk;Smit;nl;',
  'bram@migrated.example;Bram;de Jong;nl;',
  'claire@migrated.example;Claire;Martin;en;',
  'dirk@migrated.example;Dirk;Bos;nl;$P$BZ1kUHzFiF0Nh3.ZUzUFr5CERcHpq81',
].join('\r\n');

beforeAll(async () => {
  smtp = await startTestSmtpServer();
  [server, browser] = await Promise.all([
    startImportServer({ SMTP_URL: smtp.url, SHOP_NAME: 'De Fietsenwinkel', MAIL_SEND_PER_MINUTE: '600' }),
    launchBrowser(),
  ]);
  await server.services.staff.createUser({
    email: 'kees@shop.example',
    name: 'Kees Smit',
    password,
    language: 'en',
  });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await smtp?.close();
});

async function importWorksheet(page: Page) {
  await page.goto(`${server.baseUrl}/admin/imports/new`);
  const [chooser] = await Promise.all([
    page.waitForEvent('filechooser'),
    page.getByRole('button', { name: 'Browse computer' }).click(),
  ]);
  await chooser.setFiles({
    name: 'oude-webwinkel.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(worksheet, 'utf8'),
  });
  await page.getByRole('heading', { name: 'How the file is read' }).waitFor();
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByText('What do you want to import?').waitFor();
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByRole('heading', { name: 'Select fields' }).waitFor();
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByRole('button', { name: 'Check the file' }).click();
  await page.getByRole('heading', { name: 'Result of the check' }).waitFor();
  await page.getByRole('button', { name: 'Start import' }).click();
  await page.getByRole('heading', { name: /^Import finished/ }).waitFor({ timeout: 30_000 });
}

describe('migrating customers and getting them back into their accounts', () => {
  it(
    'imports a worksheet, sends the password e-mail from the report, and a customer sets a password',
    { timeout: 120_000 },
    async () => {
      const staff = await openPage(browser);
      const { page } = staff;
      await logIn(page, server.baseUrl, 'kees@shop.example', password);
      await importWorksheet(page);
      expect(await countCards(page)).toMatchObject({ created: '4', rejected: '0' });

      const passwords = page.locator('[data-slot="bulk-password-email"]');
      await passwords
        .getByText('1 of the 4 new customers already has a password (imported from the old shop)', { exact: false })
        .waitFor();
      await passwords
        .getByText('The 3 new customers without a password can be sent the Account password e-mail', { exact: false })
        .waitFor();
      await passwords.getByRole('button', { name: 'Send password' }).click();
      const dialog = page.getByRole('dialog', { name: 'Send password e-mail' });
      await dialog
        .getByText('3 customers receive the Account password e-mail, each in their own language.')
        .waitFor();
      expect(await seriousAccessibilityViolations(page)).toEqual([]);
      await dialog.getByRole('button', { name: 'Send 3 e-mails' }).click();
      await dialog.getByText('100% done').waitFor({ timeout: 30_000 });

      await expect.poll(() => smtp.received.length, { timeout: uiTimeoutMs }).toBe(3);
      expect(smtp.received.filter((mail) => mail.to.includes('dirk@migrated.example'))).toEqual([]);
      for (const email of ['anouk@migrated.example', 'bram@migrated.example', 'claire@migrated.example']) {
        expect(
          smtp.received.filter((mail) => mail.to.includes(email)),
          email,
        ).toHaveLength(1);
      }
      // The report now lists that send, and asks before sending to the same customers again.
      await dialog.getByRole('button', { name: 'Close', exact: true }).click();
      await passwords.getByTestId('import-bulk-sends').getByText(/by Kees Smit: 3 e-mails — done \(3 sent, 0 failed\)/).waitFor();
      await passwords.getByText('3 new customers still have no password of their own', { exact: false }).waitFor();
      await passwords.getByRole('button', { name: 'Send password' }).click();
      await dialog.getByTestId('already-sent').getByText(/You already sent this e-mail to 3 of these customers, last on .+\. Send again\?/).waitFor();
      await dialog.getByRole('button', { name: 'Send 3 e-mails again' }).waitFor();
      if (process.env.SCREENSHOTS) await page.screenshot({ path: 'test-results/bulk-import-report-resend.png' });
      await dialog.getByRole('button', { name: 'Cancel' }).click();

      const mail = smtp.received.find((received) => received.to.includes('claire@migrated.example'))!;
      const href = /href="([^"]*\/account\/reset-password\?token=[^"]+)"/
        .exec(mail.html)?.[1]
        ?.replace(/&amp;/g, '&');
      expect(href).toBeDefined();
      // The link points at PUBLIC_URL (the default, as the test server listens on a free port): the same path on the real server.
      const link = new URL(href!);
      const customer = await openPage(browser);
      await customer.page.goto(`${server.baseUrl}${link.pathname}${link.search}`);
      await customer.page.getByLabel('New password').fill('a bicycle built for two');
      await customer.page.getByLabel('Repeat the password').fill('a bicycle built for two');
      await customer.page.getByRole('button', { name: /Save/ }).click();
      await customer.page.waitForURL(/\/account\?notice=password-set$/);
      await customer.page.getByText('claire@migrated.example').first().waitFor();
      expect(customer.pageErrors).toEqual([]);
      await customer.context.close();

      const stored = await server.services.customers.findByEmail('claire@migrated.example');
      expect(stored?.passwordState).toBe('set');
      expect(staff.pageErrors).toEqual([]);
      await staff.context.close();
    },
  );
});

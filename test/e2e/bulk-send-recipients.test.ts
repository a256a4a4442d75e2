// Code inside page.evaluate() runs in the browser, so these files see the DOM types too.
/// <reference lib="dom" />
import { readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../accounts/storefront-agent.ts';
import { launchBrowser, openPage, seriousAccessibilityViolations } from '../support/browser.ts';
import { startLiveServer, type LiveServer } from '../support/live-server.ts';
import { startTestSmtpServer, type TestSmtpServer } from '../support/smtp-server.ts';
import { logIn } from './import-support.ts';

/**
 * Issue #21, point 4, in English and Dutch: a bulk send over a real SMTP server that refuses two
 * recipients (550) and is given one address without an @. Staff see exactly those three with
 * why, filter them by reason, export them, send again to them (after the server accepts them),
 * and find the e-mails on the customer's page.
 */

let server: LiveServer;
let browser: Browser;
let smtp: TestSmtpServer;
const password = 'correct horse battery staple';

beforeAll(async () => {
  smtp = await startTestSmtpServer();
  [server, browser] = await Promise.all([
    startLiveServer({ SMTP_URL: smtp.url, MAIL_SEND_PER_MINUTE: '100000' }),
    launchBrowser(),
  ]);
  await server.services.startWorkers();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await server?.services.mailTransport.close();
  await smtp?.close();
});

const texts = {
  en: {
    failedTitle: 'Recipients that failed',
    refused: 'Refused by the mail server',
    invalid: 'Invalid address',
    reason: 'Reason',
    refusedOption: 'Refused by the mail server (2)',
    export: 'Export failed',
    fileName: (id: number) => `bulk-send-${id}-failed.csv`,
    heading: 'Customer number,E-mail,Name,Reason,Server response,Time (UTC)',
    resend: 'Send again to the failed ones',
    confirmBody:
      '3 customers whose e-mail failed receive the Account password e-mail again, each with a new link.',
    confirm: 'Send 3 e-mails again',
    resendOf: (id: number) => `Sends again to the recipients of bulk send #${id} whose e-mail failed.`,
    done: 'Done',
    history: 'Password e-mails',
    sent: 'Sent',
    failed: 'Failed',
  },
  nl: {
    failedTitle: 'Mislukte ontvangers',
    refused: 'Geweigerd door de mailserver',
    invalid: 'Ongeldig adres',
    reason: 'Reden',
    refusedOption: 'Geweigerd door de mailserver (2)',
    export: 'Mislukte exporteren',
    fileName: (id: number) => `bulkverzending-${id}-mislukt.csv`,
    heading: 'Klantnummer,E-mailadres,Naam,Reden,Antwoord van de mailserver,Tijd (UTC)',
    resend: 'Opnieuw versturen naar de mislukte',
    confirmBody:
      '3 klanten bij wie de e-mail mislukte krijgen de e-mail Accountwachtwoord opnieuw, elk met een nieuwe link.',
    confirm: '3 e-mails opnieuw versturen',
    resendOf: (id: number) =>
      `Verstuurt opnieuw naar de ontvangers van bulkverzending #${id} bij wie de e-mail mislukte.`,
    done: 'Klaar',
    history: 'Wachtwoord-e-mails',
    sent: 'Verstuurd',
    failed: 'Mislukt',
  },
} as const;

/** Three who get the e-mail, two the server refuses, and one address nothing can be sent to. */
async function seed(language: 'en' | 'nl', importId: number) {
  const address = (name: string) => `${language}-${name}@shop.example`;
  await server.services.db.pool.query(
    `INSERT INTO customers (email, email_normalized, search_text, external_id, first_name, last_name, language, last_import_id)
     SELECT e, e, e, 'K-' || $1 || '-' || n, 'Klant', initcap(n), $1, $2
       FROM unnest($3::text[], $4::text[]) AS t (e, n)`,
    [
      language,
      importId,
      ['ok1', 'ok2', 'ok3', 'refused1', 'refused2'].map(address),
      ['ok1', 'ok2', 'ok3', 'refused1', 'refused2'],
    ],
  );
  const invalid = `${language}-no-at-sign.shop.example`;
  await server.services.db.pool.query(
    `INSERT INTO customers (email, email_normalized, search_text, first_name, last_name, language, last_import_id)
     VALUES ($1, $1, $1, 'Zonder', 'Apenstaartje', $2, $3)`,
    [invalid, language, importId],
  );
  return { address, refused: [address('refused1'), address('refused2')], invalid };
}

const mailsTo = (email: string) => smtp.received.filter((mail) => mail.to.includes(email)).length;
/** Once a dialog's opening transitions have ended: a screenshot or an axe scan sees it as people do. */
const settled = (page: Page) =>
  page.evaluate(async () => {
    const isEnding = (animation: Animation) =>
      animation.playState === 'running' && animation.effect?.getComputedTiming().endTime !== Infinity;
    for (
      let running = document.getAnimations().filter(isEnding);
      running.length > 0;
      running = document.getAnimations().filter(isEnding)
    )
      await Promise.allSettled(running.map((animation) => animation.finished));
  });
const shot = (page: Page, name: string, language: string) =>
  page.screenshot({ path: `test-results/bulk-send-recipients-${name}-${language}.png`, fullPage: true });

describe('the failed recipients of a bulk send in the back office', () => {
  for (const [index, language] of (['en', 'nl'] as const).entries()) {
    it(
      `lists, filters, exports and sends again to the failed ones, and shows them on the customer (${language})`,
      { timeout: 180_000 },
      async () => {
        const text = texts[language];
        const importId = 70 + index;
        const people = await seed(language, importId);
        smtp.setRecipientMode(people.refused, 'permfail');
        const email = `staff-recipients-${language}@shop.example`;
        const staffUser = await server.services.staff.createUser({
          email,
          name: `Staff ${language}`,
          password,
          language,
          role: 'staff',
        });
        const first = await server.services.passwordEmails.createBulk(
          { importId, includeImportedHashes: false, confirmResend: false },
          staffUser.id,
        );
        await waitFor(
          async () => (await server.services.passwordEmails.getBulk(first.id)).status === 'done',
          30_000,
        );

        const { page, pageErrors } = await openPage(browser);
        await logIn(page, server.baseUrl, email, password);
        await page.goto(`${server.baseUrl}/admin/settings/bulk-sends/${first.id}`);
        const table = page.getByRole('table', { name: text.failedTitle });
        await table.getByText(people.invalid).waitFor();
        const rows = table.locator('tbody tr');
        expect(await rows.allInnerTexts()).toEqual([
          expect.stringMatching(
            new RegExp(
              `Refused1[\\s\\S]*${people.refused[0]}[\\s\\S]*${text.refused}[\\s\\S]*550 No such user`,
            ),
          ),
          expect.stringMatching(
            new RegExp(
              `Refused2[\\s\\S]*${people.refused[1]}[\\s\\S]*${text.refused}[\\s\\S]*550 No such user`,
            ),
          ),
          expect.stringMatching(
            new RegExp(`${people.invalid}[\\s\\S]*${text.invalid}[\\s\\S]*No recipients defined`),
          ),
        ]);
        await shot(page, 'failed', language);
        if (language === 'en') expect(await seriousAccessibilityViolations(page)).toEqual([]);

        // One reason only, and its export.
        await page.getByRole('combobox', { name: text.reason }).click();
        await page.getByRole('option', { name: text.refusedOption }).click();
        await expect.poll(() => rows.count()).toBe(2);
        const [download] = await Promise.all([
          page.waitForEvent('download'),
          page.getByRole('link', { name: text.export }).click(),
        ]);
        expect(download.suggestedFilename()).toBe(text.fileName(first.id));
        const lines = (await readFile(await download.path(), 'utf8'))
          .replace(/^\uFEFF/, '')
          .trimEnd()
          .split('\r\n');
        expect(lines[0]).toBe(text.heading);
        expect(lines.slice(1).map((line) => line.split(',').slice(1, 5).join(','))).toEqual(
          people.refused.map(
            (address) =>
              `${address},Klant ${address.includes('refused1') ? 'Refused1' : 'Refused2'},${text.refused},550 No such user`,
          ),
        );

        // The server takes them now: send again to the failed ones.
        smtp.setRecipientMode(people.refused, 'accept');
        await page.getByRole('button', { name: text.resend }).click();
        const dialog = page.getByRole('dialog');
        await dialog.getByText(text.confirmBody).waitFor();
        await settled(page);
        await shot(page, 'confirm', language);
        if (language === 'nl') expect(await seriousAccessibilityViolations(page)).toEqual([]);
        await dialog.getByRole('button', { name: text.confirm }).click();
        await page.waitForURL((url) => !url.pathname.endsWith(`/bulk-sends/${first.id}`));
        await page.getByText(text.resendOf(first.id)).waitFor();
        await page.getByText(text.done, { exact: true }).waitFor({ timeout: 30_000 });
        await table.getByText(people.invalid).waitFor();
        expect(await rows.count()).toBe(1);
        await shot(page, 'resent', language);
        for (const address of people.refused) expect(mailsTo(address), address).toBe(1);
        for (const name of ['ok1', 'ok2', 'ok3']) expect(mailsTo(people.address(name)), name).toBe(1);

        // The customer's page: the failed e-mail and the one sent again.
        const refusedId = (
          await server.services.db.pool.query<{ id: number }>('SELECT id FROM customers WHERE email = $1', [
            people.refused[0],
          ])
        ).rows[0]!.id;
        await page.goto(`${server.baseUrl}/admin/customers/${refusedId}`);
        const history = page.getByRole('table', { name: text.history });
        await history.scrollIntoViewIfNeeded();
        const historyRows = history.locator('tbody tr');
        await expect.poll(() => historyRows.count()).toBe(2);
        expect(await historyRows.nth(0).innerText()).toContain(text.sent);
        expect(await historyRows.nth(1).innerText()).toMatch(
          new RegExp(`${text.failed}[\\s\\S]*${text.refused}[\\s\\S]*550 No such user`),
        );
        await page
          .getByRole('region', { name: text.history })
          .screenshot({ path: `test-results/bulk-send-recipients-customer-${language}.png` });
        // The customer page with e-mails listed: scanned in one language (the other differs only in words).
        if (language === 'en') expect(await seriousAccessibilityViolations(page)).toEqual([]);
        expect(pageErrors).toEqual([]);
        await page.context().close();
      },
    );
  }
});

// Code inside page.evaluate() runs in the browser, so these files see the DOM types too.
/// <reference lib="dom" />
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPage } from '../support/browser.ts';
import { startLiveServer, type LiveServer } from '../support/live-server.ts';

/** Settings > Notification e-mails and Settings > Mailbox in a real browser (no SMTP: the mailbox). */
let server: LiveServer;
let browser: Browser;
let staffUser: { id: number; email: string };
const password = 'correct horse battery staple';

beforeAll(async () => {
  [server, browser] = await Promise.all([
    startLiveServer({ SHOP_NAME: 'De Fietsenwinkel' }),
    launchBrowser(),
  ]);
  await server.services.queue.startWorkers();
  staffUser = await server.services.staff.createUser({
    email: 'staff@shop.example',
    name: 'Kees Smit',
    password,
    language: 'en',
  });
  await server.services.staff.createUser({
    email: 'anouk@shop.example',
    name: 'Anouk de Boer',
    password,
    language: 'nl',
  });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function logIn(page: Page, email: string) {
  await page.goto(`${server.baseUrl}/admin/login`);
  await page.locator('input[type=email]').fill(email);
  await page.locator('input[type=password]').fill(password);
  await page.locator('button[type=submit]').click();
  await page.waitForURL(/\/admin\/overview$/);
  await page.goto(page.url().replace(/overview$/, 'customers'));
}

/**
 * Serious or critical axe findings. The e-mail itself is left out: it sits in an iframe that may
 * run no script (sandbox), so axe cannot look inside and would wait for it until it gives up; the
 * e-mail's markup is the shop owner's text, not the back office.
 */
async function seriousAccessibilityViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page })
    .options({ iframes: false })
    .exclude('iframe[sandbox]')
    .analyze();
  return result.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.id} (${violation.impact}): ${violation.help}`);
}

const storedTemplate = () => server.services.mail.getTemplate('account_password', 'en');

describe('notification e-mail templates', () => {
  it(
    'edits the Account password e-mail: a placeholder, a link to [[reset_link]], save, a refused save, preview, test e-mail, reset',
    { timeout: 90_000 },
    async () => {
      const { page, context, pageErrors } = await openPage(browser);
      await logIn(page, 'staff@shop.example');
      await page.getByRole('link', { name: 'Settings' }).first().click();
      await page
        .getByRole('navigation', { name: 'Settings sections' })
        .getByRole('link', { name: 'Notification e-mails' })
        .click();
      await page.getByRole('heading', { name: 'Notification e-mails', level: 1 }).waitFor();
      await page.getByRole('tab', { name: 'Account password', selected: true }).waitFor();
      const body = page.getByRole('textbox', { name: 'Text' });
      await body.getByText('has moved to a new system').waitFor();
      expect(await seriousAccessibilityViolations(page)).toEqual([]);

      await page.getByLabel('Subject').fill('Your new password for [[shop_name]]');
      // A greeting with the first name, typed at the end and the placeholder inserted from the list.
      await body.click();
      await page.keyboard.press('Control+End');
      await page.keyboard.press('Enter');
      await page.keyboard.type('See you soon, ');
      await page.getByRole('button', { name: 'Insert [[first_name]]' }).click();
      await page.keyboard.type('!');
      // A link to the password link, with its own text.
      await page.keyboard.press('Enter');
      await page.getByRole('button', { name: 'Insert or edit link' }).click();
      const linkDialog = page.getByRole('dialog', { name: 'Insert link' });
      expect(
        await linkDialog.getByRole('radio', { name: 'The password link ([[reset_link]])' }).isChecked(),
      ).toBe(true);
      expect(await seriousAccessibilityViolations(page)).toEqual([]);
      await linkDialog.getByRole('button', { name: 'Insert link' }).click();
      await linkDialog.getByText('Enter the text people click on.').waitFor();
      await linkDialog.getByLabel('Link text').fill('Choose my password now');
      await linkDialog.getByRole('button', { name: 'Insert link' }).click();
      await body.getByRole('link', { name: 'Choose my password now' }).waitFor();
      await page.getByText('“Choose my password now” → the password link').waitFor();
      await page.getByText('Unsaved changes').waitFor();

      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await page.getByText('E-mail text saved.').waitFor();
      const saved = await storedTemplate();
      expect(saved).toMatchObject({ isDefault: false, subject: 'Your new password for [[shop_name]]' });
      expect(saved.bodyHtml).toContain('<p>See you soon, [[first_name]]!</p>');
      expect(saved.bodyHtml).toMatch(/<a [^>]*href="\[\[reset_link\]\]"[^>]*>Choose my password now<\/a>/);
      await page.getByText(/^Changed /).waitFor();

      // An unknown placeholder is refused with the server's check beside the editor; nothing is stored.
      await body.click();
      await page.keyboard.press('Control+End');
      await page.keyboard.type(' Your code: [[voucher_code]]');
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await page
        .getByText(
          'Unknown placeholder [[voucher_code]]. Use one of the placeholders listed beside the editor.',
        )
        .waitFor();
      await page
        .getByRole('alert')
        .getByText('The text was not saved. Fix what is marked and save again.')
        .waitFor();
      expect((await storedTemplate()).bodyHtml).toBe(saved.bodyHtml);
      // Without [[reset_link]] the customer could not set a password: refused as well.
      await body.click();
      await page.keyboard.press('Control+A');
      await page.keyboard.type('Dear [[first_name]], welcome back.');
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await page
        .getByText('This e-mail must contain [[reset_link]]: without it the customer cannot set a password.')
        .waitFor();
      expect((await storedTemplate()).bodyHtml).toBe(saved.bodyHtml);
      // axe looks at this state (the server's check beside the editor) in the Dutch test below:
      // once per screen, the words differ only (test/ui/translations.test.ts: none is empty).
      // Start again from what is saved (the browser asks first: the text has unsaved changes).
      page.once('dialog', (dialog) => void dialog.accept());
      await page.reload();
      await body.getByText('Choose my password now').waitFor();

      // Preview: filled in for the sample customer, as HTML (sandboxed) and as plain text.
      await page.getByRole('button', { name: 'Preview' }).click();
      const preview = page.getByRole('dialog', { name: 'Preview: Account password (English)' });
      await preview.getByText('Your new password for De Fietsenwinkel').waitFor();
      const frame = preview.getByTitle('The e-mail as the customer sees it');
      expect(await frame.getAttribute('sandbox')).toBe('');
      const mail = page.frameLocator('iframe[title="The e-mail as the customer sees it"]');
      await mail.getByText('See you soon, Emma!').waitFor();
      expect(await mail.getByRole('link', { name: 'Choose my password now' }).getAttribute('href')).toBe(
        'http://127.0.0.1:3000/account/reset-password?token=EXAMPLE-ONLY-NOT-A-REAL-TOKEN',
      );
      expect(await seriousAccessibilityViolations(page)).toEqual([]);
      await preview.getByRole('tab', { name: 'Plain-text version' }).click();
      await preview
        .getByText(
          /Choose my password now\s*\[http:\/\/127\.0\.0\.1:3000\/account\/reset-password\?token=EXAMPLE-ONLY/,
        )
        .waitFor();
      await preview.getByRole('button', { name: 'Close', exact: true }).click();

      // Test e-mail to me: with no SMTP server it lands in the mailbox.
      await page.getByRole('button', { name: 'Send test e-mail to me' }).click();
      await page.getByText('Test e-mail sent to staff@shop.example.').waitFor();

      // Back to the shipped text.
      await page.getByRole('button', { name: 'Back to the standard text' }).click();
      await page
        .getByRole('dialog', { name: 'Back to the standard text?' })
        .getByRole('button', { name: 'Use the standard text' })
        .click();
      await page.getByText('The standard text is back.').waitFor();
      await body.getByText('has moved to a new system').waitFor();
      expect(await page.getByLabel('Subject').inputValue()).toBe('Set your password for [[shop_name]]');
      expect((await storedTemplate()).isDefault).toBe(true);

      expect(pageErrors).toEqual([]);
      await context.close();
    },
  );

  it('speaks Dutch to a Dutch shop owner, including the server’s checks', { timeout: 45_000 }, async () => {
    const { page, context, pageErrors } = await openPage(browser, { locale: 'nl-NL' });
    await logIn(page, 'anouk@shop.example');
    await page.goto(`${server.baseUrl}/admin/settings`);
    const nav = page.getByRole('navigation', { name: 'Onderdelen van de instellingen' });
    for (const name of ['Algemeen', 'Meldingen', 'Bulkverzendingen', 'Postvak'])
      await nav.getByRole('link', { name }).waitFor();
    await nav.getByRole('link', { name: 'Meldingen' }).click();
    await page.getByRole('heading', { name: 'Meldingen', level: 1 }).waitFor();
    await page.getByRole('tab', { name: 'Accountwachtwoord', selected: true }).waitFor();
    expect(await page.getByRole('radio', { name: 'Nederlands' }).isChecked()).toBe(true);
    expect(await page.getByLabel('Onderwerp').inputValue()).toBe('Stel je wachtwoord in voor [[shop_name]]');
    await page.getByRole('heading', { name: 'Invulvelden' }).waitFor();
    for (const name of [
      'Opslaan',
      'Voorbeeld',
      'Test-e-mail naar mij sturen',
      'Link invoegen of bewerken',
      'Vet',
    ]) {
      await page.getByRole('button', { name, exact: true }).waitFor();
    }
    await page.getByRole('textbox', { name: 'Tekst' }).click();
    await page.keyboard.press('Control+A');
    await page.keyboard.type('Hallo [[first_name]]');
    await page.getByRole('button', { name: 'Opslaan', exact: true }).click();
    await page
      .getByText(
        'Deze e-mail moet [[reset_link]] bevatten: zonder die link kan de klant geen wachtwoord instellen.',
      )
      .waitFor();
    // The editor with the server's check beside it: scanned here, not in the English test too.
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    expect(pageErrors).toEqual([]);
    await context.close();
  });
});

describe('the mailbox', () => {
  it(
    'lists what was sent with a banner that mail is not leaving the building, and shows a message without running its scripts',
    { timeout: 120_000 },
    async () => {
      // A test e-mail of the Password changed template, to the staff user (as the editor's button sends it).
      const sent = await server.services.mail.sendTest('password_changed', 'en', undefined, staffUser);
      await expect
        .poll(
          async () =>
            (
              await server.services.db.pool.query('SELECT 1 FROM mailbox_messages WHERE outbox_id = $1', [
                sent.id,
              ])
            ).rowCount,
          {
            timeout: 10_000,
          },
        )
        .toBe(1);
      // A message as hostile as it gets, written around the sanitiser straight into the table.
      await server.services.db.pool.query(
        `INSERT INTO mailbox_messages (from_address, to_address, subject, body_html, body_text, created_at)
         VALUES ('shop@example.com', 'victim@example.com', 'Hostile message', $1, 'plain part', now())`,
        [
          '<p>Hello <a href="https://shop.example/x">shop</a></p><script>window.parent.document.title = "pwned"</script>' +
            '<img src="x" onerror="window.top.document.title = \'pwned\'"><form action="https://evil.example"><button>Go</button></form>',
        ],
      );
      const { page, context, pageErrors } = await openPage(browser);
      await logIn(page, 'staff@shop.example');
      await page.goto(`${server.baseUrl}/admin/settings/mailbox`);
      await page.getByRole('heading', { name: 'Mailbox', level: 1 }).waitFor();
      await page.getByText('Mail is not leaving the building').waitFor();
      // The test e-mail is there, with why it was sent.
      const testRow = page
        .getByRole('row')
        .filter({ hasText: 'Your password for De Fietsenwinkel was changed' });
      await testRow.getByText('Test e-mail').waitFor();
      expect(await testRow.textContent()).toContain('staff@shop.example');
      expect(await seriousAccessibilityViolations(page)).toEqual([]);

      await page.getByRole('link', { name: 'Open “Hostile message”' }).click();
      await page.getByRole('heading', { name: 'Hostile message', level: 1 }).waitFor();
      const title = await page.title();
      const frame = page.frameLocator('iframe[title="The e-mail “Hostile message”"]');
      await frame.getByText('Hello').waitFor();
      expect(await page.locator('iframe').getAttribute('sandbox')).toBe('');
      await page.waitForTimeout(300);
      expect(await page.title()).toBe(title);
      await page
        .getByRole('region', { name: 'Links' })
        .getByRole('link', { name: 'https://shop.example/x' })
        .waitFor();
      await page.getByRole('tab', { name: 'Plain text' }).click();
      await page.getByText('plain part').waitFor();
      expect(await seriousAccessibilityViolations(page)).toEqual([]);
      expect(pageErrors).toEqual([]);
      await context.close();
    },
  );
});

// Code inside page.evaluate() runs in the browser, so these files see the DOM types too.
/// <reference lib="dom" />
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPage, seriousAccessibilityViolations } from '../support/browser.ts';
import { startLiveServer, type LiveServer } from '../support/live-server.ts';
import { waitFor } from '../accounts/storefront-agent.ts';

/**
 * Roles in a real browser, in English and Dutch: an administrator adds a staff user, the staff
 * user chooses a password from the invitation, cannot reach Settings › Staff users or the e-mail
 * templates, and can reset a forgotten password by e-mail. No SMTP: mail lands in the mailbox.
 */
let server: LiveServer;
let browser: Browser;
const adminPassword = 'correct horse battery staple';

beforeAll(async () => {
  [server, browser] = await Promise.all([
    startLiveServer({ SHOP_NAME: 'De Fietsenwinkel' }),
    launchBrowser(),
  ]);
  await server.services.queue.startWorkers();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const texts = {
  en: {
    locale: 'en-GB',
    settings: 'Settings',
    settingsSections: 'Settings sections',
    staffUsers: 'Staff users',
    templates: 'Notification e-mails',
    add: 'Add staff user',
    name: 'Name',
    email: 'E-mail address',
    role: 'Role',
    staffRole: 'Staff',
    submit: 'Add and send the invitation',
    invited: 'Invited, no password yet',
    newPasswordTitle: 'Choose a new password',
    savePassword: 'Save the password',
    logIn: 'Log in',
    noAccess: 'No access',
    forgot: 'Forgot your password?',
    sendLink: 'Send the link',
    checkMail: 'Check your e-mail',
  },
  nl: {
    locale: 'nl-NL',
    settings: 'Instellingen',
    settingsSections: 'Onderdelen van de instellingen',
    staffUsers: 'Medewerkers',
    templates: 'Meldingen',
    add: 'Medewerker toevoegen',
    name: 'Naam',
    email: 'E-mailadres',
    role: 'Rol',
    staffRole: 'Medewerker',
    submit: 'Toevoegen en uitnodiging sturen',
    invited: 'Uitgenodigd, nog geen wachtwoord',
    newPasswordTitle: 'Kies een nieuw wachtwoord',
    savePassword: 'Wachtwoord opslaan',
    logIn: 'Inloggen',
    noAccess: 'Geen toegang',
    forgot: 'Wachtwoord vergeten?',
    sendLink: 'Link sturen',
    checkMail: 'Kijk in je e-mail',
  },
} as const;

async function logIn(page: Page, email: string, password: string) {
  await page.goto(`${server.baseUrl}/admin/login`);
  await page.locator('input[type=email]').fill(email);
  await page.locator('input[type=password]').fill(password);
  await page.locator('button[type=submit]').click();
  await page.waitForURL(/\/admin\/overview$/);
  await page.goto(page.url().replace(/overview$/, 'customers'));
}

/** The one-time link of the newest mailbox message to `email` (the job delivers it in the background). */
async function linkMailedTo(email: string, afterId = 0): Promise<{ link: string; id: number }> {
  return waitFor(async () => {
    const { rows } = await server.services.db.pool.query<{ id: number; body_text: string }>(
      'SELECT id, body_text FROM mailbox_messages WHERE to_address = $1 AND id > $2 ORDER BY id DESC LIMIT 1',
      [email, afterId],
    );
    const match = rows[0] && /http:\/\/[^\s\]]+\/admin\/reset-password\?token=[\w%-]+/.exec(rows[0].body_text);
    return match ? { link: match[0].replace(/^http:\/\/[^/]+/, server.baseUrl), id: rows[0]!.id } : undefined;
  });
}

async function choosePassword(page: Page, link: string, text: (typeof texts)['en' | 'nl'], password: string) {
  await page.goto(link);
  // Labels end in the required-field asterisk: the two fields are found by their order.
  await page.getByRole('heading', { name: text.newPasswordTitle }).waitFor();
  await page.locator('input[type=password]').nth(0).fill(password);
  await page.locator('input[type=password]').nth(1).fill(password);
  await page.getByRole('button', { name: text.savePassword }).click();
  await page.waitForURL(/\/admin\/login$/);
}

/**
 * axe scans each screen once, not once per language: the screens differ only in their words, and
 * test/ui/translations.test.ts proves every Dutch text exists and is not empty. Each language
 * has one screen scanned, so both are looked at.
 */
const axeScreens = { staffUsers: 'en', checkMail: 'nl' } as const;

describe.each(['en', 'nl'] as const)('roles in the back office (%s)', (language) => {
  const text = texts[language];
  const adminEmail = `owner-${language}@shop.example`;
  const staffEmail = `helper-${language}@shop.example`;
  const staffPassword = `${language} helper chooses a long password`;

  it(
    'an administrator adds a staff user, who chooses a password and cannot reach staff users or templates',
    { timeout: 120_000 },
    async () => {
      await server.services.staff.createUser({
        email: adminEmail,
        name: `Owner ${language}`,
        password: adminPassword,
        language,
        role: 'admin',
      });
      const admin = await openPage(browser, { locale: text.locale });
      await logIn(admin.page, adminEmail, adminPassword);
      await admin.page.getByRole('link', { name: text.settings }).first().click();
      const sections = admin.page.getByRole('navigation', { name: text.settingsSections });
      await sections.getByRole('link', { name: text.templates }).waitFor();
      await sections.getByRole('link', { name: text.staffUsers }).click();
      await admin.page.getByRole('heading', { name: text.staffUsers, level: 2 }).waitFor();

      await admin.page.getByRole('button', { name: text.add }).click();
      const dialog = admin.page.getByRole('dialog');
      await dialog.getByRole('textbox', { name: text.name }).fill(`Helper ${language}`);
      await dialog.getByRole('textbox', { name: text.email }).fill(staffEmail);
      await dialog.getByRole('combobox', { name: text.role }).click();
      await admin.page.getByRole('option', { name: text.staffRole, exact: true }).click();
      await dialog.getByRole('button', { name: text.submit }).click();
      const row = admin.page.getByRole('row', { name: new RegExp(staffEmail) });
      await row.getByText(text.invited).waitFor();
      expect(admin.pageErrors).toEqual([]);
      if (language === axeScreens.staffUsers)
        expect(await seriousAccessibilityViolations(admin.page)).toEqual([]);
      await admin.context.close();

      const stored = await server.services.db.pool.query(
        'SELECT role, language FROM staff_users WHERE email = $1',
        [staffEmail],
      );
      expect(stored.rows[0]).toEqual({ role: 'staff', language });

      const helper = await openPage(browser, { locale: text.locale });
      await choosePassword(helper.page, (await linkMailedTo(staffEmail)).link, text, staffPassword);
      await logIn(helper.page, staffEmail, staffPassword);
      await helper.page.getByRole('link', { name: text.settings }).first().click();
      const helperSections = helper.page.getByRole('navigation', { name: text.settingsSections });
      await helperSections.getByRole('link').first().waitFor();
      const visible = await helperSections.getByRole('link').allTextContents();
      expect(visible).not.toContain(text.staffUsers);
      expect(visible).not.toContain(text.templates);

      for (const path of ['/admin/settings/staff-users', '/admin/settings/notification-emails']) {
        const response = await helper.page.goto(`${server.baseUrl}${path}`);
        expect(response?.status(), path).toBe(403);
        await helper.page.getByRole('heading', { name: text.noAccess }).waitFor();
      }
      expect(helper.pageErrors).toEqual([]);
      await helper.context.close();
    },
  );

  it('a staff user resets a forgotten password by e-mail', { timeout: 90_000 }, async () => {
    const { page, context, pageErrors } = await openPage(browser, { locale: text.locale });
    await page.goto(`${server.baseUrl}/admin/login`);
    await page.getByRole('link', { name: text.forgot }).click();
    const before = await server.services.db.pool.query<{ id: number }>(
      'SELECT coalesce(max(id), 0)::int AS id FROM mailbox_messages',
    );
    await page.locator('input[type=email]').fill(staffEmail);
    await page.getByRole('button', { name: text.sendLink }).click();
    await page.getByRole('heading', { name: text.checkMail }).waitFor();
    if (language === axeScreens.checkMail) expect(await seriousAccessibilityViolations(page)).toEqual([]);

    const { link } = await linkMailedTo(staffEmail, before.rows[0]!.id);
    await choosePassword(page, link, text, `${staffPassword} again`);
    await logIn(page, staffEmail, `${staffPassword} again`);
    expect(pageErrors).toEqual([]);
    await context.close();
  });
});

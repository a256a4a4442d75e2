// Code inside page.evaluate() runs in the browser, so these files see the DOM types too.
/// <reference lib="dom" />
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPage, seriousAccessibilityViolations } from '../support/browser.ts';
import { startLiveServer, type LiveServer } from '../support/live-server.ts';

let server: LiveServer;
let browser: Browser;
let customerId: number;
const password = 'correct horse battery staple';

beforeAll(async () => {
  [server, browser] = await Promise.all([startLiveServer(), launchBrowser()]);
  await server.services.staff.createUser({
    email: 'staff@shop.example',
    name: 'Kees Smit',
    password,
    language: 'en',
  });
  const group = await server.services.groups.create({ name: 'Wholesale' });
  const customer = await server.services.customers.create({
    email: 'inkoop@bakkerij.example',
    firstName: 'Joost',
    nameInsertion: 'van',
    lastName: 'Dijk',
    isCompany: true,
    companyName: 'Bakkerij van Dijk',
    billingAddress: {
      street: 'Dorpsstraat',
      number: '1',
      postcode: '3581 AB',
      city: 'Utrecht',
      country: 'NL',
    },
    groupIds: [group.id],
  });
  customerId = customer.id;
  await server.services.customers.create({
    email: 'lisa@example.com',
    firstName: 'Lisa',
    lastName: 'Peeters',
    billingAddress: { city: 'Gent', country: 'BE' },
  });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('back office access and accessibility', () => {
  it('sends an anonymous visitor of /admin to the login page, and after logging in back where they were going', async () => {
    const { page, context } = await openPage(browser);
    await page.goto(`${server.baseUrl}/admin`);
    await page.waitForURL(/\/admin\/login\?next=%2Fadmin$/);
    await page.getByRole('heading', { name: 'Log in' }).waitFor();
    expect(await page.getByRole('button', { name: 'Log in' }).isVisible()).toBe(true);

    await page.goto(`${server.baseUrl}/admin/groups`);
    await page.waitForURL(/\/admin\/login\?next=%2Fadmin%2Fgroups$/);
    await page.getByLabel(/^E-mail address/).fill('staff@shop.example');
    await page.getByLabel(/^Password/).fill(password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL(/\/admin\/groups$/);
    await page.getByRole('heading', { name: 'Customer groups', level: 1 }).waitFor();
    await context.close();
  });

  it(
    'has no serious accessibility problems on login, list and customer screens, and the form works by keyboard',
    { timeout: 90_000 },
    async () => {
      const { page, context, pageErrors } = await openPage(browser);
      // A crafted link must not send staff to another site after logging in (open redirect).
      await page.goto(`${server.baseUrl}/admin/login?next=${encodeURIComponent('//evil.example/admin/x')}`);
      await page.getByRole('heading', { name: 'Log in' }).waitFor();
      expect(await seriousAccessibilityViolations(page)).toEqual([]);

      await page.getByLabel(/^E-mail address/).fill('staff@shop.example');
      await page.getByLabel(/^Password/).fill(password);
      await page.getByRole('button', { name: 'Log in' }).click();
      await page.waitForURL(/\/admin\/overview$/);
      await page.goto(page.url().replace(/overview$/, 'customers'));
      await page.getByRole('link', { name: 'Joost van Dijk' }).waitFor();
      expect(await seriousAccessibilityViolations(page)).toEqual([]);

      await page.getByRole('link', { name: 'Joost van Dijk' }).click();
      await page.waitForURL(new RegExp(`/admin/customers/${customerId}$`));
      await page.getByRole('heading', { name: 'Joost van Dijk', level: 1 }).waitFor();
      await page.getByLabel('Company name').waitFor();
      expect(await seriousAccessibilityViolations(page)).toEqual([]);

      // Keyboard only: from the top of the page, Tab reaches the e-mail field and the Save button.
      await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
      const reached = new Set<string>();
      for (let press = 0; press < 40 && reached.size < 2; press += 1) {
        await page.keyboard.press('Tab');
        const focused = await page.evaluate(() => {
          const element = document.activeElement as HTMLElement | null;
          if (!element) return { kind: '', outline: '' };
          const kind = element.matches('input[type=email]')
            ? 'email'
            : element.matches('button[type=submit]') && element.textContent?.trim() === 'Save'
              ? 'save'
              : '';
          return { kind, outline: getComputedStyle(element).outlineStyle };
        });
        if (focused.kind === 'save')
          expect(focused.outline, 'the focused Save button shows a focus ring').not.toBe('none');
        if (focused.kind) reached.add(focused.kind);
      }
      expect([...reached].sort()).toEqual(['email', 'save']);
      // And Enter in a field submits the form, as people expect.
      await page.getByLabel('City').first().focus();
      await page.keyboard.press('Enter');
      await page.getByText('Changes saved.').waitFor();

      expect(pageErrors).toEqual([]);
      await context.close();
    },
  );
});

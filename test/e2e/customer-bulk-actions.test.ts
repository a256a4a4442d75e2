import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPage } from '../support/browser.ts';
import { startLiveServer, type LiveServer } from '../support/live-server.ts';

/**
 * The bulk actions of the customer list in a real browser, in English and in Dutch: a new group
 * from the Add-to-group dialog (validated as on the groups page), export of the selection,
 * delete with Undo and Recently deleted, newsletter consent.
 */
let server: LiveServer;
let browser: Browser;
const password = 'correct horse battery staple';
/** SCREENSHOTS=1 saves each dialog as a PNG under test-results/ for a look at the screens. */
const shot = async (page: Page, name: string) => {
  if (process.env.SCREENSHOTS) await page.screenshot({ path: `test-results/${name}.png`, fullPage: true });
};

beforeAll(async () => {
  [server, browser] = await Promise.all([startLiveServer(), launchBrowser()]);
  await server.services.staff.createUser({ email: 'kees@shop.example', name: 'Kees Smit', password, language: 'en' });
  await server.services.staff.createUser({ email: 'anna@shop.example', name: 'Anna de Vries', password, language: 'nl' });
  await server.services.groups.create({ name: 'Trade' });
  for (const [first, last] of [['Ada', 'Bulk'], ['Ben', 'Bulk'], ['Cor', 'Bulk'], ['Dina', 'Bulk']] as const) {
    await server.services.customers.create({ email: `${first.toLowerCase()}@bulk.example`, firstName: first, lastName: last, newsletter: first === 'Ada' });
  }
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function logIn(page: Page, email: string) {
  await page.goto(`${server.baseUrl}/admin/login`);
  await page.locator('input[type="email"]').fill(email);
  await page.locator('input[type="password"]').fill(password);
  await page.locator('button[type="submit"]').click();
  await page.waitForURL(/\/admin\/overview$/);
  await page.goto(page.url().replace(/overview$/, 'customers'));
}

const customerByEmail = async (email: string) =>
  (await server.services.customers.list({ email, sort: 'createdAt', direction: 'desc', limit: 1 })).items[0];

describe('bulk actions on the customer list', () => {
  it('English: new group from the dialog, export the selection, delete and undo', { timeout: 60_000 }, async () => {
    const { page, context, pageErrors } = await openPage(browser);
    await logIn(page, 'kees@shop.example');
    await page.getByText('1–4 of 4').waitFor();
    const bar = page.getByRole('region', { name: 'Selected customers' });

    // Add to a new group: a taken name is refused as on the groups page, a new one is created.
    await page.getByRole('checkbox', { name: 'Select Ada Bulk' }).check();
    await page.getByRole('checkbox', { name: 'Select Ben Bulk' }).check();
    await bar.getByRole('button', { name: 'Add to group' }).click();
    const groupDialog = page.getByRole('dialog', { name: 'Add 2 customers to a group' });
    await groupDialog.getByText('New group', { exact: true }).click();
    await groupDialog.getByRole('button', { name: 'Create group and add' }).click();
    await groupDialog.getByText('Enter a name for the group.').waitFor();
    await groupDialog.getByRole('textbox').fill(' trade ');
    await groupDialog.getByRole('button', { name: 'Create group and add' }).click();
    await groupDialog.getByText('There is already a group with this name.').waitFor();
    await groupDialog.getByRole('textbox').fill('Newcomers');
    await shot(page, 'bulk-new-group-en');
    await groupDialog.getByRole('button', { name: 'Create group and add' }).click();
    await page.getByText('2 customers added to “Newcomers”.').waitFor();
    await expect.poll(async () => (await customerByEmail('ben@bulk.example'))?.groups.map((group) => group.name)).toEqual(['Newcomers']);

    // Export the picked customers: New export opens limited to them.
    await page.getByRole('checkbox', { name: 'Select Cor Bulk' }).check();
    await page.getByRole('checkbox', { name: 'Select Dina Bulk' }).check();
    await bar.getByRole('button', { name: 'Export' }).click();
    await page.waitForURL(/\/admin\/exports\/new$/);
    await page.getByTestId('list-selection').getByText('the 2 customers you selected').waitFor();
    await shot(page, 'bulk-export-selection-en');
    await page.goBack();
    await page.getByText('1–4 of 4').waitFor();

    // Delete two with a confirmation naming the count, then Undo from the notification.
    await page.getByRole('checkbox', { name: 'Select Cor Bulk' }).check();
    await page.getByRole('checkbox', { name: 'Select Dina Bulk' }).check();
    await bar.getByRole('button', { name: 'Delete', exact: true }).click();
    const deleteDialog = page.getByRole('dialog', { name: 'Delete 2 customers?' });
    await deleteDialog.getByText('You can undo this for one hour', { exact: false }).waitFor();
    await shot(page, 'bulk-delete-en');
    await deleteDialog.getByRole('button', { name: 'Delete 2 customers' }).click();
    await page.getByText('2 customers deleted.').waitFor();
    await page.getByText('1–2 of 2').waitFor();
    await page.getByRole('region', { name: 'Recently deleted' }).getByText('2 customers deleted on', { exact: false }).waitFor();
    await shot(page, 'bulk-deleted-en');
    expect(await customerByEmail('cor@bulk.example')).toBeUndefined();
    await page.getByRole('alert').getByRole('button', { name: 'Undo' }).click();
    await page.getByText('2 customers are back.').waitFor();
    await page.getByText('1–4 of 4').waitFor();
    expect((await customerByEmail('cor@bulk.example'))?.firstName).toBe('Cor');

    expect(pageErrors).toEqual([]);
    await context.close();
  });

  it('Dutch: newsletter for the whole page, Recently deleted', { timeout: 60_000 }, async () => {
    const { page, context, pageErrors } = await openPage(browser, { locale: 'nl-NL' });
    await logIn(page, 'anna@shop.example');
    await page.getByText('1–4 van 4').waitFor();
    const bar = page.getByRole('region', { name: 'Geselecteerde klanten' });

    await page.getByRole('checkbox', { name: 'Alle klanten op deze pagina selecteren' }).check();
    await bar.getByRole('button', { name: 'Nieuwsbrief' }).click();
    const newsletter = page.getByRole('dialog', { name: 'Nieuwsbrief voor 4 klanten' });
    await newsletter.getByLabel('Aanmelden voor de nieuwsbrief').check();
    await shot(page, 'bulk-newsletter-nl');
    await newsletter.getByRole('button', { name: '4 klanten aanmelden' }).click();
    await page.getByText('3 klanten aangemeld voor de nieuwsbrief. 1 was al aangemeld.').waitFor();
    await expect.poll(async () => (await customerByEmail('dina@bulk.example'))?.email).toBe('dina@bulk.example');
    const dina = await server.services.customers.get((await customerByEmail('dina@bulk.example'))!.id);
    expect(dina.newsletter).toBe(true);

    // The English colleague's deletion, undone, is listed in Dutch.
    await page
      .getByRole('region', { name: 'Onlangs verwijderd' })
      .getByText(/2 klanten verwijderd op .+ door Kees Smit: cor@bulk\.example, dina@bulk\.example — 2 teruggezet/)
      .waitFor();
    await shot(page, 'bulk-recently-deleted-nl');

    expect(pageErrors).toEqual([]);
    await context.close();
  });
});

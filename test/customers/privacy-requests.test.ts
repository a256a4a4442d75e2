import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type StaffAgent, type TestApp } from '../support/test-app.ts';
import { getImport, importFile, post, waitForStatus } from '../imports/import-helpers.ts';

/**
 * Issue #17, point 5: privacy requests. "What do you hold about me?" answered as JSON and as a
 * readable page; erasure removes the person from every table, keeps an audit without personal
 * data, and a re-import of the old file leaves the person out.
 */

let app: TestApp;
let admin: StaffAgent;
let staff: StaffAgent;

beforeAll(async () => {
  app = await createTestApp();
  await app.services.startWorkers();
  admin = await app.loginAsStaff({ role: 'admin' });
  staff = await app.loginAsStaff({ role: 'staff' });
}, 60_000);
afterAll(() => app.close());

const api = async (
  agent: StaffAgent,
  method: 'GET' | 'POST' | 'PATCH',
  url: string,
  payload?: Record<string, unknown>,
) => agent.request({ method, url: `/api/v1${url}`, ...(payload && { payload }) });
const sql = async <T extends Record<string, unknown>>(text: string, params: unknown[] = []) =>
  (await app.services.db.pool.query<T>(text, params)).rows;

/** Every table row, in every table, whose text holds `needle` (case-insensitive): where the person still is. */
async function whereStillHeld(needle: string): Promise<string[]> {
  const tables = await sql<{ table_name: string }>(
    "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1",
  );
  const found: string[] = [];
  for (const { table_name: table } of tables) {
    const [row] = await sql<{ count: number }>(
      `SELECT count(*)::int AS count FROM "${table}" t WHERE strpos(lower(t::text), lower($1)) > 0`,
      [needle],
    );
    if ((row?.count ?? 0) > 0) found.push(`${table} (${row?.count})`);
  }
  return found;
}

const file = [
  'email,first name,last name,phone,customer group,tags',
  'zoe@privacy.example,Zoë,Zwanenburg-Privacy,not a phone,VIP,"loyal, early"',
  'kees@privacy.example,Kees,Keeper,,VIP,',
].join('\n');

describe('privacy requests', () => {
  let customerId = 0;
  let firstImportId = 0;

  it('exports everything held about a customer as JSON and as a readable page, in English and Dutch', async () => {
    const imported = await importFile(admin, 'customers.csv', file);
    expect(imported.status).toBe('done');
    firstImportId = imported.id;
    const { id } = (
      await sql<{ id: string }>("SELECT id FROM customers WHERE email = 'zoe@privacy.example'")
    )[0]!;
    customerId = Number(id);
    const customer = (await api(admin, 'GET', `/customers/${customerId}`)).json() as { version: number };
    // A staff change (consent), an address, a password e-mail, a later import row that names the person and is rejected.
    expect(
      (
        await api(admin, 'PATCH', `/customers/${customerId}`, {
          version: customer.version,
          emailConsent: 'subscribed',
          notes: '<script>alert(1)</script>',
        })
      ).statusCode,
    ).toBe(200);
    expect(
      (
        await api(admin, 'POST', `/customers/${customerId}/addresses`, {
          label: 'Work',
          street: 'Kade',
          number: '7',
          postcode: '1011 AB',
          city: 'Amsterdam',
          country: 'NL',
        })
      ).statusCode,
    ).toBe(201);
    expect((await api(admin, 'POST', `/customers/${customerId}/send-password`)).statusCode).toBe(202);
    await expect
      .poll(
        async () =>
          (await sql("SELECT 1 FROM mailbox_messages WHERE to_address = 'zoe@privacy.example'")).length,
        { timeout: 20_000 },
      )
      .toBe(1);
    const rejected = await importFile(
      admin,
      'again.csv',
      'email,last name,command\nzoe@privacy.example,Zwanenburg-Privacy,new\n',
    );
    expect(rejected.status).toBe('done_with_errors');

    const response = await api(staff, 'GET', `/customers/${customerId}/personal-data`);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['content-disposition']).toMatch(
      /^attachment; filename="personal-data-customer-\d+-\d{4}-\d\d-\d\d\.json"$/,
    );
    const data = response.json() as Record<string, never> & {
      customer: { email: string; lastName: string; phone: string };
      addresses: { label: string; city: string }[];
      groups: string[];
      tags: string[];
      consentHistory: { state: string }[];
      flaggedValues: { field: string; valueAsTyped: string }[];
      importHistory: { importId: number; action: string; rowNumber: number; cells: string[] | null }[];
      mails: { to: string; status: string }[];
      storefront: { hasPassword: boolean };
    };
    expect(data.customer).toMatchObject({ email: 'zoe@privacy.example', lastName: 'Zwanenburg-Privacy' });
    expect(data.addresses.map((address) => address.label)).toContain('Work');
    expect(data.groups).toEqual(['VIP']);
    expect(data.tags).toEqual(['loyal', 'early']);
    expect(data.consentHistory.map((event) => event.state)).toContain('subscribed');
    expect(data.flaggedValues).toEqual(
      expect.arrayContaining([expect.objectContaining({ field: 'phone', valueAsTyped: 'not a phone' })]),
    );
    expect(data.importHistory).toEqual([
      expect.objectContaining({
        importId: firstImportId,
        action: 'created',
        rowNumber: 2,
        cells: expect.arrayContaining(['zoe@privacy.example', 'not a phone']),
      }),
    ]);
    expect(data.mails).toEqual([expect.objectContaining({ to: 'zoe@privacy.example' })]);

    const page = await api(staff, 'GET', `/customers/${customerId}/personal-data.html?language=nl`);
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['content-disposition']).toMatch(
      /^attachment; filename="personal-data-customer-\d+-[\d-]+\.html"$/,
    );
    expect(page.body).toContain('Persoonsgegevens die we van u bewaren');
    expect(page.body).toContain('Zwanenburg-Privacy');
    expect(page.body).toContain('Kade 7');
    // Typed data is shown as text, never as markup.
    expect(page.body).not.toContain('<script>alert');
    expect(page.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    const english = await api(staff, 'GET', `/customers/${customerId}/personal-data.html`);
    expect(english.body).toContain('Personal data held about you');
    expect((await api(staff, 'GET', '/customers/999999/personal-data')).statusCode).toBe(404);
  });

  it('erases only when an administrator confirms with the e-mail address, and then the person is nowhere in the database', async () => {
    expect(await whereStillHeld('zoe@privacy.example')).not.toEqual([]);
    const forbidden = await api(staff, 'POST', `/customers/${customerId}/erase`, {
      confirmEmail: 'zoe@privacy.example',
    });
    expect(forbidden.statusCode).toBe(403);
    const mistyped = await api(admin, 'POST', `/customers/${customerId}/erase`, {
      confirmEmail: 'zoe@privacy.exampel',
    });
    expect(mistyped.statusCode).toBe(422);
    expect(mistyped.json()).toMatchObject({
      error: { fields: { confirmEmail: { code: 'confirmation_mismatch' } } },
    });
    expect((await api(admin, 'GET', `/customers/${customerId}`)).statusCode).toBe(200);

    const erased = await api(admin, 'POST', `/customers/${customerId}/erase`, {
      confirmEmail: ' ZOE@privacy.example ',
    });
    expect(erased.statusCode, erased.body).toBe(200);
    const result = erased.json() as {
      customerId: number;
      counts: Record<string, number>;
      importFilesUntilExpiry: number;
    };
    expect(result.customerId).toBe(customerId);
    expect(result.counts).toMatchObject({
      customers: 1,
      addresses: 1,
      groupMemberships: 1,
      mails: 1,
      mailboxMessages: 1,
      importChangeRecords: 1,
      erasedKeys: 1,
    });
    expect(result.counts.importRows).toBeGreaterThanOrEqual(2);
    expect(result.counts.consentEvents).toBeGreaterThanOrEqual(1);
    expect(result.importFilesUntilExpiry).toBe(2);

    expect(await whereStillHeld('zoe@privacy.example')).toEqual([]);
    expect(await whereStillHeld('Zwanenburg-Privacy')).toEqual([]);
    expect((await api(admin, 'GET', `/customers/${customerId}`)).statusCode).toBe(404);
    // Erased once: the second request finds nobody.
    expect(
      (await api(admin, 'POST', `/customers/${customerId}/erase`, { confirmEmail: 'zoe@privacy.example' }))
        .statusCode,
    ).toBe(404);

    const audit = await api(admin, 'GET', '/privacy/erasures');
    expect(audit.statusCode).toBe(200);
    expect(audit.json()).toMatchObject({
      items: [{ customerId, counts: { customers: 1 }, erasedBy: { id: expect.any(Number) } }],
    });
    expect(audit.body).not.toContain('privacy.example');
    expect((await api(staff, 'GET', '/privacy/erasures')).statusCode).toBe(403);
    // The other customer of the same import is untouched.
    expect(await sql("SELECT last_name FROM customers WHERE email = 'kees@privacy.example'")).toEqual([
      { last_name: 'Keeper' },
    ]);
  });

  it('undoing the old import does not bring the person back', async () => {
    expect((await post(admin, `/api/v1/imports/${firstImportId}/undo`)).statusCode).toBe(202);
    await waitForStatus(admin, firstImportId, ['undone']);
    expect(
      await sql("SELECT 1 FROM customers WHERE email IN ('zoe@privacy.example', 'kees@privacy.example')"),
    ).toEqual([]);
    expect(await whereStillHeld('zoe@privacy.example')).toEqual([]);
  });

  it('a re-import of the old file leaves the erased person out, with a warning that holds none of the data, in the check and in the import', async () => {
    const again = await importFile(admin, 'customers-again.csv', file);
    expect(again.status).toBe('done');
    expect(again.check?.result).toMatchObject({ created: 1, ignored: 1 });
    const detail = await getImport(admin, again.id);
    expect(detail.counts).toMatchObject({ created: 1, ignored: 1 });
    expect(
      await sql("SELECT email FROM customers WHERE email LIKE '%@privacy.example' ORDER BY email"),
    ).toEqual([{ email: 'kees@privacy.example' }]);
    const [warning] = await sql<{
      row_number: number;
      cells: string[];
      warnings: { code: string; value: string; message: string }[];
    }>(
      'SELECT row_number, cells, warnings FROM import_warnings WHERE import_id = $1 AND warnings @> \'[{"code": "erased_customer"}]\'',
      [again.id],
    );
    expect(warning).toMatchObject({
      row_number: 2,
      cells: [],
      warnings: [{ code: 'erased_customer', value: '' }],
    });
    expect(warning?.warnings[0]?.message).toMatch(/erased at their request on \d{4}-\d\d-\d\d/);
    const dutch = await app.loginAsStaff({ language: 'nl' });
    const warned = await api(dutch, 'GET', `/imports/${again.id}/warnings`);
    expect(warned.body).toContain('op eigen verzoek gewist');
    expect(await whereStillHeld('Zwanenburg-Privacy')).toEqual([]);

    // Registered again by hand: a later import updates the person like anyone else.
    expect(
      (await api(admin, 'POST', '/customers', { email: 'zoe@privacy.example', lastName: 'Zwanenburg' }))
        .statusCode,
    ).toBe(201);
    const updated = await importFile(admin, 'customers-third.csv', file);
    expect(updated.check?.result).toMatchObject({ updated: 1, ignored: 0 });
    expect(await sql("SELECT last_name FROM customers WHERE email = 'zoe@privacy.example'")).toEqual([
      { last_name: 'Zwanenburg-Privacy' },
    ]);
  });

  it('erasing a customer that others were merged into erases them too: the copies kept for undoing the merge go', async () => {
    const create = async (email: string) =>
      (
        await api(admin, 'POST', '/customers', { email, firstName: 'Lena', lastName: 'Lindqvist-Privacy' })
      ).json() as { id: number; version: number };
    const old = await create('lena.old@privacy.example');
    const current = await create('lena@privacy.example');
    const merged = await api(admin, 'POST', '/customers/merge', {
      survivorId: current.id,
      mergedIds: [old.id],
      versions: { [old.id]: old.version, [current.id]: current.version },
    });
    expect(merged.statusCode, merged.body).toBe(200);
    expect(await whereStillHeld('lena.old@privacy.example')).not.toEqual([]);

    const erased = await api(admin, 'POST', `/customers/${current.id}/erase`, {
      confirmEmail: 'lena@privacy.example',
    });
    expect(erased.statusCode, erased.body).toBe(200);
    expect(erased.json()).toMatchObject({ counts: { customers: 1, merges: 1, deletionSnapshots: 1 } });
    expect(await whereStillHeld('lena.old@privacy.example')).toEqual([]);
    expect(await whereStillHeld('Lindqvist-Privacy')).toEqual([]);
  });

  it('erasing a customer that was merged into another and came back on undo: the merge record that holds its values goes too', async () => {
    const create = async (email: string, lastName: string) =>
      (await api(admin, 'POST', '/customers', { email, lastName, phone: '+31 20 555 0199' })).json() as {
        id: number;
        version: number;
      };
    const stays = await create('stays@privacy.example', 'Stays');
    const back = await create('came.back@privacy.example', 'Cameback-Privacy');
    const merged = await api(admin, 'POST', '/customers/merge', {
      survivorId: stays.id,
      mergedIds: [back.id],
      choices: { lastName: back.id },
      versions: { [stays.id]: stays.version, [back.id]: back.version },
    });
    expect(merged.statusCode, merged.body).toBe(200);
    const mergeId = (merged.json() as { merge: { id: number } }).merge.id;
    expect((await api(admin, 'POST', `/merges/${mergeId}/undo`)).statusCode).toBe(200);
    // The undone merge still records the value it took from the customer who came back.
    expect(await whereStillHeld('Cameback-Privacy')).toEqual(['customer_merges (1)', 'customers (1)']);

    const erased = await api(admin, 'POST', `/customers/${back.id}/erase`, {
      confirmEmail: 'came.back@privacy.example',
    });
    expect(erased.statusCode, erased.body).toBe(200);
    expect(erased.json()).toMatchObject({ counts: { customers: 1, merges: 1 } });
    expect(await whereStillHeld('Cameback-Privacy')).toEqual([]);
    expect(await whereStillHeld('came.back@privacy.example')).toEqual([]);
    expect(
      await sql(
        'SELECT 1 FROM customer_deletions d JOIN customer_merges m ON m.id = d.merge_id WHERE m.id = $1',
        [mergeId],
      ),
    ).toEqual([]);
    // The customer it was merged into is as it was before the merge.
    expect(await sql('SELECT last_name FROM customers WHERE id = $1', [stays.id])).toEqual([
      { last_name: 'Stays' },
    ]);
  });

  it('an erasure and a save of the same customer at once: the save lands before or is refused after, and nothing of the person is left', async () => {
    for (let round = 0; round < 3; round++) {
      const email = `race${round}@privacy.example`;
      const created = (
        await api(admin, 'POST', '/customers', { email, lastName: 'Racer-Privacy' })
      ).json() as { id: number; version: number };
      const [saved, erased] = await Promise.all([
        api(admin, 'PATCH', `/customers/${created.id}`, {
          version: created.version,
          firstName: 'Rita',
          tags: ['racing'],
        }),
        api(admin, 'POST', `/customers/${created.id}/erase`, { confirmEmail: email }),
      ]);
      expect(erased.statusCode, erased.body).toBe(200);
      expect([200, 404]).toContain(saved.statusCode);
      expect(await whereStillHeld(email)).toEqual([]);
    }
    expect(await whereStillHeld('Racer-Privacy')).toEqual([]);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type StaffAgent, type TestApp } from '../support/test-app.ts';
import { customerByEmail, importFile } from '../imports/import-helpers.ts';

/**
 * Issue #17, point 4: possible duplicates found by a background scan (e-mail variants, phone,
 * name and postcode, ranked), reviewed side by side, merged field by field with everything that
 * hangs on the customers, and undone.
 */

let app: TestApp;
let staff: StaffAgent;

beforeAll(async () => {
  app = await createTestApp();
  await app.services.startWorkers();
  staff = await app.loginAsStaff();
}, 60_000);
afterAll(() => app.close());

const api = async (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: Record<string, unknown>) =>
  staff.request({ method, url: `/api/v1${url}`, ...(payload && { payload }) });
const create = async (payload: Record<string, unknown>) => {
  const response = await api('POST', '/customers', payload);
  expect(response.statusCode, response.body).toBe(201);
  return response.json() as { id: number; version: number; email: string };
};
const sql = async <T extends Record<string, unknown>>(text: string, params: unknown[] = []) =>
  (await app.services.db.pool.query<T>(text, params)).rows;

type Group = { id: number; reasons: string[]; confidence: number; customers: { id: number; email: string; version: number }[] };

async function scan(): Promise<Group[]> {
  const started = await api('POST', '/duplicates/scans');
  expect(started.statusCode, started.body).toBe(202);
  const deadline = Date.now() + 20_000;
  for (;;) {
    const { scan: latest } = (await api('GET', '/duplicates/scans/latest')).json() as { scan: { status: string; step: number; steps: number } };
    if (latest.status === 'done') {
      expect(latest.step).toBe(latest.steps);
      break;
    }
    expect(latest.status).not.toBe('failed');
    if (Date.now() > deadline) throw new Error(`The scan is still ${latest.status}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const listed = await api('GET', '/duplicates?limit=100');
  expect(listed.statusCode, listed.body).toBe(200);
  return (listed.json() as { items: Group[] }).items;
}
const emailsOf = (group: Group) => group.customers.map((customer) => customer.email).sort();

describe('possible duplicates', () => {
  it('finds e-mail variants, shared numbers and the same name at a postcode, strongest first, and never shows a set apart group again', async () => {
    await create({ email: 'jan.jansen@gmail.com', firstName: 'Jan', lastName: 'Jansen' });
    await create({ email: 'janjansen+shop@googlemail.com', firstName: 'J.', lastName: 'Jansen' });
    await create({ email: 'piet@dup.example', firstName: 'Piet', lastName: 'Pieters', mobile: '+31 6 12345678' });
    await create({ email: 'p.pieters@work.example', firstName: 'Piet', lastName: 'Pieters', phone: '+31612345678', billingAddress: { street: 'Dorpsstraat', number: '1', postcode: '1234 AB', city: 'Ergens', country: 'NL' } });
    await create({ email: 'piet.pieters@home.example', firstName: 'Piet', lastName: 'Pieters', billingAddress: { street: 'Dorpsstraat', number: '1', postcode: '1234ab', city: 'Ergens', country: 'NL' } });
    await create({ email: 'other+tag@example.com', lastName: 'Other' });
    await create({ email: 'other@example.com', lastName: 'Other' });
    // A shop's own number typed for a dozen walk-in customers says nothing about one person.
    for (let index = 0; index < 12; index++) await create({ email: `walkin${index}@dup.example`, lastName: `Walk ${index}`, phone: '020 1234567' });

    const groups = await scan();
    expect(groups.map((group) => ({ emails: emailsOf(group), reasons: group.reasons, confidence: group.confidence }))).toEqual([
      { emails: ['jan.jansen@gmail.com', 'janjansen+shop@googlemail.com'], reasons: ['email'], confidence: 95 },
      { emails: ['p.pieters@work.example', 'piet@dup.example'], reasons: ['phone'], confidence: 70 },
      { emails: ['p.pieters@work.example', 'piet.pieters@home.example'], reasons: ['name_postcode'], confidence: 60 },
    ]);

    const dismissed = await api('POST', `/duplicates/${groups[2]!.id}/dismiss`);
    expect(dismissed.statusCode, dismissed.body).toBe(204);
    expect((await api('POST', `/duplicates/${groups[2]!.id}/dismiss`)).statusCode).toBe(409);
    expect((await scan()).map(emailsOf)).toEqual([
      ['jan.jansen@gmail.com', 'janjansen+shop@googlemail.com'],
      ['p.pieters@work.example', 'piet@dup.example'],
    ]);
  });

  it('ranks a group found for two reasons above either', async () => {
    await create({ email: 'kees@one.example', firstName: 'Kees', lastName: 'de Vries', mobile: '0687654321', billingAddress: { street: 'Laan', number: '2', postcode: '9999 ZZ', city: 'Stad', country: 'NL' } });
    await create({ email: 'kees@two.example', firstName: 'Kees', lastName: 'de Vries', mobile: '06-87654321', billingAddress: { street: 'Laan', number: '2', postcode: '9999ZZ', city: 'Stad', country: 'NL' } });
    const groups = await scan();
    const kees = groups.find((group) => emailsOf(group)[0] === 'kees@one.example')!;
    expect(kees).toMatchObject({ reasons: ['name_postcode', 'phone'], confidence: 80 });
  });
});

describe('merging customers', () => {
  it('merges field by field with addresses, groups, tags, consent history and import records, and undoes it', async () => {
    const { id: groupA } = (await api('POST', '/groups', { name: 'Wholesale' })).json() as { id: number };
    const { id: groupB } = (await api('POST', '/groups', { name: 'Newsletter 2025' })).json() as { id: number };
    // The old account: a password, subscribed, in one group; the new one: a newer phone number,
    // unsubscribed, another group, an address of its own, made by an import.
    const old = await create({ email: 'sanne@old.example', firstName: 'Sanne', lastName: 'Smit', notes: 'Old notes', tags: ['VIP'], groupIds: [groupA], emailConsent: 'subscribed',
      billingAddress: { street: 'Oudegracht', number: '1', postcode: '3511 AA', city: 'Utrecht', country: 'NL' } });
    await sql(`UPDATE customers SET password_state = 'set', password_hash = 'argon2-test' WHERE id = $1`, [old.id]);
    await importFile(staff, 'new.csv', 'E-mail,First name,Last name,Phone,Tags,Newsletter,Street,House number,Postcode,City,Country\nsanne@new.example,Sanne,Smit-Bakker,+31201234567,"vip, Outdoor",no,Kanaalweg,9,3526 KL,Utrecht,NL\n');
    const young = (await customerByEmail(app, 'sanne@new.example'))!;
    await api('PATCH', `/customers/${young.id}`, { version: young.version, groupIds: [groupB] });
    const before = await sql<{ count: number }>('SELECT count(*)::int AS count FROM customer_consent_events WHERE customer_id = $1', [young.id]);

    const preview = await api('GET', `/customers/merge-preview?ids=${old.id},${young.id}`);
    expect(preview.statusCode, preview.body).toBe(200);
    const view = preview.json() as { survivorId: number; customers: { id: number; version: number }[]; fields: { field: string; chosenFrom: number; differs: boolean; values: { customerId: number; value: unknown }[] }[] };
    expect(view.survivorId).toBe(old.id); // the one with a password
    // Most recently changed first, and each field's values in the same order (one column per customer).
    expect(view.customers.map((customer) => customer.id)).toEqual([young.id, old.id]);
    expect(view.fields.find((field) => field.field === 'lastName')?.values).toEqual([{ customerId: young.id, value: 'Smit-Bakker' }, { customerId: old.id, value: 'Smit' }]);
    expect(view.fields.find((field) => field.field === 'phone')).toMatchObject({ chosenFrom: young.id, differs: true });
    expect(view.fields.find((field) => field.field === 'lastName')).toMatchObject({ chosenFrom: young.id, differs: true });
    // The e-mail address is the survivor's log-in: it stays unless the staff chooses another.
    expect(view.fields.find((field) => field.field === 'email')).toMatchObject({ chosenFrom: old.id, differs: true });
    const versions = Object.fromEntries(view.customers.map((customer) => [String(customer.id), customer.version]));

    const merged = await api('POST', '/customers/merge', { survivorId: old.id, mergedIds: [young.id], choices: { lastName: old.id }, versions });
    expect(merged.statusCode, merged.body).toBe(200);
    const { merge, customer } = merged.json() as { merge: { id: number; moved: Record<string, number> }; customer: Record<string, unknown> };
    expect(customer).toMatchObject({
      id: old.id, email: 'sanne@old.example', lastName: 'Smit', phone: '+31 20 123 4567', notes: 'Old notes',
      tags: ['VIP', 'Outdoor'], emailConsent: 'unsubscribed', newsletter: false, passwordState: 'set',
    });
    expect((customer.groups as { name: string }[]).map((group) => group.name).sort()).toEqual(['Newsletter 2025', 'Wholesale']);
    expect(merge.moved).toMatchObject({ addresses: 1, importChanges: 1, groups: 1 });
    expect(await customerByEmail(app, 'sanne@new.example')).toBeUndefined();
    const book = (await api('GET', `/customers/${old.id}/addresses`)).json() as { items: { street: string; isDefaultBilling: boolean }[] };
    expect(book.items.map((address) => [address.street, address.isDefaultBilling]).sort()).toEqual([['Kanaalweg', false], ['Oudegracht', true]]);
    const events = await sql<{ count: number }>('SELECT count(*)::int AS count FROM customer_consent_events WHERE customer_id = $1 AND source LIKE $2', [old.id, 'import:%']);
    expect(events[0]!.count).toBeGreaterThanOrEqual(before[0]!.count);
    expect(await sql('SELECT customer_id::int FROM import_changes WHERE customer_id = ANY($1::bigint[])', [[old.id, young.id]])).toEqual([{ customer_id: old.id }]);
    expect(((await api('GET', `/customers/${old.id}/merges`)).json() as { items: { id: number }[] }).items.map((item) => item.id)).toEqual([merge.id]);

    // Someone changes the notes after the merge: the undo keeps that change and names it.
    const afterMerge = (await customerByEmail(app, 'sanne@old.example'))!;
    expect((await api('PATCH', `/customers/${old.id}`, { version: afterMerge.version, notes: 'Called on Monday' })).statusCode).toBe(200);
    const undone = await api('POST', `/merges/${merge.id}/undo`);
    expect(undone.statusCode, undone.body).toBe(200);
    expect(undone.json()).toEqual({ restored: 1, notRestored: [], keptFields: [] });
    const back = (await customerByEmail(app, 'sanne@new.example'))!;
    expect(back).toMatchObject({ id: young.id, lastName: 'Smit-Bakker', emailConsent: 'unsubscribed', tags: ['vip', 'Outdoor'] });
    expect(back.groups.map((group) => group.name)).toEqual(['Newsletter 2025']);
    expect(back.billingAddress).toMatchObject({ street: 'Kanaalweg', postcode: '3526 KL' });
    const youngBook = (await api('GET', `/customers/${young.id}/addresses`)).json() as { items: { street: string; isDefaultBilling: boolean }[] };
    expect(youngBook.items.map((address) => [address.street, address.isDefaultBilling])).toEqual([['Kanaalweg', true]]);
    const survivor = (await customerByEmail(app, 'sanne@old.example'))!;
    expect(survivor).toMatchObject({ phone: '', notes: 'Called on Monday', tags: ['VIP'], emailConsent: 'subscribed' });
    expect(survivor.groups.map((group) => group.name)).toEqual(['Wholesale']);
    expect(await sql('SELECT customer_id::int FROM import_changes WHERE customer_id = ANY($1::bigint[])', [[old.id, young.id]])).toEqual([{ customer_id: young.id }]);
    expect((await api('POST', `/merges/${merge.id}/undo`)).statusCode).toBe(409);
  });

  it('merges customers who got the same bulk password e-mail: one e-mail per bulk send stays with the survivor, the others come back on undo', async () => {
    const people = [await create({ email: 'bulk.a@merge.example', lastName: 'A' }), await create({ email: 'bulk.b@merge.example', lastName: 'B' }), await create({ email: 'bulk.c@merge.example', lastName: 'C' })];
    const [bulk] = await sql<{ id: string }>(
      `INSERT INTO password_email_bulk_sends (selection, include_imported_hashes, matched_count, skipped_has_password, skipped_imported_hash, queued_count, created_at)
       VALUES ('{}', false, 3, 0, 0, 3, now()) RETURNING id`,
    );
    for (const person of people) {
      await sql(
        `INSERT INTO mail_outbox (idempotency_key, reason, template_key, language, customer_id, bulk_send_id, to_address, status, next_attempt_at, created_at, sent_at)
         VALUES ($1, 'password_bulk', 'password_reset', 'en', $2, $3, $4, 'sent', now(), now(), now())`,
        [`bulk-merge-${person.id}`, person.id, bulk!.id, person.email],
      );
    }
    const [a, b, c] = people as [(typeof people)[0], (typeof people)[0], (typeof people)[0]];
    const merged = await api('POST', '/customers/merge', { survivorId: a.id, mergedIds: [b.id, c.id], versions: { [a.id]: a.version, [b.id]: b.version, [c.id]: c.version } });
    expect(merged.statusCode, merged.body).toBe(200);
    expect(await sql('SELECT customer_id::int FROM mail_outbox WHERE bulk_send_id = $1', [bulk!.id])).toEqual([{ customer_id: a.id }]);
    const undone = await api('POST', `/merges/${(merged.json() as { merge: { id: number } }).merge.id}/undo`);
    expect(undone.statusCode, undone.body).toBe(200);
    expect((await sql<{ customer_id: number }>('SELECT customer_id::int FROM mail_outbox WHERE bulk_send_id = $1 ORDER BY customer_id', [bulk!.id])).map((row) => row.customer_id)).toEqual([a.id, b.id, c.id]);
  });

  it('keeps a change made meanwhile: a merge reviewed before another save is refused, and two merges of one customer do not both happen', async () => {
    const a = await create({ email: 'a@race.example', lastName: 'Race' });
    const b = await create({ email: 'b@race.example', lastName: 'Race' });
    const c = await create({ email: 'c@race.example', lastName: 'Race' });
    const versions = { [a.id]: a.version, [b.id]: b.version, [c.id]: c.version };
    // A colleague saves b while the merge is being reviewed.
    expect((await api('PATCH', `/customers/${b.id}`, { version: b.version, notes: 'Prefers mail' })).statusCode).toBe(200);
    const stale = await api('POST', '/customers/merge', { survivorId: a.id, mergedIds: [b.id], versions });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.message).toContain('b@race.example');
    expect((await customerByEmail(app, 'b@race.example'))?.notes).toBe('Prefers mail');

    const fresh = { ...versions, [b.id]: (await customerByEmail(app, 'b@race.example'))!.version };
    const [first, second] = await Promise.all([
      api('POST', '/customers/merge', { survivorId: a.id, mergedIds: [b.id], versions: fresh }),
      api('POST', '/customers/merge', { survivorId: c.id, mergedIds: [b.id], versions: fresh }),
    ]);
    expect([first.statusCode, second.statusCode].sort()).toEqual([200, 409]);
    const left = await sql<{ email: string; notes: string }>(`SELECT email, notes FROM customers WHERE email LIKE '%@race.example' ORDER BY email`);
    expect(left).toHaveLength(2);
    expect(left.map((row) => row.notes)).toContain('Prefers mail');
  });

  it('refuses a merge that names no other customer or takes a value from outside it', async () => {
    const a = await create({ email: 'x@refuse.example', lastName: 'X' });
    const b = await create({ email: 'y@refuse.example', lastName: 'Y' });
    const versions = { [a.id]: a.version, [b.id]: b.version };
    expect((await api('POST', '/customers/merge', { survivorId: a.id, mergedIds: [a.id], versions })).statusCode).toBe(422);
    const outside = await api('POST', '/customers/merge', { survivorId: a.id, mergedIds: [b.id], choices: { email: 999_999 }, versions });
    expect(outside.statusCode).toBe(422);
    expect(await customerByEmail(app, 'y@refuse.example')).toBeDefined();
  });
});

describe('a scan that lost its worker', () => {
  it('does not block the next one for good', async () => {
    await app.services.db.pool.query(`INSERT INTO duplicate_scans (status, requested_at, started_at) VALUES ('running', now() - interval '1 hour', now() - interval '1 hour')`);
    const groups = await scan();
    expect(groups.length).toBeGreaterThan(0);
    const { rows } = await app.services.db.pool.query<{ status: string }>('SELECT status FROM duplicate_scans ORDER BY id');
    expect(rows.map((row) => row.status)).toContain('failed');
  });
});

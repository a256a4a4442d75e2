import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type StaffAgent, type TestApp } from '../support/test-app.ts';
import { customerByEmail, importFile, post, uploadOk, waitForStatus } from './import-helpers.ts';

/**
 * Issue #17, consent as evidence, through the import against the real database: an empty cell
 * never changes consent; an explicit "no" is an unsubscribe; an unsubscribe in a file always
 * wins; a file never re-subscribes a customer who unsubscribed unless the staff states in step
 * Check that it holds new consent (the check counts them); every change is kept as history with
 * the import and row as its source; undo puts consent back; export → import changes nothing.
 */

let app: TestApp;
let staff: StaffAgent;

beforeAll(async () => {
  app = await createTestApp();
  await app.services.startWorkers();
  staff = await app.loginAsStaff();
}, 60_000);
afterAll(() => app.close());

const create = (email: string, fields: Record<string, unknown> = {}) =>
  app.services.customers.create({ email, firstName: 'First', lastName: 'Last', ...fields });

type Event = { channel: string; state: string; level: string | null; source: string | null; note: string | null };
async function historyOf(email: string): Promise<Event[]> {
  const { rows } = await app.services.db.pool.query<Event>(
    `SELECT e.channel, e.state, e.level, e.source, e.note FROM customer_consent_events e
       JOIN customers c ON c.id = e.customer_id WHERE c.email_normalized = $1 ORDER BY e.id`,
    [email],
  );
  return rows;
}

/** Creates an export and waits (bounded) until its file is ready; returns the file's text. */
async function exportFile(payload: Record<string, unknown>): Promise<string> {
  const exported = await staff.request({ method: 'POST', url: '/api/v1/exports', payload });
  expect(exported.statusCode, exported.body).toBe(202);
  const url = `/api/v1/exports/${exported.json().id as string}/download`;
  for (let attempt = 0; attempt < 200; attempt += 1) {
    const download = await staff.request({ method: 'GET', url });
    if (download.statusCode === 200) return download.body;
    expect(download.statusCode, download.body).toBe(409);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('The export did not finish.');
}

describe('reading consent from a file', () => {
  it('maps yes/no/ja/nee/1/0 and platform words to states; an empty cell and "not set" change nothing; "no" unsubscribes', async () => {
    await create('keeps@consent.test', { emailConsent: 'subscribed' });
    await create('no@consent.test', { emailConsent: 'subscribed' });
    await create('notset@consent.test', { emailConsent: 'subscribed' });
    const file = [
      'E-mail,First name,Last name,Accepts Email Marketing,Accepts SMS Marketing',
      'keeps@consent.test,Keep,Same,,',
      'no@consent.test,No,Thanks,nee,0',
      'notset@consent.test,Not,Set,not set,unknown',
      'ja@consent.test,Ja,Nieuw,ja,1',
      'pending@consent.test,Pen,Ding,pending,',
      'shopify@consent.test,Sho,Pify,not_subscribed,subscribed',
    ].join('\n');
    const done = await importFile(staff, 'consent-words.csv', file);
    expect(done.counts).toMatchObject({ rejected: 0 });
    expect(await customerByEmail(app, 'keeps@consent.test')).toMatchObject({ emailConsent: 'subscribed', newsletter: true, smsConsent: 'not_set' });
    expect(await customerByEmail(app, 'no@consent.test')).toMatchObject({ emailConsent: 'unsubscribed', newsletter: false, smsConsent: 'unsubscribed' });
    expect(await customerByEmail(app, 'notset@consent.test')).toMatchObject({ emailConsent: 'subscribed', smsConsent: 'not_set' });
    expect(await customerByEmail(app, 'ja@consent.test')).toMatchObject({ emailConsent: 'subscribed', emailConsentLevel: 'single', newsletter: true, smsConsent: 'subscribed' });
    expect(await customerByEmail(app, 'pending@consent.test')).toMatchObject({ emailConsent: 'pending', newsletter: false });
    expect(await customerByEmail(app, 'shopify@consent.test')).toMatchObject({ emailConsent: 'unsubscribed', smsConsent: 'subscribed' });
    // The source is the import and its row; the history holds the change.
    const ja = await customerByEmail(app, 'ja@consent.test');
    expect(ja?.emailConsentSource).toBe(`import:${done.id}:5`);
    expect(await historyOf('no@consent.test')).toEqual([
      { channel: 'email', state: 'subscribed', level: 'single', source: 'staff', note: null },
      { channel: 'email', state: 'unsubscribed', level: null, source: `import:${done.id}:3`, note: null },
      { channel: 'sms', state: 'unsubscribed', level: null, source: `import:${done.id}:3`, note: null },
    ]);
    expect(await historyOf('keeps@consent.test')).toHaveLength(1);
  });

  it('keeps the date, level and source the file gives as evidence', async () => {
    const file = [
      'E-mail,First name,Last name,Newsletter,Newsletter opt-in level,Newsletter consent date,Newsletter consent source',
      'evidence@consent.test,Evi,Dence,subscribed,confirmed_opt_in,2023-04-05T10:15:00+02:00,Shopify checkout',
    ].join('\n');
    const done = await importFile(staff, 'consent-evidence.csv', file);
    expect(await customerByEmail(app, 'evidence@consent.test')).toMatchObject({
      emailConsent: 'subscribed', emailConsentLevel: 'confirmed', emailConsentAt: '2023-04-05T08:15:00.000Z',
      emailConsentSource: `import:${done.id}:2:Shopify checkout`,
    });
  });
});

describe('customers who unsubscribed', () => {
  it('stay unsubscribed when a file says subscribed, and the check counts them; an unsubscribe always wins', async () => {
    await create('left@consent.test', { emailConsent: 'unsubscribed' });
    await create('left-too@consent.test', { emailConsent: 'unsubscribed' });
    await create('stays@consent.test', { emailConsent: 'subscribed' });
    const file = [
      'E-mail,First name,Last name,Newsletter',
      'left@consent.test,Left,Once,yes',
      'left-too@consent.test,Left,Twice,subscribed',
      'stays@consent.test,Stays,Subscribed,no',
    ].join('\n');
    const uploaded = await uploadOk(staff, 'resubscribe.csv', file);
    // Even with the newsletter protected from updates, the unsubscribe wins.
    expect((await post(staff, `/api/v1/imports/${uploaded.id}/check`, { protectedFields: ['newsletter'] })).statusCode).toBe(202);
    const checked = await waitForStatus(staff, uploaded.id, ['checked']);
    expect(checked.check?.result?.consent).toEqual({ subscribed: 0, unsubscribed: 1, resubscribed: 0, keptUnsubscribed: 0 });
    expect((await post(staff, `/api/v1/imports/${uploaded.id}/check`, {})).statusCode).toBe(202);
    const rechecked = await waitForStatus(staff, uploaded.id, ['checked']);
    expect(rechecked.check?.result?.consent).toEqual({ subscribed: 0, unsubscribed: 1, resubscribed: 0, keptUnsubscribed: 2 });
    expect(rechecked.check?.result?.warnings).toEqual(expect.arrayContaining([expect.objectContaining({ code: 'consent_kept_unsubscribed', count: 2 })]));
    expect((await post(staff, `/api/v1/imports/${uploaded.id}/start`)).statusCode).toBe(202);
    await waitForStatus(staff, uploaded.id, ['done', 'done_with_errors']);
    expect(await customerByEmail(app, 'left@consent.test')).toMatchObject({ emailConsent: 'unsubscribed', newsletter: false });
    expect(await customerByEmail(app, 'left-too@consent.test')).toMatchObject({ emailConsent: 'unsubscribed' });
    expect(await customerByEmail(app, 'stays@consent.test')).toMatchObject({ emailConsent: 'unsubscribed', newsletter: false });
    expect(await historyOf('left@consent.test')).toHaveLength(1);
  });

  it('are subscribed again only when the staff states the file holds new consent, and undo puts them back', async () => {
    await create('back@consent.test', { emailConsent: 'unsubscribed' });
    const before = await customerByEmail(app, 'back@consent.test');
    const file = ['E-mail,Newsletter', 'back@consent.test,yes'].join('\n');
    const uploaded = await uploadOk(staff, 'new-evidence.csv', file);
    expect((await post(staff, `/api/v1/imports/${uploaded.id}/check`, { newConsentEvidence: true })).statusCode).toBe(202);
    const checked = await waitForStatus(staff, uploaded.id, ['checked']);
    expect(checked.check?.result?.consent).toEqual({ subscribed: 0, unsubscribed: 0, resubscribed: 1, keptUnsubscribed: 0 });
    expect(checked.check?.result?.changes[0]?.changes).toEqual([{ field: 'newsletter', before: 'unsubscribed', after: 'subscribed' }]);
    expect((await post(staff, `/api/v1/imports/${uploaded.id}/start`)).statusCode).toBe(202);
    await waitForStatus(staff, uploaded.id, ['done']);
    expect(await customerByEmail(app, 'back@consent.test')).toMatchObject({ emailConsent: 'subscribed', newsletter: true, emailConsentSource: `import:${uploaded.id}:2` });

    expect((await post(staff, `/api/v1/imports/${uploaded.id}/undo`)).statusCode).toBe(202);
    await waitForStatus(staff, uploaded.id, ['undone']);
    expect(await customerByEmail(app, 'back@consent.test')).toMatchObject({
      emailConsent: 'unsubscribed', newsletter: false, emailConsentAt: before?.emailConsentAt, emailConsentSource: before?.emailConsentSource,
    });
    expect((await historyOf('back@consent.test')).map((event) => [event.state, event.note])).toEqual([
      ['unsubscribed', null], ['subscribed', null], ['unsubscribed', `undo of import ${uploaded.id}`],
    ]);
  });
});

describe('export and import back', () => {
  it('round-trips consent: the export carries state, date and source, and importing it changes nothing', async () => {
    await create('round-sub@consent.test', { emailConsent: 'subscribed', smsConsent: 'subscribed' });
    await create('round-unsub@consent.test', { emailConsent: 'unsubscribed' });
    await create('round-none@consent.test');
    const file = await exportFile({ type: 'customers', format: 'csv', language: 'nl', filters: { q: 'round-' } });
    const lines = file.replace(/^\uFEFF/, '').trim().split(/\r?\n/);
    const delimiter = lines[0]!.includes(';') ? ';' : ',';
    const headings = lines[0]!.split(delimiter);
    const cell = (email: string, heading: string) => lines.find((line) => line.includes(email))!.split(delimiter)[headings.indexOf(heading)];
    expect(cell('round-sub@', 'Nieuwsbrief')).toBe('aangemeld');
    expect(cell('round-unsub@', 'Nieuwsbrief')).toBe('afgemeld');
    expect(cell('round-none@', 'Nieuwsbrief')).toBe('niet ingesteld');
    expect(cell('round-sub@', 'Sms-marketing')).toBe('aangemeld');
    expect(cell('round-sub@', 'Nieuwsbrief opt-in-niveau')).toBe('enkel');
    expect(cell('round-sub@', 'Nieuwsbrief toestemmingsbron')).toBe('medewerker');
    expect(cell('round-sub@', 'Nieuwsbrief toestemmingsdatum')).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);

    const before = await Promise.all(['round-sub@consent.test', 'round-unsub@consent.test', 'round-none@consent.test'].map((email) => customerByEmail(app, email)));
    const done = await importFile(staff, 'round-trip.csv', file);
    expect(done.counts).toMatchObject({ created: 0, updated: 0, rejected: 0 });
    const after = await Promise.all(['round-sub@consent.test', 'round-unsub@consent.test', 'round-none@consent.test'].map((email) => customerByEmail(app, email)));
    expect(after).toEqual(before);
  });

  it('gives the mailing list subscribed customers only, with the date and source of their consent', async () => {
    await create('list-yes@consent.test', { emailConsent: 'subscribed' });
    await create('list-no@consent.test', { emailConsent: 'unsubscribed' });
    await create('list-pending@consent.test', { emailConsent: 'pending' });
    const file = await exportFile({ type: 'customers', format: 'csv', language: 'en', preset: 'mailing-list', filters: { q: 'list-' } });
    const lines = file.replace(/^\uFEFF/, '').trim().split(/\r?\n/);
    expect(lines[0]).toBe('E-mail,First name,Last name,Language,Newsletter,Newsletter consent date,Newsletter consent source,Password reset page');
    expect(lines.slice(1).map((line) => line.split(',')[0])).toEqual(['list-yes@consent.test']);
    expect(lines[1]).toContain(',subscribed,');
    expect(lines[1]).toContain(',staff,');
  });
});

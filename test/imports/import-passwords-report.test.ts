import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type StaffAgent, type TestApp } from '../support/test-app.ts';
import { importFile, post } from './import-helpers.ts';

/** The report of an import with old password hashes: who already has a password, who gets the e-mail. */

let app: TestApp;
let staff: StaffAgent;

beforeAll(async () => {
  app = await createTestApp();
  await app.services.startWorkers();
  staff = await app.loginAsStaff();
});
afterAll(() => app.close());

const phpass = '$P$BZ1kUHzFiF0Nh3.ZUzUFr5CERcHpq81';

describe('passwords of the customers an import created', () => {
  it('counts the imported hashes as passwords, and offers the e-mail only to the customers without one', async () => {
    const done = await importFile(
      staff,
      'wordpress.csv',
      ['E-mail,First name,Last name,Password hash', `wim@wp.test,Wim,Vos,${phpass}`, `ria@wp.test,Ria,Roos,${phpass}`, 'kim@wp.test,Kim,Kok,'].join('\n'),
    );
    expect(done.counts).toMatchObject({ created: 3, rejected: 0 });
    expect(done.newCustomerPasswords).toEqual({ importedHash: 2, hasPassword: 0, withoutPassword: 1 });

    // The bulk e-mail the report offers reaches exactly the one without a password.
    const preview = await post(staff, '/api/v1/password-emails/bulk/preview', { importId: done.id });
    expect(preview.statusCode, preview.body).toBe(200);
    expect(preview.json()).toMatchObject({ matched: 3, willSend: 1, skippedImportedHash: 2, alreadySent: { count: 0, lastSentAt: null } });

    // The report lists the sends made for its customers; a second send asks first (409 already_sent).
    const sent = await post(staff, '/api/v1/password-emails/bulk', { importId: done.id });
    expect(sent.statusCode, sent.body).toBe(202);
    const sends = await staff.request({ method: 'GET', url: `/api/v1/password-emails/bulk?importId=${done.id}` });
    expect(sends.json().items).toEqual([expect.objectContaining({ id: sent.json().id, counts: expect.objectContaining({ willSend: 1 }), selection: { kind: 'import', importId: done.id } })]);
    expect((await staff.request({ method: 'GET', url: `/api/v1/password-emails/bulk?importId=${done.id + 1}` })).json().items).toEqual([]);

    const again = await post(staff, '/api/v1/password-emails/bulk/preview', { importId: done.id });
    expect(again.json()).toMatchObject({ willSend: 1, alreadySent: { count: 1, lastSentAt: sent.json().createdAt } });
    const refused = await post(staff, '/api/v1/password-emails/bulk', { importId: done.id });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error).toMatchObject({ code: 'conflict', reason: 'already_sent', alreadySentCount: 1, lastSentAt: sent.json().createdAt });
    const confirmed = await post(staff, '/api/v1/password-emails/bulk', { importId: done.id, confirmResend: true });
    expect(confirmed.statusCode, confirmed.body).toBe(202);
    expect((await staff.request({ method: 'GET', url: `/api/v1/password-emails/bulk?importId=${done.id}` })).json().items).toHaveLength(2);
  });

  it('has no password counts before an import has run', async () => {
    const uploaded = await staff.request({ method: 'POST', url: '/api/v1/imports?fileName=a.csv', headers: { 'content-type': 'application/octet-stream' }, payload: Buffer.from('E-mail,First name,Last name\na@b.test,A,B\n') });
    expect(uploaded.json().newCustomerPasswords).toBeNull();
  });
});

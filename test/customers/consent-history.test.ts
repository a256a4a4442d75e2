import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type StaffAgent, type TestApp } from '../support/test-app.ts';

/** Issue #17: a customer's consent history over the API — every change, its evidence, newest first. */

let app: TestApp;
let staff: StaffAgent;
beforeAll(async () => {
  app = await createTestApp();
  staff = await app.loginAsStaff();
});
afterAll(() => app.close());

const api = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: Record<string, unknown>) =>
  staff.request({ method, url: `/api/v1${url}`, ...(payload && { payload }) });

describe('GET /customers/{id}/consent-history', () => {
  it('lists each change with its level, date and source (also in words), newest first', async () => {
    const created = (
      await api('POST', '/customers', {
        email: 'history@consent.test',
        lastName: 'History',
        newsletter: true,
      })
    ).json();
    expect(created).toMatchObject({
      emailConsent: 'subscribed',
      emailConsentLevel: 'single',
      emailConsentSource: expect.stringMatching(/^staff:\d+$/),
    });
    await api('PATCH', `/customers/${created.id}`, { emailConsent: 'unsubscribed' });
    await api('PATCH', `/customers/${created.id}`, { smsConsent: 'subscribed' });
    // A save that changes no consent records nothing.
    await api('PATCH', `/customers/${created.id}`, { firstName: 'Hi' });
    const staffId = Number(created.emailConsentSource.split(':')[1]);
    const response = await api('GET', `/customers/${created.id}/consent-history`);
    expect(response.statusCode, response.body).toBe(200);
    expect(
      response
        .json()
        .items.map((event: Record<string, unknown>) => [
          event.channel,
          event.state,
          event.level,
          event.source,
        ]),
    ).toEqual([
      ['sms', 'subscribed', 'single', `staff:${staffId}`],
      ['email', 'unsubscribed', null, `staff:${staffId}`],
      ['email', 'subscribed', 'single', `staff:${staffId}`],
    ]);
    expect(response.json().items[0]).toMatchObject({
      sourceText: { en: `staff user #${staffId}`, nl: `medewerker #${staffId}` },
      note: null,
      consentedAt: expect.any(String),
    });
  });

  it('answers 404 for a customer that does not exist, and is in the API docs', async () => {
    expect((await api('GET', '/customers/999999/consent-history')).statusCode).toBe(404);
    const docs = (await staff.request({ method: 'GET', url: '/api/docs/json' })).json();
    expect(Object.keys(docs.paths)).toContain('/api/v1/customers/{id}/consent-history');
  });

  it('is documented with the rest of issue #17: tags, match keys, duplicates and merging, privacy export and erasure', async () => {
    const docs = (await staff.request({ method: 'GET', url: '/api/docs/json' })).json() as {
      paths: Record<string, Record<string, unknown>>;
    };
    const operations = Object.entries(docs.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(operations).toEqual(
      expect.arrayContaining([
        'POST /api/v1/customers/bulk/tags',
        'GET /api/v1/duplicates',
        'POST /api/v1/duplicates/scans',
        'GET /api/v1/customers/merge-preview',
        'POST /api/v1/customers/merge',
        'POST /api/v1/merges/{id}/undo',
        'GET /api/v1/customers/{id}/personal-data',
        'GET /api/v1/customers/{id}/personal-data.html',
        'POST /api/v1/customers/{id}/erase',
        'GET /api/v1/privacy/erasures',
      ]),
    );
    const text = JSON.stringify(docs);
    // The customer carries consent and tags; an import's options name the match keys.
    for (const word of [
      'emailConsent',
      'smsConsentSource',
      'tags',
      'externalIdThenEmail',
      'newConsentEvidence',
    ])
      expect(text).toContain(`"${word}"`);
  });
});

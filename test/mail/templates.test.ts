import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type StaffAgent, type TestApp } from '../support/test-app.ts';
import { waitFor } from '../accounts/storefront-agent.ts';

let app: TestApp;
let staff: StaffAgent;
beforeAll(async () => {
  app = await createTestApp({ SHOP_NAME: 'De Fietsenwinkel' });
  staff = await app.loginAsStaff({ email: 'editor@example.com' });
  await app.services.queue.startWorkers();
});
afterAll(() => app.close());

describe('notification templates', () => {
  it('ships friendly defaults in English and Dutch with the placeholders listed', async () => {
    const list = await staff.request({ method: 'GET', url: '/api/v1/mail-templates' });
    expect(list.statusCode).toBe(200);
    // Five templates (account password, forgot password, welcome, password changed, registration
    // with an existing address), each in English and Dutch.
    expect(list.json()).toHaveLength(10);
    expect(list.json()).toContainEqual(expect.objectContaining({ key: 'registration_attempt', language: 'nl' }));
    const nl = await staff.request({ method: 'GET', url: '/api/v1/mail-templates/account_password/nl' });
    expect(nl.json()).toMatchObject({
      key: 'account_password',
      language: 'nl',
      isDefault: true,
      placeholders: ['reset_link', 'first_name', 'last_name', 'email', 'shop_name', 'shop_url'],
      requiredPlaceholders: ['reset_link'],
    });
    expect(nl.json().bodyHtml).toContain('nieuw systeem');
    expect(nl.json().bodyHtml).toContain('href="[[reset_link]]"');
    const unknownKey = await staff.request({ method: 'GET', url: '/api/v1/mail-templates/newsletter/en' });
    expect(unknownKey.statusCode).toBe(422);
  });

  it('sanitises scripts, event handlers, javascript: URLs and forms on save, keeping [[reset_link]] as a link', async () => {
    const bodyHtml = [
      '<p onclick="steal()">Hello [[first_name]]<script>alert(1)</script></p>',
      '<img src="https://cdn.example.com/logo.png" onerror="alert(2)">',
      '<a href="javascript:alert(3)">click</a>',
      '<a href="%5B%5Breset_link%5D%5D">Set password</a>',
      '<form action="https://evil.example"><input name="password"></form>',
    ].join('');
    const saved = await staff.request({
      method: 'PUT',
      url: '/api/v1/mail-templates/account_password/en',
      payload: { subject: 'Hi [[first_name]]', bodyHtml },
    });
    expect(saved.statusCode).toBe(200);
    const template = saved.json();
    expect(template.wasSanitized).toBe(true);
    expect(template.isDefault).toBe(false);
    expect(template.bodyHtml).not.toMatch(/<script|onclick|onerror|javascript:|<form|<input/i);
    expect(template.bodyHtml).toContain('<img src="https://cdn.example.com/logo.png" />');
    expect(template.bodyHtml).toContain('href="[[reset_link]]"');
    const stored = await staff.request({ method: 'GET', url: '/api/v1/mail-templates/account_password/en' });
    expect(stored.json().bodyHtml).toBe(template.bodyHtml);

    const reset = await staff.request({
      method: 'DELETE',
      url: '/api/v1/mail-templates/account_password/en',
    });
    expect(reset.json().isDefault).toBe(true);
  });

  it('checks placeholders on save: an unknown one is named, and Account password needs [[reset_link]]', async () => {
    const unknown = await staff.request({
      method: 'PUT',
      url: '/api/v1/mail-templates/account_created/en',
      payload: { subject: 'Welcome [[firstname]]', bodyHtml: '<p>Hi [[first_name]], see [[shop_link]]</p>' },
    });
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json().error.fields.subject).toMatchObject({ code: 'placeholder_unknown' });
    expect(unknown.json().error.fields.subject.message).toContain('[[firstname]]');
    expect(unknown.json().error.fields.bodyHtml.message).toContain('[[shop_link]]');

    const withoutLink = await staff.request({
      method: 'PUT',
      url: '/api/v1/mail-templates/account_password/nl',
      payload: { subject: 'Wachtwoord', bodyHtml: '<p>Ga naar [[shop_url]]</p>' },
    });
    expect(withoutLink.statusCode).toBe(422);
    expect(withoutLink.json().error.fields.bodyHtml).toMatchObject({ code: 'placeholder_required' });
    expect(
      (await staff.request({ method: 'GET', url: '/api/v1/mail-templates/account_password/nl' })).json()
        .isDefault,
    ).toBe(true);
  });

  it('refuses [[reset_link]] anywhere but as a link target (an image source, a third-party URL) and keeps the saved text', async () => {
    for (const bodyHtml of [
      '<p><a href="[[reset_link]]">Set</a><img src="[[reset_link]]" alt=""></p>',
      '<p><a href="https://tracker.example/click?to=%5B%5Breset_link%5D%5D">Set</a></p>',
    ]) {
      const response = await staff.request({
        method: 'PUT',
        url: '/api/v1/mail-templates/password_reset/en',
        payload: { subject: 'Reset', bodyHtml },
      });
      expect(response.statusCode, bodyHtml).toBe(422);
      expect(response.json().error.fields.bodyHtml).toMatchObject({ code: 'placeholder_reset_link_position' });
      expect(response.json().error.fields.bodyHtml.message).toContain('[[reset_link]] may only be the target of a link');
    }
    expect(
      (await staff.request({ method: 'GET', url: '/api/v1/mail-templates/password_reset/en' })).json().isDefault,
    ).toBe(true);
  });

  it('previews a draft for a sample customer, with a generated plain-text part', async () => {
    const preview = await staff.request({
      method: 'POST',
      url: '/api/v1/mail-templates/account_password/en/preview',
      payload: {
        draft: {
          subject: 'Password for [[shop_name]]',
          bodyHtml: '<p>Dear [[first_name]] <b>[[last_name]]</b>, <a href="[[reset_link]]">set it</a></p>',
        },
      },
    });
    expect(preview.statusCode).toBe(200);
    const message = preview.json();
    expect(message.subject).toBe('Password for De Fietsenwinkel');
    expect(message.html).toContain('Dear Emma <b>Johnson</b>');
    expect(message.html).toMatch(
      /href="http:\/\/127\.0\.0\.1:3000\/account\/reset-password\?token=EXAMPLE-ONLY/,
    );
    expect(message.text).toContain('Dear Emma Johnson, set it');
    expect(message.text).toContain(
      '[http://127.0.0.1:3000/account/reset-password?token=EXAMPLE-ONLY-NOT-A-REAL-TOKEN]',
    );
    expect(message.text).not.toContain('<');
  });

  it('sends a test e-mail to the staff user, which lands in the built-in mailbox when no SMTP is configured', async () => {
    const status = await staff.request({ method: 'GET', url: '/api/v1/mail/status' });
    expect(status.json()).toMatchObject({ transport: 'mailbox', isLeavingTheBuilding: false });
    expect(status.json().message).toContain('mail is not leaving the building');

    const test = await staff.request({
      method: 'POST',
      url: '/api/v1/mail-templates/password_changed/nl/test',
      payload: {},
    });
    expect(test.statusCode).toBe(202);
    expect(test.json()).toMatchObject({ status: 'pending', to: 'editor@example.com' });

    const page = await waitFor(async () => {
      const response = await staff.request({ method: 'GET', url: '/api/v1/mailbox' });
      return response.json().items.length > 0 ? response.json() : undefined;
    });
    expect(page.status.isLeavingTheBuilding).toBe(false);
    expect(page.items[0]).toMatchObject({
      to: 'editor@example.com',
      subject: 'Je wachtwoord voor De Fietsenwinkel is gewijzigd',
    });
    const message = await staff.request({ method: 'GET', url: `/api/v1/mailbox/${page.items[0].id}` });
    expect(message.json().html).toContain('Beste Sanne');
    expect(message.json().text).toContain('Beste Sanne');
    expect((await staff.request({ method: 'GET', url: '/api/v1/mailbox/999999' })).statusCode).toBe(404);
  });

  it('is for staff only', async () => {
    for (const [method, url] of [
      ['GET', '/api/v1/mail-templates'],
      ['PUT', '/api/v1/mail-templates/account_password/en'],
      ['GET', '/api/v1/mailbox'],
      ['POST', '/api/v1/password-emails/bulk'],
      ['POST', '/api/v1/customers/1/send-password'],
    ] as const) {
      const response = await app.http.inject({ method, url, payload: method === 'GET' ? undefined : {} });
      expect(response.statusCode, `${method} ${url}`).toBe(401);
    }
  });
});

describe('OpenAPI', () => {
  it('describes the mail and password e-mail endpoints', async () => {
    const response = await app.http.inject({
      method: 'GET',
      url: '/api/docs/json',
      headers: { cookie: staff.cookie },
    });
    expect(response.statusCode).toBe(200);
    const paths = Object.keys(response.json().paths);
    for (const path of [
      '/api/v1/customers/{id}/send-password',
      '/api/v1/customers/{id}/password-status',
      '/api/v1/password-emails/bulk',
      '/api/v1/password-emails/bulk/{id}',
      '/api/v1/mail-templates/{key}/{language}',
      '/api/v1/mail-templates/{key}/{language}/preview',
      '/api/v1/mail-templates/{key}/{language}/test',
      '/api/v1/mailbox',
      '/api/v1/mailbox/{id}',
    ]) {
      expect(paths, path).toContain(path);
    }
    expect(paths.some((path) => path.startsWith('/account'))).toBe(false);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/test-app.ts';
import { startTestSmtpServer, type TestSmtpServer } from '../support/smtp-server.ts';
import { createStorefrontAgent, waitFor } from './storefront-agent.ts';

let app: TestApp;
let smtp: TestSmtpServer;
// Tests move time forward to expire links; everything else sees the real time plus the offset.
let offsetMs = 0;
const clock = { now: () => new Date(Date.now() + offsetMs) };

beforeAll(async () => {
  smtp = await startTestSmtpServer();
  app = await createTestApp(
    { SMTP_URL: smtp.url, PUBLIC_URL: 'https://shop.example.com', SHOP_NAME: 'Bakkerij Test' },
    { clock },
  );
  await app.services.queue.startWorkers();
});
afterAll(async () => {
  await app.close();
  await app.services.mailTransport.close();
  await smtp.close();
});

async function importedCustomer(email: string, language = 'en') {
  return app.services.customers.create({ email, firstName: 'Femke', lastName: 'Visser', language });
}

const mailsTo = (email: string) => smtp.received.filter((mail) => mail.to.includes(email));
const resetPathOf = (mailHtml: string) => {
  const link = /href="(https:\/\/shop\.example\.com\/account\/reset-password\?token=[^"]+)"/.exec(
    mailHtml,
  )?.[1];
  if (!link) throw new Error(`no reset link in ${mailHtml}`);
  const url = new URL(link.replace(/&amp;/g, '&'));
  return `${url.pathname}${url.search}`;
};

/** Strips what differs between any two page loads (the per-session CSRF token). */
const withoutTokens = (body: string) => body.replace(/name="_csrf" value="[^"]+"/g, '');

describe('forgot password and reset links', () => {
  it('answers the same for an unknown and a known address, in similar time, and only mails the known one', async () => {
    await importedCustomer('known@example.com');
    const answer = async (email: string) => {
      const agent = createStorefrontAgent(app.http);
      await agent.get('/account/forgot-password');
      const started = performance.now();
      const response = await agent.post('/account/forgot-password', { email });
      return { response, ms: performance.now() - started };
    };
    const unknown = await answer('nobody@example.com');
    const known = await answer('known@example.com');
    expect(unknown.response.statusCode).toBe(200);
    expect(known.response.statusCode).toBe(200);
    expect(withoutTokens(known.response.body)).toBe(withoutTokens(unknown.response.body));
    expect(known.response.body).toContain('If an account exists for this e-mail address');
    // Both wait for the same floor (400 ms); neither answers early.
    expect(unknown.ms).toBeGreaterThanOrEqual(390);
    expect(known.ms).toBeGreaterThanOrEqual(390);
    expect(Math.abs(known.ms - unknown.ms)).toBeLessThan(300);

    const mail = await waitFor(() => mailsTo('known@example.com')[0]);
    expect(mail.subject).toBe('Reset your password for Bakkerij Test');
    expect(mail.text).toContain('Choose a new password');
    expect(mailsTo('nobody@example.com')).toHaveLength(0);
  });

  it('sets a new password from the e-mailed link and logs in; the link then fails, and so does an older one', async () => {
    const customer = await importedCustomer('reset@example.com', 'nl');
    const request = async () => {
      const agent = createStorefrontAgent(app.http);
      await agent.get('/account/forgot-password');
      await agent.post('/account/forgot-password', { email: 'reset@example.com' });
    };
    await request();
    await waitFor(() => mailsTo('reset@example.com').length === 1);
    await request();
    const [older, newer] = await waitFor(() =>
      mailsTo('reset@example.com').length === 2 ? mailsTo('reset@example.com') : undefined,
    );
    expect(newer!.subject).toBe('Nieuw wachtwoord kiezen voor Bakkerij Test');

    const browser = createStorefrontAgent(app.http);
    const page = await browser.get(resetPathOf(newer!.html));
    expect(page.statusCode).toBe(200);
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.body).toContain('Kies een nieuw wachtwoord');

    const weak = await browser.post('/account/reset-password', {
      token: tokenOf(newer!.html),
      password: 'short',
      passwordConfirmation: 'short',
    });
    expect(weak.statusCode).toBe(422);
    expect(weak.body).toContain('Gebruik minstens 10 tekens.');

    const done = await browser.post('/account/reset-password', {
      token: tokenOf(newer!.html),
      password: 'windmill cheese bicycle',
      passwordConfirmation: 'windmill cheese bicycle',
    });
    expect(done.statusCode).toBe(303);
    expect(done.headers.location).toBe('/account?notice=password-set');
    const account = await browser.get('/account?notice=password-set');
    expect(account.body).toContain('Je wachtwoord is opgeslagen en je bent ingelogd.');
    expect((await app.services.customers.get(customer.id)).passwordState).toBe('set');

    // Reuse of the same link, and the older link (all tokens end when the password changes).
    for (const mail of [newer!, older!]) {
      const again = await createStorefrontAgent(app.http).get(resetPathOf(mail.html));
      expect(again.statusCode).toBe(410);
      expect(again.body).toContain('Deze link werkt niet meer');
    }
    const replay = createStorefrontAgent(app.http);
    await replay.get('/account/forgot-password');
    const reused = await replay.post('/account/reset-password', {
      token: tokenOf(newer!.html),
      password: 'another fine password',
      passwordConfirmation: 'another fine password',
    });
    expect(reused.statusCode).toBe(410);

    // And the "password changed" notice went out.
    const notice = await waitFor(() =>
      mailsTo('reset@example.com').find((mail) => mail.subject.includes('gewijzigd')),
    );
    expect(notice.subject).toBe('Je wachtwoord voor Bakkerij Test is gewijzigd');
  });

  it('expires a storefront link after one hour', async () => {
    await importedCustomer('expire@example.com');
    const agent = createStorefrontAgent(app.http);
    await agent.get('/account/forgot-password');
    await agent.post('/account/forgot-password', { email: 'expire@example.com' });
    const mail = await waitFor(() => mailsTo('expire@example.com')[0]);
    expect((await createStorefrontAgent(app.http).get(resetPathOf(mail.html))).statusCode).toBe(200);
    offsetMs = 61 * 60 * 1000;
    try {
      const expired = createStorefrontAgent(app.http);
      const page = await expired.get(resetPathOf(mail.html));
      expect(page.statusCode).toBe(410);
      await expired.get('/account/forgot-password');
      const post = await expired.post('/account/reset-password', {
        token: tokenOf(mail.html),
        password: 'late but strong enough',
        passwordConfirmation: 'late but strong enough',
      });
      expect(post.statusCode).toBe(410);
    } finally {
      offsetMs = 0;
    }
  });

  it('limits forgot-password per address without telling (same page, no more mail)', async () => {
    await importedCustomer('limited@example.com');
    const agent = createStorefrontAgent(app.http);
    await agent.get('/account/forgot-password');
    for (let attempt = 0; attempt < 7; attempt += 1) {
      const response = await agent.post('/account/forgot-password', { email: 'limited@example.com' });
      expect(response.statusCode).toBe(200);
    }
    await new Promise((resolve) => setTimeout(resolve, 2500));
    // PASSWORD_RESET_RATE_LIMIT_PER_HOUR defaults to 5: the rest got the same page but no mail.
    expect(mailsTo('limited@example.com')).toHaveLength(5);
  });
});

function tokenOf(mailHtml: string): string {
  return new URL(`https://x${resetPathOf(mailHtml)}`).searchParams.get('token') ?? '';
}

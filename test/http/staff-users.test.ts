import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../accounts/storefront-agent.ts';
import { createTestApp, type StaffAgent, type TestApp } from '../support/test-app.ts';
import { startTestSmtpServer, type TestSmtpServer } from '../support/smtp-server.ts';

/** Staff users with roles: administrators invite, re-role and remove them; everyone can reset a forgotten password by e-mail. */
let app: TestApp;
let smtp: TestSmtpServer;
let admin: StaffAgent;

beforeAll(async () => {
  smtp = await startTestSmtpServer();
  app = await createTestApp({ SMTP_URL: smtp.url, PUBLIC_URL: 'https://shop.example.com' });
  admin = await app.loginAsStaff({ email: 'owner@example.com', role: 'admin' });
  await app.services.queue.startWorkers();
});
afterAll(async () => {
  await app.close();
  await app.services.mailTransport.close();
  await smtp.close();
});

const mailsTo = (email: string) => smtp.received.filter((mail) => mail.to.includes(email));
const linkIn = (text: string) =>
  /https:\/\/shop\.example\.com\/admin\/reset-password\?token=[\w%-]+/.exec(text)?.[0] ?? '';
const tokenOf = (link: string) => decodeURIComponent(new URL(link).searchParams.get('token') ?? '');
const login = (email: string, password: string) =>
  app.http.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password } });
const setPassword = (token: string, password: string) =>
  app.http.inject({ method: 'POST', url: '/api/v1/auth/reset-password', payload: { token, password } });
const listUsers = async () =>
  (await admin.request({ method: 'GET', url: '/api/v1/staff-users' })).json() as {
    id: number;
    email: string;
    role: string;
    hasPassword: boolean;
  }[];

describe('an administrator adds a staff user', () => {
  it('invites with a role; the invitation e-mail lets them choose a password once, then log in with the staff role', async () => {
    const created = await admin.request({
      method: 'POST',
      url: '/api/v1/staff-users',
      payload: { name: 'Sanne de Vries', email: 'sanne@example.com', role: 'staff', language: 'nl' },
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ email: 'sanne@example.com', role: 'staff', language: 'nl' });
    expect((await listUsers()).find((user) => user.email === 'sanne@example.com')).toMatchObject({
      role: 'staff',
      hasPassword: false,
    });
    // No password yet: nothing logs in.
    expect((await login('sanne@example.com', '')).statusCode).toBe(422);
    expect((await login('sanne@example.com', 'not-a-real-password')).statusCode).toBe(401);

    const mail = await waitFor(() => mailsTo('sanne@example.com')[0]);
    expect(mail.subject).toContain('backoffice');
    const link = linkIn(mail.text);
    expect(link).not.toBe('');
    const check = await app.http.inject({
      method: 'GET',
      url: `/api/v1/auth/reset-password?token=${encodeURIComponent(tokenOf(link))}`,
    });
    expect(check.json()).toEqual({ isValid: true });

    expect((await setPassword(tokenOf(link), 'short')).statusCode).toBe(422);
    expect((await setPassword(tokenOf(link), 'Sanne kiest een lang wachtwoord')).statusCode).toBe(204);
    // Single use.
    const again = await setPassword(tokenOf(link), 'Someone else tries again later');
    expect(again.statusCode).toBe(422);
    expect(again.json().error.fields.token.code).toBe('invalid_token');

    const session = await login('sanne@example.com', 'Sanne kiest een lang wachtwoord');
    expect(session.statusCode).toBe(200);
    expect(session.json().user.role).toBe('staff');
    expect(session.json().permissions).not.toContain('staff.manage');
    expect(session.json().permissions).toContain('customers.write');
  });

  it('refuses a second user with the same e-mail address, naming the field', async () => {
    const response = await admin.request({
      method: 'POST',
      url: '/api/v1/staff-users',
      payload: { name: 'Sanne again', email: 'SANNE@example.com', role: 'admin' },
    });
    expect(response.statusCode).toBe(409);
    expect(response.json().error.fields.email.code).toBe('email_taken');
  });

  it('changes roles, and never demotes or removes the last administrator', async () => {
    const users = await listUsers();
    const owner = users.find((user) => user.email === 'owner@example.com')!;
    const sanne = users.find((user) => user.email === 'sanne@example.com')!;

    const demoteOwner = await admin.request({
      method: 'PUT',
      url: `/api/v1/staff-users/${owner.id}/role`,
      payload: { role: 'staff' },
    });
    expect(demoteOwner.statusCode).toBe(409);
    expect(demoteOwner.json().error.fields.role.code).toBe('last_admin');
    expect(
      (await admin.request({ method: 'DELETE', url: `/api/v1/staff-users/${owner.id}` })).statusCode,
    ).toBe(409);

    // With a second administrator, the first may step down.
    expect(
      (
        await admin.request({
          method: 'PUT',
          url: `/api/v1/staff-users/${sanne.id}/role`,
          payload: { role: 'admin' },
        })
      ).statusCode,
    ).toBe(204);
    expect(
      (
        await admin.request({
          method: 'PUT',
          url: `/api/v1/staff-users/${owner.id}/role`,
          payload: { role: 'staff' },
        })
      ).statusCode,
    ).toBe(204);
    // The owner is staff now: the same session may no longer manage staff users.
    expect((await admin.request({ method: 'GET', url: '/api/v1/staff-users' })).statusCode).toBe(403);
    const sanneAgent = await login('sanne@example.com', 'Sanne kiest een lang wachtwoord');
    const cookie = sanneAgent.headers['set-cookie'];
    const headers = {
      cookie: String(Array.isArray(cookie) ? cookie[0] : cookie).split(';')[0]!,
      'x-csrf-token': sanneAgent.json().csrfToken,
    };
    expect(
      (
        await app.http.inject({
          method: 'PUT',
          url: `/api/v1/staff-users/${sanne.id}/role`,
          headers,
          payload: { role: 'staff' },
        })
      ).statusCode,
    ).toBe(409);
    expect(
      (
        await app.http.inject({
          method: 'PUT',
          url: `/api/v1/staff-users/${owner.id}/role`,
          headers,
          payload: { role: 'admin' },
        })
      ).statusCode,
    ).toBe(204);
  });

  it('two administrators stepping down at the same moment: one of them stays administrator', async () => {
    const first = await app.services.staff.createUser({ email: 'duo1@example.com', name: 'Duo 1', role: 'admin' });
    const second = await app.services.staff.createUser({ email: 'duo2@example.com', name: 'Duo 2', role: 'admin' });
    // Only these two are administrators now.
    await app.services.db.pool.query(`UPDATE staff_users SET role = 'staff' WHERE id NOT IN ($1, $2)`, [first.id, second.id]);
    for (let round = 0; round < 5; round += 1) {
      const outcomes = await Promise.allSettled([
        app.services.staff.changeRole(first.id, 'staff'),
        app.services.staff.changeRole(second.id, 'staff'),
      ]);
      expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
      const admins = await app.services.db.pool.query(`SELECT id FROM staff_users WHERE role = 'admin'`);
      expect(admins.rows).toHaveLength(1);
      await app.services.db.pool.query(`UPDATE staff_users SET role = 'admin' WHERE id IN ($1, $2)`, [first.id, second.id]);
    }
    const both = await Promise.allSettled([app.services.staff.removeUser(first.id), app.services.staff.removeUser(second.id)]);
    expect(both.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
    const left = await app.services.db.pool.query(`SELECT id FROM staff_users WHERE role = 'admin'`);
    expect(left.rows).toHaveLength(1);
    // The owner of the earlier tests is administrator again, for the tests below.
    await app.services.db.pool.query(`UPDATE staff_users SET role = 'admin' WHERE email = 'owner@example.com'`);
  });

  it('removes a staff user: their sessions end with them', async () => {
    const temp = await app.loginAsStaff({ email: 'temp@example.com', role: 'staff' });
    const id = (await listUsers()).find((user) => user.email === 'temp@example.com')!.id;
    expect((await admin.request({ method: 'DELETE', url: `/api/v1/staff-users/${id}` })).statusCode).toBe(
      204,
    );
    expect((await temp.request({ method: 'GET', url: '/api/v1/customers' })).statusCode).toBe(401);
    expect((await listUsers()).map((user) => user.email)).not.toContain('temp@example.com');
  });
});

describe('forgotten password', () => {
  const forgot = (email: string) =>
    app.http.inject({ method: 'POST', url: '/api/v1/auth/forgot-password', payload: { email } });

  it('answers the same for a known and an unknown address, and only the known one gets an e-mail', async () => {
    const member = await app.loginAsStaff({ email: 'piet@example.com', role: 'staff' });
    const known = await forgot('Piet@Example.com');
    const unknown = await forgot('nobody@example.com');
    expect(known.statusCode).toBe(202);
    expect(unknown.statusCode).toBe(202);
    expect(unknown.body).toBe(known.body);

    const mail = await waitFor(() => mailsTo('piet@example.com')[0]);
    expect(mail.subject).toContain('Reset your');
    const token = tokenOf(linkIn(mail.text));
    expect(mail.text).toContain('one hour');
    // Only the hash is stored.
    const stored = await app.services.db.pool.query('SELECT token_hash FROM staff_password_tokens');
    expect(
      stored.rows.map((row: { token_hash: Buffer }) => row.token_hash.toString('base64url')),
    ).not.toContain(token);

    expect((await setPassword(token, 'Piet heeft een nieuw wachtwoord')).statusCode).toBe(204);
    // The old session ended, the old password is gone, the new one works.
    expect((await member.request({ method: 'GET', url: '/api/v1/customers' })).statusCode).toBe(401);
    expect((await login('piet@example.com', 'correct horse battery staple')).statusCode).toBe(401);
    expect((await login('piet@example.com', 'Piet heeft een nieuw wachtwoord')).statusCode).toBe(200);
    expect(mailsTo('nobody@example.com')).toEqual([]);
  });

  it('sends at most three reset e-mails an hour to one address', async () => {
    await app.loginAsStaff({ email: 'kees@example.com', role: 'staff' });
    for (let attempt = 0; attempt < 5; attempt += 1)
      expect((await forgot('kees@example.com')).statusCode).toBe(202);
    // Every e-mail is a job queued by the request itself: count them, whether they ran yet or not.
    const queued = await app.services.db.pool.query(
      `SELECT count(*)::int AS count FROM pgboss.job j JOIN staff_users u ON u.id = (j.data->>'staffUserId')::bigint
        WHERE j.name = 'staff.password-mail' AND u.email = 'kees@example.com'`,
    );
    expect(queued.rows[0].count).toBe(3);
    await waitFor(() => mailsTo('kees@example.com').length === 3);
  });

  it('a password-mail job that runs twice (at-least-once delivery) sends one e-mail with one valid link', async () => {
    const user = await app.services.staff.createUser({ email: 'joop@example.com', name: 'Joop', role: 'staff' });
    const job = app.services.jobDefinitions.find((definition) => definition.name === 'staff.password-mail')!;
    const run = () => job.handle({ staffUserId: user.id, purpose: 'reset' }, { id: 'same-job-id', signal: new AbortController().signal });
    await run();
    await run();
    const outbox = async () =>
      (await app.services.db.pool.query<{ status: string; draft_body_html: string | null }>(
        "SELECT status, draft_body_html FROM mail_outbox WHERE to_address = 'joop@example.com'",
      )).rows;
    await waitFor(async () => (await outbox()).every((row) => row.status === 'sent'));
    // Sent once, and the link is not kept in the outbox afterwards.
    expect(await outbox()).toEqual([{ status: 'sent', draft_body_html: null }]);
    expect(mailsTo('joop@example.com')).toHaveLength(1);
    const tokens = await app.services.db.pool.query('SELECT 1 FROM staff_password_tokens WHERE staff_user_id = $1', [user.id]);
    expect(tokens.rowCount).toBe(1);
    expect((await setPassword(tokenOf(linkIn(mailsTo('joop@example.com')[0]!.text)), 'Joop kiest een wachtwoord')).statusCode).toBe(204);
  });

  it('refuses an expired or made-up link', async () => {
    const link = await app.services.staffPasswords.createLink('kees@example.com', 'reset');
    await app.services.db.pool.query(
      `UPDATE staff_password_tokens SET expires_at = now() - interval '1 second'`,
    );
    expect((await setPassword(tokenOf(link), 'Kees probeert het te laat')).statusCode).toBe(422);
    expect((await setPassword('made-up', 'Kees probeert het te laat')).statusCode).toBe(422);
  });
});

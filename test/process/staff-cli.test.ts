import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/test-app.ts';
import { runCli } from './cli-process.ts';

/** `clientele staff create` and `clientele staff reset-password`, run as real processes against a test database. */
let app: TestApp;
let env: Record<string, string>;

beforeAll(async () => {
  app = await createTestApp();
  env = { DATABASE_URL: app.databaseUrl, PUBLIC_URL: 'https://shop.example.com' };
});
afterAll(() => app?.close());

const linkIn = (stdout: string) =>
  /https:\/\/shop\.example\.com\/admin\/reset-password\?token=\S+/.exec(stdout)?.[0] ?? '';
const tokenOf = (link: string) => new URL(link).searchParams.get('token') ?? '';
const setPassword = (token: string, password: string) =>
  app.http.inject({ method: 'POST', url: '/api/v1/auth/reset-password', payload: { token, password } });
const login = (email: string, password: string) =>
  app.http.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password } });

describe('clientele staff', () => {
  it('creates a staff user with a role and prints a one-time link where they choose a password', async () => {
    const run = await runCli(
      [
        'staff',
        'create',
        '--email',
        'noor@example.com',
        '--name',
        'Noor Bakker',
        '--role',
        'staff',
        '--language',
        'nl',
      ],
      env,
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Staff user noor@example.com created with the role staff.');
    const link = linkIn(run.stdout);
    expect(link).not.toBe('');
    expect((await setPassword(tokenOf(link), 'Noor kiest haar wachtwoord')).statusCode).toBe(204);
    const session = await login('noor@example.com', 'Noor kiest haar wachtwoord');
    expect(session.statusCode).toBe(200);
    expect(session.json().user).toMatchObject({ role: 'staff', language: 'nl', name: 'Noor Bakker' });
  });

  it('prints a reset link for an existing user; the old password works until the link is used', async () => {
    const run = await runCli(['staff', 'reset-password', '--email', 'NOOR@example.com'], env);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('valid one hour');
    expect((await login('noor@example.com', 'Noor kiest haar wachtwoord')).statusCode).toBe(200);
    expect(
      (await setPassword(tokenOf(linkIn(run.stdout)), 'Noor heeft een nieuw wachtwoord')).statusCode,
    ).toBe(204);
    expect((await login('noor@example.com', 'Noor kiest haar wachtwoord')).statusCode).toBe(401);
    expect((await login('noor@example.com', 'Noor heeft een nieuw wachtwoord')).statusCode).toBe(200);
  });

  it('says in one line what is wrong: an unknown role, an existing address, an unknown user', async () => {
    const badRole = await runCli(
      ['staff', 'create', '--email', 'x@example.com', '--name', 'X', '--role', 'owner'],
      env,
    );
    expect(badRole.code).toBe(1);
    expect(badRole.stderr).toContain('role');
    const taken = await runCli(
      ['staff', 'create', '--email', 'noor@example.com', '--name', 'Noor', '--role', 'admin'],
      env,
    );
    expect(taken.code).toBe(1);
    expect(taken.stderr).toContain('already exists');
    const unknown = await runCli(['staff', 'reset-password', '--email', 'nobody@example.com'], env);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('Staff user nobody@example.com was not found.');
    expect(`${badRole.stderr}${taken.stderr}${unknown.stderr}`).not.toMatch(/\n\s+at /);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/test-app.ts';
import { createStorefrontAgent } from './storefront-agent.ts';

let app: TestApp;
beforeAll(async () => {
  // Every request comes from 127.0.0.1: a per-IP limit above what this file uses.
  app = await createTestApp({ LOGIN_RATE_LIMIT_PER_MINUTE: '100' });
});
afterAll(() => app.close());

// Hashes as another platform stored them (made with passlib and libsodium, see legacy-hash.test.ts).
const imported = [
  {
    email: 'bcrypt@example.com',
    algorithm: 'bcrypt',
    hash: '$2y$05$abcdefghijklmnopqrstuuTYvSGyS/Ci6.R5IK6pMYXzZLdZ3/JZ6',
    password: 'Old Shop Pass',
  },
  {
    email: 'phpass@example.com',
    algorithm: 'phpass',
    hash: '$P$8abcdefghGsh1/5/iRpcVKCagH1qoQ0',
    password: 'correct horse',
  },
  {
    email: 'wordpress@example.com',
    algorithm: 'wordpress',
    hash: '$wp$2y$05$abcdefghijklmnopqrstuug6uYBoXB0X8kmKXwtKEjyQo3kXYJp/O',
    password: 'WordPress Pass',
  },
  {
    email: 'magento@example.com',
    algorithm: 'magento2',
    hash: 'c0aa4aff86a02f54a747efb9f708dd9d3bfbbcf74218a8448c8c7c9eecc30fca:pMtdEWBXuoXsm0Kc6e1BXsOKlGczPMvt:1:2',
    password: 'Magento Secret 1',
  },
];

async function passwordColumns(email: string) {
  const { rows } = await app.services.db.pool.query<{ state: string; hash: string; algorithm: string }>(
    'SELECT password_state AS state, password_hash AS hash, password_algorithm AS algorithm FROM customers WHERE email = $1',
    [email],
  );
  return rows[0]!;
}

describe('login with a password hash imported from the old shop', () => {
  it.each(imported)(
    'verifies $algorithm, logs in and replaces the hash with argon2id',
    async ({ email, algorithm, hash, password }) => {
      const customer = await app.services.customers.create({ email, firstName: 'Old', lastName: 'Customer' });
      await app.services.db.pool.query(
        `UPDATE customers SET password_state = 'imported_hash', password_hash = $2, password_algorithm = $3 WHERE id = $1`,
        [customer.id, hash, algorithm],
      );
      const agent = createStorefrontAgent(app.http);
      await agent.get('/account/login');
      const wrong = await agent.post('/account/login', { email, password: `${password}!` });
      expect(wrong.statusCode).toBe(401);
      expect((await passwordColumns(email)).state).toBe('imported_hash');

      const login = await agent.post('/account/login', { email, password });
      expect(login.statusCode).toBe(303);
      expect(login.headers.location).toBe('/account');
      const after = await passwordColumns(email);
      expect(after.state).toBe('set');
      expect(after.algorithm).toBe('argon2id');
      expect(after.hash).toMatch(/^\$argon2id\$/);

      // The next login uses the new argon2id hash.
      const again = createStorefrontAgent(app.http);
      await again.get('/account/login');
      expect((await again.post('/account/login', { email, password })).statusCode).toBe(303);
    },
  );

  it('does not let a customer without a password log in, and says how to get one', async () => {
    await app.services.customers.create({ email: 'nopassword@example.com' });
    const agent = createStorefrontAgent(app.http);
    await agent.get('/account/login');
    const response = await agent.post('/account/login', {
      email: 'nopassword@example.com',
      password: 'anything at all',
    });
    expect(response.statusCode).toBe(401);
    expect(response.body).toContain('Forgot your password?');
  });
});

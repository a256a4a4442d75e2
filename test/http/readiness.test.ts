import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type StaffAgent, type TestApp } from '../support/test-app.ts';

/**
 * /readyz asks PostgreSQL over a connection of its own: with every connection of the request
 * pool taken (a server under load), staff requests wait, but readiness still answers at once.
 */
let app: TestApp;
let staff: StaffAgent;

beforeAll(async () => {
  app = await createTestApp();
  staff = await app.loginAsStaff();
});
afterAll(() => app.close());

describe('/readyz under a saturated connection pool', () => {
  it('answers 200 within 100 ms while requests queue for a connection', async () => {
    const { pool } = app.services.db;
    const held: pg.PoolClient[] = [];
    try {
      while (held.length < (pool.options.max ?? 10)) held.push(await pool.connect());
      expect(pool.waitingCount).toBe(0);
      // A staff request now waits for a connection...
      let isAnswered = false;
      const waiting = staff.request({ method: 'GET', url: '/api/v1/customers' }).then((response) => {
        isAnswered = true;
        return response;
      });
      for (const deadline = Date.now() + 5000; pool.waitingCount === 0 && Date.now() < deadline; ) await new Promise((resolve) => setTimeout(resolve, 5));
      expect(pool.waitingCount).toBeGreaterThan(0);
      // ...while readiness answers, quickly, every time.
      const durationsMs: number[] = [];
      for (let probe = 0; probe < 10; probe++) {
        const startedAt = performance.now();
        const ready = await app.http.inject({ method: 'GET', url: '/readyz' });
        durationsMs.push(performance.now() - startedAt);
        expect(ready.statusCode).toBe(200);
        expect(ready.json()).toEqual({ status: 'ready' });
        await new Promise((resolve) => setTimeout(resolve, 30)); // past the short cache, so most probes ask PostgreSQL
      }
      expect(Math.max(...durationsMs), durationsMs.join(', ')).toBeLessThan(100);
      expect(isAnswered, 'the staff request was still waiting for a connection').toBe(false);
      for (const client of held.splice(0)) client.release();
      expect((await waiting).statusCode).toBe(200);
    } finally {
      for (const client of held) client.release();
    }
    expect((await app.http.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { z } from 'zod';
import { createPgBossQueue } from '../../src/jobs/pg-boss.queue.ts';
import { defineJob, type Queue } from '../../src/jobs/queue.ts';
import { createTestDatabase } from '../support/test-database.ts';

/**
 * A job that runs longer than its lease is never started a second time while its worker lives:
 * the worker renews the lease (here 5 s, renewed every second) for as long as the handler runs.
 */
let database: Awaited<ReturnType<typeof createTestDatabase>>;
let queue: Queue;
const logged: string[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  queue = await createPgBossQueue(
    database.url,
    (message, error) => logged.push(`${message} ${String(error ?? '')}`),
    { leaseSeconds: 5 },
  );
});
afterAll(async () => {
  await queue.stop();
  await database.drop();
});

describe('job leases', () => {
  it('keeps a job that runs three leases long to one run, renewed by its live worker', async () => {
    const starts: string[] = [];
    let finished = false;
    const slow = defineJob({
      name: 'test.slow',
      payload: z.object({ n: z.number() }),
      handle: async (_payload, job) => {
        starts.push(job.id);
        await new Promise((resolve) => setTimeout(resolve, 12_000));
        finished = true;
      },
    });
    await queue.register(slow);
    await queue.startWorkers();
    const id = await queue.enqueue(slow, { n: 1 });
    for (const deadline = Date.now() + 40_000; !finished && Date.now() < deadline;)
      await new Promise((resolve) => setTimeout(resolve, 100));
    expect(finished).toBe(true);
    // Past the end: maintenance (every second here) has had its chance to expire it.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(starts).toEqual([id]);
    expect(logged).toEqual([]);
  }, 60_000);

  it('runs the job of a worker that died again as soon as its lease is found run out, not after the retry back-off', async () => {
    const runs: number[] = [];
    const orphan = defineJob({
      name: 'test.orphan',
      payload: z.object({ n: z.number() }),
      retryLimit: 10,
      handle: async () => {
        runs.push(Date.now());
      },
    });
    await queue.register(orphan);
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      // As a worker that died on the job's fourth run leaves it: active, its lease run out 1 s ago.
      // pg-boss would make it wait 40–80 s (retry_delay 5 × 2^4 / 2, up to twice that).
      await client.query('BEGIN');
      const id = await queue.enqueue(orphan, { n: 1 }, { transaction: client });
      await client.query(
        `UPDATE pgboss.job SET state = 'active', retry_count = 3, started_on = now() - interval '6 seconds', expire_in = interval '5 seconds' WHERE id = $1`,
        [id],
      );
      await client.query('COMMIT');
      const diedAt = Date.now();
      await queue.startWorkers();
      // Found by the expiry check (every second with a 5 s lease), then the next poll (1 s).
      for (const deadline = Date.now() + 20_000; runs.length === 0 && Date.now() < deadline;)
        await new Promise((resolve) => setTimeout(resolve, 50));
      expect(runs).toHaveLength(1);
      expect(runs[0]! - diedAt).toBeLessThan(10_000);
    } finally {
      await client.end();
    }
  }, 40_000);
});

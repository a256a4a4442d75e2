import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
  queue = await createPgBossQueue(database.url, (message, error) => logged.push(`${message} ${String(error ?? '')}`), { leaseSeconds: 5 });
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
    for (const deadline = Date.now() + 40_000; !finished && Date.now() < deadline; ) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(finished).toBe(true);
    // Past the end: maintenance (every second here) has had its chance to expire it.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(starts).toEqual([id]);
    expect(logged).toEqual([]);
  }, 60_000);
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createDatabase, type Database } from '../../src/db/database.ts';
import { createPgBossQueue } from '../../src/jobs/pg-boss.queue.ts';
import { defineJob, type Queue } from '../../src/jobs/queue.ts';
import { createTestDatabase } from '../support/test-database.ts';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let db: Database;
let queue: Queue;
const handled: string[] = [];

const greet = defineJob({
  name: 'test.greet',
  policy: 'stately',
  payload: z.object({ name: z.string() }),
  handle: async ({ name }) => {
    handled.push(name);
  },
});

beforeAll(async () => {
  database = await createTestDatabase();
  db = createDatabase(database.url, 3);
  queue = await createPgBossQueue(database.url, () => {});
  await queue.register(greet);
});
afterAll(async () => {
  await queue.stop();
  await db.close();
  await database.drop();
});

const waitFor = async (condition: () => boolean, timeoutMs = 15_000) => {
  for (const start = Date.now(); !condition(); ) {
    if (Date.now() - start > timeoutMs) throw new Error('timed out waiting for the job');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};

describe('the PostgreSQL job queue', () => {
  it('rejects a payload that does not match the job schema before anything is queued', async () => {
    await expect(queue.enqueue(greet, { name: 42 } as never, { singletonKey: 'x' })).rejects.toThrow();
    await expect(queue.enqueue(greet, { name: 'no key' })).rejects.toThrow('needs a singletonKey');
  });

  it('enqueues in the caller’s transaction (rolled back → no job) and runs a keyed job once', async () => {
    await expect(
      db.transaction(async (tx) => {
        await queue.enqueue(greet, { name: 'rolled back' }, { transaction: tx, singletonKey: 'a' });
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    await db.transaction((tx) => queue.enqueue(greet, { name: 'committed' }, { transaction: tx, singletonKey: 'b' }));
    const first = await queue.enqueue(greet, { name: 'once' }, { singletonKey: 'same' });
    const second = await queue.enqueue(greet, { name: 'twice' }, { singletonKey: 'same' });
    expect(first).toBeTruthy();
    expect(second).toBeNull();

    await queue.startWorkers();
    await waitFor(() => handled.length >= 2);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(handled.sort()).toEqual(['committed', 'once']);
  });
});

describe('stopping the queue while a job is at work', () => {
  it('stops cleanly when a job outlasts the wait for it and fails afterwards: nothing is written once the connections are closed', async () => {
    const stopped = await createPgBossQueue(database.url, () => {}, { stopWaitSeconds: 1 });
    let started = false;
    let finish: () => void = () => {};
    const finished = new Promise<void>((resolve) => (finish = resolve));
    const stubborn = defineJob({
      name: 'test.stubborn',
      payload: z.object({}),
      // Ends only when the test says so, long after the queue stopped waiting for it.
      handle: async () => {
        started = true;
        await finished;
        throw new Error('failed after the stop');
      },
    });
    await stopped.register(stubborn);
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      await stopped.enqueue(stubborn, {});
      await stopped.startWorkers();
      await waitFor(() => started);
      await stopped.stop();
      finish();
      // pg-boss marks the job failed without awaiting that write; let it run its course.
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});

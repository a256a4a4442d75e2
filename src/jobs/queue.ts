import type { z } from 'zod';
import type { Queryable } from '../db/database.ts';

/**
 * The job queue port. Delivery is at-least-once, so every handler must be idempotent: progress
 * lives in the database and a handler that runs twice ends in the same state.
 */
export type JobDefinition<S extends z.ZodType = z.ZodType> = {
  /** Queue name, e.g. `import.apply`. */
  name: string;
  payload: S;
  /**
   * `signal` is aborted when this process starts to stop: a long handler (an import) commits
   * what it has, hands over to a fresh job and returns, instead of holding up the shutdown.
   */
  handle: (payload: z.output<S>, job: { id: string; signal: AbortSignal }) => Promise<void>;
  /**
   * `standard` (default): every enqueued job runs. `stately`: at most one queued and one active
   * job per singleton key (pg-boss policy) — for "start this import" where a double click must
   * run it once. A stately job type must always be enqueued with a singletonKey.
   */
  policy?: 'standard' | 'stately';
  retryLimit?: number;
  /**
   * Jobs a worker takes per fetch, run one after another. An idle worker polls once a second
   * (a job enqueued in its own process wakes it once committed), so with 1 a job
   * enqueued elsewhere may wait up to a second before it starts.
   */
  batchSize?: number;
  /**
   * Not used by the pg-boss queue any more: every job is held by a lease (JOB_LEASE_SECONDS,
   * ≤ 30 s) that its live worker renews, however long the run; kept as the job's own estimate.
   */
  expireInSeconds?: number;
};

export type EnqueueOptions = {
  /** At most one queued-or-active job with this key (double clicks, two tabs). */
  singletonKey?: string;
  /** Enqueue inside the caller's transaction, so the job exists only if the change commits. */
  transaction?: Queryable;
  /** Do not run before this many seconds have passed. */
  startAfterSeconds?: number;
};

export type Queue = {
  /** Declares job types (creates their queues); call before enqueueing or starting workers. */
  register: (...definitions: JobDefinition[]) => Promise<void>;
  enqueue: <S extends z.ZodType>(definition: JobDefinition<S>, payload: z.input<S>, options?: EnqueueOptions) => Promise<string | null>;
  /** Starts working the registered job types in this process. */
  startWorkers: () => Promise<void>;
  stop: () => Promise<void>;
};

export const defineJob = <S extends z.ZodType>(definition: JobDefinition<S>): JobDefinition<S> => definition;

/** Stand-in for code paths built without a queue (e.g. a service used by a one-off script). */
export const unavailableQueue: Queue = {
  register: async () => {},
  enqueue: async () => {
    throw new Error('No job queue is configured in this process.');
  },
  startWorkers: async () => {},
  stop: async () => {},
};

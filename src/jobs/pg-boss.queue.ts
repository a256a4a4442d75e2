import pg from 'pg';
import PgBoss from 'pg-boss';
import { committedEvent, isConnectionLost } from '../db/database.ts';
import { createOutageReporter, defaultDatabaseRetry, retryWhileUnreachable, type DatabaseRetrySettings, type OutageReporter } from '../db/database-retry.ts';
import type { JobDefinition, Queue } from './queue.ts';
import type { WorkCounters } from './work-counters.ts';

/**
 * The queue on pg-boss 10 (PostgreSQL, SKIP LOCKED; pg-boss ≥ 11 needs Node 22). Its tables live
 * in the `pgboss` schema of the same database, so server and worker processes share nothing else.
 *
 * pg-boss runs its SQL through our connection pool (its documented `db` option), so that a
 * database restart, fail-over or outage of any length does not end the process: pg-boss 10 marks
 * a finished job completed or failed without awaiting it (timgit/pg-boss#577), and a lost
 * connection there is an unhandled rejection. Our `executeSql` waits for the database instead —
 * retrying with a capped back-off for as long as it is away, no give-up — and then runs the
 * statement. A handler that fails because the database went away is not failed either (that
 * would spend its retries on the outage, and end it for good after a long one): it waits until
 * the database is back and runs again in place, from the checkpoint its job keeps in the database.
 */
export type PgBossQueueOptions = {
  retry?: DatabaseRetrySettings;
  reporter?: OutageReporter;
  work?: WorkCounters;
  /**
   * Every job is held by a lease of this many seconds, renewed by its live worker every fifth of
   * it; the job of a worker that died is expired (checked every third of a lease, at most every
   * 10 s) and taken over by another. Default 30.
   */
  leaseSeconds?: number;
  /**
   * How often an idle worker asks for jobs (pg-boss allows 0.5 at the least). Default 1. A job
   * enqueued in this process wakes its local worker as soon as it is committed; jobs enqueued by
   * other processes are found by the next poll.
   */
  pollingIntervalSeconds?: number;
  /** How long stop() waits for handlers at work before it leaves their jobs to the next worker. Default 30. */
  stopWaitSeconds?: number;
};

/** pg-boss's fetch of jobs to run: it marks them active and starts their clock. */
const isJobFetch = (text: string) => /started_on = now\(\)/.test(text) && text.includes('"expireInSeconds"');
/** pg-boss's expiry of active jobs whose lease ran out (their worker is dead): they go to `retry`. */
const expiredMessage = 'job failed by timeout in active state';
const isExpiry = (text: string) => text.includes(expiredMessage);
/**
 * pg-boss gives an expired job the retry back-off meant for a handler that failed (5–10 s after
 * the first death, then 10–20, 20–40…), which would push the takeover of a job whose worker died
 * past 30 s. Its worker is dead, not its work: it is due again at once.
 */
const retryExpiredNowSql = `UPDATE pgboss.job SET start_after = now()
  WHERE state = 'retry' AND start_after > now() AND output -> 'value' ->> 'message' = '${expiredMessage}'`;
/** A week: the handler is never given up on while its worker lives (the lease ends a dead worker's job). */
const handlerTimeoutSeconds = 7 * 24 * 3600;

/** Extends the jobs' lease: they expire `leaseSeconds` from now, unless renewed again. */
const renewLeaseSql = `UPDATE pgboss.job SET expire_in = (now() - started_on) + make_interval(secs => $3)
  WHERE name = $1 AND id = ANY($2::uuid[]) AND state = 'active'`;

export async function createPgBossQueue(
  connectionString: string,
  log: (message: string, error?: unknown) => void,
  options: PgBossQueueOptions = {},
): Promise<Queue> {
  const definitions: JobDefinition[] = [];
  const leaseSeconds = options.leaseSeconds ?? 30;
  const pollingIntervalSeconds = options.pollingIntervalSeconds ?? 1;
  const retry = options.retry ?? defaultDatabaseRetry;
  const reporter = options.reporter ?? createOutageReporter(log, retry.logIntervalMs);
  const pool = new pg.Pool({ connectionString, max: 4, application_name: 'clientele-queue', connectionTimeoutMillis: 10_000 });
  // An idle connection that breaks (outage) is replaced by the pool; the outage itself is reported by the retries.
  pool.on('error', () => {});
  const stopping = new AbortController();
  /** Statements under way, awaited before the pool ends (stop). */
  const inFlight = new Set<Promise<unknown>>();
  let poolEnded = false;
  const query = (text: string, values?: unknown[]) => {
    const running = retryWhileUnreachable(() => pool.query(text, values), retry, reporter, stopping.signal);
    inFlight.add(running);
    void running.then(
      () => inFlight.delete(running),
      () => inFlight.delete(running),
    );
    return running;
  };
  const executeSql = async (text: string, values?: unknown[]) => {
    // pg-boss 10 marks a job failed without awaiting it (timgit/pg-boss#577), so a handler that
    // ends as the process stops can reach here after the pool has ended. Its job stays active
    // and is taken over by the next worker when its lease runs out; there is nothing to write.
    // (pg-boss reads a result without rows as "no job affected".)
    if (poolEnded) return { rowCount: 0 } as pg.QueryResult;
    const result = await query(text, values);
    // pg-boss 10 stops waiting for a handler after the job's expire_in *as fetched* and fails the
    // job (which is then retried and could run beside the handler that is still at work). The lease
    // is what ends a job: the database expires it unless its live worker renews it (holdLease),
    // so the fetched jobs' handler timeout is set out of the way.
    if (isJobFetch(text)) for (const row of result.rows as Array<{ expireInSeconds?: unknown }>) if ('expireInSeconds' in row) row.expireInSeconds = handlerTimeoutSeconds;
    if (isExpiry(text)) await query(retryExpiredNowSql);
    return result;
  };
  /**
   * Runs a handler; when the database goes away under it, waits for the database and runs it
   * again — unless the queue has meanwhile given the job to another run (its lease ran out), so
   * that a job never runs twice at once.
   */
  const runThroughOutages = async (name: string, id: string, run: () => Promise<void>) => {
    for (;;) {
      try {
        return await run();
      } catch (error) {
        if (!isConnectionLost(error) || stopping.signal.aborted) throw error;
        reporter.failed(error);
        // Renewing the lease both checks and keeps the job: if the queue expired it first (its
        // lease ran out during the outage), another run has it, and this one steps back.
        const { rowCount } = await executeSql(renewLeaseSql, [name, [id], leaseSeconds]);
        if (!rowCount) return;
      }
    }
  };
  /** Renews the lease of a batch's jobs while the handler works on them. */
  const holdLease = (name: string, ids: string[]) => {
    let renewing: Promise<unknown> | undefined;
    const timer = setInterval(() => {
      if (renewing) return;
      renewing = executeSql(renewLeaseSql, [name, ids, leaseSeconds])
        .catch((error: unknown) => log('could not renew a job lease', error))
        .finally(() => (renewing = undefined));
    }, (leaseSeconds * 1000) / 5);
    return () => clearInterval(timer);
  };
  const boss = new PgBoss({
    db: { executeSql },
    schema: 'pgboss',
    maintenanceIntervalSeconds: Math.max(1, Math.min(10, Math.floor(leaseSeconds / 3))),
  });
  boss.on('error', (error) => log('job queue error', error));
  await boss.start();
  const register = async (definition: JobDefinition) => {
    definitions.push(definition);
    const queueOptions = {
      name: definition.name,
      policy: definition.policy ?? 'standard',
      retryLimit: definition.retryLimit ?? 5,
      retryDelay: 5,
      retryBackoff: true,
      // The lease, not a guess at the longest run: a live worker renews it (holdLease).
      expireInSeconds: leaseSeconds,
    } as const;
    await boss.createQueue(definition.name, queueOptions);
    // A queue created by an earlier version keeps its old expiry otherwise (createQueue leaves it be).
    await boss.updateQueue(definition.name, queueOptions);
  };
  /** The ids of this process's workers, by queue name: told of a job enqueued here (notifyWorker). */
  const localWorkers = new Map<string, string>();
  let isStopped = false;
  return {
    async register(...newDefinitions) {
      for (const definition of newDefinitions) await register(definition as JobDefinition);
    },
    async enqueue(definition, payload, options = {}) {
      if (definition.policy === 'stately' && !options.singletonKey) {
        throw new Error(`Job ${definition.name} is stately and needs a singletonKey.`);
      }
      const data = definition.payload.parse(payload) as object;
      const transaction = options.transaction;
      const id = await boss.send(definition.name, data, {
        ...(options.singletonKey && { singletonKey: options.singletonKey }),
        ...(options.startAfterSeconds !== undefined && { startAfter: Math.max(1, Math.ceil(options.startAfterSeconds)) }),
        ...(transaction && {
          db: { executeSql: (text: string, values: unknown[]) => transaction.query(text, values) },
        }),
      });
      // A job due now is fetched by this process's worker without its waiting out the polling
      // interval: once it is committed (at once without a transaction, else when the transaction
      // commits), at once when the worker is idle, or as soon as its handler returns when the job
      // was enqueued by the handler itself (an import's next slice).
      const workerId = localWorkers.get(definition.name);
      if (workerId && options.startAfterSeconds === undefined) {
        const wake = () => boss.notifyWorker(workerId);
        if (!transaction) wake();
        else if (transaction instanceof pg.Client) transaction.once(committedEvent, wake);
      }
      return id;
    },
    async startWorkers() {
      for (const definition of definitions) {
        const workerId = await boss.work(definition.name, { batchSize: definition.batchSize ?? 1, pollingIntervalSeconds }, async (jobs) => {
          // One failing job of a batch must not fail the others: it is failed (and retried) on
          // its own; pg-boss completes only the jobs still active when the handler returns.
          // The batch's jobs are completed when this returns, so all of them are held till then.
          const releaseLease = holdLease(definition.name, jobs.map((job) => job.id));
          try {
            for (const job of jobs) {
              try {
                const payload = definition.payload.parse(job.data);
                await runThroughOutages(definition.name, job.id, () => definition.handle(payload, { id: job.id, signal: stopping.signal }));
                options.work?.jobRan(definition.name, 'completed');
              } catch (error) {
                options.work?.jobRan(definition.name, 'failed');
                if (jobs.length === 1) throw error;
                await boss.fail(definition.name, job.id, { message: (error as Error)?.message ?? String(error) });
              }
            }
          } finally {
            releaseLease();
          }
        });
        localWorkers.set(definition.name, workerId);
      }
    },
    async stop() {
      if (isStopped) return;
      isStopped = true;
      stopping.abort();
      await boss.stop({ graceful: true, wait: true, timeout: (options.stopWaitSeconds ?? 30) * 1000 });
      await Promise.allSettled([...inFlight]);
      poolEnded = true;
      await pool.end();
    },
  };
}

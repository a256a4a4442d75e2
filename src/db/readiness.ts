import pg from 'pg';

/**
 * Whether PostgreSQL answers, asked over a connection of its own: /readyz must not queue behind
 * requests in the application's pool (under load that took seconds, and a load balancer would
 * take a healthy server out). One probe at a time; concurrent callers share it, and a fresh
 * answer is reused for `cacheMs`. A probe that gets no answer within `timeoutMs` counts as
 * "not ready" (the probe itself goes on and settles the connection). A probe every
 * `keepWarmMs` keeps the connection open (and opens a new one after an outage), so a check
 * never waits for a connection to be made.
 * On a machine short of CPU a healthy `SELECT 1` can take longer than `timeoutMs`: then the
 * answer of a probe that completed within `staleMs` (default 5 s) stands, so a busy server is
 * not taken out of the load balancer (bench:load saw 5 of 348 checks fail so). A database that
 * refuses or drops connections fails the probe at once; one that hangs, after `staleMs`.
 */
export type Readiness = { check: () => Promise<boolean>; close: () => Promise<void> };

export function createReadiness(url: string, options: { timeoutMs: number; cacheMs?: number; keepWarmMs?: number; staleMs?: number; now?: () => number }): Readiness {
  const now = options.now ?? Date.now;
  const cacheMs = options.cacheMs ?? 250;
  const staleMs = options.staleMs ?? 5000;
  const pool = new pg.Pool({
    connectionString: url,
    max: 1,
    application_name: 'clientele-readiness',
    connectionTimeoutMillis: Math.max(1000, options.timeoutMs * 10),
    idleTimeoutMillis: 0,
  });
  pool.on('error', () => {}); // an outage breaks the idle connection; the next probe opens a new one
  let probe: Promise<boolean> | undefined;
  let last: { isReady: boolean; at: number } | undefined;
  const runProbe = () =>
    (probe ??= pool
      .query('SELECT 1')
      .then(() => true, () => false)
      .then((isReady) => {
        last = { isReady, at: now() };
        return isReady;
      })
      .finally(() => (probe = undefined)));
  void runProbe();
  const keepWarm = setInterval(() => void runProbe(), options.keepWarmMs ?? 2000);
  keepWarm.unref();
  return {
    async check() {
      if (last && now() - last.at < cacheMs) return last.isReady;
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(last !== undefined && last.isReady && now() - last.at < staleMs), options.timeoutMs)));
      try {
        return await Promise.race([runProbe(), timedOut]);
      } finally {
        clearTimeout(timer);
      }
    },
    async close() {
      clearInterval(keepWarm);
      await probe;
      await pool.end();
    },
  };
}

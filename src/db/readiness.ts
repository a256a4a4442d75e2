import pg from 'pg';

/**
 * Whether PostgreSQL answers, asked over a connection of its own: /readyz must not queue behind
 * requests in the application's pool (under load that took seconds, and a load balancer would
 * take a healthy server out). One probe at a time; concurrent callers share it, and a fresh
 * answer is reused for `cacheMs`. A probe that gets no answer within `timeoutMs` counts as
 * "not ready" (the probe itself goes on and settles the connection). A probe every
 * `keepWarmMs` keeps the connection open (and opens a new one after an outage), so a check
 * never waits for a connection to be made.
 */
export type Readiness = { check: () => Promise<boolean>; close: () => Promise<void> };

export function createReadiness(url: string, options: { timeoutMs: number; cacheMs?: number; keepWarmMs?: number; now?: () => number }): Readiness {
  const now = options.now ?? Date.now;
  const cacheMs = options.cacheMs ?? 250;
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
      const timedOut = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), options.timeoutMs)));
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

import { setTimeout as sleep } from 'node:timers/promises';
import { isConnectionLost } from './database.ts';

/**
 * Riding out a database outage of any length: a statement whose connection is lost is tried
 * again with a capped exponential back-off for as long as the database stays away — there is no
 * give-up — and the outage is logged when it starts, at most once per `logIntervalMs` while it
 * lasts (never once per attempt), and when it ends.
 */
export type DatabaseRetrySettings = {
  /** Longest wait between two attempts (the back-off doubles from 250 ms up to this). */
  maxDelayMs: number;
  /** While the database stays away, say so at most this often. */
  logIntervalMs: number;
};

export const defaultDatabaseRetry: DatabaseRetrySettings = { maxDelayMs: 5_000, logIntervalMs: 60_000 };

export type OutageLog = (message: string, error?: unknown) => void;

export type OutageReporter = {
  /** An attempt failed because the database cannot be reached. */
  failed: (error: unknown) => void;
  /** An attempt succeeded; ends the outage if one was going on. */
  succeeded: () => void;
  isDown: () => boolean;
};

/** One per process: every retrying caller reports here, so one outage is one line a minute, not one per caller. */
export function createOutageReporter(log: OutageLog, logIntervalMs: number, now: () => number = Date.now): OutageReporter {
  let downSince: number | undefined;
  let loggedAt = 0;
  const seconds = (ms: number) => `${Math.round(ms / 1000)} s`;
  return {
    failed(error) {
      const at = now();
      if (downSince === undefined) {
        downSince = at;
        loggedAt = at;
        log('database unreachable, retrying until it is back', error);
      } else if (at - loggedAt >= logIntervalMs) {
        loggedAt = at;
        log(`database still unreachable after ${seconds(at - downSince)}, retrying`, error);
      }
    },
    succeeded() {
      if (downSince === undefined) return;
      log(`database reachable again after ${seconds(now() - downSince)}`);
      downSince = undefined;
    },
    isDown: () => downSince !== undefined,
  };
}

/** For callers that only wait an outage out while another part of the process reports it. */
export const silentOutageReporter: OutageReporter = { failed: () => {}, succeeded: () => {}, isDown: () => false };

/**
 * Runs `attempt` until it does not fail with a lost connection. Other errors are thrown at once;
 * so is the last error when `signal` is aborted (the process is stopping).
 */
export async function retryWhileUnreachable<T>(
  attempt: () => Promise<T>,
  settings: Pick<DatabaseRetrySettings, 'maxDelayMs'>,
  reporter: OutageReporter,
  signal?: AbortSignal,
): Promise<T> {
  for (let delayMs = Math.min(250, settings.maxDelayMs); ; delayMs = Math.min(settings.maxDelayMs, delayMs * 2)) {
    try {
      const result = await attempt();
      reporter.succeeded();
      return result;
    } catch (error) {
      if (!isConnectionLost(error) || signal?.aborted) throw error;
      reporter.failed(error);
      try {
        await sleep(delayMs, undefined, signal ? { signal } : undefined);
      } catch {
        throw error; // aborted while waiting: the process stops
      }
    }
  }
}

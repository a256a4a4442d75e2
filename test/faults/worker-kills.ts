import { expect } from 'vitest';
import { killCli, startCli, type RunningCli } from '../process/cli-process.ts';

/**
 * Shared by the fault tests that kill real `clientele worker` processes mid-job: seeded kill
 * points, workers that are started and killed (SIGKILL) one at a time, and the time a new
 * worker takes to carry on with the job of the one that died.
 */

/** The jobs' lease in these tests (JOB_LEASE_SECONDS; 30 s by default, 3 s is its least). */
export const leaseSeconds = 3;
/**
 * The guarantee: a job whose worker died is taken over within 30 s of its lease running out
 * (counted from when a live worker was there to take it). Measured: 0–2 s; the rest is room for
 * a loaded machine. Without the immediate retry of an expired job (src/jobs/pg-boss.queue.ts) the
 * third takeover of one job waited out pg-boss's 20–40 s back-off.
 */
export const takeoverSeconds = 30;

/** mulberry32: the same seed gives the same kill points, so a failure can be replayed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** `count` kill points, one drawn in each of `count` equal parts of [low, high): spread, ascending. */
export function spreadPoints(seed: number, count: number, low: number, high: number): number[] {
  const random = seededRandom(seed);
  const width = (high - low) / count;
  return Array.from({ length: count }, (_, index) => low + width * (index + random()));
}

/** Polls `read` until it answers a value (not undefined); fails after `timeoutMs`. */
export async function until<T>(
  what: string,
  read: () => Promise<T | undefined>,
  timeoutMs: number,
  intervalMs = 10,
): Promise<T> {
  for (
    const deadline = Date.now() + timeoutMs;
    ;
    await new Promise((resolve) => setTimeout(resolve, intervalMs))
  ) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
  }
}

type Started = { worker: RunningCli; readyAt: number };
export type Kill = { killedAt: number; next: Promise<Started> };

/** Worker processes on one database, one at a time: started, killed, replaced. */
export function workerProcesses(env: () => Record<string, string>) {
  const all: RunningCli[] = [];
  const start = async (): Promise<Started> => {
    const worker = startCli(['worker'], { JOB_LEASE_SECONDS: String(leaseSeconds), ...env() });
    all.push(worker);
    await worker.waitFor(/Worker started/, 90_000);
    return { worker, readyAt: Date.now() };
  };
  return {
    start,
    /** SIGKILL now (no chance to hand over), and a new worker starting at once. */
    async killAndReplace(worker: RunningCli): Promise<Kill> {
      worker.child.kill('SIGKILL');
      const killedAt = Date.now();
      await worker.exited;
      const next = start();
      next.catch(() => {}); // awaited by the caller
      return { killedAt, next };
    },
    async stopAll() {
      for (const worker of all) await killCli(worker);
    },
  };
}

/** Takeover times measured by the tests, for docs/reliability.md. */
export const measuredResumes: Array<{ kind: string; point: string; resumeMs: number; afterReadyMs: number }> =
  [];

/**
 * The new worker carried on at `progressAt`: no later than 30 s after the dead worker's lease
 * ran out — at most one lease after the kill — or after the new worker was ready, if later.
 */
export function expectTakeoverInTime(
  kind: string,
  point: string,
  kill: { killedAt: number },
  readyAt: number,
  progressAt: number,
) {
  const leaseEndAt = kill.killedAt + leaseSeconds * 1000;
  const from = Math.max(leaseEndAt, readyAt);
  measuredResumes.push({
    kind,
    point,
    resumeMs: progressAt - kill.killedAt,
    afterReadyMs: progressAt - readyAt,
  });
  expect(
    progressAt - from,
    `${kind} at ${point}: resumed ${progressAt - kill.killedAt} ms after the kill`,
  ).toBeLessThanOrEqual(takeoverSeconds * 1000);
}

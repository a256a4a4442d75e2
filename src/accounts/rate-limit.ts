import { createHash } from 'node:crypto';
import type { Queryable } from '../db/database.ts';
import type { Clock } from '../shared/clock.ts';
import { accountRepository } from './account.repository.ts';

export type RateLimiter = ReturnType<typeof createRateLimiter>;

/**
 * Fixed-window counters in PostgreSQL, so the limits hold across every server process. The key
 * is a hash: the table never holds an e-mail address or IP address in the clear.
 */
export function createRateLimiter(db: Queryable, clock: Clock) {
  function window(kind: string, value: string, windowMs: number) {
    const now = clock.now().getTime();
    const windowStart = now - (now % windowMs);
    const key = createHash('sha256').update(`${kind}:${value.trim().toLowerCase()}`).digest('hex');
    return { now, key, windowStart: new Date(windowStart), retryAfterMs: windowStart + windowMs - now };
  }
  /** Counts one hit of `kind`/`value` in the current window: the hits so far, and when the window ends. */
  async function count(kind: string, value: string, windowMs: number): Promise<{ hits: number; retryAfterMs: number }> {
    const { now, key, windowStart, retryAfterMs } = window(kind, value, windowMs);
    const hits = await accountRepository.hitRateLimit(db, key, windowStart, new Date(now - 24 * 3_600_000));
    return { hits, retryAfterMs };
  }
  return {
    count,
    async hit(kind: string, value: string, limit: number, windowMs: number): Promise<{ isAllowed: boolean; retryAfterMs: number }> {
      const { hits, retryAfterMs } = await count(kind, value, windowMs);
      return { isAllowed: hits <= limit, retryAfterMs };
    },
    /** Whether `limit` hits are already counted in the current window, without counting one. */
    async isReached(kind: string, value: string, limit: number, windowMs: number): Promise<{ isReached: boolean; retryAfterMs: number }> {
      const { key, windowStart, retryAfterMs } = window(kind, value, windowMs);
      return { isReached: (await accountRepository.rateLimitHits(db, key, windowStart)) >= limit, retryAfterMs };
    },
  };
}

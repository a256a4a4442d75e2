/**
 * Per-minute throttle (sliding window). `limitThLatestSentAt` is when the limit-th most recent
 * message went out (undefined when fewer went out in the last minute): the next one may go
 * once that send is a minute old. Pure, so the rule is tested without waiting a minute.
 */
export function throttleWaitMs(limitThLatestSentAt: Date | undefined, now: Date): number {
  if (!limitThLatestSentAt) return 0;
  return Math.max(0, limitThLatestSentAt.getTime() + 60_000 - now.getTime());
}

/**
 * How a bulk message is tried again after a temporary failure: the waits before attempt 2, 3, …
 * (the last one repeats), and after how many attempts it counts as failed (`temporary`).
 * Tests shorten it (AppOverrides.mailRetry) to see the retries run out.
 */
export type RetryPolicy = { delaysMs: readonly number[]; maxAttempts: number };

/** After this many attempts a temporary failure becomes permanent (about 8 hours of trying). */
export const maxDeliveryAttempts = 12;

/** 5 s, 15 s, 1 min, 5 min, 15 min, then hourly; 12 attempts. */
export const defaultRetryPolicy: RetryPolicy = {
  delaysMs: [5_000, 15_000, 60_000, 300_000, 900_000, 3_600_000],
  maxAttempts: maxDeliveryAttempts,
};

/** Wait before attempt n+1 of a bulk message after a temporary failure. */
export function retryDelayMs(
  attempts: number,
  delaysMs: readonly number[] = defaultRetryPolicy.delaysMs,
): number {
  return delaysMs[Math.min(Math.max(attempts, 1), delaysMs.length) - 1] ?? 0;
}

/**
 * Per-minute throttle (sliding window). `limitThLatestSentAt` is when the limit-th most recent
 * message went out (undefined when fewer went out in the last minute): the next one may go
 * once that send is a minute old. Pure, so the rule is tested without waiting a minute.
 */
export function throttleWaitMs(limitThLatestSentAt: Date | undefined, now: Date): number {
  if (!limitThLatestSentAt) return 0;
  return Math.max(0, limitThLatestSentAt.getTime() + 60_000 - now.getTime());
}

/** Wait before attempt n+1 of a bulk message after a temporary failure: 5 s, 15 s, 1 min, 5 min, 15 min, then hourly. */
export function retryDelayMs(attempts: number): number {
  const schedule = [5_000, 15_000, 60_000, 300_000, 900_000];
  return schedule[attempts - 1] ?? 3_600_000;
}

/** After this many attempts a temporary failure becomes permanent (about 8 hours of trying). */
export const maxDeliveryAttempts = 12;

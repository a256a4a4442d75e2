/**
 * Per-minute throttle (sliding window): given when messages went out recently, how long to wait
 * before the next one may go. Pure, so the rule is tested without waiting a minute.
 */
export function throttleWaitMs(recentSentAt: readonly Date[], perMinute: number, now: Date): number {
  const windowStart = now.getTime() - 60_000;
  const inWindow = recentSentAt.map((date) => date.getTime()).filter((time) => time > windowStart).sort((a, b) => a - b);
  if (inWindow.length < perMinute) return 0;
  // The window frees a slot when the (count - limit + 1)-th oldest send leaves it.
  const freeing = inWindow[inWindow.length - perMinute] ?? windowStart;
  return Math.max(0, freeing + 60_000 - now.getTime());
}

/** Wait before attempt n+1 of a bulk message after a temporary failure: 5 s, 15 s, 1 min, 5 min, 15 min, then hourly. */
export function retryDelayMs(attempts: number): number {
  const schedule = [5_000, 15_000, 60_000, 300_000, 900_000];
  return schedule[attempts - 1] ?? 3_600_000;
}

/** After this many attempts a temporary failure becomes permanent (about 8 hours of trying). */
export const maxDeliveryAttempts = 12;

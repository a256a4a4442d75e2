/**
 * Runs `work` while `renew` is called every `intervalMs`: a lease held by a live worker, renewed
 * for as long as the work takes. A renewal that fails is left alone: the lease then runs out, and
 * whoever takes the work over finds it there.
 */
export async function whileRenewing<T>(
  renew: () => Promise<unknown>,
  intervalMs: number,
  work: () => Promise<T>,
): Promise<T> {
  const timer = setInterval(() => void renew().catch(() => {}), intervalMs);
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}

/**
 * What this process's workers did since it started: job runs by queue and outcome, and import
 * rows committed. The process's own share of the work, for its `/metrics` (the database-wide
 * figures are the same whichever process is scraped; these differ per process and add up).
 */
export type JobOutcome = 'completed' | 'failed';
export type WorkCounters = ReturnType<typeof createWorkCounters>;

export function createWorkCounters() {
  const jobRuns = new Map<string, { queue: string; outcome: JobOutcome; count: number }>();
  let importRows = 0;
  return {
    jobRan(queue: string, outcome: JobOutcome): void {
      const key = `${queue}\u0000${outcome}`;
      const entry = jobRuns.get(key) ?? { queue, outcome, count: 0 };
      entry.count += 1;
      jobRuns.set(key, entry);
    },
    importRowsCommitted(rows: number): void {
      importRows += rows;
    },
    snapshot() {
      return { jobRuns: [...jobRuns.values()].map((entry) => ({ ...entry })), importRows };
    },
  };
}

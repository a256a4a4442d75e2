import { appendFile, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';

/** Latency statistics, the results table and the entry appended to docs/benchmarks.md. */
export type Stats = { count: number; p50: number; p95: number; p99: number; max: number };
export type Measurement = {
  name: string;
  api: Stats;
  floor: Stats;
  targetP95Ms: number | undefined;
};

/** Nearest-rank percentile of durations in milliseconds. */
export function percentile(sortedMs: readonly number[], fraction: number): number {
  if (sortedMs.length === 0) return Number.NaN;
  const rank = Math.ceil(fraction * sortedMs.length);
  return sortedMs[Math.min(sortedMs.length, Math.max(1, rank)) - 1]!;
}

export function statsOf(durationsMs: readonly number[]): Stats {
  const sorted = [...durationsMs].sort((a, b) => a - b);
  return { count: sorted.length, p50: percentile(sorted, 0.5), p95: percentile(sorted, 0.95), p99: percentile(sorted, 0.99), max: sorted.at(-1) ?? Number.NaN };
}

export const verdict = (measurement: Measurement): 'PASS' | 'MISS' | '—' =>
  measurement.targetP95Ms === undefined ? '—' : measurement.api.p95 < measurement.targetP95Ms ? 'PASS' : 'MISS';

const ms = (value: number) => (value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2));
const ratio = (api: number, floor: number) => `${(api / floor).toFixed(1)}×`;

/** A markdown table: readable in a terminal and pasted as is into docs/benchmarks.md. */
export function resultsTable(measurements: readonly Measurement[]): string {
  const header = ['query', 'requests', 'API p50 ms', 'API p95 ms', 'API p99 ms', 'SQL floor p50 ms', 'SQL floor p95 ms', 'p50 / floor', 'p95 / floor', 'target p95', 'result'];
  const rows = measurements.map((m) => [
    m.name,
    String(m.api.count),
    ms(m.api.p50),
    ms(m.api.p95),
    ms(m.api.p99),
    ms(m.floor.p50),
    ms(m.floor.p95),
    ratio(m.api.p50, m.floor.p50),
    ratio(m.api.p95, m.floor.p95),
    m.targetP95Ms === undefined ? '—' : `< ${m.targetP95Ms} ms`,
    verdict(m),
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: string[]) => `| ${cells.map((cell, column) => cell.padEnd(widths[column]!)).join(' | ')} |`;
  return [line(header), `|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

export function machineDescription(postgresVersion: string): string {
  const cpus = os.cpus();
  const memoryGiB = (os.totalmem() / 1024 ** 3).toFixed(1);
  return `${cpus.length} cores (${cpus[0]?.model.trim() ?? 'unknown CPU'}), ${memoryGiB} GiB memory, ${os.type()} ${os.release()}, Node ${process.versions.node}, PostgreSQL ${postgresVersion}`;
}

const documentHeader = `# Benchmarks

Results of \`npm run bench:search\` (bench/search.bench.ts), newest last. Each run generates the
customers with COPY into its own database (embedded PostgreSQL in \`.bench/data\`, or
\`DATABASE_URL\`), runs ANALYZE, and then times requests through the real HTTP API (Fastify on
127.0.0.1, logged-in staff session, sequential requests) and the same lookups as raw SQL on the
pool (the "floor": the same page of ids and total from raw SQL with the repository's own WHERE
clause, without HTTP, session check, JSON or group names; see bench/workload.ts). Every API
answer is checked against the floor's: same ids, same total.

`;

/** Appends one run to the benchmarks document (creating it with an explanation the first time). */
export async function recordResults(file: string, entry: { title: string; lines: string[] }): Promise<void> {
  const existing = await readFile(file, 'utf8').catch(() => undefined);
  if (existing === undefined) await writeFile(file, documentHeader);
  await appendFile(file, `\n## ${entry.title}\n\n${entry.lines.join('\n')}\n`);
}

/**
 * Overview benchmark: `npm run bench:overview [-- --rows N --requests N --smoke --no-record]`.
 *
 * 1. Database and data as bench:search (bench/bench-database.ts): N customers (default
 *    1,000,000) loaded with COPY into an embedded PostgreSQL in .bench/data (or DATABASE_URL).
 *    Then 500 one-row updates leave 1,000 change rows pending: the most a read meets before it
 *    folds them (src/overview/overview.repository.ts), so the timings are the worst case.
 * 2. Timing, sequential, after a warm-up:
 *    - GET /api/v1/overview through the real HTTP API (staff session): every figure at once.
 *      Its floor: the same three repository queries on the pool, without HTTP, session, JSON.
 *    - Each customer aggregate as the overview reads it (the summary table plus pending changes,
 *      one dimension) against the plain SQL aggregate alone: the GROUP BY over every customer
 *      that the summary replaces.
 *    - Imports and bulk sends per month: plain GROUP BYs on their own small tables (no summary).
 * 3. Every figure of the API is checked against the plain GROUP BY (a wrong count fails the run).
 * 4. Output: a table with p50/p95 and the ratio to the plain aggregate, PASS/MISS against
 *    the 200 ms p95 target; appended to docs/benchmarks.md. Exit code 1 on a wrong figure or a miss.
 */
import os from 'node:os';
import path from 'node:path';
import { appendFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { FastifyInstance } from 'fastify';
import { createServices } from '../src/app.ts';
import { loadConfig } from '../src/config/config.ts';
import { createDatabase, type Database } from '../src/db/database.ts';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../src/db/embedded-postgres.ts';
import { migrate } from '../src/db/migrate.ts';
import { createHttpServer } from '../src/http/server.ts';
import { overviewRepository } from '../src/overview/overview.repository.ts';
import type { Overview } from '../src/overview/overview.schemas.ts';
import { ensureDataset } from './bench-database.ts';
import { machineDescription, statsOf, type Stats } from './report.ts';

const { values: args } = parseArgs({
  options: {
    rows: { type: 'string' },
    requests: { type: 'string' },
    smoke: { type: 'boolean', default: false },
    regenerate: { type: 'boolean', default: false },
    'no-record': { type: 'boolean', default: false },
    'data-dir': { type: 'string' },
  },
});
const isSmoke = args.smoke;
const rows = Number(args.rows ?? (isSmoke ? 10_000 : 1_000_000));
const requests = Number(args.requests ?? (isSmoke ? 10 : 50));
const dataDir = args['data-dir'] ?? (isSmoke ? '.bench/smoke' : '.bench/data');
const targetP95Ms = 200;
const log = (line: string) => process.stdout.write(`${line}\n`);
const loadBefore = os.loadavg()[0]!.toFixed(1);

/** Each customer aggregate: its dimension in customer_counts and the plain GROUP BY it replaces. */
const customerAggregates = [
  { name: 'customers by customer-since month', dimension: 'since_month', plain: `SELECT to_char(COALESCE(customer_since, (created_at AT TIME ZONE 'UTC')::date), 'YYYY-MM') AS key, count(*)::int AS count FROM customers GROUP BY 1` },
  { name: 'customers by created month', dimension: 'created_month', plain: `SELECT to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM') AS key, count(*)::int AS count FROM customers GROUP BY 1` },
  { name: 'customers by country', dimension: 'country', plain: 'SELECT billing_country AS key, count(*)::int AS count FROM customers GROUP BY 1' },
  { name: 'customers by newsletter', dimension: 'newsletter', plain: 'SELECT newsletter::text AS key, count(*)::int AS count FROM customers GROUP BY 1' },
] as const;

type Row = { name: string; measured: Stats; plain: Stats | undefined; target: number | undefined };

let exitCode = 1;
let embedded: EmbeddedDatabase | undefined;
let db: Database | undefined;
let http: FastifyInstance | undefined;
try {
  const databaseUrl = process.env.DATABASE_URL ?? (embedded = await startEmbeddedPostgres(path.resolve(dataDir))).url;
  db = createDatabase(databaseUrl, 10);
  await migrate(db.pool);
  const dataset = await ensureDataset(db, { rows, seed: 1, regenerate: args.regenerate }, log);
  const pool = db.pool;

  // The worst case a read meets: 1,000 pending change rows (a read folds them beyond that).
  await db.transaction((tx) => overviewRepository.foldChanges(tx));
  for (let round = 0; round < 2; round += 1) {
    for (let id = 1; id <= 250; id += 1) await pool.query('UPDATE customers SET newsletter = NOT newsletter WHERE id = $1', [id]);
  }
  const pending = (await pool.query<{ count: number }>('SELECT count(*)::int AS count FROM customer_count_changes')).rows[0]!.count;
  log(`${pending} change rows pending (a read folds them beyond 1,000).`);

  const config = loadConfig({ NODE_ENV: 'production', LOG_LEVEL: 'silent', DATABASE_URL: databaseUrl, HOST: '127.0.0.1', PORT: '0' });
  const services = createServices(config, db);
  http = await createHttpServer(services);
  await http.listen({ host: '127.0.0.1', port: 0 });
  const address = http.server.address();
  const baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const cookie = await logIn(services, baseUrl);

  const time = async (work: () => Promise<unknown>, count: number): Promise<Stats> => {
    for (let index = 0; index < Math.min(3, count); index += 1) await work();
    const durations: number[] = [];
    for (let index = 0; index < count; index += 1) {
      const startedAt = performance.now();
      await work();
      durations.push(performance.now() - startedAt);
    }
    return statsOf(durations);
  };
  const getOverview = async (): Promise<Overview> => {
    const response = await fetch(`${baseUrl}/api/v1/overview`, { headers: { cookie } });
    if (!response.ok) throw new Error(`GET /api/v1/overview: ${response.status}`);
    return (await response.json()) as Overview;
  };

  // Truth first: the API's figures against the plain GROUP BYs.
  const failures: string[] = [];
  const figures = await getOverview();
  const plainOf = async (sql: string) => Object.fromEntries((await pool.query<{ key: string; count: number }>(sql)).rows.map((row) => [row.key, row.count]));
  const apiOf: Record<string, Record<string, number>> = {
    since_month: Object.fromEntries(figures.customersSince.months.map((item) => [item.month, item.count])),
    created_month: Object.fromEntries(figures.customersCreated.months.map((item) => [item.month, item.count])),
    country: Object.fromEntries(figures.countries.items.map((item) => [item.country, item.count])),
    newsletter: { true: figures.newsletter.subscribed, false: figures.newsletter.notSubscribed },
  };
  for (const aggregate of customerAggregates) {
    const plain = await plainOf(aggregate.plain);
    const api = apiOf[aggregate.dimension]!;
    // The API lists the 12 largest countries; every other figure is complete.
    const keys = aggregate.dimension === 'country' ? Object.keys(api) : [...new Set([...Object.keys(plain), ...Object.keys(api)])];
    for (const key of keys) {
      if (api[key] !== plain[key]) failures.push(`${aggregate.name} ${key}: API ${api[key]}, COUNT ${plain[key]}`);
    }
  }
  if (figures.totalCustomers !== rows) failures.push(`total: API ${figures.totalCustomers}, expected ${rows}`);

  const results: Row[] = [];
  const monthsFrom = new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth() - 11, 1));
  log(`Timing GET /api/v1/overview: ${requests} requests after a warm-up…`);
  const apiStats = await time(getOverview, requests);
  const floorStats = await time(
    () => Promise.all([overviewRepository.customerCounts(pool), overviewRepository.importsByMonth(pool, monthsFrom), overviewRepository.bulkSendsByMonth(pool, monthsFrom)]),
    requests,
  );
  results.push({ name: 'GET /api/v1/overview (every figure)', measured: apiStats, plain: undefined, target: targetP95Ms });
  results.push({ name: '  its queries alone, on the pool (floor)', measured: floorStats, plain: undefined, target: undefined });
  const plainRequests = Math.max(5, Math.round(requests / 5));
  for (const aggregate of customerAggregates) {
    log(`Timing ${aggregate.name}…`);
    const summary = await time(
      () =>
        pool.query(
          `SELECT key, sum(count) FROM (SELECT key, count FROM customer_counts WHERE dimension = $1
                                        UNION ALL SELECT key, delta FROM customer_count_changes WHERE dimension = $1) AS c
            GROUP BY key`,
          [aggregate.dimension],
        ),
      requests,
    );
    const plain = await time(() => pool.query(aggregate.plain), plainRequests);
    results.push({ name: aggregate.name, measured: summary, plain, target: targetP95Ms });
  }
  results.push({ name: 'imports per month (GROUP BY on imports)', measured: await time(() => overviewRepository.importsByMonth(pool, monthsFrom), requests), plain: undefined, target: targetP95Ms });
  results.push({ name: 'bulk sends per month (GROUP BY on sends)', measured: await time(() => overviewRepository.bulkSendsByMonth(pool, monthsFrom), requests), plain: undefined, target: targetP95Ms });

  const ms = (value: number) => (value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2));
  const header = ['aggregate', 'requests', 'p50 ms', 'p95 ms', 'plain GROUP BY p50 ms', 'plain GROUP BY p95 ms', 'p50 / plain', 'p95 / plain', 'target p95', 'result'];
  const tableRows = results.map((row) => [
    row.name,
    String(row.measured.count),
    ms(row.measured.p50),
    ms(row.measured.p95),
    row.plain ? ms(row.plain.p50) : '—',
    row.plain ? ms(row.plain.p95) : '—',
    row.plain ? `${(row.measured.p50 / row.plain.p50).toFixed(3)}×` : '—',
    row.plain ? `${(row.measured.p95 / row.plain.p95).toFixed(3)}×` : '—',
    row.target === undefined ? '—' : `< ${row.target} ms`,
    row.target === undefined ? '—' : row.measured.p95 < row.target ? 'PASS' : 'MISS',
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...tableRows.map((row) => row[column]!.length)));
  const line = (cells: string[]) => `| ${cells.map((cell, column) => cell.padEnd(widths[column]!)).join(' | ')} |`;
  const table = [line(header), `|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`, ...tableRows.map(line)].join('\n');
  const postgresVersion = (await pool.query<{ server_version: string }>('SHOW server_version')).rows[0]!.server_version;
  const machine = machineDescription(postgresVersion);
  log('');
  log(`${rows.toLocaleString('en')} customers, ${machine}, load average ${loadBefore} → ${os.loadavg()[0]!.toFixed(1)}`);
  log(table);
  for (const failure of failures.slice(0, 10)) log(`WRONG FIGURE: ${failure}`);
  const missed = results.filter((row) => row.target !== undefined && row.measured.p95 >= row.target);
  if (!isSmoke && !args['no-record']) {
    await appendFile(
      path.resolve('docs/benchmarks.md'),
      [
        '',
        `## Overview (bench:overview) ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC — ${rows.toLocaleString('en')} customers`,
        '',
        `Machine: ${machine}; load average before the run ${loadBefore}, after ${os.loadavg()[0]!.toFixed(1)}. Data: seed 1${dataset.generatedMs === undefined ? ' (reused)' : `, generated in ${(dataset.generatedMs / 1000).toFixed(1)} s`}; ${pending} change rows pending (the worst case before a fold). The summary rows read the counts table plus the pending changes of one dimension; "plain GROUP BY" is the aggregate over every customer that the summary replaces.`,
        '',
        table,
        '',
        failures.length > 0 ? `**${failures.length} wrong figures.**` : 'Every figure of the API equalled the plain GROUP BY over the customers.',
        '',
      ].join('\n'),
    );
    log('Appended to docs/benchmarks.md.');
  }
  exitCode = failures.length > 0 || (!isSmoke && missed.length > 0) ? 1 : 0;
} catch (error) {
  console.error(`bench:overview failed: ${process.env.BENCH_DEBUG ? ((error as Error).stack ?? String(error)) : ((error as Error).message ?? String(error))}`);
} finally {
  await http?.close();
  await db?.close();
  await embedded?.stop();
}
process.exit(exitCode);

/** A staff user for the bench (created once per database) and its session cookie. */
async function logIn(services: ReturnType<typeof createServices>, baseUrl: string): Promise<string> {
  const email = 'bench@bench.example';
  const password = 'benchmark staff password';
  if (!(await services.db.pool.query('SELECT 1 FROM staff_users WHERE email_normalized = $1', [email])).rowCount) {
    await services.staff.createUser({ email, name: 'Benchmark', password, language: 'en' });
  }
  const response = await fetch(`${baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (!response.ok) throw new Error(`Bench login failed: ${response.status} ${await response.text()}`);
  return response.headers.getSetCookie().map((header) => header.split(';')[0]).join('; ');
}

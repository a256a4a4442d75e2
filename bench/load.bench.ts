/**
 * Load benchmark: `npm run bench:load [-- --rows N --clients N --duration S --think-ms MS --smoke]`.
 *
 * 1. Database and data as bench:search (embedded PostgreSQL in .bench/data or DATABASE_URL; N
 *    customers, default 1,000,000, reused when the same data set is there).
 * 2. A real `clientele serve` process. `--clients` staff clients (default 50), each logged in
 *    with its own session, send the mixed workload of bench/load-workload.ts over real HTTP for
 *    `--duration` seconds, each waiting a think time (uniform 0.5–1.5 × `--think-ms`) between
 *    requests, as a person reading the screen does. Meanwhile `/readyz` is polled every 100 ms
 *    and the server's RSS is read at the start, the middle and the end.
 * 3. The floor: the same requests (each client's own sequence, the same think times) as the
 *    repository's SQL straight on PostgreSQL through a pool of `--clients` connections, without
 *    HTTP, sessions, JSON or the statement-timeout transaction.
 * 4. Output: p50/p95/p99 per kind and in all, ratio to the floor, errors, /readyz p99 and RSS;
 *    PASS/MISS against the targets (issue #21: p95 < 500 ms, 0 errors, /readyz p99 < 100 ms,
 *    RSS flat), appended to docs/benchmarks.md. Exit code 1 on a miss.
 */
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { createServices } from '../src/app.ts';
import { loadConfig } from '../src/config/config.ts';
import { customerListRepository } from '../src/customers/customer-list.repository.ts';
import { customerRepository } from '../src/customers/customer.repository.ts';
import { decodeCursor, encodeCursor } from '../src/customers/customer-cursor.ts';
import { customerListQuerySchema } from '../src/customers/customer.schemas.ts';
import { createDatabase, type Database } from '../src/db/database.ts';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../src/db/embedded-postgres.ts';
import { migrate } from '../src/db/migrate.ts';
import { ensureDataset } from './bench-database.ts';
import { startClientele, stopClientele, type ClienteleProcess } from './clientele-process.ts';
import { buildLoadWorkload, type LoadRequest } from './load-workload.ts';
import { seededRandom } from './dataset.ts';
import { machineDescription, recordResults, resultsTable, statsOf, type Measurement } from './report.ts';

const { values: args } = parseArgs({
  options: {
    rows: { type: 'string' },
    clients: { type: 'string' },
    duration: { type: 'string' },
    'think-ms': { type: 'string' },
    seed: { type: 'string', default: '1' },
    smoke: { type: 'boolean', default: false },
    regenerate: { type: 'boolean', default: false },
    'no-record': { type: 'boolean', default: false },
    'data-dir': { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});
if (args.help) {
  console.log(`Usage: npm run bench:load -- [options]
  --rows N         customers (default 1000000; 10000 with --smoke)
  --clients N      concurrent staff clients (default 50; 10 with --smoke)
  --duration S     seconds of load, and again for the floor (default 60; 10 with --smoke)
  --think-ms MS    mean pause of a client between requests (default 1000; 0: back to back)
  --seed N         data set and workload seed (default 1)
  --smoke          small run: answers and errors only, no targets, nothing recorded
  --regenerate     generate the data again   --no-record  do not append to docs/benchmarks.md
  --data-dir DIR   embedded PostgreSQL data directory (default .bench/data; .bench/smoke with --smoke)`);
  process.exit(0);
}
const whole = (value: string | undefined, fallback: number, name: string, min = 1): number => {
  const number = value === undefined ? fallback : Number(value);
  if (!Number.isInteger(number) || number < min)
    throw new Error(`--${name} must be a whole number of at least ${min}`);
  return number;
};
const isSmoke = args.smoke;
const rows = whole(args.rows, isSmoke ? 10_000 : 1_000_000, 'rows');
const clients = whole(args.clients, isSmoke ? 10 : 50, 'clients');
const durationMs = whole(args.duration, isSmoke ? 10 : 60, 'duration') * 1000;
const thinkMs = whole(args['think-ms'], 1000, 'think-ms', 0);
const seed = whole(args.seed, 1, 'seed');
const dataDir = path.resolve(args['data-dir'] ?? (isSmoke ? '.bench/smoke' : '.bench/data'));
const log = (line: string) => process.stdout.write(`${line}\n`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const loadBefore = os.loadavg()[0]!.toFixed(1);

type Timing = { kind: string; ms: number; isError: boolean };
type Client = {
  pause: () => number;
  send: (
    request: LoadRequest,
    previousCursor: string | undefined,
  ) => Promise<{ isError: boolean; nextCursor?: string | null; detail?: string }>;
};

/** Runs every client's sequence until the deadline; a client pauses its think time between requests. */
async function runClients(
  workload: LoadRequest[][],
  clientOf: (index: number) => Client,
  forMs: number,
): Promise<{ timings: Timing[]; errors: string[] }> {
  const deadline = performance.now() + forMs;
  const timings: Timing[] = [];
  const errors: string[] = [];
  await Promise.all(
    workload.map(async (requests, index) => {
      const client = clientOf(index);
      await sleep(client.pause() * Math.random()); // clients do not start in step
      let cursor: string | undefined;
      for (const request of requests) {
        if (performance.now() >= deadline) return;
        const startedAt = performance.now();
        const outcome = await client
          .send(request, cursor)
          .catch((error: unknown) => ({ isError: true, detail: String(error), nextCursor: undefined }));
        timings.push({ kind: request.kind, ms: performance.now() - startedAt, isError: outcome.isError });
        if (outcome.isError)
          errors.push(
            `${request.kind} ${JSON.stringify(request.list ?? request.customerId)}: ${outcome.detail}`,
          );
        if (
          request.list &&
          !request.list.cursor &&
          request.list.sort === undefined &&
          request.list.q === undefined
        )
          cursor = outcome.nextCursor ?? undefined;
        await sleep(client.pause());
      }
    }),
  );
  return { timings, errors };
}

const thinkTime = (index: number) => {
  const random = seededRandom(seed * 31 + index);
  return () => (thinkMs === 0 ? 0 : thinkMs * (0.5 + random()));
};

const residentMb = async (pid: number) =>
  Number(/VmRSS:\s+(\d+) kB/.exec(await readFile(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;

let exitCode = 1;
let embedded: EmbeddedDatabase | undefined;
let db: Database | undefined;
let server: ClienteleProcess | undefined;
let floorPool: pg.Pool | undefined;
try {
  const databaseUrl = process.env.DATABASE_URL ?? (embedded = await startEmbeddedPostgres(dataDir)).url;
  db = createDatabase(databaseUrl, 4);
  await migrate(db.pool);
  const dataset = await ensureDataset(db, { rows, seed, regenerate: args.regenerate }, log);
  server = await startClientele(
    'serve',
    {
      DATABASE_URL: databaseUrl,
      HOST: '127.0.0.1',
      PORT: '0',
      WORKER_IN_PROCESS: 'false',
      LOGIN_RATE_LIMIT_PER_MINUTE: '10000',
      FILE_STORE_DIR: path.join(dataDir, 'files'),
    },
    /Back office: (http:\/\/127\.0\.0\.1:\d+)\/admin/,
  );
  const serverPid = server.child.pid!;
  const baseUrl = /Back office: (http:\/\/127\.0\.0\.1:\d+)\/admin/.exec(server.output())![1]!;
  const cookies = await logIn(db, databaseUrl, baseUrl, clients);
  // More requests than a client can send in the time: the deadline ends the run.
  const perClient = Math.ceil(durationMs / Math.max(50, thinkMs * 0.5)) + 10;
  const workload = await buildLoadWorkload(db, { rows, clients, perClient, seed });

  const httpClient = (index: number): Client => ({
    pause: thinkTime(index),
    async send(request, previousCursor) {
      const url = request.customerId
        ? `${baseUrl}/api/v1/customers/${request.customerId}`
        : `${baseUrl}/api/v1/customers?${listSearch(request, previousCursor)}`;
      const response = await fetch(url, { headers: { cookie: cookies[index]! } });
      const body = (await response.json()) as {
        nextCursor?: string | null;
        error?: { code: string; message: string };
      };
      return {
        isError: response.status !== 200,
        nextCursor: body.nextCursor,
        detail: `${response.status} ${body.error?.code ?? ''} ${body.error?.message ?? ''}`,
      };
    },
  });
  log(`Warming up: ${clients} clients for 5 s…`);
  await runClients(workload, httpClient, 5000);
  const rss: number[] = [await residentMb(serverPid)];
  const readyz: number[] = [];
  let readyErrors = 0;
  let isPolling = true;
  const poller = (async () => {
    while (isPolling) {
      const startedAt = performance.now();
      const response = await fetch(`${baseUrl}/readyz`).catch(() => undefined);
      readyz.push(performance.now() - startedAt);
      if (response?.status !== 200) readyErrors += 1;
      await response?.arrayBuffer();
      await sleep(100);
    }
  })();
  const middle = sleep(durationMs / 2).then(async () => rss.push(await residentMb(serverPid)));
  // The whole curve, for the log: a leak climbs all the way, a warming heap levels off.
  const rssCurve: number[] = [];
  const curve = (async () => {
    for (let tenth = 1; tenth <= 9; tenth += 1) {
      await sleep(durationMs / 10);
      rssCurve.push(await residentMb(serverPid));
    }
  })();
  log(
    `Load: ${clients} staff clients over HTTP for ${durationMs / 1000} s, think time ${thinkMs} ms on average…`,
  );
  const startedAt = performance.now();
  const api = await runClients(workload, httpClient, durationMs);
  const elapsedS = (performance.now() - startedAt) / 1000;
  isPolling = false;
  await Promise.all([poller, middle, curve]);
  log(`Server RSS every tenth of the run: ${rssCurve.map((mb) => mb.toFixed(0)).join(', ')} MB`);
  rss.push(await residentMb(serverPid));
  await stopClientele(server);
  server = undefined;

  log(`Floor: the same requests as SQL on ${clients} connections for ${durationMs / 1000} s…`);
  floorPool = new pg.Pool({ connectionString: databaseUrl, max: clients });
  // A connection still closing when the embedded server stops is ended by it: not a failure of the run.
  floorPool.on('error', () => {});
  const pool = floorPool;
  const floor = await runClients(
    workload,
    (index) => ({ pause: thinkTime(index), send: (request, cursor) => sqlRequest(pool, request, cursor) }),
    durationMs,
  );

  const kindsSeen = [...new Set(api.timings.map((timing) => timing.kind))].sort();
  const byKind = (timings: Timing[], kind?: string) =>
    statsOf(
      timings.filter((timing) => kind === undefined || timing.kind === kind).map((timing) => timing.ms),
    );
  const measurements: Measurement[] = [
    {
      name: 'all requests',
      api: byKind(api.timings),
      floor: byKind(floor.timings),
      targetP95Ms: isSmoke ? undefined : 500,
    },
    ...kindsSeen.map((kind) => ({
      name: `  ${kind}`,
      api: byKind(api.timings, kind),
      floor: byKind(floor.timings, kind),
      targetP95Ms: undefined,
    })),
  ];
  const ready = statsOf(readyz);
  const all = measurements[0]!.api;
  const isRssFlat = rss[2]! - rss[1]! <= Math.max(20, rss[1]! * 0.1);
  const checks = [
    [`p95 of all requests ${all.p95.toFixed(0)} ms`, '< 500 ms', all.p95 < 500],
    [`errors ${api.errors.length} of ${api.timings.length}`, '0', api.errors.length === 0],
    [
      `/readyz p99 ${ready.p99.toFixed(1)} ms (max ${ready.max.toFixed(1)}, ${ready.count} polls, ${readyErrors} not 200)`,
      '< 100 ms',
      ready.p99 < 100 && readyErrors === 0,
    ],
    [`server RSS ${rss.map((mb) => mb.toFixed(0)).join(' → ')} MB (start → middle → end)`, 'flat', isRssFlat],
  ] as const;
  const table = resultsTable(measurements);
  const machine = machineDescription(
    (await db.pool.query<{ server_version: string }>('SHOW server_version')).rows[0]!.server_version,
  );
  const summary = [
    `${rows.toLocaleString('en')} customers (seed ${seed}${dataset.generatedMs === undefined ? ', reused' : ''}), ${clients} staff clients, ${durationMs / 1000} s, think time ${thinkMs} ms on average; ${api.timings.length} requests (${(api.timings.length / elapsedS).toFixed(1)} a second); floor ${floor.timings.length} requests.`,
    `Machine: ${machine}; load average before ${loadBefore}, after ${os.loadavg()[0]!.toFixed(1)} (a shared machine: other work ran alongside).`,
    '',
    table,
    '',
    ...checks.map(
      ([what, target, isMet]) => `- ${what}: target ${target} — ${isSmoke ? '—' : isMet ? 'PASS' : 'MISS'}`,
    ),
  ];
  log('');
  for (const line of summary) log(line);
  for (const error of api.errors.slice(0, 10)) log(`ERROR: ${error}`);
  if (!isSmoke && !args['no-record']) {
    await recordResults(path.resolve('docs/benchmarks.md'), {
      title: `${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC — bench:load, ${rows.toLocaleString('en')} customers`,
      lines: summary,
    });
    log('Appended to docs/benchmarks.md.');
  }
  exitCode = api.errors.length > 0 || (!isSmoke && checks.some(([, , isMet]) => !isMet)) ? 1 : 0;
} catch (error) {
  console.error(
    `bench:load failed: ${process.env.BENCH_DEBUG ? ((error as Error).stack ?? String(error)) : ((error as Error).message ?? String(error))}`,
  );
} finally {
  if (server) await stopClientele(server).catch(() => {});
  await floorPool?.end();
  await db?.close();
  await embedded?.stop();
}
process.exit(exitCode);

function listSearch(request: LoadRequest, previousCursor: string | undefined): URLSearchParams {
  const list = {
    ...request.list,
    ...(request.kind === 'list: next page' && previousCursor && { cursor: previousCursor }),
  };
  return new URLSearchParams(Object.entries(list).map(([key, value]) => [key, String(value)]));
}

/** The floor of one request: the repository's own SQL on a pooled connection. */
async function sqlRequest(pool: pg.Pool, request: LoadRequest, previousCursor: string | undefined) {
  if (request.customerId)
    return { isError: (await customerRepository.findById(pool, request.customerId)) === undefined };
  const query = customerListQuerySchema.parse(Object.fromEntries(listSearch(request, previousCursor)));
  const after =
    query.cursor === undefined ? undefined : decodeCursor(query.cursor, query.sort, query.direction);
  const page = await customerListRepository.listPage(pool, { ...query, phoneCountry: 'NL' }, after);
  return {
    isError: false,
    nextCursor: page.hasMore && page.last ? encodeCursor(query.sort, query.direction, page.last) : null,
  };
}

/** Each client logs in through the real login route: its own session, as each person has. */
async function logIn(
  database: Database,
  databaseUrl: string,
  baseUrl: string,
  count: number,
): Promise<string[]> {
  const email = 'bench@bench.example';
  const password = 'benchmark staff password';
  if (
    !(await database.pool.query('SELECT 1 FROM staff_users WHERE email_normalized = $1', [email])).rowCount
  ) {
    const config = loadConfig({ NODE_ENV: 'production', LOG_LEVEL: 'silent', DATABASE_URL: databaseUrl });
    await createServices(config, database).staff.createUser({
      email,
      name: 'Benchmark',
      password,
      language: 'en',
    });
  }
  const cookies: string[] = [];
  for (let index = 0; index < count; index += 1) {
    const response = await fetch(`${baseUrl}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });
    if (!response.ok) throw new Error(`Bench login failed: ${response.status} ${await response.text()}`);
    cookies.push(
      response.headers
        .getSetCookie()
        .map((header) => header.split(';')[0])
        .join('; '),
    );
  }
  return cookies;
}

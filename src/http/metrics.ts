import { createServer, type Server } from 'node:http';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Queryable } from '../db/database.ts';
import type { WorkCounters } from '../jobs/work-counters.ts';
import { safeEqual } from '../shared/tokens.ts';

/**
 * Prometheus metrics of one process (`/metrics`, text format, prom-client). Counters of this
 * process (HTTP requests) plus gauges read from the database when scraped — jobs by queue and
 * state, queue lag, rows imported, e-mails by status — which every process reports alike, so
 * any one of them can be scraped for the whole installation.
 *
 * Access: with METRICS_TOKEN, a request needs `Authorization: Bearer <token>`; without it, only
 * requests from this machine (loopback) are answered.
 */

export type Metrics = { registry: Registry; httpRequests: Counter<'method' | 'route' | 'status'>; httpDuration: Histogram<'method' | 'route'> };

async function safely<T>(work: () => Promise<T>): Promise<T | undefined> {
  try {
    return await work();
  } catch {
    return undefined; // a scrape during a database outage still answers the process metrics
  }
}

export function createMetrics(db: Queryable, processName: 'server' | 'worker', work?: WorkCounters): Metrics {
  const registry = new Registry();
  registry.setDefaultLabels({ process: processName });
  collectDefaultMetrics({ register: registry, prefix: 'clientele_' });
  const httpRequests = new Counter({ name: 'clientele_http_requests_total', help: 'HTTP requests answered', labelNames: ['method', 'route', 'status'], registers: [registry] });
  const httpDuration = new Histogram({ name: 'clientele_http_request_duration_seconds', help: 'HTTP request duration', labelNames: ['method', 'route'], buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10], registers: [registry] });
  // This process's share of the work: differs per process, adds up across them.
  new Counter({
    name: 'clientele_job_runs_total',
    help: 'Background job runs by this process, by queue and outcome',
    labelNames: ['queue', 'outcome'],
    registers: [registry],
    collect() {
      this.reset();
      for (const { queue, outcome, count } of work?.snapshot().jobRuns ?? []) this.inc({ queue, outcome }, count);
    },
  });
  new Counter({
    name: 'clientele_import_rows_committed_total',
    help: 'Import rows (valid and rejected) in the batches this process committed',
    registers: [registry],
    collect() {
      this.reset();
      const rows = work?.snapshot().importRows ?? 0;
      if (rows > 0) this.inc(rows);
    },
  });
  new Gauge({
    name: 'clientele_jobs',
    help: 'Background jobs by queue and state (pg-boss)',
    labelNames: ['queue', 'state'],
    registers: [registry],
    async collect() {
      this.reset();
      const result = await safely(() => db.query<{ name: string; state: string; count: number }>('SELECT name, state, count(*)::int AS count FROM pgboss.job GROUP BY name, state'));
      for (const row of result?.rows ?? []) this.set({ queue: row.name, state: row.state }, row.count);
    },
  });
  new Gauge({
    name: 'clientele_queue_lag_seconds',
    help: 'Age of the oldest job that is due and waiting for a worker, per queue',
    labelNames: ['queue'],
    registers: [registry],
    async collect() {
      this.reset();
      const result = await safely(() =>
        db.query<{ name: string; lag: number }>(
          `SELECT name, EXTRACT(EPOCH FROM now() - min(start_after))::float8 AS lag FROM pgboss.job
            WHERE state IN ('created', 'retry') AND start_after <= now() GROUP BY name`,
        ),
      );
      for (const row of result?.rows ?? []) this.set({ queue: row.name }, Math.max(0, row.lag));
    },
  });
  new Gauge({
    name: 'clientele_import_rows',
    help: 'Rows of all imports by outcome',
    labelNames: ['outcome'],
    registers: [registry],
    async collect() {
      const result = await safely(() =>
        db.query<{ created: number; updated: number; unchanged: number; rejected: number }>(
          'SELECT COALESCE(sum(created_count), 0)::int8 AS created, COALESCE(sum(updated_count), 0)::int8 AS updated, COALESCE(sum(unchanged_count), 0)::int8 AS unchanged, COALESCE(sum(rejected_count), 0)::int8 AS rejected FROM imports',
        ),
      );
      for (const [outcome, value] of Object.entries(result?.rows[0] ?? {})) this.set({ outcome }, Number(value));
    },
  });
  new Gauge({
    name: 'clientele_emails',
    help: 'E-mails in the outbox by status (pending, sending, sent, failed, skipped)',
    labelNames: ['status'],
    registers: [registry],
    async collect() {
      this.reset();
      const result = await safely(() => db.query<{ status: string; count: number }>('SELECT status, count(*)::int AS count FROM mail_outbox GROUP BY status'));
      for (const row of result?.rows ?? []) this.set({ status: row.status }, row.count);
    },
  });
  return { registry, httpRequests, httpDuration };
}

const isLoopback = (address: string | undefined) => address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1';

/** Whether a scrape may read the metrics: the bearer token, or loopback when no token is set. */
export function isMetricsRequestAllowed(headers: { authorization?: string | undefined }, remoteAddress: string | undefined, token: string | undefined): boolean {
  if (token) return safeEqual(headers.authorization ?? '', `Bearer ${token}`);
  return isLoopback(remoteAddress);
}

/** `/metrics` on the HTTP server, and the request counters. */
export function registerMetrics(app: FastifyInstance, metrics: Metrics, token: string | undefined): void {
  app.addHook('onResponse', async (request: FastifyRequest, reply) => {
    const route = request.routeOptions.url ?? 'unknown';
    metrics.httpRequests.inc({ method: request.method, route, status: String(reply.statusCode) });
    metrics.httpDuration.observe({ method: request.method, route }, reply.elapsedTime / 1000);
  });
  app.get('/metrics', { config: { isPublic: true }, schema: { hide: true } }, async (request, reply) => {
    if (!isMetricsRequestAllowed(request.headers, request.socket.remoteAddress, token)) return reply.status(404).send({ error: { code: 'not_found', message: 'No route for GET /metrics.' } });
    return reply.header('content-type', metrics.registry.contentType).send(await metrics.registry.metrics());
  });
}

/** A worker has no HTTP server of its own: this one answers `/metrics` and `/healthz` only. */
export function startMetricsServer(metrics: Metrics, options: { host: string; port: number; token: string | undefined }): Promise<Server> {
  const server = createServer((request, response) => {
    if (request.url === '/healthz') return void response.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
    if (request.url !== '/metrics' || !isMetricsRequestAllowed(request.headers, request.socket.remoteAddress, options.token)) return void response.writeHead(404).end();
    metrics.registry.metrics().then(
      (text) => response.writeHead(200, { 'content-type': metrics.registry.contentType }).end(text),
      () => response.writeHead(500).end(),
    );
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve(server));
  });
}

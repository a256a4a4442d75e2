import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../src/db/embedded-postgres.ts';
import { createTestDatabase } from '../support/test-database.ts';
import { killCli, startCli, type RunningCli } from './cli-process.ts';

/** A `clientele worker` has no HTTP server, so with METRICS_PORT it answers /metrics and /healthz itself. */
let database: { url: string; drop: () => Promise<void> };
let worker: RunningCli | undefined;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await killCli(worker);
  await database.drop();
});

describe('clientele worker with METRICS_PORT', () => {
  it('serves its metrics and health on that port, on 127.0.0.1', async () => {
    const port = await freePort();
    worker = startCli(['worker'], { DATABASE_URL: database.url, METRICS_PORT: String(port), HOST: '127.0.0.1' });
    await worker.waitFor(/Metrics: http:\/\/127\.0\.0\.1:\d+\/metrics/, 60_000);
    const metrics = await fetch(`http://127.0.0.1:${port}/metrics`);
    expect(metrics.status).toBe(200);
    const text = await metrics.text();
    expect(text).toContain('process="worker"');
    expect(text).toContain('# TYPE clientele_jobs gauge');
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${port}/admin`)).status).toBe(404);
  });
});

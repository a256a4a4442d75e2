import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/test-app.ts';
import { importFile } from '../imports/import-helpers.ts';

let app: TestApp;
let guarded: TestApp;

beforeAll(async () => {
  app = await createTestApp();
  await app.services.startWorkers();
  guarded = await createTestApp({ METRICS_TOKEN: 'a-long-random-metrics-secret' });
});
afterAll(async () => {
  await app.close();
  await guarded.close();
});

const scrape = (target: TestApp, options: { remoteAddress?: string; authorization?: string } = {}) =>
  target.http.inject({ method: 'GET', url: '/metrics', remoteAddress: options.remoteAddress ?? '127.0.0.1', headers: options.authorization ? { authorization: options.authorization } : {} });

describe('/metrics', () => {
  it('answers Prometheus text with requests, jobs, queue lag, imported rows and e-mails', async () => {
    const staff = await app.loginAsStaff();
    await importFile(staff, 'metrics.csv', 'E-mail,First name,Last name\nm1@example.com,M,One\nbad,B,Ad\n');
    // The queue records the apply job as completed just after the import is done: scrape until it has (at most 5 s).
    let response = await scrape(app);
    for (const deadline = Date.now() + 5000; !/clientele_jobs\{queue="import.apply",state="completed"/.test(response.body) && Date.now() < deadline; ) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      response = await scrape(app);
    }
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/plain');
    const text = response.body;
    expect(text).toMatch(/clientele_http_requests_total\{method="POST",route="\/api\/v1\/imports",status="201",process="server"\} 1/);
    expect(text).toMatch(/clientele_jobs\{queue="import.apply",state="completed",process="server"\} [1-9]/);
    expect(text).toMatch(/clientele_import_rows\{outcome="created",process="server"\} 1/);
    expect(text).toMatch(/clientele_import_rows\{outcome="rejected",process="server"\} 1/);
    expect(text).toContain('# TYPE clientele_queue_lag_seconds gauge');
    expect(text).toContain('# TYPE clientele_emails gauge');
    expect(text).toContain('clientele_process_resident_memory_bytes');
  });

  it('is answered only to this machine without a token, and only with the token when one is set', async () => {
    expect((await scrape(app, { remoteAddress: '203.0.113.7' })).statusCode).toBe(404);
    expect((await scrape(guarded)).statusCode).toBe(404);
    expect((await scrape(guarded, { authorization: 'Bearer wrong-token-of-some-length' })).statusCode).toBe(404);
    expect((await scrape(guarded, { remoteAddress: '203.0.113.7', authorization: 'Bearer a-long-random-metrics-secret' })).statusCode).toBe(200);
  });
});

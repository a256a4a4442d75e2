import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VatCheckRun } from '../../src/companies/vat-check.schemas.ts';
import { createTestApp, type StaffAgent, type TestApp } from '../support/test-app.ts';
import { companyApi } from './company-test-helpers.ts';

/**
 * A VIES check run whose queue job keeps failing ends as failed at the job's last delivery,
 * instead of staying "running" after the queue gave up. The queue's retries wait 5 s and double
 * (minutes in all), so this test delivers the job itself: the handler, called with one job id as
 * often as pg-boss would deliver it (1 + retryLimit). No worker runs in this app. The failure is
 * real: the database refuses to store checks (a trigger), as a full disk or a broken constraint
 * would; VIES is a closed port, so every number "could not be checked".
 */

let app: TestApp;
let staff: StaffAgent;
beforeAll(async () => {
  app = await createTestApp({
    VIES_BASE_URL: 'http://127.0.0.1:9',
    VIES_MAX_ATTEMPTS: '1',
    VIES_TIMEOUT_MS: '300',
  });
  staff = await app.loginAsStaff();
});
afterAll(() => app.close());

describe('a VIES check run whose job gave up', () => {
  it('stays running while deliveries remain, and ends failed with the reason at the last one', async () => {
    const companies = companyApi(staff);
    const first = await companies.createCompany({
      name: 'Eerste BV',
      cocCountry: 'NL',
      vatNumber: 'NL100000009B01',
    });
    await companies.createCompany({ name: 'Tweede BV', cocCountry: 'NL', vatNumber: 'NL100000010B01' });
    await app.services.db.pool.query(`
      CREATE FUNCTION refuse_vat_checks() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'could not extend file: No space left on device'; END $$;
      CREATE TRIGGER refuse_vat_checks BEFORE INSERT ON company_vat_checks FOR EACH ROW EXECUTE FUNCTION refuse_vat_checks();`);

    const started = await companies.api('POST', '/companies/vat-checks', { all: true });
    expect(started.statusCode, started.body).toBe(202);
    const runId = (started.json() as VatCheckRun).id;
    const job = app.services.jobDefinitions.find((definition) => definition.name === 'companies.vies-check')!;
    const deliver = () => job.handle({ runId }, { id: 'job-of-run', signal: new AbortController().signal });
    const run = async () =>
      (await companies.api('GET', `/companies/vat-checks/${runId}`)).json() as VatCheckRun;

    for (let delivery = 1; delivery <= (job.retryLimit ?? 5); delivery += 1) {
      await expect(deliver()).rejects.toThrow('No space left on device');
      expect(await run()).toMatchObject({ status: 'running', done: 0, failure: null });
    }
    await deliver(); // the last delivery: the queue would not try again
    expect(await run()).toMatchObject({
      status: 'failed',
      done: 0,
      total: 2,
      failure: expect.stringContaining('No space left on device'),
      finishedAt: expect.any(String),
    });
    // A late delivery changes nothing; the companies have no check recorded.
    await deliver();
    expect((await run()).status).toBe('failed');
    expect((await app.services.companies.get(first.id)).latestVatCheck).toBeNull();

    // A new run (its own job) is not held back by the old one's count.
    await app.services.db.pool.query('DROP TRIGGER refuse_vat_checks ON company_vat_checks');
    const again = (await companies.api('POST', '/companies/vat-checks', { all: true })).json() as VatCheckRun;
    await job.handle({ runId: again.id }, { id: 'job-of-second-run', signal: new AbortController().signal });
    expect((await companies.api('GET', `/companies/vat-checks/${again.id}`)).json()).toMatchObject({
      status: 'done',
      done: 2,
      unavailableCount: 2,
    });
  });

  it('ends failed, not "running" for ever, when its worker died during the last delivery and the queue has no job of it left', async () => {
    const companies = companyApi(staff);
    const third = await companies.createCompany({ name: 'Derde BV', cocCountry: 'NL', vatNumber: 'NL000099998B57' });
    const started = await companies.api('POST', '/companies/vat-checks', { companyIds: [third.id] });
    expect(started.statusCode, started.body).toBe(202);
    const runId = (started.json() as VatCheckRun).id;
    const run = async () =>
      (await companies.api('GET', `/companies/vat-checks/${runId}`)).json() as VatCheckRun;
    // Its job waits in the queue (no worker runs in this app): the run is left as it is.
    expect(await run()).toMatchObject({ status: 'queued', failure: null });

    // What a worker killed during the last delivery leaves: the run claimed (running, sixth
    // delivery) and its job, its lease run out with no retries left, failed by the queue.
    const { db } = app.services;
    const { rows } = await db.pool.query<{ id: string }>(
      `UPDATE pgboss.job SET state = 'failed', output = '{"message": "job failed by timeout in active state"}'
        WHERE name = 'companies.vies-check' AND data ->> 'runId' = $1 RETURNING id`,
      [String(runId)],
    );
    expect(rows).toHaveLength(1);
    await db.pool.query(
      `UPDATE company_vat_check_runs SET status = 'running', started_at = now(), job_id = $2, job_deliveries = 6 WHERE id = $1`,
      [runId, rows[0]!.id],
    );
    expect(await run()).toMatchObject({
      status: 'failed',
      done: 0,
      total: 1,
      failure: expect.stringContaining('the worker running it ended during its last attempt'),
      finishedAt: expect.any(String),
    });
  });
});

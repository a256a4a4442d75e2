import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.ts';
import { runApply, type RunDeps } from '../../src/imports/apply.ts';
import { createTestApp, type StaffAgent, type TestApp } from '../support/test-app.ts';
import { getImport, post, uploadOk } from './import-helpers.ts';

/**
 * The apply job's guarantees, driven run by run (no workers in this file): a run that dies
 * mid-batch leaves the last committed checkpoint, and the next run ends in the same state as an
 * uninterrupted one — no duplicates, exact counts.
 */

let app: TestApp;
let staff: StaffAgent;

beforeAll(async () => {
  app = await createTestApp();
  staff = await app.loginAsStaff();
});
afterAll(() => app.close());

// Each file's own phone numbers: one file's customers are no probable duplicates of another's.
const block = (prefix: string) => String([...prefix].reduce((hash, character) => (hash * 31 + character.charCodeAt(0)) % 10_000, 0)).padStart(4, '0');
const csv = (prefix: string) =>
  ['E-mail,First name,Last name,Phone', ...Array.from({ length: 23 }, (_, index) => `${prefix}${index}@example.com,Name${index},Family,0612${block(prefix)}${String(index).padStart(2, '0')}`), `not-an-email,Bad,Row,`, `${prefix}0@example.com,Dup,Licate,`].join('\n');

function runDeps(db: Database, overrides: Partial<RunDeps> = {}): RunDeps {
  return { db, clock: app.services.clock, fileStore: app.services.fileStore, defaultCountry: 'NL', batchSize: 5, sliceMs: 60_000, leaseMs: 60_000, ...overrides };
}

/** A database handle whose n-th transaction does its work and then dies before COMMIT. */
function dyingAt(transactionNumber: number): Database {
  const real = app.services.db;
  let count = 0;
  return {
    ...real,
    transaction: async (work) => {
      count++;
      if (count !== transactionNumber) return real.transaction(work);
      return real.transaction(async (tx) => {
        await work(tx);
        throw new Error('worker killed');
      });
    },
  };
}

async function queued(prefix: string): Promise<number> {
  const uploaded = await uploadOk(staff, `${prefix}.csv`, csv(prefix));
  // No workers here: the check (an import starts only once checked) runs in the test process.
  await app.services.imports.check(uploaded.id, {}, 'en', { isInline: true });
  expect((await post(staff, `/api/v1/imports/${uploaded.id}/start`)).statusCode).toBe(202);
  return uploaded.id;
}

const tableCounts = async (prefix: string, importId: number) => {
  const query = async (sql: string, params: unknown[]) => Number((await app.services.db.pool.query(sql, params)).rows[0].count);
  return {
    customers: await query('SELECT count(*) FROM customers WHERE email_normalized LIKE $1', [`${prefix}%`]),
    changes: await query('SELECT count(*) FROM import_changes WHERE import_id = $1', [importId]),
    rejections: await query('SELECT count(*) FROM import_rejections WHERE import_id = $1', [importId]),
  };
};

describe('an import whose worker dies', () => {
  it('continues from its checkpoint and ends exactly like an uninterrupted import', async () => {
    const uninterrupted = await queued('calm');
    expect(await runApply(runDeps(app.services.db), uninterrupted, 'run-calm')).toEqual({ outcome: 'finished' });

    const interrupted = await queued('storm');
    await expect(runApply(runDeps(dyingAt(3)), interrupted, 'run-1')).rejects.toThrow('worker killed');
    const halfway = await getImport(staff, interrupted);
    expect(halfway.status).toBe('processing');
    expect(halfway.progress.rowsDone).toBe(10);
    expect(await tableCounts('storm', interrupted)).toEqual({ customers: 10, changes: 10, rejections: 0 });

    expect(await runApply(runDeps(app.services.db), interrupted, 'run-2')).toEqual({ outcome: 'finished' });
    const calm = await getImport(staff, uninterrupted);
    const storm = await getImport(staff, interrupted);
    expect(storm.status).toBe('done_with_errors');
    expect(storm.counts).toEqual(calm.counts);
    expect(storm.counts).toEqual({ created: 23, updated: 0, unchanged: 0, rejected: 2, warned: 0, passwordsDropped: 0, addressesAdded: 0, addressesChanged: 0, addressesRemoved: 0, deleted: 0, ignored: 0, companiesCreated: 0, companiesUpdated: 0, contactsLinked: 0, contactsChanged: 0 });
    expect(await tableCounts('storm', interrupted)).toEqual(await tableCounts('calm', uninterrupted));
  });

  it('waits while another run holds the lease, and takes over once it has passed', async () => {
    const id = await queued('lease');
    const now = app.services.clock.now();
    await app.services.db.pool.query('UPDATE imports SET lease_job_id = $2, lease_until = $3 WHERE id = $1', [id, 'other-run', new Date(now.getTime() + 30_000)]);
    const busy = await runApply(runDeps(app.services.db), id, 'late-run');
    expect(busy.outcome).toBe('busy');
    expect((await getImport(staff, id)).status).toBe('queued');
    await app.services.db.pool.query('UPDATE imports SET lease_until = $2 WHERE id = $1', [id, new Date(now.getTime() - 1000)]);
    expect(await runApply(runDeps(app.services.db), id, 'late-run')).toEqual({ outcome: 'finished' });
    expect((await getImport(staff, id)).counts.created).toBe(23);
  });

  it('hands over to a fresh job after each slice, with the same end result', async () => {
    const id = await queued('slice');
    const outcomes: string[] = [];
    for (let run = 0; run < 20; run++) {
      const { outcome } = await runApply(runDeps(app.services.db, { sliceMs: 0 }), id, `slice-${run}`);
      outcomes.push(outcome);
      if (outcome === 'finished') break;
    }
    expect(outcomes).toEqual(['continue', 'continue', 'continue', 'continue', 'continue', 'finished']);
    expect((await getImport(staff, id)).counts).toEqual({ created: 23, updated: 0, unchanged: 0, rejected: 2, warned: 0, passwordsDropped: 0, addressesAdded: 0, addressesChanged: 0, addressesRemoved: 0, deleted: 0, ignored: 0, companiesCreated: 0, companiesUpdated: 0, contactsLinked: 0, contactsChanged: 0 });
  });

  it('stops after the current batch when cancelled, keeping what was applied', async () => {
    const id = await queued('cancel');
    await expect(runApply(runDeps(dyingAt(2)), id, 'first')).rejects.toThrow('worker killed');
    expect((await post(staff, `/api/v1/imports/${id}/cancel`)).statusCode).toBe(200);
    expect(await runApply(runDeps(app.services.db), id, 'second')).toEqual({ outcome: 'finished' });
    const cancelled = await getImport(staff, id);
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.counts.created).toBe(5);
    expect(cancelled.canUndo).toBe(true);
  });
});

describe('two imports touching the same customers', () => {
  it('the one started later waits, so the result is that of applying them in start order', async () => {
    const emails = Array.from({ length: 30 }, (_, index) => `shared${index}@example.com`);
    const file = (name: string) => ['E-mail,First name,Last name', ...emails.map((email) => `${email},${name},Family`)].join('\n');
    const first = await uploadOk(staff, 'first.csv', file('First'));
    const second = await uploadOk(staff, 'second.csv', file('Second'));
    for (const { id } of [first, second]) await app.services.imports.check(id, {}, 'en', { isInline: true });
    await post(staff, `/api/v1/imports/${first.id}/start`);
    await post(staff, `/api/v1/imports/${second.id}/start`);
    // Both workers try at once; the later import must wait for the earlier one.
    const early = await runApply(runDeps(app.services.db), second.id, 'eager-second');
    expect(early.outcome).toBe('busy');
    const runUntilFinished = async (id: number, name: string) => {
      for (let run = 0; run < 50; run++) {
        const { outcome } = await runApply(runDeps(app.services.db, { sliceMs: 0 }), id, `${name}-${run}`);
        if (outcome === 'finished') return;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      throw new Error(`import ${id} did not finish`);
    };
    await Promise.all([runUntilFinished(second.id, 'second'), runUntilFinished(first.id, 'first')]);
    expect((await getImport(staff, first.id)).counts).toMatchObject({ created: 30, updated: 0 });
    expect((await getImport(staff, second.id)).counts).toMatchObject({ created: 0, updated: 30 });
    const { rows } = await app.services.db.pool.query<{ first_name: string; count: number }>(
      'SELECT first_name, count(*)::int AS count FROM customers WHERE email_normalized LIKE $1 GROUP BY first_name',
      ['shared%'],
    );
    expect(rows).toEqual([{ first_name: 'Second', count: 30 }]);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.ts';
import { runApply, type RunDeps } from '../../src/imports/apply.ts';
import { createTestApp, type StaffAgent, type TestApp } from '../support/test-app.ts';
import { getImport, post, uploadOk } from './import-helpers.ts';

/**
 * Issue #20: a customers file that is large next to the store loads without the list and search
 * indexes and builds them once its rows are in (src/customers/deferred-indexes.ts). Driven run by
 * run, with a worker that dies at the worst moments: whatever dies when, no index stays missing
 * once the import resumes or a worker starts, and search says the index is being built meanwhile.
 */

let app: TestApp;
let staff: StaffAgent;

beforeAll(async () => {
  app = await createTestApp();
  staff = await app.loginAsStaff();
});
afterAll(() => app.close());

const csv = (prefix: string, rows: number) =>
  [
    'E-mail,First name,Last name,City,Tags',
    ...Array.from(
      { length: rows },
      (_, index) => `${prefix}${index}@example.com,Name${index},Vermeulen,Zwolle,${prefix}`,
    ),
  ].join('\n');

/** Deferral from 20 rows on (the product's default is 50,000), batches of 5. */
function runDeps(db: Database): RunDeps {
  return {
    db,
    clock: app.services.clock,
    fileStore: app.services.fileStore,
    defaultCountry: 'NL',
    batchSize: 5,
    sliceMs: 60_000,
    leaseMs: 60_000,
    deferIndexesFromRows: 20,
  };
}

/** A database handle that dies (before COMMIT) in the transaction where `sql` first runs. */
function dyingWhen(sql: RegExp): Database {
  const real = app.services.db;
  let hasDied = false;
  return {
    ...real,
    transaction: (work) =>
      real.transaction(async (tx) => {
        let isFatal = false;
        const watched = new Proxy(tx, {
          get: (target, property, receiver) =>
            property === 'query'
              ? (...args: unknown[]) => {
                  if (!hasDied && typeof args[0] === 'string' && sql.test(args[0])) isFatal = true;
                  return (target.query as (...given: unknown[]) => unknown).apply(target, args);
                }
              : Reflect.get(target, property, receiver),
        });
        const result = await work(watched);
        if (isFatal) {
          hasDied = true;
          throw new Error('worker killed');
        }
        return result;
      }),
  };
}

/** The customers table's indexes, by name, with their definitions and whether they are valid. */
async function indexes(): Promise<Record<string, string>> {
  const { rows } = await app.services.db.pool.query<{ name: string; definition: string; isValid: boolean }>(
    `SELECT i.indexname AS name, i.indexdef AS definition, x.indisvalid AS "isValid"
       FROM pg_indexes i JOIN pg_class c ON c.relname = i.indexname JOIN pg_index x ON x.indexrelid = c.oid
      WHERE i.schemaname = current_schema() AND i.tablename = 'customers'`,
  );
  return Object.fromEntries(
    rows.map((row) => [row.name, `${row.definition}${row.isValid ? '' : ' INVALID'}`]),
  );
}

const deferredNames = async () =>
  (
    await app.services.db.pool.query<{ name: string }>('SELECT name FROM deferred_indexes ORDER BY name')
  ).rows.map((row) => row.name);
const search = (query: string) => staff.request({ method: 'GET', url: `/api/v1/customers?${query}` });

async function queued(prefix: string, rows: number): Promise<number> {
  const uploaded = await uploadOk(staff, `${prefix}.csv`, csv(prefix, rows));
  // No workers here: the check (an import starts only once checked) runs in the test process.
  await app.services.imports.check(uploaded.id, {}, 'en', { isInline: true });
  expect((await post(staff, `/api/v1/imports/${uploaded.id}/start`)).statusCode).toBe(202);
  return uploaded.id;
}

describe('a first import that is large next to the store', () => {
  let before: Record<string, string>;

  it('loads without the list and search indexes, says so to a search, and builds them when it ends', async () => {
    before = await indexes();
    expect(Object.keys(before)).toContain('customers_search_trgm_idx');

    // The worker dies in its first batch: the indexes are gone, their definitions kept.
    const importId = await queued('first', 30);
    await expect(
      runApply(runDeps(dyingWhen(/INSERT INTO import_changes/)), importId, 'run-1'),
    ).rejects.toThrow('worker killed');
    expect(await deferredNames()).toEqual([
      'customers_billing_country_idx',
      'customers_created_idx',
      'customers_customer_since_idx',
      'customers_last_name_idx',
      'customers_search_trgm_idx',
      'customers_since_or_created_idx',
      'customers_tag_keys',
      'customers_updated_idx',
    ]);
    expect(Object.keys(await indexes())).not.toContain('customers_search_trgm_idx');
    // The indexes the import reads while it runs stay.
    expect(Object.keys(await indexes())).toEqual(
      expect.arrayContaining([
        'customers_email_normalized_key',
        'customers_phone_key_idx',
        'customers_email_variant_key',
        'customers_last_import_idx',
      ]),
    );

    // Meanwhile a search is told why it cannot answer; the list without a search works.
    const searching = await search('q=Vermeulen');
    expect(searching.statusCode).toBe(503);
    expect(searching.json().error).toMatchObject({
      code: 'index_building',
      message: expect.stringContaining('search index is being built'),
    });
    expect((await search('tag=first')).json().error.code).toBe('index_building');
    expect((await search('email=first0%40example.com')).statusCode).toBe(200);
    expect((await search('sort=lastName')).statusCode).toBe(200);

    // The next run goes on from the checkpoint and builds every index again, exactly as it was.
    expect(await runApply(runDeps(app.services.db), importId, 'run-2')).toEqual({ outcome: 'finished' });
    expect((await getImport(staff, importId)).status).toBe('done');
    expect(await deferredNames()).toEqual([]);
    expect(await indexes()).toEqual(before);
    const found = await search('q=Vermeulen&limit=50');
    expect(found.statusCode).toBe(200);
    expect(found.json().total).toBe(30);
  });

  it('a worker killed while it builds an index leaves the index to the next run, which builds it', async () => {
    await app.services.db.pool.query('TRUNCATE customers CASCADE');
    const importId = await queued('killed', 25);
    await expect(
      runApply(
        runDeps(dyingWhen(/^CREATE INDEX IF NOT EXISTS customers_search_trgm_idx/)),
        importId,
        'run-1',
      ),
    ).rejects.toThrow('worker killed');
    // The index that was being built is still deferred (its build rolled back with its row's delete).
    expect(await deferredNames()).toContain('customers_search_trgm_idx');
    expect(Object.keys(await indexes())).not.toContain('customers_search_trgm_idx');
    // Its progress says what it is waiting for: every row is in, the indexes are being built.
    const building = await getImport(staff, importId);
    expect(building.status).toBe('processing');
    expect(building.progress).toMatchObject({ rowsDone: 25, phase: 'indexes', secondsLeft: null });

    expect(await runApply(runDeps(app.services.db), importId, 'run-2')).toEqual({ outcome: 'finished' });
    const done = await getImport(staff, importId);
    expect(done.counts.created).toBe(25);
    expect(done.progress.phase).toBeUndefined();
    expect(await deferredNames()).toEqual([]);
    expect(await indexes()).toEqual(before);
  });

  it('keeps the indexes when the store is not small next to the file', async () => {
    // 25 customers are stored: a file of 30 rows is not four times that.
    const importId = await queued('second', 30);
    let dropped = false;
    const watching = dyingWhen(/^DROP INDEX/);
    await runApply(runDeps(watching), importId, 'run-1').catch((error: unknown) => {
      dropped = (error as Error).message === 'worker killed';
    });
    expect(dropped).toBe(false);
    expect((await getImport(staff, importId)).status).toBe('done');
    expect(await indexes()).toEqual(before);
  });

  it('a worker that starts builds the indexes an import left when it no longer runs', async () => {
    // As if a worker died after the drop and its import was then deleted with its history.
    await app.services.db.pool.query(
      `WITH dropped AS (INSERT INTO deferred_indexes (name, definition, import_id, deferred_at)
                        SELECT indexname, indexdef, NULL, now() FROM pg_indexes WHERE tablename = 'customers' AND indexname = 'customers_search_trgm_idx' RETURNING name)
       SELECT count(*) FROM dropped`,
    );
    await app.services.db.pool.query('DROP INDEX customers_search_trgm_idx');
    expect((await search('q=Vermeulen')).statusCode).toBe(503);
    await app.services.startWorkers();
    for (
      const deadline = Date.now() + 20_000;
      (await deferredNames()).length > 0;
      await new Promise((resolve) => setTimeout(resolve, 50))
    ) {
      if (Date.now() > deadline) throw new Error('the deferred index was not built within 20 s');
    }
    expect(await indexes()).toEqual(before);
    expect((await search('q=Vermeulen')).statusCode).toBe(200);
  });
});

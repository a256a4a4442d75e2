import type { Database } from '../src/db/database.ts';
import { copyCustomers, generatorVersion } from './dataset.ts';

/**
 * Makes sure the customers table holds exactly the requested bench data set.
 *
 * The bench TRUNCATEs customers, so it refuses a database whose customers it did not put there
 * (no `bench_dataset` marker table): pointing DATABASE_URL at a real shop must not wipe it.
 */
export async function ensureDataset(
  db: Database,
  wanted: { rows: number; seed: number; regenerate: boolean },
  log: (line: string) => void,
): Promise<{ generatedMs: number | undefined }> {
  const hasMarker = (await db.pool.query<{ table: string | null }>(`SELECT to_regclass('bench_dataset')::text AS table`)).rows[0]?.table;
  if (!hasMarker) {
    const hasCustomers = (await db.pool.query('SELECT 1 FROM customers LIMIT 1')).rowCount;
    if (hasCustomers) {
      throw new Error('This database already has customers that the benchmark did not create; it would delete them. Use an empty database.');
    }
    await db.pool.query(
      `CREATE TABLE bench_dataset (rows integer NOT NULL, seed integer NOT NULL, generator_version integer NOT NULL, generated_at timestamptz NOT NULL DEFAULT now())`,
    );
  }
  const current = (await db.pool.query<{ rows: number; seed: number; generator_version: number }>('SELECT * FROM bench_dataset')).rows[0];
  const isSame = current && current.rows === wanted.rows && current.seed === wanted.seed && current.generator_version === generatorVersion;
  if (isSame && !wanted.regenerate) {
    const { count } = (await db.pool.query<{ count: number }>('SELECT count(*)::int AS count FROM customers')).rows[0]!;
    if (count === wanted.rows) {
      log(`Reusing the ${count.toLocaleString('en')} customers generated earlier (seed ${wanted.seed}); --regenerate makes new ones.`);
      await prewarm(db, log);
      return { generatedMs: undefined };
    }
  }
  const generatedMs = await generate(db, wanted, log);
  await prewarm(db, log);
  return { generatedMs };
}

/**
 * A shop's database server that has run for a while holds the customers table and its indexes
 * in memory; one just started (or just loaded) does not. pg_prewarm (a contrib extension that
 * ships with PostgreSQL) loads them, so the timings describe the steady state, not a cold start.
 */
async function prewarm(db: Database, log: (line: string) => void): Promise<void> {
  try {
    await db.pool.query('CREATE EXTENSION IF NOT EXISTS pg_prewarm');
    const { rows } = await db.pool.query<{ name: string; blocks: number }>(
      `SELECT c.relname AS name, pg_prewarm(c.oid) AS blocks
         FROM pg_class c
        WHERE c.oid = 'customers'::regclass
           OR c.oid IN (SELECT indexrelid FROM pg_index WHERE indrelid = 'customers'::regclass)`,
    );
    const megabytes = (rows.reduce((sum, row) => sum + Number(row.blocks), 0) * 8) / 1024;
    log(`Prewarmed the customers table and its ${rows.length - 1} indexes (${megabytes.toFixed(0)} MB) with pg_prewarm.`);
  } catch (error) {
    log(`No prewarm (${(error as Error).message}); the first requests read from disk.`);
  }
}

async function generate(db: Database, wanted: { rows: number; seed: number }, log: (line: string) => void): Promise<number> {
  const startedAt = performance.now();
  const client = await db.pool.connect();
  try {
    await client.query('DELETE FROM bench_dataset');
    // One transaction: a run stopped half-way rolls back to the table with all its indexes.
    await client.query('BEGIN');
    await client.query('TRUNCATE customers RESTART IDENTITY CASCADE');
    // Loading into a table without its secondary indexes and building them afterwards is several
    // times faster than maintaining a GIN index row by row; the definitions are the migration's own.
    const { rows: indexes } = await client.query<{ name: string; definition: string }>(
      `SELECT i.indexname AS name, i.indexdef AS definition
         FROM pg_indexes i
        WHERE i.schemaname = current_schema() AND i.tablename = 'customers'
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)`,
    );
    for (const index of indexes) await client.query(`DROP INDEX ${quoteIdentifier(index.name)}`);
    let lastLogged = 0;
    await copyCustomers(client, wanted.rows, wanted.seed, (done) => {
      if (done - lastLogged >= 100_000 || done === wanted.rows) {
        lastLogged = done;
        log(`  copied ${done.toLocaleString('en')} / ${wanted.rows.toLocaleString('en')} customers (${((performance.now() - startedAt) / 1000).toFixed(0)} s)`);
      }
    });
    await client.query(`SET LOCAL maintenance_work_mem = '512MB'`);
    for (const index of indexes) {
      const indexStartedAt = performance.now();
      await client.query(index.definition);
      log(`  built index ${index.name} (${((performance.now() - indexStartedAt) / 1000).toFixed(1)} s)`);
    }
    await client.query('COMMIT');
    await client.query('VACUUM (ANALYZE) customers');
    await client.query('INSERT INTO bench_dataset (rows, seed, generator_version) VALUES ($1, $2, $3)', [wanted.rows, wanted.seed, generatorVersion]);
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
  return performance.now() - startedAt;
}

const quoteIdentifier = (name: string) => `"${name.replace(/"/g, '""')}"`;

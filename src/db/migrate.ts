import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type pg from 'pg';
import { appRoot } from '../shared/app-root.ts';

const migrationsDir = path.join(appRoot, 'src/db/migrations');
// Any constant shared by every Clientele process: two processes starting at once take turns.
const migrationLockKey = 7_305_113_001;

/**
 * Applies the numbered SQL files in `db/migrations` that have not run yet, each in its own
 * transaction, under a session-level advisory lock. Returns the names it applied. `upTo` stops after
 * that file (tests that migrate a database of an earlier schema).
 */
export async function migrate(pool: pg.Pool, options: { upTo?: string } = {}): Promise<string[]> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [migrationLockKey]);
    await client.query(
      `CREATE TABLE IF NOT EXISTS schema_migrations (
         name text PRIMARY KEY,
         applied_at timestamptz NOT NULL DEFAULT now()
       )`,
    );
    const done = new Set(
      (await client.query<{ name: string }>('SELECT name FROM schema_migrations')).rows.map((row) => row.name),
    );
    const files = (await readdir(migrationsDir)).filter((file) => /^\d{3}_[\w-]+\.sql$/.test(file)).sort();
    const applied: string[] = [];
    for (const file of files) {
      if (options.upTo !== undefined && file > options.upTo) break;
      if (done.has(file)) continue;
      const sql = await readFile(path.join(migrationsDir, file), 'utf8');
      await client.query('BEGIN');
      try {
        await client.query(sql);
        await client.query('INSERT INTO schema_migrations (name) VALUES ($1)', [file]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw new Error(`Migration ${file} failed: ${(error as Error).message}`, { cause: error });
      }
      applied.push(file);
    }
    return applied;
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [migrationLockKey]).catch(() => {});
    client.release();
  }
}

import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createDatabase } from '../../src/db/database.ts';
import { migrate } from '../../src/db/migrate.ts';
import { createEmptyDatabase } from '../support/test-database.ts';
import { runCli } from './cli-process.ts';

const drops: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const drop of drops) await drop();
});

describe('configuration errors', () => {
  it('refuses PORT=abc with the variable and the reason on stderr and exit code 1', async () => {
    const run = await runCli(['serve'], { PORT: 'abc' });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('PORT="abc": must be a whole number between 0 and 65535');
    expect(run.stdout).toBe('');
  });

  it('says in one line that an unreachable DATABASE_URL cannot be used, without a stack trace or the password', async () => {
    const run = await runCli(['migrate'], { DATABASE_URL: 'postgres://x:secret@127.0.0.1:1/db' });
    expect(run.code).toBe(1);
    const lines = run.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^Cannot use the database at postgres:\/\/x:\*\*\*@127\.0\.0\.1:1\/db: .*ECONNREFUSED/);
    expect(run.stderr).not.toContain('secret');
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('migrations', () => {
  it('applies each migration once when two migrate() calls race on an empty database', async () => {
    const database = await createEmptyDatabase();
    drops.push(database.drop);
    const first = createDatabase(database.url, 2);
    const second = createDatabase(database.url, 2);
    try {
      const [appliedByFirst, appliedBySecond] = await Promise.all([migrate(first.pool), migrate(second.pool)]);
      const appliedNames = [...appliedByFirst, ...appliedBySecond];
      expect(appliedNames.length).toBeGreaterThan(0);
      expect(new Set(appliedNames).size).toBe(appliedNames.length);
      // One of them did all the work; the other waited for the lock and found nothing left to do.
      expect([appliedByFirst.length, appliedBySecond.length].sort()).toEqual([0, appliedNames.length]);
      const { rows } = await first.pool.query<{ name: string }>('SELECT name FROM schema_migrations ORDER BY name');
      expect(rows.map((row) => row.name)).toEqual([...appliedNames].sort());
      expect(await migrate(first.pool)).toEqual([]);
    } finally {
      await first.close();
      await second.close();
    }
  });

  it('clientele migrate brings an empty DATABASE_URL database up to date, and a second run changes nothing', async () => {
    const database = await createEmptyDatabase();
    drops.push(database.drop);
    const run = await runCli(['migrate'], { DATABASE_URL: database.url });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('The database schema is up to date.');
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const tables = await client.query<{ name: string }>(`SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public'`);
      expect(tables.rows.map((row) => row.name)).toEqual(expect.arrayContaining(['customers', 'customer_groups', 'staff_users', 'schema_migrations']));
      const before = await client.query('SELECT name, applied_at FROM schema_migrations ORDER BY name');
      const again = await runCli(['migrate'], { DATABASE_URL: database.url });
      expect(again.code).toBe(0);
      expect((await client.query('SELECT name, applied_at FROM schema_migrations ORDER BY name')).rows).toEqual(before.rows);
    } finally {
      await client.end();
    }
  });
});

describe('clientele --help', () => {
  it('lists every command', async () => {
    const run = await runCli(['--help'], {});
    expect(run.code).toBe(0);
    for (const command of ['serve', 'worker', 'migrate', 'user:create', 'demo']) expect(run.stdout).toContain(command);
  });

  it.each([
    ['serve', ['Start the HTTP server']],
    ['worker', ['Run background jobs']],
    ['migrate', ['Apply pending database migrations']],
    ['user:create', ['--email <email>', '--name <name>', '--language <language>', '--password-stdin']],
    ['demo', ['--count <number>', '--seed <number>']],
  ])('clientele %s --help describes the command and its options', async (command, expected) => {
    const run = await runCli([command, '--help'], {});
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`Usage: clientele ${command}`);
    for (const text of expected) expect(run.stdout).toContain(text);
  });
});

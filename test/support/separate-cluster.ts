import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { freePort, startEmbeddedPostgres, type EmbeddedDatabase } from '../../src/db/embedded-postgres.ts';
import { migrate } from '../../src/db/migrate.ts';

/**
 * A PostgreSQL cluster of its own (not the test run's shared one), as an operator's external
 * database: its own data directory and a fixed port, so it can be stopped and started again at
 * the same address while Clientele processes keep their `DATABASE_URL`.
 */
export type SeparateCluster = {
  /** `DATABASE_URL` of its `clientele` database, migrated. */
  url: string;
  port: number;
  /** The postmaster's pid, from its `postmaster.pid`. */
  postmasterPid: () => Promise<number>;
  /** Fast shutdown of the postmaster (SIGINT: sessions are ended, transactions roll back); resolves once it has exited. */
  stop: () => Promise<void>;
  /** Starts it again on the same port and data directory. */
  start: () => Promise<void>;
  /** Stops it and removes its data directory. */
  destroy: () => Promise<void>;
};

export async function startSeparateCluster(): Promise<SeparateCluster> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'clientele-cluster-'));
  const port = await freePort();
  let database: EmbeddedDatabase | undefined;
  try {
    database = await startEmbeddedPostgres(dataDir, () => {}, { port });
    const pool = new pg.Pool({ connectionString: database.url, max: 1 });
    await migrate(pool);
    await pool.end();
  } catch (error) {
    await database?.stop();
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
  const url = database.url;
  const pidFile = path.join(dataDir, 'postgres', 'postmaster.pid');
  return {
    url,
    port,
    async postmasterPid() {
      return Number.parseInt((await readFile(pidFile, 'utf8')).split('\n')[0]!, 10);
    },
    async stop() {
      // embedded-postgres spawned the postmaster itself: its stop() sends it SIGINT and waits for the exit.
      await database?.stop();
      database = undefined;
      if (existsSync(pidFile)) throw new Error('The postmaster left its pid file behind.');
    },
    async start() {
      database = await startEmbeddedPostgres(dataDir, () => {}, { port });
      if (database.url !== url) throw new Error(`The cluster came back at ${database.url}, not ${url}.`);
    },
    async destroy() {
      await database?.stop();
      database = undefined;
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

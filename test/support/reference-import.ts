import { createReadStream } from 'node:fs';
import { createServices, type AppServices } from '../../src/app.ts';
import { loadConfig } from '../../src/config/config.ts';
import { createDatabase, type Database } from '../../src/db/database.ts';
import type { ImportDetail } from '../../src/imports/import.schemas.ts';
import { createPgBossQueue } from '../../src/jobs/pg-boss.queue.ts';
import type { Queue } from '../../src/jobs/queue.ts';
import { customerChecksum } from './customer-checksum.ts';
import { createTestDatabase } from './test-database.ts';

/** Services of this test process on a database (no job workers unless started), to upload, check, start and read imports. */
export type Connection = { db: Database; services: AppServices; queue: Queue; close: () => Promise<void> };

export async function connect(url: string, fileStoreDir: string): Promise<Connection> {
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATABASE_URL: url, FILE_STORE_DIR: fileStoreDir });
  const db = createDatabase(url, 4);
  const queue = await createPgBossQueue(url, () => {});
  const services = createServices(config, db, { queue });
  await queue.register(...services.jobDefinitions);
  return {
    db,
    services,
    queue,
    async close() {
      services.stopWorkers();
      await queue.stop();
      await db.close();
    },
  };
}

export async function startImport(connection: Connection, file: string): Promise<number> {
  const uploaded = await connection.services.imports.upload(createReadStream(file), 'customers.csv', { id: null, name: 'reference', language: 'en' });
  // An import starts only once checked: the check runs here, in this process, as the CLI's does.
  await connection.services.imports.check(uploaded.id, {}, 'en', { isInline: true });
  await connection.services.imports.start(uploaded.id, {}, 'en');
  return uploaded.id;
}

export const isFinished = (detail: ImportDetail): boolean => ['done', 'done_with_errors', 'failed'].includes(detail.status);

/** Polls the import; a read that fails (the database is away) is retried. */
export async function waitForImport(connection: Connection, id: number, condition: (detail: ImportDetail) => boolean, timeoutMs: number): Promise<ImportDetail> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const detail = await connection.services.imports.detail(id, 'en').catch(() => undefined);
    if (detail && condition(detail)) return detail;
    if (Date.now() > deadline) throw new Error(`Import ${id}: ${detail?.status}, ${detail?.progress.rowsDone} rows after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * The uninterrupted import of `file` with default options, in a fresh database of the shared
 * test cluster with this process's job workers: its report and the customer checksum that
 * every other way of importing the same file must reach.
 */
export async function referenceImport(file: string, fileStoreDir: string): Promise<{ detail: ImportDetail; checksum: Awaited<ReturnType<typeof customerChecksum>> }> {
  const database = await createTestDatabase();
  const connection = await connect(database.url, fileStoreDir);
  try {
    await connection.services.startWorkers();
    const detail = await waitForImport(connection, await startImport(connection, file), isFinished, 120_000);
    return { detail, checksum: await customerChecksum(connection.db.pool) };
  } finally {
    await connection.close();
    await database.drop();
  }
}

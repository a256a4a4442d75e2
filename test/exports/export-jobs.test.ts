import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalFileStore, type FileStore } from '../../src/files/file-store.ts';
import type { ExportFormat, ExportRecord } from '../../src/exports/export.schemas.ts';
import { cliEnv, projectRoot } from '../process/cli-process.ts';
import { factoryCustomers, insertFactoryCustomers } from '../support/customer-factory.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';
import { exportStaff } from './export-test-helpers.ts';

/**
 * Exports as jobs: on the real pg-boss queue, and when the worker dies half-way (SIGKILL of a
 * real process while it writes): no half file is ever marked READY, and the retry writes the
 * very same bytes as an uninterrupted run.
 */
const fixedNow = new Date('2025-04-01T08:00:00Z');
let app: TestApp;
let failAfterBytes: number | undefined;
/** A latch: when set, the next writer's commit waits for it first (the file is whole, not yet published). */
let beforeCommit: (() => Promise<void>) | undefined;

/** The test file store, with a switch that makes the next writers fail after some bytes (a full disk). */
function failingStore(dir: string): FileStore {
  const inner = createLocalFileStore(dir, () => fixedNow);
  return {
    ...inner,
    async createWriter(options) {
      const inFlight = await inner.createWriter(options);
      const latch = beforeCommit;
      beforeCommit = undefined;
      const writer = latch
        ? { ...inFlight, commit: async () => (await latch(), inFlight.commit()) }
        : inFlight;
      if (failAfterBytes === undefined) return writer;
      let written = 0;
      const limit = failAfterBytes;
      const stream = new Writable({
        write(chunk: Buffer, _encoding, callback) {
          written += chunk.length;
          if (written > limit) return callback(new Error('No space left on device'));
          writer.stream.write(chunk, callback);
        },
      });
      return { ...writer, stream };
    },
  };
}

beforeAll(async () => {
  const dir = path.join(
    (await import('node:os')).tmpdir(),
    `clientele-export-jobs-${process.pid}-${Date.now()}`,
  );
  app = await createTestApp(
    { FILE_STORE_DIR: dir },
    { clock: { now: () => fixedNow }, fileStore: failingStore(dir) },
  );
  await insertFactoryCustomers(app.services, factoryCustomers(3000, { seed: 3 }));
}, 60_000);
afterAll(async () => {
  await app?.close();
});

const sha256 = async (file: string) =>
  createHash('sha256')
    .update(await readFile(file))
    .digest('hex');
const fileKeyOf = async (id: string) =>
  (
    await app.services.db.pool.query<{ file_key: string | null; status: string; attempts: number }>(
      'SELECT file_key, status, attempts FROM exports WHERE id = $1',
      [id],
    )
  ).rows[0]!;
const storedFiles = async () => {
  const root = path.join(app.config.fileStoreDir, 'exports', '2025-04');
  return (await readdir(root).catch(() => [] as string[])).sort();
};
const newExport = async (format: ExportFormat) =>
  app.services.exports.create({ type: 'customers', format }, await exportStaff(app));

/** Runs the stalling worker process on one export until it prints STALLED; then kills it with SIGKILL. */
async function killMidWay(exportId: string): Promise<string> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'test/exports/fixtures/stalling-export-worker.ts'],
    {
      cwd: projectRoot,
      env: cliEnv({
        DATABASE_URL: app.databaseUrl,
        FILE_STORE_DIR: app.config.fileStoreDir,
        EXPORT_ID: exportId,
        FIXED_NOW: fixedNow.toISOString(),
        LOG_LEVEL: 'silent',
      }),
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise((resolve) => child.on('exit', resolve));
  const deadline = Date.now() + 30_000;
  while (!output.includes('STALLED') && Date.now() < deadline && child.exitCode === null)
    await new Promise((resolve) => setTimeout(resolve, 50));
  child.kill('SIGKILL');
  await exited;
  expect(output).toContain('STALLED');
  expect(output).not.toContain('FINISHED');
  return output;
}

describe('exports as jobs', () => {
  it.each(['csv', 'xlsx'] as const)(
    '%s: a worker killed half-way leaves no READY file; the retry writes the same bytes',
    async (format) => {
      const reference = await newExport(format);
      expect(await app.services.runExport(reference.id)).toBe('ready');
      const referenceFile = path.join(app.config.fileStoreDir, (await fileKeyOf(reference.id)).file_key!);
      const before = await storedFiles();

      const crashed = await newExport(format);
      await killMidWay(crashed.id);
      const afterCrash = await fileKeyOf(crashed.id);
      expect(afterCrash).toMatchObject({ status: 'processing', file_key: null, attempts: 1 });
      const leftovers = (await storedFiles()).filter((name) => !before.includes(name));
      expect(leftovers.length).toBe(1);
      expect(leftovers[0]).toMatch(/\.partial$/); // the half file exists, under a name nothing refers to
      expect(
        (await app.http.inject({ method: 'GET', url: `/api/v1/exports/${crashed.id}` })).statusCode,
      ).toBe(401);
      expect(
        (await app.services.exports.openDownload(crashed.id).catch((error: Error) => error)) as Error,
      ).toMatchObject({ code: 'conflict' });

      expect(await app.services.runExport(crashed.id)).toBe('ready'); // the queue's retry
      const retried = await fileKeyOf(crashed.id);
      expect(retried).toMatchObject({ status: 'ready', attempts: 2 });
      const retriedFile = path.join(app.config.fileStoreDir, retried.file_key!);
      expect(await sha256(retriedFile)).toBe(await sha256(referenceFile));
      const record = await app.services.exports.get(crashed.id);
      expect(record.sha256).toBe(await sha256(referenceFile));
      expect(record.rowsDone).toBe(3000);
    },
    90_000,
  );

  it('retries a failing attempt, then marks the export FAILED with the reason and keeps no file', async () => {
    failAfterBytes = 10_000;
    try {
      const failing = await newExport('csv');
      const before = await storedFiles();
      await expect(app.services.runExport(failing.id)).rejects.toThrow('No space left on device');
      await expect(app.services.runExport(failing.id)).rejects.toThrow('No space left on device');
      expect(await app.services.runExport(failing.id)).toBe('failed');
      const record = await app.services.exports.get(failing.id);
      expect(record).toMatchObject({
        status: 'failed',
        downloadUrl: null,
        failure: { code: 'export_failed', message: expect.stringContaining('No space left on device') },
      });
      expect(await storedFiles()).toEqual(before);
      expect(await app.services.runExport(failing.id)).toBe('skipped'); // a late duplicate delivery does nothing
    } finally {
      failAfterBytes = undefined;
    }
  });

  it('throws the file away when the export is deleted while it runs', async () => {
    const doomed = await newExport('csv');
    const before = await storedFiles();
    // The delete happens at one fixed point: every row written, the file not yet published.
    let isDeleted = false;
    beforeCommit = async () => {
      await app.services.exports.delete(doomed.id);
      isDeleted = true;
    };
    expect(await app.services.runExport(doomed.id)).toBe('deleted');
    expect(isDeleted).toBe(true);
    expect(await storedFiles()).toEqual(before);
    expect(await fileKeyOf(doomed.id)).toBeUndefined();
  });

  it('does nothing for an export deleted before its job starts', async () => {
    const doomed = await newExport('csv');
    const before = await storedFiles();
    await app.services.exports.delete(doomed.id);
    expect(await app.services.runExport(doomed.id)).toBe('skipped');
    expect(await storedFiles()).toEqual(before);
  });

  it('runs on the queue: a worker picks the export up and it turns READY', async () => {
    await app.services.queue.startWorkers();
    const staff = await app.loginAsStaff();
    const response = await staff.request({
      method: 'POST',
      url: '/api/v1/exports',
      payload: { type: 'customer-groups', format: 'xlsx' },
    });
    expect(response.statusCode).toBe(202);
    let record = response.json() as ExportRecord;
    for (let attempt = 0; attempt < 100 && record.status === 'processing'; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      record = (await staff.request({ method: 'GET', url: `/api/v1/exports/${record.id}` })).json();
    }
    expect(record).toMatchObject({ status: 'ready', failure: null });
    expect(record.rowsDone).toBeGreaterThan(0);
  }, 60_000);
});

import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { once } from 'node:events';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { s3Credentials, startS3Server, type TestS3Server } from '../../test/support/s3-server.ts';
import {
  createLocalFileStore,
  FileNotFoundError,
  FileStoreError,
  FileStoreUnavailableError,
  FileTooLargeError,
  isFileKey,
  withLocalFile,
  type FileStore,
} from './file-store.ts';
import { createS3FileStore } from './s3-file-store.ts';

/**
 * One contract, two stores: every case below runs against the local directory and against an
 * S3 bucket on a real S3-compatible HTTP server (s3rver on 127.0.0.1).
 */

const now = () => new Date('2026-12-01T10:00:00Z');
const megabyte = 1024 * 1024;

type Harness = {
  store: FileStore;
  /** Files a reader could find at a key. */
  published: () => Promise<string[]>;
  /** Everything the store keeps: published files, partial files, multipart uploads not finished. */
  kept: () => Promise<string[]>;
  tempDir: string;
  close: () => Promise<void>;
};

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((entry) => entry.isFile()).map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)));
}

// Started by the first S3 case and awaited by each: if it cannot start, every S3 case fails (a
// failing beforeAll would only mark them skipped).
let s3Started: Promise<TestS3Server> | undefined;
let s3: TestS3Server;
const useS3 = async () => (s3 = await (s3Started ??= startS3Server()));
afterAll(async () => (await s3Started?.catch(() => undefined))?.close());

const implementations: [string, () => Promise<Harness>][] = [
  [
    'local directory',
    async () => {
      const root = await mkdtemp(path.join(os.tmpdir(), 'clientele-files-'));
      const published = async () => (await filesUnder(root)).filter((name) => !name.endsWith('.partial'));
      return { store: createLocalFileStore(root, now), published, kept: () => filesUnder(root), tempDir: root, close: () => rm(root, { recursive: true, force: true }) };
    },
  ],
  [
    'S3 bucket',
    async () => {
      await useS3();
      const tempDir = await mkdtemp(path.join(os.tmpdir(), 'clientele-s3-copies-'));
      const prefix = `run-${Math.random().toString(36).slice(2)}/`;
      const store = createS3FileStore({ bucket: s3.bucket, prefix, region: 'us-east-1', endpoint: s3.endpoint, isPathStyle: true, credentials: s3Credentials, tempDir }, now);
      const published = async () => (await s3.objectKeys()).filter((key) => key.startsWith(prefix)).map((key) => key.slice(prefix.length));
      const kept = async () => [...(await published()), ...(await s3.pendingUploads()).map((id) => `multipart upload ${id}`), ...(await filesUnder(tempDir))];
      return { store, published, kept, tempDir, close: () => rm(tempDir, { recursive: true, force: true }) };
    },
  ],
];

const text = async (readable: Readable) => {
  const chunks: Buffer[] = [];
  for await (const chunk of readable) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
};

/** `count` chunks of 1 MB: more than one multipart part (8 MB) when count > 8. */
const megabytes = (count: number) => Array.from({ length: count }, (_, index) => Buffer.alloc(megabyte, 97 + (index % 26)));

describe.each(implementations)('file store: %s', (_name, create) => {
  let harness: Harness;
  let store: FileStore;
  beforeEach(async () => {
    harness = await create();
    store = harness.store;
  });
  afterEach(() => harness.close());

  it('streams a file in under a generated key, with its size and SHA-256, and reads it back', async () => {
    const body = 'email;first name\njan@example.nl;Jan\n';
    const saved = await store.save(Readable.from([Buffer.from(body)]), { prefix: 'imports', extension: 'csv' });
    expect(saved.key).toMatch(/^imports\/2026-12\/[0-9a-f-]{36}\.csv$/);
    expect(saved.sizeBytes).toBe(Buffer.byteLength(body));
    expect(saved.sha256).toBe(createHash('sha256').update(body).digest('hex'));
    expect(await text(store.openRead(saved.key))).toBe(body);
    expect(await store.sizeOf(saved.key)).toBe(Buffer.byteLength(body));
    expect(await harness.published()).toEqual([saved.key]);
  });

  it('stores a file of several multipart parts whole, with the SHA-256 of every byte', async () => {
    const chunks = megabytes(17);
    const saved = await store.save(Readable.from(chunks), { prefix: 'imports', extension: 'csv', maxBytes: 17 * megabyte });
    expect(saved.sizeBytes).toBe(17 * megabyte);
    expect(saved.sha256).toBe(createHash('sha256').update(Buffer.concat(chunks)).digest('hex'));
    const read = createHash('sha256');
    for await (const chunk of store.openRead(saved.key)) read.update(chunk as Buffer);
    expect(read.digest('hex')).toBe(saved.sha256);
  }, 60_000);

  it('gives a local copy for random access, removed when the work is done', async () => {
    const saved = await store.save(Readable.from([Buffer.from('PK\u0003\u0004 a workbook')]), { prefix: 'imports', extension: 'xlsx' });
    let copyPath = '';
    const content = await withLocalFile(store, saved.key, async (filePath) => {
      copyPath = filePath;
      return readFile(filePath, 'utf8');
    });
    expect(content).toBe('PK\u0003\u0004 a workbook');
    expect(await harness.kept()).toEqual([saved.key]); // no temporary copy left
    expect(existsSync(copyPath)).toBe(copyPath.endsWith(saved.key)); // the local store's own file stays
    await expect(store.localCopy('imports/2026-12/00000000-0000-4000-8000-000000000000.xlsx')).rejects.toBeInstanceOf(FileNotFoundError);
  });

  it('refuses a file over the size cap and keeps nothing of it, even parts already uploaded', async () => {
    await expect(store.save(Readable.from(megabytes(1).map((chunk) => chunk.subarray(0, 20 * 1024))), { prefix: 'imports', maxBytes: 10 * 1024 })).rejects.toBeInstanceOf(FileTooLargeError);
    await expect(store.save(Readable.from(megabytes(20)), { prefix: 'imports', maxBytes: 18 * megabyte })).rejects.toBeInstanceOf(FileTooLargeError);
    expect(await harness.kept()).toEqual([]);
  }, 60_000);

  it('keeps nothing when the source fails half-way', async () => {
    async function* broken() {
      yield* megabytes(9);
      throw new Error('connection reset');
    }
    const failure = await store.save(Readable.from(broken()), { prefix: 'imports' }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(FileStoreError);
    expect((failure as Error).message).toContain('connection reset');
    expect(await harness.kept()).toEqual([]);
  }, 60_000);

  it('publishes a written file only on commit', async () => {
    const writer = await store.createWriter({ prefix: 'exports', extension: 'csv' });
    writer.stream.write('a,b\n');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await harness.published()).toEqual([]);
    writer.stream.write('1,2\n');
    const saved = await writer.commit();
    expect(await text(store.openRead(saved.key))).toBe('a,b\n1,2\n');
    expect(saved).toMatchObject({ sizeBytes: 8, sha256: createHash('sha256').update('a,b\n1,2\n').digest('hex') });
    expect(await harness.kept()).toEqual([saved.key]);
  });

  it('leaves nothing behind when a writer is aborted, also after parts were uploaded', async () => {
    const small = await store.createWriter({ prefix: 'exports', extension: 'xlsx' });
    small.stream.write('half');
    await small.abort();
    const large = await store.createWriter({ prefix: 'exports', extension: 'csv' });
    for (const chunk of megabytes(12)) if (!large.stream.write(chunk)) await new Promise((resolve) => large.stream.once('drain', resolve));
    await large.abort();
    expect(await harness.kept()).toEqual([]);
  }, 60_000);

  it('reads byte ranges (end inclusive), and nothing past the end', async () => {
    const saved = await store.save(Readable.from([Buffer.from('0123456789')]), { prefix: 'exports', extension: 'csv' });
    expect(await text(store.openRead(saved.key, { start: 2, end: 5 }))).toBe('2345');
    expect(await text(store.openRead(saved.key, { start: 7 }))).toBe('789');
    expect(await text(store.openRead(saved.key, { start: 20 }))).toBe('');
    const empty = await store.save(Readable.from([]), { prefix: 'imports', extension: 'csv' });
    expect(empty).toMatchObject({ sizeBytes: 0, sha256: createHash('sha256').digest('hex') });
    expect(await store.sizeOf(empty.key)).toBe(0);
    expect(await text(store.openRead(empty.key))).toBe('');
  });

  it('deletes files, and reports missing ones as absent', async () => {
    const saved = await store.save(Readable.from([Buffer.from('x')]), { prefix: 'imports' });
    await store.delete(saved.key);
    expect(await store.sizeOf(saved.key)).toBeUndefined();
    await store.delete(saved.key); // deleting twice is fine (jobs run at least once)
    await expect(text(store.openRead(saved.key))).rejects.toBeInstanceOf(FileNotFoundError);
    expect(await harness.kept()).toEqual([]);
  });

  it('only takes keys it made: never a path outside its root, a prefix or an extension a user typed', async () => {
    for (const key of ['../../etc/passwd', 'imports/2026-12/../../../etc/passwd', '/etc/passwd', 'imports/x.csv']) {
      expect(isFileKey(key)).toBe(false);
      expect(() => store.openRead(key)).toThrow(FileStoreError);
      await expect(store.sizeOf(key)).rejects.toThrow(FileStoreError);
      await expect(store.localCopy(key)).rejects.toThrow(FileStoreError);
    }
    await expect(store.save(Readable.from([Buffer.from('x')]), { prefix: '../up' })).rejects.toThrow(FileStoreError);
    await expect(store.save(Readable.from([Buffer.from('x')]), { prefix: 'imports', extension: 'csv/../../x' })).rejects.toThrow(FileStoreError);
    expect(existsSync(path.join(harness.tempDir, '..', 'up'))).toBe(false);
    expect(await harness.kept()).toEqual([]);
  });

  it('is ready when it can be used', async () => {
    await expect(store.checkReady()).resolves.toBeUndefined();
  });
});

describe('S3 file store', () => {
  beforeEach(useS3);
  it('aborts the multipart upload of a file it refuses, so no parts are kept', async () => {
    const store = createS3FileStore({ bucket: s3.bucket, prefix: 'abort/', region: 'us-east-1', endpoint: s3.endpoint, isPathStyle: true, credentials: s3Credentials }, now);
    const abortsBefore = s3.abortedUploads();
    await expect(store.save(Readable.from(megabytes(20)), { prefix: 'imports', maxBytes: 18 * megabyte })).rejects.toBeInstanceOf(FileTooLargeError);
    expect(s3.abortedUploads()).toBe(abortsBefore + 1);
    expect(await s3.pendingUploads()).toEqual([]);
  }, 60_000);

  it('fails a writer whose upload breaks (the bucket is gone): writes stop, commit says so, nothing kept', async () => {
    const gone = createS3FileStore({ bucket: 'gone-bucket', prefix: '', region: 'us-east-1', endpoint: s3.endpoint, isPathStyle: true, credentials: s3Credentials }, now);
    const writer = await gone.createWriter({ prefix: 'exports', extension: 'csv' });
    // Written as an export writes: respecting back-pressure. The writer gets the error instead
    // of waiting for a 'drain' that never comes.
    let written = 0;
    for (const chunk of megabytes(40)) {
      if (writer.stream.destroyed) break;
      written++;
      if (!writer.stream.write(chunk)) await Promise.race([once(writer.stream, 'drain'), once(writer.stream, 'close')]).catch(() => {});
    }
    expect(written).toBeLessThan(40);
    expect(writer.stream.destroyed).toBe(true);
    await expect(writer.commit()).rejects.toThrow(/could not write the file: The specified bucket does not exist/);
    await writer.abort();
    await expect(gone.save(Readable.from(megabytes(9)), { prefix: 'imports' })).rejects.toThrow(/could not write the file: The specified bucket does not exist/);
    expect(await s3.pendingUploads()).toEqual([]);
  });

  it('says at startup which bucket is missing, or that the service cannot be reached', async () => {
    const missing = createS3FileStore({ bucket: 'no-such-bucket', prefix: '', region: 'us-east-1', endpoint: s3.endpoint, isPathStyle: true, credentials: s3Credentials }, now);
    const error = await missing.checkReady().catch((failure: unknown) => failure);
    expect(error).toBeInstanceOf(FileStoreUnavailableError);
    expect((error as Error).message).toMatch(/S3 bucket "no-such-bucket" at http:\/\/127\.0\.0\.1:\d+: it does not exist/);
    const unreachable = createS3FileStore({ bucket: s3.bucket, prefix: '', region: 'us-east-1', endpoint: 'http://127.0.0.1:9', isPathStyle: true, credentials: s3Credentials }, now);
    await expect(unreachable.checkReady()).rejects.toThrow(/cannot be reached.*S3_ENDPOINT/);
  });
});

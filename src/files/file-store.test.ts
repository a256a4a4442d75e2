import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLocalFileStore, FileStoreError, FileTooLargeError, isFileKey, type FileStore } from './file-store.ts';

let root: string;
let store: FileStore;

beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'clientele-files-'));
  store = createLocalFileStore(root, () => new Date('2026-12-01T10:00:00Z'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => entry.name);
}

const text = async (readable: Readable) => {
  const chunks: Buffer[] = [];
  for await (const chunk of readable) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
};

describe('local file store', () => {
  it('streams a file in under a generated key, with its size and SHA-256', async () => {
    const body = 'email;first name\njan@example.nl;Jan\n';
    const saved = await store.save(Readable.from([Buffer.from(body)]), { prefix: 'imports', extension: 'csv' });
    expect(saved.key).toMatch(/^imports\/2026-12\/[0-9a-f-]{36}\.csv$/);
    expect(saved.sizeBytes).toBe(Buffer.byteLength(body));
    expect(saved.sha256).toBe(createHash('sha256').update(body).digest('hex'));
    expect(await text(store.openRead(saved.key))).toBe(body);
    expect(await readFile(store.localPath(saved.key), 'utf8')).toBe(body);
    expect(await store.sizeOf(saved.key)).toBe(Buffer.byteLength(body));
  });

  it('refuses a file over the limit and keeps nothing of it', async () => {
    const chunks = Array.from({ length: 20 }, () => Buffer.alloc(1024, 'a'));
    await expect(store.save(Readable.from(chunks), { prefix: 'imports', maxBytes: 10 * 1024 })).rejects.toBeInstanceOf(FileTooLargeError);
    expect(await filesUnder(root)).toEqual([]);
  });

  it('keeps nothing when the source fails half-way', async () => {
    async function* broken() {
      yield Buffer.from('first part');
      throw new Error('connection reset');
    }
    await expect(store.save(Readable.from(broken()), { prefix: 'imports' })).rejects.toBeInstanceOf(FileStoreError);
    expect(await filesUnder(root)).toEqual([]);
  });

  it('publishes a written file only on commit', async () => {
    const writer = await store.createWriter({ prefix: 'exports', extension: 'csv' });
    writer.stream.write('a,b\n');
    expect(await filesUnder(root)).toEqual([expect.stringMatching(/\.csv\.partial$/)]);
    writer.stream.write('1,2\n');
    const saved = await writer.commit();
    expect(await text(store.openRead(saved.key))).toBe('a,b\n1,2\n');
    expect(saved.sizeBytes).toBe(8);
    expect(await filesUnder(root)).toEqual([expect.stringMatching(/\.csv$/)]);
  });

  it('leaves no file behind when a writer is aborted', async () => {
    const writer = await store.createWriter({ prefix: 'exports', extension: 'xlsx' });
    writer.stream.write('half');
    await writer.abort();
    expect(await filesUnder(root)).toEqual([]);
  });

  it('never turns a key into a path outside its root', async () => {
    for (const key of ['../../etc/passwd', 'imports/2026-12/../../../etc/passwd', '/etc/passwd', 'imports/x.csv']) {
      expect(isFileKey(key)).toBe(false);
      expect(() => store.localPath(key)).toThrow(FileStoreError);
    }
    await expect(store.save(Readable.from([Buffer.from('x')]), { prefix: '../up' })).rejects.toThrow(FileStoreError);
    await expect(store.save(Readable.from([Buffer.from('x')]), { prefix: 'imports', extension: 'csv/../../x' })).rejects.toThrow(FileStoreError);
    expect(existsSync(path.join(root, '..', 'up'))).toBe(false);
  });

  it('deletes files and reports missing ones as absent', async () => {
    const saved = await store.save(Readable.from([Buffer.from('x')]), { prefix: 'imports' });
    await store.delete(saved.key);
    expect(await store.sizeOf(saved.key)).toBeUndefined();
    await store.delete(saved.key);
  });
});

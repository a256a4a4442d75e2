import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { access, constants, mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Transform, type Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/**
 * Where uploaded worksheets, export files and error reports live. The database refers to a file
 * by its key; keys are made here (a prefix, the month and a random UUID), never from a file name
 * a user sent, so no path a user typed ever reaches the file system.
 *
 * Two implementations keep the same promises: a local directory (below) and an S3-compatible
 * bucket (`s3-file-store.ts`). A file appears at its key only when it is complete, a file over
 * the size cap or an aborted writer leaves nothing behind, and a file is only ever read through
 * this port (downloads go through our routes, never a link to the store).
 *
 * Local directory implementation. Files are written under a temporary name and renamed into
 * place when complete, so a reader never sees half a file (a crashed export leaves only a
 * `.partial` file, which `save`/`createWriter` callers clean up and nothing ever refers to).
 */

export type StoredFile = { key: string; sizeBytes: number; sha256: string };

export type FileWriter = {
  /** Write the file's bytes here (back-pressure respected); then `commit()` or `abort()`. */
  stream: Writable;
  /** Ends the stream and publishes the file at its key. */
  commit: () => Promise<StoredFile>;
  /** Drops what was written; the key never appears. */
  abort: () => Promise<void>;
};

export type FileStore = {
  /** Streams `source` into a new file under `prefix`. Past `maxBytes` it throws FileTooLargeError and keeps nothing. */
  save: (source: Readable, options: { prefix: string; extension?: string; maxBytes?: number }) => Promise<StoredFile>;
  /** A file built piece by piece (exports, error files), published only when committed. */
  createWriter: (options: { prefix: string; extension?: string }) => Promise<FileWriter>;
  /** The file's bytes, streamed (`end` inclusive, as in HTTP ranges). A missing file fails the stream with FileNotFoundError. */
  openRead: (key: string, range?: { start: number; end?: number }) => Readable;
  /**
   * A file on this machine's disk, for readers that need random access (XLSX). The local store
   * hands out its own file; the S3 store downloads a temporary copy. Call `release()` when done
   * (the copy is removed); prefer `withLocalFile`.
   */
  localCopy: (key: string) => Promise<LocalCopy>;
  sizeOf: (key: string) => Promise<number | undefined>;
  delete: (key: string) => Promise<void>;
  /** Checked at startup: throws FileStoreUnavailableError saying what is wrong (no bucket, no access, no disk). */
  checkReady: () => Promise<void>;
  /**
   * At startup: removes files left half-written by a process that crashed (`.partial`, not
   * changed since `olderThan`, so a live process's file being written is left alone). Returns
   * how many. The S3 store has none: an unfinished upload never becomes an object.
   */
  sweepPartials?: (olderThan: Date) => Promise<number>;
};

export type LocalCopy = { path: string; release: () => Promise<void> };

/** Runs `work` on a local copy of the file, removed afterwards whatever happens. */
export async function withLocalFile<T>(store: Pick<FileStore, 'localCopy'>, key: string, work: (filePath: string) => Promise<T>): Promise<T> {
  const copy = await store.localCopy(key);
  try {
    return await work(copy.path);
  } finally {
    await copy.release();
  }
}

/** A stored file as the import readers take it: streamed from the start, or copied locally for random access. */
export type StoredFileSource = { openRead: () => Readable; localCopy: () => Promise<LocalCopy> };

export const storedFileSource = (store: Pick<FileStore, 'openRead' | 'localCopy'>, key: string): StoredFileSource => ({
  openRead: () => store.openRead(key),
  localCopy: () => store.localCopy(key),
});

export class FileTooLargeError extends Error {
  override name = 'FileTooLargeError';
  constructor(readonly maxBytes: number) {
    super(`The file is larger than ${maxBytes} bytes.`);
  }
}

export class FileStoreError extends Error {
  override name = 'FileStoreError';
}

/** The key names no file (never written, or deleted). `code` matches what fs reports for a missing file. */
export class FileNotFoundError extends FileStoreError {
  override name = 'FileNotFoundError';
  readonly code = 'ENOENT';
  constructor(key: string) {
    super(`No file is stored at ${key}.`);
  }
}

/** The store cannot be used at all (startup check): the message says what to fix. */
export class FileStoreUnavailableError extends Error {
  override name = 'FileStoreUnavailableError';
}

const keyPattern = /^[a-z]+(?:-[a-z]+)*\/\d{4}-\d{2}\/[0-9a-f-]{36}(?:\.[a-z0-9]{1,8})?$/;
const extensionPattern = /^[a-z0-9]{1,8}$/;

export function isFileKey(key: string): boolean {
  return keyPattern.test(key);
}

/** A new key under `prefix`: the month and a random UUID, never anything a user typed. */
export function newFileKey(prefix: string, extension: string | undefined, now: Date): string {
  const safeExtension = extension?.toLowerCase();
  if (!/^[a-z]+(?:-[a-z]+)*$/.test(prefix)) throw new FileStoreError(`Invalid file prefix: ${prefix}`);
  if (safeExtension !== undefined && !extensionPattern.test(safeExtension)) throw new FileStoreError(`Invalid extension: ${extension}`);
  const month = now.toISOString().slice(0, 7);
  return `${prefix}/${month}/${randomUUID()}${safeExtension ? `.${safeExtension}` : ''}`;
}

/** Counts and hashes the bytes that pass, and stops the stream once there are more than `maxBytes`. */
export function measuring(maxBytes: number | undefined) {
  const hash = createHash('sha256');
  let sizeBytes = 0;
  const transform = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      sizeBytes += chunk.length;
      if (maxBytes !== undefined && sizeBytes > maxBytes) return callback(new FileTooLargeError(maxBytes));
      hash.update(chunk);
      callback(null, chunk);
    },
  });
  return { transform, result: () => ({ sizeBytes, sha256: hash.digest('hex') }) };
}

export const wrapWriteError = (error: unknown): Error =>
  error instanceof FileTooLargeError || error instanceof FileStoreError
    ? error
    : new FileStoreError(`The file store could not write the file: ${(error as Error).message}`, { cause: error });

/**
 * The writer of both stores: `done` settles when the bytes written to the meter are stored.
 * Commit ends the stream, waits for `done`, then `finish`es (the local store renames its partial
 * file); a failed commit and an abort run `discard`. Abort fails the stream with `abandoned`.
 */
export function meteredWriter(
  key: string,
  meter: ReturnType<typeof measuring>,
  done: Promise<unknown>,
  steps: { finish?: () => Promise<void>; discard?: () => Promise<void>; abandoned?: Error } = {},
): FileWriter {
  return {
    stream: meter.transform,
    async commit() {
      meter.transform.end();
      try {
        await done;
        await steps.finish?.();
      } catch (error) {
        await steps.discard?.();
        throw wrapWriteError(error);
      }
      return { key, ...meter.result() };
    },
    async abort() {
      meter.transform.destroy(steps.abandoned);
      await done.catch(() => {});
      await steps.discard?.();
    },
  };
}

/** The partial file, already open: removing it after a failure cannot race with a late open. */
async function openPartial(partialPath: string): Promise<WriteStream> {
  const file = createWriteStream(partialPath, { flags: 'wx', mode: 0o600 });
  await once(file, 'open');
  return file;
}

async function discard(file: WriteStream, partialPath: string): Promise<void> {
  if (!file.closed) {
    file.destroy();
    await once(file, 'close').catch(() => {});
  }
  await rm(partialPath, { force: true });
}

export function createLocalFileStore(rootDir: string, now: () => Date = () => new Date()): FileStore {
  const root = path.resolve(rootDir);
  const pathOf = (key: string) => {
    if (!isFileKey(key)) throw new FileStoreError(`Invalid file key: ${key}`);
    return path.join(root, key);
  };
  const prepare = async (prefix: string, extension?: string) => {
    const key = newFileKey(prefix, extension, now());
    const finalPath = pathOf(key);
    await mkdir(path.dirname(finalPath), { recursive: true });
    return { key, finalPath, partialPath: `${finalPath}.partial` };
  };

  return {
    async save(source, { prefix, extension, maxBytes }) {
      const { key, finalPath, partialPath } = await prepare(prefix, extension);
      const meter = measuring(maxBytes);
      const file = await openPartial(partialPath);
      try {
        await pipeline(source, meter.transform, file);
        await rename(partialPath, finalPath);
      } catch (error) {
        await discard(file, partialPath);
        throw wrapWriteError(error);
      }
      return { key, ...meter.result() };
    },

    async createWriter({ prefix, extension }) {
      const { key, finalPath, partialPath } = await prepare(prefix, extension);
      const meter = measuring(undefined);
      const file = await openPartial(partialPath);
      const done = pipeline(meter.transform, file);
      // Keep an early failure from being unhandled before commit/abort awaits it.
      done.catch(() => {});
      return meteredWriter(key, meter, done, { finish: () => rename(partialPath, finalPath), discard: () => discard(file, partialPath) });
    },

    openRead(key, range) {
      const stream = createReadStream(pathOf(key), range ? { start: range.start, ...(range.end !== undefined && { end: range.end }) } : {});
      const destroy = stream.destroy.bind(stream);
      stream.destroy = (error?: Error) => destroy(error && (error as NodeJS.ErrnoException).code === 'ENOENT' ? new FileNotFoundError(key) : error);
      return stream;
    },

    async localCopy(key) {
      const filePath = pathOf(key);
      await stat(filePath).catch((error: NodeJS.ErrnoException) => {
        throw error.code === 'ENOENT' ? new FileNotFoundError(key) : error;
      });
      return { path: filePath, release: async () => {} };
    },

    async sizeOf(key) {
      try {
        return (await stat(pathOf(key))).size;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw error;
      }
    },

    async delete(key) {
      await rm(pathOf(key), { force: true });
    },

    async sweepPartials(olderThan) {
      const names = await readdir(root, { recursive: true }).catch(() => [] as string[]);
      let removed = 0;
      for (const name of names.filter((entry) => entry.endsWith('.partial'))) {
        const file = path.join(root, name);
        const info = await stat(file).catch(() => undefined);
        if (!info?.isFile() || info.mtime >= olderThan) continue;
        await rm(file, { force: true });
        removed += 1;
      }
      return removed;
    },

    async checkReady() {
      try {
        await mkdir(root, { recursive: true });
        await access(root, constants.W_OK);
      } catch (error) {
        throw new FileStoreUnavailableError(`The file store directory ${root} cannot be used (${(error as Error).message}). Set FILE_STORE_DIR to a writable directory.`, { cause: error });
      }
    },
  };
}

import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PassThrough, pipeline as pipelineCallback, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DeleteObjectCommand, GetObjectCommand, HeadBucketCommand, HeadObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import {
  FileNotFoundError,
  FileStoreError,
  FileStoreUnavailableError,
  FileTooLargeError,
  isFileKey,
  measuring,
  meteredWriter,
  newFileKey,
  wrapWriteError,
  type FileStore,
  type FileWriter,
  type StoredFile,
} from './file-store.ts';

/**
 * The file store in an S3-compatible bucket (AWS S3, MinIO, Cloudflare R2, …), through the
 * official AWS SDK v3. What the local store gets from "write a partial file, rename when
 * complete", S3 gives by itself: an object appears at its key only when its PutObject or
 * CompleteMultipartUpload succeeds. So a failed or aborted upload must never be completed, and
 * its multipart upload is aborted so its parts do not linger (lib-storage does that on failure).
 *
 * Objects are private and written with `Content-Disposition: attachment`; we never hand out a
 * link to the bucket: every download goes through our routes and permissions.
 */

export type S3FileStoreOptions = {
  bucket: string;
  /** Prepended to every key (e.g. `clientele/`), so one bucket can serve several things. */
  prefix: string;
  region: string;
  /** For S3-compatible services (MinIO, R2, …); AWS S3 itself needs none. */
  endpoint: string | undefined;
  /** Path-style URLs (`endpoint/bucket/key`), which MinIO and most self-hosted services need. */
  isPathStyle: boolean;
  /** Only for tests; production credentials come from the SDK's default chain (AWS_ACCESS_KEY_ID, profiles, roles). */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  /** Where XLSX readers' temporary copies go (default the system's temporary directory). */
  tempDir?: string;
};

/** Bytes per multipart part, and parts in flight: at most (queueSize + 1) × partSize of an upload is in memory. */
const partSizeBytes = 8 * 1024 * 1024;
const partsInFlight = 2;
const connectTimeoutMs = 10_000;

const statusOf = (error: unknown) => (error instanceof S3ServiceException ? error.$metadata.httpStatusCode : undefined);
const isNotFound = (error: unknown) => statusOf(error) === 404 || (error as { name?: string }).name === 'NoSuchKey' || (error as { name?: string }).name === 'NotFound';

export function createS3FileStore(options: S3FileStoreOptions, now: () => Date = () => new Date()): FileStore {
  const client = new S3Client({
    region: options.region,
    ...(options.endpoint && { endpoint: options.endpoint }),
    forcePathStyle: options.isPathStyle,
    ...(options.credentials && { credentials: options.credentials }),
    // A service that does not answer fails the start-up check (and a request) instead of hanging.
    // No idle timeout on requests: a slow download applies back-pressure to the response.
    requestHandler: { connectionTimeout: connectTimeoutMs },
  });
  const { bucket } = options;
  const objectKey = (key: string) => {
    if (!isFileKey(key)) throw new FileStoreError(`Invalid file key: ${key}`);
    return `${options.prefix}${key}`;
  };

  /**
   * Streams `body` into a new object at `key`. Resolves only once the object is complete; on any
   * failure the object does not exist and the multipart upload, if one was started, is aborted.
   */
  async function upload(key: string, body: Readable): Promise<void> {
    const uploader = new Upload({
      client,
      params: { Bucket: bucket, Key: objectKey(key), Body: body, ContentType: 'application/octet-stream', ContentDisposition: 'attachment' },
      partSize: partSizeBytes,
      queueSize: partsInFlight,
      leavePartsOnError: false,
    });
    await uploader.done();
  }

  /** The failure the caller should see: ours (too large, the source broke) before the SDK's report of it. */
  const firstFailure = (ours: Error | undefined, sdk: unknown) => wrapWriteError(ours ?? sdk);

  function openRead(key: string, range?: { start: number; end?: number }): Readable {
    const out = new PassThrough();
    const controller = new AbortController();
    out.once('close', () => controller.abort());
    const Range = range ? `bytes=${range.start}-${range.end ?? ''}` : undefined;
    client
      .send(new GetObjectCommand({ Bucket: bucket, Key: objectKey(key), ...(Range && { Range }) }), { abortSignal: controller.signal })
      .then(
        // Streamed with back-pressure: the HTTP response is read as fast as the reader reads.
        (response) => pipeline(response.Body as Readable, out),
        (error: unknown) => {
          // A range past the end reads nothing, as fs does for the local store.
          if (statusOf(error) === 416) return void out.end();
          out.destroy(isNotFound(error) ? new FileNotFoundError(key) : new FileStoreError(`The file store could not read ${key}: ${(error as Error).message}`, { cause: error }));
        },
      )
      .catch((error: unknown) => out.destroy(error as Error));
    return out;
  }

  return {
    async save(source, { prefix, extension, maxBytes }): Promise<StoredFile> {
      const key = newFileKey(prefix, extension, now());
      const meter = measuring(maxBytes);
      // What the caller should hear when the upload fails because of them: the size cap or a
      // broken source. Their 'error' comes before the upload (which reads the meter) fails.
      let failure: Error | undefined;
      source.on('error', (error: Error) => (failure ??= error));
      meter.transform.on('error', (error) => {
        if (error instanceof FileTooLargeError) failure ??= error;
      });
      const body = pipelineCallback(source, meter.transform, () => {});
      try {
        await upload(key, body);
      } catch (error) {
        body.destroy();
        throw firstFailure(failure, error);
      }
      return { key, ...meter.result() };
    },

    async createWriter({ prefix, extension }): Promise<FileWriter> {
      const key = newFileKey(prefix, extension, now());
      const meter = measuring(undefined);
      const done = upload(key, meter.transform);
      // A broken upload fails the writer's stream, so whoever writes stops instead of waiting on
      // back-pressure forever; the failure itself is reported by commit. Nobody may be listening
      // to the stream by then (the upload stopped reading it): an 'error' without a listener
      // would end the process.
      meter.transform.on('error', () => {});
      done.catch((error: unknown) => meter.transform.destroy(wrapWriteError(error)));
      // Failing the body makes the upload fail on abort: it is never completed, and its parts are dropped.
      return meteredWriter(key, meter, done, { abandoned: new FileStoreError('The file was abandoned.') });
    },

    openRead,

    async localCopy(key) {
      const dir = await mkdtemp(path.join(options.tempDir ?? os.tmpdir(), 'clientele-s3-'));
      const filePath = path.join(dir, path.posix.basename(key));
      const release = () => rm(dir, { recursive: true, force: true });
      try {
        await pipeline(openRead(key), createWriteStream(filePath, { flags: 'wx', mode: 0o600 }));
      } catch (error) {
        await release();
        throw error;
      }
      return { path: filePath, release };
    },

    async sizeOf(key) {
      try {
        const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: objectKey(key) }));
        return head.ContentLength ?? 0;
      } catch (error) {
        if (isNotFound(error)) return undefined;
        throw error;
      }
    },

    async delete(key) {
      // Deleting a key that does not exist succeeds in S3, as `rm --force` does locally.
      await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: objectKey(key) }));
    },

    async checkReady() {
      try {
        await client.send(new HeadBucketCommand({ Bucket: bucket }));
      } catch (error) {
        const status = statusOf(error);
        const where = options.endpoint ?? `AWS S3 (${options.region})`;
        const reason =
          status === 404
            ? 'it does not exist. Create it, or set S3_BUCKET to an existing bucket.'
            : status === 403 || status === 401
              ? 'access is denied. Check the credentials (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, a profile or the instance role) and the bucket policy.'
              : `the service cannot be reached (${(error as Error).message || (error as Error).name}). Check S3_ENDPOINT, S3_REGION and the network.`;
        throw new FileStoreUnavailableError(`The file store cannot use the S3 bucket "${bucket}" at ${where}: ${reason}`, { cause: error });
      }
    },
  };
}

import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';

/**
 * A real S3-compatible HTTP server on 127.0.0.1 for tests: s3rver (a fake S3 in Node, storing
 * objects in a temporary directory), spoken to over HTTP by the official AWS SDK exactly as
 * AWS S3 or MinIO would be. If it cannot start, `startS3Server` throws and the tests fail.
 *
 * s3rver 3.7.1 implements multipart uploads but not AbortMultipartUpload (it answers 405), so
 * this server adds it, as S3 does it: the upload's parts are dropped. That lets the tests see
 * that a failed upload was aborted (`pendingUploads()` is empty), not only that no object appeared.
 */

export const s3Credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

export type TestS3Server = {
  endpoint: string;
  bucket: string;
  /** The environment that configures Clientele for this bucket (FILE_STORE=s3, …). */
  env: Record<string, string>;
  /** Every object key in the bucket. */
  objectKeys: () => Promise<string[]>;
  /** Multipart uploads started and neither completed nor aborted. */
  pendingUploads: () => Promise<string[]>;
  /** How many AbortMultipartUpload requests the server received. */
  abortedUploads: () => number;
  close: () => Promise<void>;
};

/** The little of s3rver's Koa context the added route uses. */
type KoaContext = { method: string; query: Record<string, unknown>; status: number };

type Store = { getResourcePath: (bucket: string, key: string | undefined, resource: string) => string };

export async function startS3Server(bucket = 'clientele-test'): Promise<TestS3Server> {
  const directory = await mkdtemp(path.join(os.tmpdir(), 'clientele-s3rver-'));
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory, configureBuckets: [{ name: bucket, configs: [] }] });
  const store = (server as unknown as { store: Store }).store;
  const uploadsDir = store.getResourcePath(bucket, undefined, 'uploads');
  let aborted = 0;
  const abortMultipartUpload = async (ctx: KoaContext, next: () => Promise<void>) => {
    const uploadId = ctx.query.uploadId;
    if (ctx.method !== 'DELETE' || typeof uploadId !== 'string') return next();
    if (!/^[0-9a-f]+$/i.test(uploadId)) throw new Error(`unexpected upload id ${uploadId}`);
    aborted++;
    await rm(path.join(uploadsDir, uploadId), { recursive: true, force: true });
    ctx.status = 204;
  };
  // Koa composes its middleware when the server starts listening: this one goes first.
  (server as unknown as { middleware: unknown[] }).middleware.unshift(abortMultipartUpload);
  let address: { port: number };
  try {
    address = await server.run();
  } catch (error) {
    await rm(directory, { recursive: true, force: true });
    throw new Error(`The test S3 server (s3rver) could not start: ${(error as Error).message}`, { cause: error });
  }
  const endpoint = `http://127.0.0.1:${address.port}`;
  const client = new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, credentials: s3Credentials });
  return {
    endpoint,
    bucket,
    env: { FILE_STORE: 's3', S3_BUCKET: bucket, S3_ENDPOINT: endpoint, S3_REGION: 'us-east-1' },
    async objectKeys() {
      const keys: string[] = [];
      let token: string | undefined;
      do {
        const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, ...(token && { ContinuationToken: token }) }));
        keys.push(...(page.Contents ?? []).map((object) => object.Key ?? ''));
        token = page.NextContinuationToken;
      } while (token);
      return keys.sort();
    },
    pendingUploads: () => readdir(uploadsDir).catch((error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? [] : Promise.reject(error))),
    abortedUploads: () => aborted,
    async close() {
      client.destroy();
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}

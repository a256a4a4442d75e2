import http from 'node:http';
import https from 'node:https';
import type { Readable } from 'node:stream';
import { GetObjectCommand, ListObjectsV2Command, S3Client, type _Object } from '@aws-sdk/client-s3';
import { checkLiteralHost, guardedLookup } from './address-guard.ts';
import { SourceFetchError, type FetchOutcome } from './fetch-url.ts';
import type { Credentials, SourceLocation } from './source.schemas.ts';

/**
 * Fetches the newest object under a source's bucket and prefix (an ERP that drops a dated export
 * each night). Unchanged — the same object with the same ETag as last time — is not imported
 * again. A custom endpoint passes the same address guard as a URL.
 */
export async function fetchS3(
  location: Extract<SourceLocation, { kind: 's3' }>,
  options: { allowedHosts: readonly string[]; timeoutMs: number; previous: { etag: string | null }; credentials: Credentials },
): Promise<FetchOutcome> {
  if (location.endpoint) checkLiteralHost(new URL(location.endpoint).hostname, options.allowedHosts);
  const lookup = guardedLookup(options.allowedHosts) as never;
  const client = new S3Client({
    region: location.region,
    ...(location.endpoint && { endpoint: location.endpoint, forcePathStyle: true }),
    ...(options.credentials.kind === 's3' && { credentials: { accessKeyId: options.credentials.accessKeyId, secretAccessKey: options.credentials.secretAccessKey } }),
    requestHandler: { connectionTimeout: options.timeoutMs, requestTimeout: options.timeoutMs, httpAgent: new http.Agent({ lookup }), httpsAgent: new https.Agent({ lookup }) },
    maxAttempts: 2,
  });
  try {
    let newest: _Object | undefined;
    let token: string | undefined;
    do {
      const page = await client.send(new ListObjectsV2Command({ Bucket: location.bucket, Prefix: location.prefix, ContinuationToken: token }));
      for (const object of page.Contents ?? []) {
        if (!object.Key || object.Key.endsWith('/')) continue;
        if (!newest || (object.LastModified?.getTime() ?? 0) > (newest.LastModified?.getTime() ?? 0)) newest = object;
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    if (!newest?.Key) throw new SourceFetchError('not_found', `The bucket ${location.bucket} has no file under “${location.prefix}”.`);
    if (newest.ETag && newest.ETag === options.previous.etag) return { kind: 'unchanged' };
    const object = await client.send(new GetObjectCommand({ Bucket: location.bucket, Key: newest.Key }));
    const body = object.Body as Readable;
    return { kind: 'file', body, fileName: newest.Key.split('/').pop() ?? newest.Key, etag: newest.ETag ?? null, lastModified: newest.LastModified?.toUTCString() ?? null, abort: () => body.destroy() };
  } catch (error) {
    if (error instanceof SourceFetchError) throw error;
    const name = (error as { name?: string; code?: string }).name;
    if ((error as { code?: string }).code === 'EADDRREFUSED' || name === 'AddressRefusedError') throw new SourceFetchError('refused_address', (error as Error).message);
    if (name === 'NoSuchBucket') throw new SourceFetchError('not_found', `The bucket ${location.bucket} does not exist.`);
    if (name === 'AccessDenied' || name === 'InvalidAccessKeyId' || name === 'SignatureDoesNotMatch') throw new SourceFetchError('auth', `The bucket ${location.bucket} refused the credentials (${name}).`);
    if (name === 'TimeoutError' || name === 'RequestTimeout') throw new SourceFetchError('timeout', `The S3 service did not answer within ${Math.round(options.timeoutMs / 1000)} seconds.`);
    throw new SourceFetchError('network', `The bucket ${location.bucket} could not be read (${name ?? (error as Error).message}).`);
  }
}

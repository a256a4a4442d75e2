import http from 'node:http';
import https from 'node:https';
import type { Readable } from 'node:stream';
import { GetObjectCommand, ListObjectsV2Command, S3Client, type _Object } from '@aws-sdk/client-s3';
import { checkLiteralHost, guardedLookup } from './address-guard.ts';
import { fetchErrorOf, isRefusedAddress, SourceFetchError, type FetchOutcome } from './fetch-url.ts';
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
    if (!newest?.Key) throw new SourceFetchError('not_found', 's3_empty', { bucket: location.bucket, prefix: location.prefix });
    if (newest.ETag && newest.ETag === options.previous.etag) return { kind: 'unchanged' };
    const object = await client.send(new GetObjectCommand({ Bucket: location.bucket, Key: newest.Key }));
    const body = object.Body as Readable;
    return { kind: 'file', body, fileName: newest.Key.split('/').pop() ?? newest.Key, etag: newest.ETag ?? null, lastModified: newest.LastModified?.toUTCString() ?? null, abort: () => body.destroy() };
  } catch (error) {
    if (error instanceof SourceFetchError) throw error;
    const name = (error as { name?: string }).name;
    if (isRefusedAddress(error)) throw fetchErrorOf(error, location.bucket);
    if (name === 'NoSuchBucket') throw new SourceFetchError('not_found', 's3_no_bucket', { bucket: location.bucket });
    if (name === 'AccessDenied' || name === 'InvalidAccessKeyId' || name === 'SignatureDoesNotMatch') throw new SourceFetchError('auth', 's3_auth', { bucket: location.bucket, cause: name });
    if (name === 'TimeoutError' || name === 'RequestTimeout') throw new SourceFetchError('timeout', 's3_timeout', { seconds: Math.round(options.timeoutMs / 1000) });
    throw new SourceFetchError('network', 's3_network', { bucket: location.bucket, cause: name ?? (error as { code?: string }).code ?? 'error' });
  }
}

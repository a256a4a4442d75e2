import { SourceFetchError, type FetchOutcome } from './fetch-url.ts';
import type { Credentials, SourceLocation } from './source.schemas.ts';

/** SFTP sources: not available yet (the API refuses to create them); see docs/import-format.md. */
export async function fetchSftp(
  location: Extract<SourceLocation, { kind: 'sftp' }>,
  _options: { allowedHosts: readonly string[]; timeoutMs: number; previous: { etag: string | null; lastModified: string | null }; credentials: Credentials },
): Promise<FetchOutcome> {
  throw new SourceFetchError('network', `SFTP sources (${location.host}) are not available yet.`);
}

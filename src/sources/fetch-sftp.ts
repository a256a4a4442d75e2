import { createHash } from 'node:crypto';
import { connect as netConnect } from 'node:net';
import { Client, type SFTPWrapper } from 'ssh2';
import { checkLiteralHost, guardedLookup } from './address-guard.ts';
import { fetchErrorOf, SourceFetchError, type FetchOutcome } from './fetch-url.ts';
import type { Credentials, SourceLocation } from './source.schemas.ts';

/**
 * Fetches a file over SFTP (ssh2, pure JavaScript). The connection goes through the same address
 * guard as a URL. The server's host key is trusted on first use: its SHA-256 is remembered with
 * the source, and a later run that meets another key stops (someone may be in between) until
 * staff clear it by saving the source's location again. "Unchanged" is the same size and
 * modification time as last time.
 */
export async function fetchSftp(
  location: Extract<SourceLocation, { kind: 'sftp' }>,
  options: { allowedHosts: readonly string[]; timeoutMs: number; previous: { etag: string | null }; credentials: Credentials; hostKey: string | null },
): Promise<FetchOutcome & { hostKey?: string }> {
  checkLiteralHost(location.host, options.allowedHosts);
  if (options.credentials.kind !== 'sftp-password') throw new SourceFetchError('auth', 'sftp_no_password');
  const password = options.credentials.password;
  const socket = netConnect({ host: location.host, port: location.port, lookup: guardedLookup(options.allowedHosts) as never });
  const client = new Client();
  let seenKey = '';
  let keyRefused = false;
  const sftp = await new Promise<SFTPWrapper>((resolve, reject) => {
    const fail = (error: Error) => {
      client.end();
      socket.destroy();
      if (keyRefused) return reject(new SourceFetchError('auth', 'sftp_host_key', { host: location.host, key: seenKey }));
      if ((error as { level?: string }).level === 'client-authentication') return reject(new SourceFetchError('auth', 'sftp_auth', { host: location.host }));
      if ((error as { level?: string }).level === 'client-timeout') return reject(new SourceFetchError('timeout', 'timeout_answer', { host: location.host, seconds: Math.round(options.timeoutMs / 1000) }));
      reject(fetchErrorOf(error, location.host));
    };
    socket.once('error', fail);
    client.once('error', fail);
    client.once('ready', () => client.sftp((error, session) => (error ? fail(error) : resolve(session))));
    client.connect({
      sock: socket, username: location.username, password, readyTimeout: options.timeoutMs,
      hostVerifier: (key: Buffer) => {
        seenKey = createHash('sha256').update(key).digest('base64');
        keyRefused = options.hostKey !== null && options.hostKey !== seenKey;
        return !keyRefused;
      },
    });
  });
  try {
    const stats = await new Promise<{ size: number; mtime: number }>((resolve, reject) =>
      sftp.stat(location.path, (error, found) => (error ? reject(new SourceFetchError('not_found', 'sftp_not_found', { path: location.path, host: location.host })) : resolve(found))));
    const etag = `${stats.size}-${stats.mtime}`;
    if (etag === options.previous.etag) {
      client.end();
      return { kind: 'unchanged', hostKey: seenKey };
    }
    const body = sftp.createReadStream(location.path);
    const close = () => client.end();
    body.once('close', close);
    body.once('error', close);
    return {
      kind: 'file', body, fileName: location.path.split('/').pop() || 'download.csv', etag, lastModified: new Date(stats.mtime * 1000).toUTCString(),
      abort: () => body.destroy(), hostKey: seenKey,
    };
  } catch (error) {
    client.end();
    throw error;
  }
}

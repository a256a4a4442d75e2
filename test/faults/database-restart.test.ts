import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeImportFile } from '../../bench/import-file.ts';
import { isAlive } from '../../src/db/embedded-postgres.ts';
import { killCli, startCli, type RunningCli } from '../process/cli-process.ts';
import { customerChecksum } from '../support/customer-checksum.ts';
import { connect, isFinished, referenceImport, startImport, waitForImport, type Connection } from '../support/reference-import.ts';
import { startSeparateCluster, type SeparateCluster } from '../support/separate-cluster.ts';

/**
 * The PostgreSQL server itself restarts in the middle of an import: a real `clientele worker`
 * process applies it against a cluster of its own; the postmaster is shut down (fast shutdown:
 * every session ends, open transactions roll back), stays down for a few seconds and comes
 * back on the same port. The worker stays up, reconnects, and the import resumes from its
 * checkpoint: the customers table ends exactly as after an uninterrupted import of the same
 * file (checksum over every column), no duplicates, exact counts. A real `clientele serve` on
 * the same database answers 503 while the database is away and works again, with the same
 * session, once it is back.
 */
// Five batches of 2,000: the database goes away after two are committed, with three to do.
const rows = 10_000;
const downMs = 4000;
let workDir: string;
let file: string;
let cluster: SeparateCluster;
let connection: Connection | undefined;
let worker: RunningCli | undefined;
let server: RunningCli | undefined;

beforeAll(async () => {
  workDir = await mkdtemp(path.join(os.tmpdir(), 'clientele-db-restart-'));
  file = path.join(workDir, 'customers.csv');
  await writeImportFile(file, { rows, seed: 11 });
  cluster = await startSeparateCluster();
});
afterAll(async () => {
  await killCli(worker);
  await killCli(server);
  await connection?.close().catch(() => {});
  await cluster?.destroy();
  await rm(workDir, { recursive: true, force: true });
}, 60_000);

describe(`an import of ${rows.toLocaleString('en')} rows while PostgreSQL restarts`, () => {
  it('keeps the worker and the server up, resumes the import from its checkpoint and ends exactly like an uninterrupted import', async () => {
    // The uninterrupted run to compare with, in this process, while the processes start.
    const referenceRun = referenceImport(file, path.join(workDir, 'files-reference'));
    referenceRun.catch(() => {}); // awaited below; a failure is reported there

    // A real worker process on the separate cluster; this process only uploads, starts and reads.
    const fileStoreDir = path.join(workDir, 'files');
    connection = await connect(cluster.url, fileStoreDir);
    const staff = { email: 'restart@example.com', name: 'Rita Restart', password: 'a long enough password', language: 'en' as const };
    await connection.services.staff.createUser(staff);
    const env = { DATABASE_URL: cluster.url, FILE_STORE_DIR: fileStoreDir, LOG_LEVEL: 'warn', HOST: '127.0.0.1' };
    worker = startCli(['worker'], env);
    server = startCli(['serve'], { ...env, PORT: '0', WORKER_IN_PROCESS: 'false' });
    const [, [, baseUrl]] = await Promise.all([worker.waitFor(/Worker started/, 60_000), server.waitFor(/Back office: (http:\/\/127\.0\.0\.1:\d+)\/admin/, 60_000)]);
    const loggedIn = await fetch(`${baseUrl}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: staff.email, password: staff.password }) });
    expect(loggedIn.status).toBe(200);
    const cookie = loggedIn.headers.getSetCookie().map((header) => header.split(';')[0]).join('; ');
    const sessionStatus = async () => (await fetch(`${baseUrl}/api/v1/auth/session`, { headers: { cookie } })).status;
    const id = await startImport(connection, file);
    const before = await waitForImport(connection, id, (detail) => detail.progress.rowsDone >= rows * 0.25 || isFinished(detail), 120_000);
    expect(before.status, 'the import finished before the database could be restarted').toBe('processing');

    const postmasterPid = await cluster.postmasterPid();
    await cluster.stop();
    expect(isAlive(postmasterPid)).toBe(false);
    const unavailable = await fetch(`${baseUrl}/api/v1/auth/session`, { headers: { cookie } });
    expect(unavailable.status).toBe(503);
    expect(((await unavailable.json()) as { error: { code: string } }).error.code).toBe('unavailable');
    expect(unavailable.headers.get('retry-after')).toBe('5');
    // /readyz reuses an answer for a quarter of a second: a keep-warm probe just before the stop may still stand.
    let readyStatus = 200;
    for (const deadline = Date.now() + 3000; readyStatus !== 503 && Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 50))) readyStatus = (await fetch(`${baseUrl}/readyz`)).status;
    expect(readyStatus).toBe(503);
    await new Promise((resolve) => setTimeout(resolve, downMs));
    expect(worker.child.exitCode, worker.output()).toBeNull();
    await cluster.start();
    expect(await cluster.postmasterPid()).not.toBe(postmasterPid);
    for (const deadline = Date.now() + 30_000; (await fetch(`${baseUrl}/readyz`)).status !== 200 && Date.now() < deadline; ) await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await sessionStatus(), 'the staff session outlived the restart').toBe(200);

    const done = await waitForImport(connection, id, isFinished, 120_000);
    const reference = await referenceRun;
    expect(reference.detail.status).toBe('done_with_errors');
    expect(worker.child.exitCode, `the worker process stayed up\n${worker.output()}`).toBeNull();
    expect(worker.child.signalCode).toBeNull();
    expect(server.child.exitCode, `the server process stayed up\n${server.output()}`).toBeNull();
    expect(done.status).toBe(reference.detail.status);
    expect(done.counts).toEqual(reference.detail.counts);
    expect(done.counts.created + done.counts.rejected).toBe(rows);
    const checksum = await customerChecksum(connection.db.pool);
    expect(checksum).toEqual(reference.checksum);
    expect(checksum.count).toBe(checksum.distinct);
    const rejections = Number((await connection.db.pool.query('SELECT count(*) FROM import_rejections WHERE import_id = $1', [id])).rows[0].count);
    expect(rejections).toBe(done.counts.rejected);
  }, 300_000);
});

import { readdir } from 'node:fs/promises';
import os from 'node:os';
import ExcelJS from 'exceljs';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ExportRecord } from '../../src/exports/export.schemas.ts';
import { customerByEmail, fixture, importFile, post, uploadOk, waitForStatus } from '../imports/import-helpers.ts';
import { runCli } from '../process/cli-process.ts';
import { s3Credentials, startS3Server, type TestS3Server } from '../support/s3-server.ts';
import { createTestApp, type StaffAgent, type TestApp } from '../support/test-app.ts';

/**
 * The app configured with FILE_STORE=s3 against a real S3-compatible server on 127.0.0.1:
 * uploads, the check and apply jobs, and export downloads all go through the bucket, and
 * nothing is kept in the local file store directory (the scale-out set-up: processes on
 * different machines share only the database and the bucket).
 */

let s3: TestS3Server;
let app: TestApp;
let staff: StaffAgent;

const filesOnDisk = async () => (await readdir(app.config.fileStoreDir, { recursive: true, withFileTypes: true }).catch(() => [])).filter((entry) => entry.isFile());
/** Temporary copies the S3 store makes for workbooks (it removes them when the read ends). */
const temporaryCopies = async () => (await readdir(os.tmpdir())).filter((name) => name.startsWith('clientele-s3-'));
const fileKeyOf = async (table: 'imports' | 'exports', id: number | string) =>
  (await app.services.db.pool.query<{ file_key: string }>(`SELECT file_key FROM ${table} WHERE id = $1`, [id])).rows[0]!.file_key;

/** The S3 server and the app on it, started once and awaited by every test: if either cannot start, every test fails (not skipped). */
let started: Promise<void> | undefined;
const setUp = () =>
  (started ??= (async () => {
    s3 = await startS3Server();
    // The SDK's own credential chain, as in production.
    vi.stubEnv('AWS_ACCESS_KEY_ID', s3Credentials.accessKeyId);
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', s3Credentials.secretAccessKey);
    // Every CSV file through the validation thread (normally from 2 MB on), so the thread's reads
    // of a file in the bucket are tested too.
    app = await createTestApp({ ...s3.env, S3_PREFIX: 'shop-a' }, { importTuning: { batchSize: 2, threadFromBytes: 0 } });
    await app.services.startWorkers();
    staff = await app.loginAsStaff();
  })());
beforeEach(setUp, 60_000);
afterAll(async () => {
  await app?.close();
  await s3?.close();
  vi.unstubAllEnvs();
});

describe('files in an S3 bucket', () => {
  it('imports a CSV file: upload, check and apply read it from the bucket (on the validation thread)', async () => {
    const done = await importFile(staff, 'klanten.csv', fixture('dutch-excel-cp1252.csv'));
    expect(done.status).toBe('done');
    expect(done.counts).toMatchObject({ created: 3, rejected: 0 });
    expect(await customerByEmail(app, 'renee.jansen@example.nl')).toMatchObject({ firstName: 'Renée', nameInsertion: 'van der' });
    const key = await fileKeyOf('imports', done.id);
    expect(await s3.objectKeys()).toContain(`shop-a/${key}`);
    expect(await filesOnDisk()).toEqual([]);
  }, 60_000);

  it('imports an XLSX workbook from a chosen sheet through a temporary local copy that is removed', async () => {
    const copiesBefore = await temporaryCopies();
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('Read me').addRow(['This sheet explains the file']);
    const sheet = workbook.addWorksheet('Klanten');
    sheet.addRow(['E-mail', 'Voornaam', 'Achternaam', 'Land']);
    sheet.addRow(['bucket@example.nl', 'Bea', 'Emmer', 'NL']);
    const uploaded = await uploadOk(staff, 'klanten.xlsx', Buffer.from(await workbook.xlsx.writeBuffer()));
    expect(uploaded.analysis.sheets.map((candidate) => candidate.name)).toEqual(['Read me', 'Klanten']);
    const chosen = await staff.request({ method: 'PUT', url: `/api/v1/imports/${uploaded.id}/settings`, payload: { sheet: 'Klanten' } });
    expect(chosen.json().headings).toEqual(['E-mail', 'Voornaam', 'Achternaam', 'Land']);
    expect((await post(staff, `/api/v1/imports/${uploaded.id}/check`, {})).statusCode).toBe(202);
    expect((await waitForStatus(staff, uploaded.id, ['checked'])).check?.result).toMatchObject({ created: 1 });
    await post(staff, `/api/v1/imports/${uploaded.id}/start`);
    await waitForStatus(staff, uploaded.id, ['done']);
    expect(await customerByEmail(app, 'bucket@example.nl')).toMatchObject({ firstName: 'Bea', lastName: 'Emmer' });
    expect(await s3.objectKeys()).toContain(`shop-a/${await fileKeyOf('imports', uploaded.id)}`);
    expect(await temporaryCopies()).toEqual(copiesBefore);
    expect(await filesOnDisk()).toEqual([]);
  }, 60_000);

  it('refuses an upload over the size cap and keeps nothing in the bucket', async () => {
    const before = await s3.objectKeys();
    const capped = await createTestApp({ ...s3.env, S3_PREFIX: 'shop-a', IMPORT_MAX_FILE_MB: '1' });
    try {
      const cappedStaff = await capped.loginAsStaff();
      const body = `email\n${'x@example.nl\n'.repeat(100_000)}`; // 1.2 MB
      const response = await cappedStaff.request({ method: 'POST', url: '/api/v1/imports?fileName=big.csv', headers: { 'content-type': 'application/octet-stream' }, payload: Buffer.from(body) });
      expect(response.statusCode).toBe(413);
    } finally {
      await capped.close();
    }
    expect(await s3.objectKeys()).toEqual(before);
    expect(await s3.pendingUploads()).toEqual([]);
  }, 60_000);

  it('refuses an empty file and a PDF, sniffed from the bucket, keeping neither', async () => {
    const before = await s3.objectKeys();
    for (const name of ['empty.csv', 'pdf-renamed.csv']) {
      const response = await staff.request({ method: 'POST', url: `/api/v1/imports?fileName=${name}`, headers: { 'content-type': 'application/octet-stream' }, payload: fixture(name) });
      expect(response.statusCode, `${name}: ${response.body}`).toBe(422);
    }
    expect(await s3.objectKeys()).toEqual(before);
  });

  it('exports to the bucket and streams the download from it through our route', async () => {
    const created = await staff.request({ method: 'POST', url: '/api/v1/exports', payload: { type: 'customers', format: 'csv' } });
    expect(created.statusCode, created.body).toBe(202);
    const id = (created.json() as ExportRecord).id;
    let record: ExportRecord | undefined;
    for (const deadline = Date.now() + 20_000; Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 100))) {
      record = (await staff.request({ method: 'GET', url: `/api/v1/exports/${id}` })).json() as ExportRecord;
      if (record.status !== 'processing') break;
    }
    expect(record?.status).toBe('ready');
    const download = await staff.request({ method: 'GET', url: record!.downloadUrl! });
    expect(download.statusCode).toBe(200);
    expect(download.headers['content-disposition']).toBe(`attachment; filename="${record!.fileName}"`);
    expect(Number(download.headers['content-length'])).toBe(record!.sizeBytes);
    const text = download.rawPayload.toString('utf8');
    expect(text).toContain('renee.jansen@example.nl');
    expect(text).toContain('bucket@example.nl');
    expect(await s3.objectKeys()).toContain(`shop-a/${await fileKeyOf('exports', id)}`);
    expect(await filesOnDisk()).toEqual([]);
  }, 60_000);
});

describe('configuring the S3 file store', () => {
  const credentials = { AWS_ACCESS_KEY_ID: s3Credentials.accessKeyId, AWS_SECRET_ACCESS_KEY: s3Credentials.secretAccessKey };

  it('refuses FILE_STORE=s3 without a bucket, and a bucket without FILE_STORE=s3, naming the variable', async () => {
    const withoutBucket = await runCli(['serve'], { FILE_STORE: 's3' });
    expect(withoutBucket.code).toBe(1);
    expect(withoutBucket.stderr).toContain('S3_BUCKET="": is required when FILE_STORE=s3');
    const withoutStore = await runCli(['serve'], { S3_BUCKET: 'my-shop-files' });
    expect(withoutStore.code).toBe(1);
    expect(withoutStore.stderr).toContain('S3_BUCKET="my-shop-files": is set, but FILE_STORE is not s3');
  });

  it('stops at startup, in one line, when the bucket does not exist', async () => {
    const run = await runCli(['serve'], { ...s3.env, ...credentials, S3_BUCKET: 'no-such-bucket', PORT: '0' });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/The file store cannot use the S3 bucket "no-such-bucket" at http:\/\/127\.0\.0\.1:\d+: it does not exist/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(run.stdout).not.toContain('Clientele is running');
  });
});

import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalFileStore, type FileStore } from '../../src/files/file-store.ts';
import { createTestApp, type StaffAgent, type TestApp } from '../support/test-app.ts';
import { upload, uploadOk } from '../imports/import-helpers.ts';

/** The file store fails while an upload is written (a full disk): a clear error, and nothing half-kept. */
let app: TestApp;
let staff: StaffAgent;
let storeDir: string;
let isDiskFull = false;

/** The real local store, whose writes fail with ENOSPC after 64 KiB while `isDiskFull`. */
function fillingStore(root: string): FileStore {
  const store = createLocalFileStore(root);
  return {
    ...store,
    save: (source, options) => {
      if (!isDiskFull) return store.save(source, options);
      async function* disk() {
        let written = 0;
        for await (const chunk of source) {
          written += (chunk as Buffer).length;
          if (written > 64 * 1024) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
          yield chunk as Buffer;
        }
      }
      return store.save(Readable.from(disk()), options);
    },
  };
}

beforeAll(async () => {
  storeDir = await mkdtemp(path.join(os.tmpdir(), 'clientele-full-disk-'));
  app = await createTestApp({}, { fileStore: fillingStore(storeDir) });
  staff = await app.loginAsStaff();
});
afterAll(async () => {
  await app.close();
  await rm(storeDir, { recursive: true, force: true });
});

const body = (rows: number) => ['E-mail,First name,Last name', ...Array.from({ length: rows }, (_, index) => `row${index}@example.com,Row,Number ${index}`)].join('\n');

describe('a full disk while uploading', () => {
  it('answers 503 with a message a shop owner understands, and keeps no import and no file', async () => {
    isDiskFull = true;
    const response = await upload(staff, 'big.csv', body(5000));
    expect(response.statusCode).toBe(503);
    expect(response.json().error).toMatchObject({ code: 'unavailable', reason: 'file_store', message: expect.stringContaining('could not be stored') });
    expect(Number((await app.services.db.pool.query('SELECT count(*) FROM imports')).rows[0].count)).toBe(0);
    expect(await readdir(storeDir, { recursive: true }).then((names) => names.filter((name) => name.includes('.')))).toEqual([]);
  });

  it('works again once there is room, and the server stayed up', async () => {
    isDiskFull = false;
    expect((await uploadOk(staff, 'big.csv', body(5000))).status).toBe('mapping');
    expect((await app.http.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
  });
});

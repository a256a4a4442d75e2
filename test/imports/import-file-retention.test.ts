import { mkdtemp, readdir, rm, utimes, writeFile, mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalFileStore } from '../../src/files/file-store.ts';
import { createTestApp, type StaffAgent, type TestApp } from '../support/test-app.ts';
import { importFile, post, uploadOk, waitForStatus } from './import-helpers.ts';

/**
 * Issue #18: uploaded files are kept for a retention period (IMPORT_FILE_RETENTION_DAYS) and then
 * deleted; the import stays in the history with its report, rejected rows and undo, says when
 * its file went, and refuses what would read the file, in the staff user's language. Files a
 * run is reading are left alone. Files half-written by a crashed process are swept at start.
 */

const day = 86_400_000;
let now = Date.parse('2026-11-01T09:00:00Z');
const clock = { now: () => new Date(now) };
let app: TestApp;
let staff: StaffAgent;
let dutch: StaffAgent;

beforeAll(async () => {
  app = await createTestApp({ IMPORT_FILE_RETENTION_DAYS: '30' }, { clock });
  await app.services.startWorkers();
  staff = await app.loginAsStaff();
  dutch = await app.loginAsStaff({ language: 'nl' });
}, 60_000);
afterAll(() => app.close());

const fileKeyOf = async (id: number) =>
  (await app.services.db.pool.query<{ file_key: string }>('SELECT file_key FROM imports WHERE id = $1', [id])).rows[0]!.file_key;
const fileExists = async (id: number) => (await app.services.fileStore.sizeOf(await fileKeyOf(id))) !== undefined;

describe('uploaded files past their retention period', () => {
  it('are deleted; the import keeps its report, rejected rows and undo, and refuses to read the file again', async () => {
    const file = ['E-mail,First name,Last name', 'kept@shop.test,Kim,Kept', 'not-an-address,No,Good'].join('\n');
    const finished = await importFile(staff, 'old.csv', file);
    expect(finished.counts).toMatchObject({ created: 1, rejected: 1 });
    const abandoned = await uploadOk(dutch, 'halverwege.csv', file);
    const running = await uploadOk(staff, 'running.csv', file);
    await app.services.db.pool.query("UPDATE imports SET status = 'processing' WHERE id = $1", [running.id]);

    now += 29 * day;
    await app.services.imports.sweepExpiredFiles();
    expect(await fileExists(finished.id)).toBe(true);

    now += 2 * day;
    // A month on, the staff log in again (sessions last a week).
    staff = await app.loginAsStaff();
    dutch = await app.loginAsStaff({ language: 'nl' });
    const list = await staff.request({ method: 'GET', url: '/api/v1/imports' });
    expect(list.statusCode).toBe(200);
    expect(await fileExists(finished.id)).toBe(false);
    expect(await fileExists(abandoned.id)).toBe(false);
    // A run may be reading this one: it stays until the run ends.
    expect(await fileExists(running.id)).toBe(true);
    const detail = (await staff.request({ method: 'GET', url: `/api/v1/imports/${finished.id}` })).json();
    expect(detail).toMatchObject({ fileDeletedAt: new Date(now).toISOString(), counts: { created: 1, rejected: 1 } });

    // The report outlives the file: the rejected rows, as a file too, and undo.
    const rejected = await staff.request({ method: 'GET', url: `/api/v1/imports/${finished.id}/rejected-rows` });
    expect(rejected.statusCode).toBe(200);
    expect(rejected.body).toContain('not-an-address');
    expect((await post(staff, `/api/v1/imports/${finished.id}/undo`)).statusCode).toBe(202);
    await waitForStatus(staff, finished.id, ['undone']);

    // What would read the file says why it cannot, in the staff user's language.
    const check = await post(dutch, `/api/v1/imports/${abandoned.id}/check`, {});
    expect(check.statusCode).toBe(409);
    expect(check.json().error.message).toContain('Het geüploade bestand is op 2026-12-02 verwijderd');
    const start = await post(staff, `/api/v1/imports/${abandoned.id}/start`);
    expect(start.statusCode).toBe(409);
    expect(start.json().error.message).toContain('The uploaded file was deleted on 2026-12-02');
  });
});

describe('files half-written by a crashed process', () => {
  it('are swept when a process starts, unless a live process may still be writing them', async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), 'clientele-partials-'));
    try {
      await mkdir(path.join(root, 'imports', '2026-12'), { recursive: true });
      const old = path.join(root, 'imports', '2026-12', 'a.csv.partial');
      const fresh = path.join(root, 'imports', '2026-12', 'b.csv.partial');
      const whole = path.join(root, 'imports', '2026-12', 'c.csv');
      for (const file of [old, fresh, whole]) await writeFile(file, 'x');
      const twoHoursAgo = new Date(Date.now() - 2 * 3_600_000);
      await utimes(old, twoHoursAgo, twoHoursAgo);
      await utimes(whole, twoHoursAgo, twoHoursAgo);
      const store = createLocalFileStore(root);
      expect(await store.sweepPartials!(new Date(Date.now() - 3_600_000))).toBe(1);
      expect((await readdir(path.join(root, 'imports', '2026-12'))).sort()).toEqual(['b.csv.partial', 'c.csv']);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});

import path from 'node:path';
import type { ExportCreateInput, ExportRecord } from '../../src/exports/export.schemas.ts';
import type { TestApp } from '../support/test-app.ts';

/** A staff user per test app, for exports started through the service. */
const staffOf = new WeakMap<TestApp, { id: number; language: 'en' | 'nl' }>();

export async function exportStaff(app: TestApp): Promise<{ id: number; language: 'en' | 'nl' }> {
  let staff = staffOf.get(app);
  if (!staff) {
    const user = await app.services.staff.createUser({
      email: `exporter-${Date.now()}@example.com`,
      name: 'Export Tester',
      password: 'export tester password',
      language: 'en',
    });
    staff = { id: user.id, language: 'en' };
    staffOf.set(app, staff);
  }
  return staff;
}

/**
 * Creates an export through the service, runs its job handler in this process, and returns the
 * ready export. Where the test app's workers run too, the queue delivers the same job to them at
 * once, and either run may finish first: the other then finds the export ready and does nothing
 * ('skipped') or removes its own second file ('deleted') — the export is ready either way.
 */
export async function runExport(app: TestApp, input: ExportCreateInput): Promise<ExportRecord> {
  const created = await app.services.exports.create(input, await exportStaff(app));
  const outcome = await app.services.runExport(created.id);
  const record = await app.services.exports.get(created.id);
  if (outcome !== 'ready' && record.status !== 'ready')
    throw new Error(`Export ${created.id} ended ${outcome}: ${JSON.stringify(record.failure)}`);
  return record;
}

/** The ready export's file in the test app's (local) file store. */
export async function exportToLocalFile(app: TestApp, input: ExportCreateInput): Promise<string> {
  const record = await runExport(app, input);
  const row = await app.services.db.pool.query<{ file_key: string }>(
    'SELECT file_key FROM exports WHERE id = $1',
    [record.id],
  );
  return path.join(app.config.fileStoreDir, row.rows[0]!.file_key);
}

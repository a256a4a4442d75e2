import type { RunDeps } from './apply.ts';

/** Statuses whose file a run may be reading: their file is never swept. */
const readingStatuses = ['checking', 'queued', 'processing', 'undoing'];

/**
 * Uploaded files older than the retention period go (the import and its report stay, with the
 * day its file went). Files a run may be reading are left until it ends. Each file is deleted
 * before its import says so, so a crash in between leaves no file behind for good: the next
 * sweep deletes it again (deleting a missing file succeeds) and records it.
 */
export async function sweepExpiredImportFiles(
  deps: Pick<RunDeps, 'db' | 'clock' | 'fileStore'> & { fileRetentionDays?: number },
): Promise<number> {
  const { db, clock, fileStore } = deps;
  const days = deps.fileRetentionDays ?? 30;
  const now = clock.now();
  const { rows } = await db.pool.query<{ id: number; file_key: string }>(
    `SELECT id, file_key FROM imports
      WHERE file_deleted_at IS NULL AND created_at < $1 AND status <> ALL($2::text[])
      ORDER BY created_at LIMIT 500`,
    [new Date(now.getTime() - days * 86_400_000), readingStatuses],
  );
  for (const row of rows) {
    await fileStore.delete(row.file_key);
    await db.pool.query('UPDATE imports SET file_deleted_at = $2 WHERE id = $1 AND file_deleted_at IS NULL', [row.id, now]);
  }
  return rows.length;
}

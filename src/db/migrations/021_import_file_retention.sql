-- Issue #18: uploaded files are kept for a retention period (IMPORT_FILE_RETENTION_DAYS, default
-- 30) and then deleted; the import keeps its report (counts, rejected and warned rows, changes
-- for undo, all in the database) and says when its file went.
ALTER TABLE imports ADD COLUMN file_deleted_at timestamptz;
CREATE INDEX imports_file_retention_idx ON imports (created_at) WHERE file_deleted_at IS NULL;

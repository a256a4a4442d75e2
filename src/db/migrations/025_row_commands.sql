-- Issue #17, point 6: row commands (new, merge, update, delete, ignore) and deleting by file.
-- An import's deletions are one deletion batch of the bulk delete's kind (snapshots of each
-- customer with its groups, flags, addresses, consent history), held as long as the import can
-- be undone, restored by the import's undo and never listed under "Recently deleted".

ALTER TABLE imports
  ADD COLUMN deleted_count int NOT NULL DEFAULT 0,
  ADD COLUMN ignored_count int NOT NULL DEFAULT 0;

ALTER TABLE customer_deletions ADD COLUMN import_id bigint REFERENCES imports (id) ON DELETE SET NULL;
CREATE UNIQUE INDEX customer_deletions_import ON customer_deletions (import_id) WHERE import_id IS NOT NULL;

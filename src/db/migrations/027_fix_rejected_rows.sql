-- Issue #18, point 1: fixing rejected rows in the app. Every edit of a rejected row's cell is
-- saved with the import (what the file said, the new value, who, when), so leaving the page or
-- a restart loses nothing; the row is checked again with the import's own rules at every edit.

CREATE TABLE import_row_edits (
  import_id    bigint NOT NULL REFERENCES imports (id) ON DELETE CASCADE,
  row_number   integer NOT NULL,
  column_index integer NOT NULL CHECK (column_index >= 0),
  original     text NOT NULL,                 -- the cell as the file had it
  value        text NOT NULL,                 -- the cell as the staff made it
  edited_by    bigint REFERENCES staff_users (id) ON DELETE SET NULL,
  edited_at    timestamptz NOT NULL,
  PRIMARY KEY (import_id, row_number, column_index)
);

-- The problems of an edited row when it was checked again (NULL: never edited, `errors` holds);
-- and the follow-up import its (fixed) row went into, once "Import the fixed rows" took it.
ALTER TABLE import_rejections
  ADD COLUMN rechecked_errors jsonb,
  ADD COLUMN fixed_in_import_id bigint REFERENCES imports (id) ON DELETE SET NULL;

-- "Import the fixed rows": the import whose rejected rows, fixed in the app, this one imports.
ALTER TABLE imports ADD COLUMN parent_import_id bigint REFERENCES imports (id) ON DELETE SET NULL;
CREATE INDEX imports_parent_idx ON imports (parent_import_id) WHERE parent_import_id IS NOT NULL;

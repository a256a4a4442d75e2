-- Issue #20: a first import into a store that is small next to its file loads the customers
-- first and builds the secondary indexes afterwards (src/customers/deferred-indexes.ts). Each
-- index dropped for the load is written here in the transaction that drops it, and deleted in
-- the transaction that builds it again: whatever dies when, a row here names an index to build,
-- and no index is missing without its row.
CREATE TABLE deferred_indexes (
  name text PRIMARY KEY,
  definition text NOT NULL,
  import_id bigint REFERENCES imports (id) ON DELETE SET NULL,
  deferred_at timestamptz NOT NULL
);

-- Since when the import builds the indexes it loaded without (its last step): its progress says so.
ALTER TABLE imports ADD COLUMN building_indexes_since timestamptz;

-- Issue #22 point 5: bulk delete with an undo for an hour.
--
-- A bulk delete moves the customers out of `customers` (so no list, search, export, import
-- match, storefront login or unique index sees them any more) into a snapshot per deletion:
-- the row as it was (`to_jsonb`) and what hangs on it (group memberships, flags, remembered
-- browsers, finished e-mails). Undo puts the rows back with their ids and versions. Their
-- e-mail addresses are free meanwhile: a customer created with the same address in that hour
-- wins, and undo reports the deleted one as not restorable instead of merging two people.
-- After the hour the snapshots are purged; the deletion row stays as the record of who deleted
-- how many customers when (and whether it was undone).
CREATE TABLE customer_deletions (
  id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  customer_count integer NOT NULL,
  deleted_by     bigint REFERENCES staff_users (id) ON DELETE SET NULL,
  deleted_at     timestamptz NOT NULL,
  undo_until     timestamptz NOT NULL,
  -- A few of the addresses, so staff recognise the deletion; emptied at the purge.
  sample_emails  text[] NOT NULL DEFAULT '{}',
  restored_count integer NOT NULL DEFAULT 0,
  restored_by    bigint REFERENCES staff_users (id) ON DELETE SET NULL,
  restored_at    timestamptz,
  purged_at      timestamptz
);
CREATE INDEX customer_deletions_deleted_idx ON customer_deletions (deleted_at DESC);

CREATE TABLE deleted_customers (
  deletion_id   bigint NOT NULL REFERENCES customer_deletions (id) ON DELETE CASCADE,
  customer_id   bigint NOT NULL,
  email         text NOT NULL,
  customer      jsonb NOT NULL,  -- to_jsonb(customers row)
  memberships   jsonb NOT NULL,  -- customer_group_members rows
  flags         jsonb NOT NULL,  -- customer_flags rows
  known_clients jsonb NOT NULL,  -- customer_known_clients rows
  mails         jsonb NOT NULL,  -- mail_outbox rows that are done (sent, failed, skipped)
  PRIMARY KEY (deletion_id, customer_id)
);

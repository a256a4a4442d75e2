-- Issue #16: the import type "Customer addresses" (an address file, one row per address).
-- An address file also changes addresses (the same place with another label, name, company or
-- phone) and removes them (address command "delete"); the import counts both ...
ALTER TABLE imports ADD COLUMN addresses_changed integer NOT NULL DEFAULT 0;
ALTER TABLE imports ADD COLUMN addresses_removed integer NOT NULL DEFAULT 0;

-- ... and keeps what they were before, so undo can put them back: a changed address gets its
-- parts back while it still holds what the import wrote (`written`): a later change by anyone
-- else keeps that change; a removed one comes back unless the same place is in the book again.
CREATE TABLE import_address_changes (
  import_id   bigint NOT NULL REFERENCES imports (id) ON DELETE CASCADE,
  address_id  bigint NOT NULL,
  customer_id bigint NOT NULL,
  action      text NOT NULL CHECK (action IN ('changed', 'removed')),
  before      jsonb NOT NULL,
  written     jsonb,
  PRIMARY KEY (import_id, address_id)
);

-- The address command "replace": the file's addresses become the customer's whole book. The
-- addresses each row named are kept here (only for files with an address command column), and
-- the customers that have a "replace" row; when the whole file is in, the other addresses of
-- those customers are removed (and kept in import_address_changes for undo).
CREATE TABLE import_address_keep (
  import_id   bigint NOT NULL REFERENCES imports (id) ON DELETE CASCADE,
  customer_id bigint NOT NULL,
  address_id  bigint,              -- NULL: the row marks its customer's book as replaced
  is_replace  boolean NOT NULL DEFAULT false
);
CREATE INDEX import_address_keep_idx ON import_address_keep (import_id, customer_id);

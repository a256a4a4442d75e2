-- Issue #17, point 5: privacy requests. An erasure removes a customer's personal data everywhere
-- it is held and leaves two things behind, neither of which holds personal data in the clear:
--   * an audit entry: who erased which customer number (the internal id) when, and how much;
--   * the customer's keys (e-mail address, external id / customer number) as SHA-256 hashes, so a
--     re-import of an old file recognises the row and leaves it out instead of bringing the
--     person back.

CREATE TABLE privacy_erasures (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  customer_id bigint NOT NULL,                    -- the internal number the customer had; no foreign key
  erased_by   bigint REFERENCES staff_users (id) ON DELETE SET NULL,
  erased_at   timestamptz NOT NULL,
  counts      jsonb NOT NULL                      -- {"addresses": 2, "mails": 3, …}: what was erased
);

CREATE TABLE erased_keys (
  key_hash   text PRIMARY KEY,                    -- hex SHA-256 of "email:<address, lower case>" or "external_id:<id>"
  erasure_id bigint NOT NULL REFERENCES privacy_erasures (id) ON DELETE CASCADE
);

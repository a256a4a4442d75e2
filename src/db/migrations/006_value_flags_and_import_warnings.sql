-- Issue #15: an import rejects a row only for what the customer cannot exist without (its match
-- key, the required names). Every other bad value is a warning: the customer is imported and the
-- value kept as typed and flagged (or left out). This stores the flags on customers and the
-- warnings of each import.

-- A value that failed validation but was kept (or could not be stored in its column, e.g. a date
-- that does not exist), with the reason. A flag is open while the column still holds what the
-- import wrote (`stored_value`, compared as text with to_jsonb(customers) ->> column_name): a
-- corrected value, from the back office, the API or a later import, closes it without anyone
-- having to remember the flag. Staff may also dismiss a flag (keep the value): the row is deleted.
CREATE TABLE customer_flags (
  customer_id  bigint NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
  field        text NOT NULL,                 -- the import's field key: mobile, billing.postcode, birthDate
  column_name  text,                          -- the customers column holding it (NULL when none, e.g. groups)
  value        text NOT NULL,                 -- as typed in the file
  stored_value text,                          -- what the column held after the import, as text (NULL = NULL)
  code         text NOT NULL,                 -- why: phone_unassigned, postcode_not_issued, date_invalid, …
  message      text NOT NULL,                 -- in English; `params` fill the other languages
  params       jsonb NOT NULL DEFAULT '{}',
  import_id    bigint REFERENCES imports (id) ON DELETE SET NULL,
  row_number   integer,
  created_at   timestamptz NOT NULL,
  PRIMARY KEY (customer_id, field)
);

-- The rows an import took in with warnings: the row as it was in the file (extra cells of a
-- ragged row included) and every warning, for the report and the warnings download.
CREATE TABLE import_warnings (
  import_id  bigint NOT NULL REFERENCES imports (id) ON DELETE CASCADE,
  row_number integer NOT NULL,
  cells      text[] NOT NULL,
  warnings   jsonb NOT NULL,
  PRIMARY KEY (import_id, row_number)
);

ALTER TABLE imports
  ADD COLUMN warned_count            integer NOT NULL DEFAULT 0,  -- rows imported with a warning
  ADD COLUMN passwords_dropped_count integer NOT NULL DEFAULT 0;  -- customers imported without their unverifiable password hash

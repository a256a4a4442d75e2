-- Issue #15 (import options): the customer's registration date kept from the old shop, the
-- rows a duplicate rule did not import on their own, and the import a new one was based on.

-- "Customer since": the date the customer registered, as the old shop knew it. Empty means
-- "not known" (the screens then show the date the customer was created in Clientele).
ALTER TABLE customers ADD COLUMN customer_since date;
CREATE INDEX customers_customer_since_idx ON customers (customer_since) WHERE customer_since IS NOT NULL;

-- Rows of a file that the duplicate rule "last row wins" or "combine" did not import on their
-- own: replaced by a later row of the same customer, or combined into its first row.
ALTER TABLE imports ADD COLUMN duplicate_count integer NOT NULL DEFAULT 0;
CREATE TABLE import_duplicate_rows (
  import_id  bigint NOT NULL REFERENCES imports (id) ON DELETE CASCADE,
  row_number integer NOT NULL,
  action     text NOT NULL CHECK (action IN ('replaced', 'combined')),
  into_row   integer NOT NULL,
  PRIMARY KEY (import_id, row_number)
);

-- "Import the corrected file": the import whose mapping, options and accepted fixes it started with.
ALTER TABLE imports ADD COLUMN based_on_import_id bigint REFERENCES imports (id) ON DELETE SET NULL;

-- Notes keep one line ending, \n, as the importer reads them (CR LF made export → import change them).
UPDATE customers SET notes = replace(replace(notes, E'\r\n', E'\n'), E'\r', E'\n') WHERE strpos(notes, E'\r') > 0;

-- Partial search finds a customer by the city or postcode of any address: that text now lives on
-- the address itself (trigram-indexed), no longer gathered onto the customer row.
-- Why: gathering it made every added address rewrite its customer's row, and through it every
-- index of customers (a non-HOT update): an address file imported at 1.3× the pace of a
-- customers file. An address row and its own small index cost less than that.
DROP TRIGGER customer_addresses_search_after_insert ON customer_addresses;
DROP TRIGGER customer_addresses_search_after_update ON customer_addresses;
DROP TRIGGER customer_addresses_search_after_delete ON customer_addresses;
DROP FUNCTION customer_addresses_refresh_search();
DROP FUNCTION customer_address_search_text(bigint);
ALTER TABLE customers DROP COLUMN address_search_text;

-- Folded as before: city, postcode as typed and postcode without its space. The default billing
-- address is in customers.search_text already, so only the other rows are indexed.
ALTER TABLE customer_addresses ADD COLUMN search_text text
  GENERATED ALWAYS AS (clientele_fold(city || ' ' || postcode || ' ' || replace(postcode, ' ', ''))) STORED;
CREATE INDEX customer_addresses_search_trgm_idx ON customer_addresses USING gin (search_text gin_trgm_ops)
  WHERE NOT is_default_billing;

-- Undo of an address file puts the defaults back where they were: per customer and kind, the
-- address that was the default before the import moved it (NULL: none) and the one the import
-- left as the default (NULL: none). Undo moves a default back only while it is still where the
-- import put it: a default chosen since by anyone else stays.
CREATE TABLE import_address_defaults (
  import_id   bigint NOT NULL REFERENCES imports (id) ON DELETE CASCADE,
  customer_id bigint NOT NULL,
  kind        text NOT NULL CHECK (kind IN ('billing', 'shipping')),
  before_id   bigint,
  written_id  bigint,
  PRIMARY KEY (import_id, customer_id, kind)
);

-- Issue #16: the address book. A customer has any number of addresses; one is the default
-- billing address and one the default shipping address (the same row when shipping is "same as
-- billing").
--
-- The book (`customer_addresses`) holds every address. The customer row keeps its default
-- billing and shipping addresses in the columns it always had (`billing_*`, `shipping_*`): list,
-- search, overview counts, the customers export and every import's comparison read them there,
-- in one row, at the speed they always had. The two are one truth in two places, kept together
-- by the triggers below, in the same transaction as the write:
-- - a write to the customer's address columns (form, API, storefront, import, undo) updates the
--   book's default rows (statement-level, set-based, only for rows whose addresses changed);
-- - code that changes the book's defaults moves the default flags first and then writes the
--   customer's columns, so the trigger finds the right row already flagged.
-- Nothing leaves the book by accident: when shipping becomes "same as billing", the old shipping
-- address stays in the book as a plain address. A default row goes only when its address is
-- emptied on purpose (the staff clears it; an import never empties an address).

CREATE TABLE customer_addresses (
  id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  customer_id         bigint NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
  label               text NOT NULL DEFAULT '',   -- "Home", "Warehouse"
  attention           text NOT NULL DEFAULT '',   -- the name on the label
  company             text NOT NULL DEFAULT '',
  street              text NOT NULL DEFAULT '',
  number              text NOT NULL DEFAULT '',
  extension           text NOT NULL DEFAULT '',
  address2            text NOT NULL DEFAULT '',
  postcode            text NOT NULL DEFAULT '',
  city                text NOT NULL DEFAULT '',
  region              text NOT NULL DEFAULT '',
  country             text NOT NULL DEFAULT '',
  phone               text NOT NULL DEFAULT '',
  is_default_billing  boolean NOT NULL DEFAULT false,
  is_default_shipping boolean NOT NULL DEFAULT false,
  import_id           bigint,                     -- the import that added it, if one did
  created_at          timestamptz NOT NULL DEFAULT now(),
  updated_at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX customer_addresses_customer_idx ON customer_addresses (customer_id, id);
CREATE UNIQUE INDEX customer_addresses_default_billing_key ON customer_addresses (customer_id) WHERE is_default_billing;
CREATE UNIQUE INDEX customer_addresses_default_shipping_key ON customer_addresses (customer_id) WHERE is_default_shipping;

-- Folding for the book's search text, in SQL because the book's rows are also written by the
-- triggers: decomposed, combining accents removed, lower case (the application folds what is
-- typed in the search box the same way for the letters addresses use).
CREATE FUNCTION clientele_fold(value text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT lower(regexp_replace(normalize(value, NFKD), '[\u0300-\u036f]', '', 'g'))
$$;

-- Partial search finds a customer by the city or postcode of any address. The default billing
-- address is in `search_text` already (built by the application); the others are folded here.
ALTER TABLE customers ADD COLUMN address_search_text text NOT NULL DEFAULT '';
CREATE INDEX customers_address_search_trgm_idx ON customers USING gin (address_search_text gin_trgm_ops);

CREATE FUNCTION customer_address_search_text(customer bigint) RETURNS text LANGUAGE sql STABLE AS $$
  SELECT coalesce(string_agg(clientele_fold(a.city || ' ' || a.postcode || ' ' || replace(a.postcode, ' ', '')), ' ' ORDER BY a.id), '')
    FROM customer_addresses a
   WHERE a.customer_id = customer AND NOT a.is_default_billing
$$;

-- customers → book: the default rows follow the customer's address columns.
CREATE FUNCTION customer_addresses_follow_customers() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    -- New customers have no book yet (a restored one's went with its deletion): their default
    -- addresses are simply added, in two set-based statements.
    INSERT INTO customer_addresses (customer_id, attention, street, number, extension, address2, postcode, city,
                                    region, country, is_default_billing, is_default_shipping, import_id)
    SELECT c.id, c.billing_attention, c.billing_street, c.billing_number, c.billing_extension, c.billing_address2,
           c.billing_postcode, c.billing_city, c.billing_region, c.billing_country, true, c.shipping_same_as_billing,
           NULL::bigint
      FROM new_rows c
     WHERE (c.billing_attention || c.billing_street || c.billing_number || c.billing_extension || c.billing_address2
            || c.billing_postcode || c.billing_city || c.billing_region || c.billing_country) <> ''
    ON CONFLICT DO NOTHING;
    INSERT INTO customer_addresses (customer_id, attention, company, street, number, extension, address2, postcode,
                                    city, region, country, is_default_billing, is_default_shipping, import_id)
    SELECT c.id, c.shipping_attention, c.shipping_company, c.shipping_street, c.shipping_number, c.shipping_extension,
           c.shipping_address2, c.shipping_postcode, c.shipping_city, c.shipping_region, c.shipping_country, false, true,
           NULL::bigint
      FROM new_rows c
     WHERE NOT c.shipping_same_as_billing
       AND (c.shipping_attention || c.shipping_company || c.shipping_street || c.shipping_number || c.shipping_extension
            || c.shipping_address2 || c.shipping_postcode || c.shipping_city || c.shipping_region || c.shipping_country) <> ''
    ON CONFLICT DO NOTHING;
    RETURN NULL;
  ELSE
    -- Most updates of customers touch no address (passwords, versions, consent): they stop here,
    -- without a temporary table.
    IF NOT EXISTS (SELECT 1 FROM new_rows n JOIN old_rows o ON o.id = n.id
                    WHERE (n.billing_attention, n.billing_street, n.billing_number, n.billing_extension, n.billing_address2,
            n.billing_postcode, n.billing_city, n.billing_region, n.billing_country, n.shipping_same_as_billing,
            n.shipping_attention, n.shipping_company, n.shipping_street, n.shipping_number, n.shipping_extension,
            n.shipping_address2, n.shipping_postcode, n.shipping_city, n.shipping_region, n.shipping_country) IS DISTINCT FROM (o.billing_attention, o.billing_street, o.billing_number, o.billing_extension, o.billing_address2,
            o.billing_postcode, o.billing_city, o.billing_region, o.billing_country, o.shipping_same_as_billing,
            o.shipping_attention, o.shipping_company, o.shipping_street, o.shipping_number, o.shipping_extension,
            o.shipping_address2, o.shipping_postcode, o.shipping_city, o.shipping_region, o.shipping_country)) THEN
      RETURN NULL;
    END IF;
    CREATE TEMP TABLE IF NOT EXISTS address_sync_changed (LIKE customers) ON COMMIT DROP;
    DELETE FROM address_sync_changed;
    INSERT INTO address_sync_changed SELECT n.* FROM new_rows n JOIN old_rows o ON o.id = n.id
     WHERE (n.billing_attention, n.billing_street, n.billing_number, n.billing_extension, n.billing_address2,
            n.billing_postcode, n.billing_city, n.billing_region, n.billing_country, n.shipping_same_as_billing,
            n.shipping_attention, n.shipping_company, n.shipping_street, n.shipping_number, n.shipping_extension,
            n.shipping_address2, n.shipping_postcode, n.shipping_city, n.shipping_region, n.shipping_country) IS DISTINCT FROM (o.billing_attention, o.billing_street, o.billing_number, o.billing_extension, o.billing_address2,
            o.billing_postcode, o.billing_city, o.billing_region, o.billing_country, o.shipping_same_as_billing,
            o.shipping_attention, o.shipping_company, o.shipping_street, o.shipping_number, o.shipping_extension,
            o.shipping_address2, o.shipping_postcode, o.shipping_city, o.shipping_region, o.shipping_country);
    -- The ids let every statement below reach the book through its customer index.
    PERFORM sync_default_addresses(ARRAY(SELECT id FROM address_sync_changed));
  END IF;
  RETURN NULL;
END;
$$;

-- The default rows of the customers in `address_sync_changed` (whose ids are `ids`) made to match their columns.
CREATE FUNCTION sync_default_addresses(ids bigint[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  -- Shipping now separate: the billing row stops being the shipping address.
  UPDATE customer_addresses a SET is_default_shipping = false, updated_at = now()
    FROM address_sync_changed c
   WHERE a.customer_id = ANY(ids) AND a.customer_id = c.id AND a.is_default_billing AND a.is_default_shipping AND NOT c.shipping_same_as_billing;
  -- Shipping now the billing address: the separate shipping address stays in the book, plain.
  UPDATE customer_addresses a SET is_default_shipping = false, updated_at = now()
    FROM address_sync_changed c
   WHERE a.customer_id = ANY(ids) AND a.customer_id = c.id AND a.is_default_shipping AND NOT a.is_default_billing AND c.shipping_same_as_billing;
  -- A billing address emptied on purpose.
  DELETE FROM customer_addresses a USING address_sync_changed c
   WHERE a.customer_id = ANY(ids) AND a.customer_id = c.id AND a.is_default_billing
     AND (c.billing_attention || c.billing_street || c.billing_number || c.billing_extension || c.billing_address2
          || c.billing_postcode || c.billing_city || c.billing_region || c.billing_country) = '';
  INSERT INTO customer_addresses (customer_id, attention, street, number, extension, address2, postcode, city,
                                  region, country, is_default_billing, is_default_shipping, import_id)
  SELECT c.id, c.billing_attention, c.billing_street, c.billing_number, c.billing_extension, c.billing_address2,
         c.billing_postcode, c.billing_city, c.billing_region, c.billing_country, true, c.shipping_same_as_billing,
         NULL::bigint
    FROM address_sync_changed c
   WHERE (c.billing_attention || c.billing_street || c.billing_number || c.billing_extension || c.billing_address2
          || c.billing_postcode || c.billing_city || c.billing_region || c.billing_country) <> ''
  ON CONFLICT (customer_id) WHERE is_default_billing DO UPDATE
     SET attention = EXCLUDED.attention, street = EXCLUDED.street, number = EXCLUDED.number,
         extension = EXCLUDED.extension, address2 = EXCLUDED.address2, postcode = EXCLUDED.postcode,
         city = EXCLUDED.city, region = EXCLUDED.region, country = EXCLUDED.country,
         is_default_shipping = EXCLUDED.is_default_shipping, updated_at = now()
   WHERE (customer_addresses.attention, customer_addresses.street, customer_addresses.number,
          customer_addresses.extension, customer_addresses.address2, customer_addresses.postcode,
          customer_addresses.city, customer_addresses.region, customer_addresses.country,
          customer_addresses.is_default_shipping)
         IS DISTINCT FROM
         (EXCLUDED.attention, EXCLUDED.street, EXCLUDED.number, EXCLUDED.extension, EXCLUDED.address2,
          EXCLUDED.postcode, EXCLUDED.city, EXCLUDED.region, EXCLUDED.country, EXCLUDED.is_default_shipping);
  -- A separate shipping address emptied on purpose.
  DELETE FROM customer_addresses a USING address_sync_changed c
   WHERE a.customer_id = ANY(ids) AND a.customer_id = c.id AND a.is_default_shipping AND NOT a.is_default_billing AND NOT c.shipping_same_as_billing
     AND (c.shipping_attention || c.shipping_company || c.shipping_street || c.shipping_number || c.shipping_extension
          || c.shipping_address2 || c.shipping_postcode || c.shipping_city || c.shipping_region || c.shipping_country) = '';
  INSERT INTO customer_addresses (customer_id, attention, company, street, number, extension, address2, postcode,
                                  city, region, country, is_default_billing, is_default_shipping, import_id)
  SELECT c.id, c.shipping_attention, c.shipping_company, c.shipping_street, c.shipping_number, c.shipping_extension,
         c.shipping_address2, c.shipping_postcode, c.shipping_city, c.shipping_region, c.shipping_country, false, true,
         NULL::bigint
    FROM address_sync_changed c
   WHERE NOT c.shipping_same_as_billing
     AND (c.shipping_attention || c.shipping_company || c.shipping_street || c.shipping_number || c.shipping_extension
          || c.shipping_address2 || c.shipping_postcode || c.shipping_city || c.shipping_region || c.shipping_country) <> ''
  ON CONFLICT (customer_id) WHERE is_default_shipping DO UPDATE
     SET attention = EXCLUDED.attention, company = EXCLUDED.company, street = EXCLUDED.street,
         number = EXCLUDED.number, extension = EXCLUDED.extension, address2 = EXCLUDED.address2,
         postcode = EXCLUDED.postcode, city = EXCLUDED.city, region = EXCLUDED.region, country = EXCLUDED.country,
         updated_at = now()
   WHERE (customer_addresses.attention, customer_addresses.company, customer_addresses.street,
          customer_addresses.number, customer_addresses.extension, customer_addresses.address2,
          customer_addresses.postcode, customer_addresses.city, customer_addresses.region, customer_addresses.country)
         IS DISTINCT FROM
         (EXCLUDED.attention, EXCLUDED.company, EXCLUDED.street, EXCLUDED.number, EXCLUDED.extension,
          EXCLUDED.address2, EXCLUDED.postcode, EXCLUDED.city, EXCLUDED.region, EXCLUDED.country);
END;
$$;

CREATE TRIGGER customers_addresses_after_insert AFTER INSERT ON customers
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION customer_addresses_follow_customers();
CREATE TRIGGER customers_addresses_after_update AFTER UPDATE ON customers
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION customer_addresses_follow_customers();

-- book → customers: the search text of the addresses other than the default billing one.
CREATE FUNCTION customer_addresses_refresh_search() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  ids bigint[];
BEGIN
  -- The customers with an address other than the default billing one among the rows written:
  -- usually none (an import's first addresses are defaults), and then nothing more happens.
  IF TG_OP = 'INSERT' THEN
    ids := ARRAY(SELECT DISTINCT customer_id FROM new_rows WHERE NOT is_default_billing);
  ELSIF TG_OP = 'DELETE' THEN
    ids := ARRAY(SELECT DISTINCT customer_id FROM old_rows WHERE NOT is_default_billing);
  ELSE
    ids := ARRAY(SELECT DISTINCT n.customer_id FROM new_rows n JOIN old_rows o ON o.id = n.id
                  WHERE (NOT n.is_default_billing OR NOT o.is_default_billing)
                    AND (n.city, n.postcode, n.is_default_billing, n.customer_id)
                        IS DISTINCT FROM (o.city, o.postcode, o.is_default_billing, o.customer_id)
                 UNION SELECT o.customer_id FROM new_rows n JOIN old_rows o ON o.id = n.id
                  WHERE n.customer_id <> o.customer_id);
  END IF;
  IF cardinality(ids) = 0 THEN
    RETURN NULL;
  END IF;
  UPDATE customers c SET address_search_text = customer_address_search_text(c.id)
   WHERE c.id = ANY(ids) AND c.address_search_text IS DISTINCT FROM customer_address_search_text(c.id);
  RETURN NULL;
END;
$$;

CREATE TRIGGER customer_addresses_search_after_insert AFTER INSERT ON customer_addresses
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION customer_addresses_refresh_search();
CREATE TRIGGER customer_addresses_search_after_update AFTER UPDATE ON customer_addresses
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION customer_addresses_refresh_search();
CREATE TRIGGER customer_addresses_search_after_delete AFTER DELETE ON customer_addresses
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION customer_addresses_refresh_search();

-- Today's addresses move into the book: every customer's billing address and, where it is not
-- the same as billing, its shipping address, as the defaults.
INSERT INTO customer_addresses (customer_id, attention, street, number, extension, address2, postcode, city,
                                  region, country, is_default_billing, is_default_shipping, import_id)
  SELECT c.id, c.billing_attention, c.billing_street, c.billing_number, c.billing_extension, c.billing_address2,
         c.billing_postcode, c.billing_city, c.billing_region, c.billing_country, true, c.shipping_same_as_billing,
         NULL::bigint
    FROM customers c
   WHERE (c.billing_attention || c.billing_street || c.billing_number || c.billing_extension || c.billing_address2
          || c.billing_postcode || c.billing_city || c.billing_region || c.billing_country) <> '';
INSERT INTO customer_addresses (customer_id, attention, company, street, number, extension, address2, postcode,
                                  city, region, country, is_default_billing, is_default_shipping, import_id)
  SELECT c.id, c.shipping_attention, c.shipping_company, c.shipping_street, c.shipping_number, c.shipping_extension,
         c.shipping_address2, c.shipping_postcode, c.shipping_city, c.shipping_region, c.shipping_country, false, true,
         NULL::bigint
    FROM customers c
   WHERE NOT c.shipping_same_as_billing
     AND (c.shipping_attention || c.shipping_company || c.shipping_street || c.shipping_number || c.shipping_extension
          || c.shipping_address2 || c.shipping_postcode || c.shipping_city || c.shipping_region || c.shipping_country) <> '';
UPDATE customers c SET address_search_text = customer_address_search_text(c.id)
 WHERE EXISTS (SELECT 1 FROM customer_addresses a WHERE a.customer_id = c.id AND NOT a.is_default_billing);

-- Bulk deletion keeps the book with the customer, so undo brings it back whole.
ALTER TABLE deleted_customers ADD COLUMN addresses jsonb NOT NULL DEFAULT '[]';

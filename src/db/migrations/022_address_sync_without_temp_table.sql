-- Issue #16 follow-up (and #20): the customers import with changed addresses was 15–19 % slower
-- than before the address book, in every run (docs/benchmarks.md). Each statement that changed a
-- customer's address columns built a temporary table of the changed rows (CREATE TEMP TABLE …
-- ON COMMIT DROP: catalog writes in every batch). The changed customers are now found as an array
-- of ids from the transition tables, and the sync reads their new values from `customers` by id.

-- The default rows of the customers `ids` made to match their address columns.
CREATE OR REPLACE FUNCTION sync_default_addresses(ids bigint[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  -- Shipping now separate: the billing row stops being the shipping address.
  UPDATE customer_addresses a SET is_default_shipping = false, updated_at = now()
    FROM customers c
   WHERE a.customer_id = ANY(ids) AND c.id = ANY(ids) AND a.customer_id = c.id AND a.is_default_billing AND a.is_default_shipping AND NOT c.shipping_same_as_billing;
  -- Shipping now the billing address: the separate shipping address stays in the book, plain.
  UPDATE customer_addresses a SET is_default_shipping = false, updated_at = now()
    FROM customers c
   WHERE a.customer_id = ANY(ids) AND c.id = ANY(ids) AND a.customer_id = c.id AND a.is_default_shipping AND NOT a.is_default_billing AND c.shipping_same_as_billing;
  -- A billing address emptied on purpose.
  DELETE FROM customer_addresses a USING customers c
   WHERE a.customer_id = ANY(ids) AND c.id = ANY(ids) AND a.customer_id = c.id AND a.is_default_billing
     AND (c.billing_attention || c.billing_street || c.billing_number || c.billing_extension || c.billing_address2
          || c.billing_postcode || c.billing_city || c.billing_region || c.billing_country) = '';
  INSERT INTO customer_addresses (customer_id, attention, street, number, extension, address2, postcode, city,
                                  region, country, is_default_billing, is_default_shipping, import_id)
  SELECT c.id, c.billing_attention, c.billing_street, c.billing_number, c.billing_extension, c.billing_address2,
         c.billing_postcode, c.billing_city, c.billing_region, c.billing_country, true, c.shipping_same_as_billing,
         NULL::bigint
    FROM customers c
   WHERE c.id = ANY(ids)
     AND (c.billing_attention || c.billing_street || c.billing_number || c.billing_extension || c.billing_address2
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
  DELETE FROM customer_addresses a USING customers c
   WHERE a.customer_id = ANY(ids) AND c.id = ANY(ids) AND a.customer_id = c.id AND a.is_default_shipping AND NOT a.is_default_billing AND NOT c.shipping_same_as_billing
     AND (c.shipping_attention || c.shipping_company || c.shipping_street || c.shipping_number || c.shipping_extension
          || c.shipping_address2 || c.shipping_postcode || c.shipping_city || c.shipping_region || c.shipping_country) = '';
  INSERT INTO customer_addresses (customer_id, attention, company, street, number, extension, address2, postcode,
                                  city, region, country, is_default_billing, is_default_shipping, import_id)
  SELECT c.id, c.shipping_attention, c.shipping_company, c.shipping_street, c.shipping_number, c.shipping_extension,
         c.shipping_address2, c.shipping_postcode, c.shipping_city, c.shipping_region, c.shipping_country, false, true,
         NULL::bigint
    FROM customers c
   WHERE c.id = ANY(ids) AND NOT c.shipping_same_as_billing
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

CREATE OR REPLACE FUNCTION customer_addresses_follow_customers() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  ids bigint[];
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
    -- The customers whose address columns changed: usually none (passwords, versions, consent),
    -- and then nothing more happens. Their new values are read from `customers` itself (an AFTER
    -- trigger sees them), by id, so no temporary table is built per statement.
    ids := ARRAY(SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
                  WHERE (n.billing_attention, n.billing_street, n.billing_number, n.billing_extension, n.billing_address2,
            n.billing_postcode, n.billing_city, n.billing_region, n.billing_country, n.shipping_same_as_billing,
            n.shipping_attention, n.shipping_company, n.shipping_street, n.shipping_number, n.shipping_extension,
            n.shipping_address2, n.shipping_postcode, n.shipping_city, n.shipping_region, n.shipping_country) IS DISTINCT FROM (o.billing_attention, o.billing_street, o.billing_number, o.billing_extension, o.billing_address2,
            o.billing_postcode, o.billing_city, o.billing_region, o.billing_country, o.shipping_same_as_billing,
            o.shipping_attention, o.shipping_company, o.shipping_street, o.shipping_number, o.shipping_extension,
            o.shipping_address2, o.shipping_postcode, o.shipping_city, o.shipping_region, o.shipping_country));
    IF cardinality(ids) > 0 THEN
      PERFORM sync_default_addresses(ids);
    END IF;
  END IF;
  RETURN NULL;
END;
$$;

-- Issue #17: an import can recognise customers by phone number (E.164, as the import stores
-- numbers). A number's match key is its digits and its leading +, so "+31 6 12345678" is
-- "+31612345678" (the application's phoneKey in src/imports/row-draft.ts does the same); the row's
-- number is looked up among the stored phone and mobile numbers. Partial: most shops leave many empty.
CREATE FUNCTION clientele_phone_key(phone text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT left(digits, 1) || replace(substr(digits, 2), '+', '')
    FROM (SELECT regexp_replace(phone, '[^0-9+]', '', 'g') AS digits) AS d
$$;
CREATE INDEX customers_phone_key_idx ON customers (clientele_phone_key(phone)) WHERE phone <> '';
CREATE INDEX customers_mobile_key_idx ON customers (clientele_phone_key(mobile)) WHERE mobile <> '';

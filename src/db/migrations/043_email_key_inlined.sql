-- clientele_email_key (migration 026) as one expression, so PostgreSQL inlines it wherever it is
-- used instead of running a SQL function per row: a body with a FROM clause is never inlined, and
-- each call cost ~5 µs. It is evaluated for every customer the duplicates scan reads, for every
-- customer row written (the partial index of migration 032: its predicate and key), and for every
-- new row of an import batch (the probable-duplicate warning). Inlined it costs well under 1 µs.
-- The results are the same for every input (test/customers/email-key-migration.test.ts), so the
-- partial index built with the old body stays valid and is not rebuilt.
CREATE OR REPLACE FUNCTION clientele_email_key(email text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE
    WHEN split_part(lower(email), '@', 2) IN ('gmail.com', 'googlemail.com')
      THEN replace(split_part(split_part(lower(email), '@', 1), '+', 1), '.', '') || '@gmail.com'
    WHEN split_part(lower(email), '@', 2) IN ('outlook.com', 'hotmail.com', 'live.com', 'live.nl', 'hotmail.nl', 'outlook.nl', 'msn.com',
                                             'icloud.com', 'me.com', 'mac.com', 'fastmail.com', 'protonmail.com', 'proton.me', 'pm.me')
      THEN split_part(split_part(lower(email), '@', 1), '+', 1) || '@' || split_part(lower(email), '@', 2)
    ELSE lower(email)
  END
$$;

-- A connection that used the index before keeps its definition cached with the old body, which no
-- longer matches the (now inlined) lookups: the rebuild makes every connection read it again. It is
-- small (only the addresses that are not their own mailbox key); the deferred-indexes mechanism of
-- migration 044 may have it dropped for a first import, then it is built when that import ends.
DO $$
BEGIN
  IF to_regclass('customers_email_variant_key') IS NOT NULL THEN
    REINDEX INDEX customers_email_variant_key;
  END IF;
END
$$;

-- Issue #22 point 9: the overview's customer counts, without a GROUP BY over every customer.
--
-- `customer_counts` holds, per dimension, how many customers have each key:
--   total          ''                  every customer
--   since_month    'YYYY-MM'           "customer since" as the list filters it: the registration
--                                      date, or the created date (UTC) when it is not known
--   since_known    'true' / 'false'    whether the registration date is known
--   created_month  'YYYY-MM'           created in Clientele (UTC)
--   country        billing country     '' when none
--   newsletter     'true' / 'false'
-- Writers never touch it: statement-level triggers append the net change of each statement to
-- `customer_count_changes` (an INSERT never waits for another transaction, so two imports never
-- block or deadlock on a hot counter row), and the reader adds the pending changes to the counts
-- and now and then folds them in (src/overview/overview.repository.ts). A rolled-back statement
-- takes its changes with it, so the sum is always the committed truth.
CREATE TABLE customer_counts (
  dimension text NOT NULL,
  key       text NOT NULL,
  count     bigint NOT NULL,
  PRIMARY KEY (dimension, key)
);

CREATE TABLE customer_count_changes (
  id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  dimension text NOT NULL,
  key       text NOT NULL,
  delta     bigint NOT NULL
);

-- The keys one customer counts under (one per dimension).
CREATE FUNCTION customer_count_keys(customer_since date, created_at timestamptz, country text, newsletter boolean)
RETURNS TABLE (dimension text, key text) LANGUAGE sql STABLE AS $$
  VALUES ('total', ''),
         ('since_month', to_char(COALESCE(customer_since, (created_at AT TIME ZONE 'UTC')::date), 'YYYY-MM')),
         ('since_known', (customer_since IS NOT NULL)::text),
         ('created_month', to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM')),
         ('country', country),
         ('newsletter', newsletter::text)
$$;

CREATE FUNCTION customer_counts_after_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO customer_count_changes (dimension, key, delta)
  SELECT k.dimension, k.key, count(*)
    FROM new_rows r
   CROSS JOIN LATERAL customer_count_keys(r.customer_since, r.created_at, r.billing_country, r.newsletter) k
   GROUP BY k.dimension, k.key;
  RETURN NULL;
END
$$;

CREATE FUNCTION customer_counts_after_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO customer_count_changes (dimension, key, delta)
  SELECT k.dimension, k.key, -count(*)
    FROM old_rows r
   CROSS JOIN LATERAL customer_count_keys(r.customer_since, r.created_at, r.billing_country, r.newsletter) k
   GROUP BY k.dimension, k.key;
  RETURN NULL;
END
$$;

-- Most updates (names, addresses, logins) change none of the counted columns: only the rows
-- whose counted columns changed are looked at, and keys whose changes cancel out are left out.
CREATE FUNCTION customer_counts_after_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO customer_count_changes (dimension, key, delta)
  SELECT k.dimension, k.key, sum(changed.sign)
    FROM (SELECT s.*
            FROM old_rows o JOIN new_rows n ON n.id = o.id
           CROSS JOIN LATERAL (VALUES (-1, o.customer_since, o.created_at, o.billing_country, o.newsletter),
                                      (1, n.customer_since, n.created_at, n.billing_country, n.newsletter))
                 AS s (sign, customer_since, created_at, country, newsletter)
           WHERE (o.customer_since, o.created_at, o.billing_country, o.newsletter)
                 IS DISTINCT FROM (n.customer_since, n.created_at, n.billing_country, n.newsletter)) AS changed
   CROSS JOIN LATERAL customer_count_keys(changed.customer_since, changed.created_at, changed.country, changed.newsletter) k
   GROUP BY k.dimension, k.key
  HAVING sum(changed.sign) <> 0;
  RETURN NULL;
END
$$;

CREATE FUNCTION customer_counts_after_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM customer_count_changes;
  DELETE FROM customer_counts;
  RETURN NULL;
END
$$;

-- A trigger with transition tables serves one event, hence three.
CREATE TRIGGER customer_counts_insert AFTER INSERT ON customers
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION customer_counts_after_insert();
CREATE TRIGGER customer_counts_update AFTER UPDATE ON customers
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION customer_counts_after_update();
CREATE TRIGGER customer_counts_delete AFTER DELETE ON customers
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION customer_counts_after_delete();
CREATE TRIGGER customer_counts_truncate AFTER TRUNCATE ON customers
  FOR EACH STATEMENT EXECUTE FUNCTION customer_counts_after_truncate();

-- The shop's customers so far.
INSERT INTO customer_counts (dimension, key, count)
SELECT k.dimension, k.key, count(*)
  FROM customers c
 CROSS JOIN LATERAL customer_count_keys(c.customer_since, c.created_at, c.billing_country, c.newsletter) k
 GROUP BY k.dimension, k.key;

-- The overview's country bars open the customer list filtered on the billing country; without an
-- index a country with few customers would be found by reading all of them.
CREATE INDEX customers_billing_country_idx ON customers (billing_country);
-- Its months open the list filtered on "customer since" (registration date, else created date).
CREATE INDEX customers_since_or_created_idx
  ON customers ((COALESCE(customer_since, (created_at AT TIME ZONE 'UTC')::date)), id);

-- Issue #17, point 2: free tags per customer. An array on the customer, so the import writes,
-- compares and undoes them like its other columns, and the export reads them without a join.
-- Tags are compared without case (the first spelling is kept); the list filter finds a tag
-- through a GIN index of the folded tags, on the customers that have any.

ALTER TABLE customers ADD COLUMN tags text[] NOT NULL DEFAULT '{}';

CREATE FUNCTION clientele_tag_keys(tags text[]) RETURNS text[]
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN ARRAY(SELECT lower(tag) FROM unnest(tags) AS tag);

CREATE INDEX customers_tag_keys ON customers USING gin (clientele_tag_keys(tags)) WHERE tags <> '{}';
UPDATE deleted_customers SET customer = customer || '{"tags": []}' WHERE NOT customer ? 'tags';

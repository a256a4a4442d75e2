-- Issue #19, point 2: companies in imports and exports.
--
-- A customers file's company columns find or create the company (by CoC number, else VAT number,
-- else its normalised name) and link the row's customer as a contact; a *Companies* file creates
-- and updates companies. The import counts what it did to companies, and keeps every change it
-- made to them so that its undo can take it back.

-- The normalised name a company is recognised by when a row has neither number: folded (case,
-- accents) with everything but letters and digits taken out ("Bakkerij  De Vries B.V." and
-- "bakkerij de vries bv" are one name). In SQL, so the lookup and its index agree.
CREATE FUNCTION clientele_company_name_key(value text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  -- clientele_fold's folding written out: an index expression runs with only pg_catalog on the search path.
  SELECT regexp_replace(lower(regexp_replace(normalize(value, NFKD), '[\u0300-\u036f]', '', 'g')), '[^[:alnum:]]+', '', 'g')
$$;
CREATE INDEX companies_name_key_idx ON companies (clientele_company_name_key(name));

ALTER TABLE imports
  ADD COLUMN companies_created integer NOT NULL DEFAULT 0,
  ADD COLUMN companies_updated integer NOT NULL DEFAULT 0,
  ADD COLUMN contacts_linked   integer NOT NULL DEFAULT 0,
  ADD COLUMN contacts_changed  integer NOT NULL DEFAULT 0;

-- What an import did to companies and their contacts, in the order it did it (undo goes backwards):
--   company_created  the company (deleted by undo while it has no contacts and no addresses left)
--   company_updated  `before`: the company's columns the import wrote, as they were
--   contact_linked   the customer linked to the company (unlinked by undo while still linked there)
--   contact_changed  `before`: the contact's role and primary flag as they were
-- `written`: what the import wrote, so undo puts back only what still holds it.
CREATE TABLE import_company_changes (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  import_id   bigint NOT NULL REFERENCES imports (id) ON DELETE CASCADE,
  row_number  integer NOT NULL,
  action      text NOT NULL CHECK (action IN ('company_created', 'company_updated', 'contact_linked', 'contact_changed')),
  company_id  bigint NOT NULL,
  customer_id bigint,
  before      jsonb,
  written     jsonb
);
CREATE INDEX import_company_changes_import_idx ON import_company_changes (import_id, id);
CREATE INDEX import_company_changes_company_idx ON import_company_changes (company_id) WHERE action = 'company_created';

-- The export type *Companies*: one row per company.
ALTER TABLE exports DROP CONSTRAINT exports_type_check;
ALTER TABLE exports ADD CONSTRAINT exports_type_check CHECK (type IN ('customers', 'customer-groups', 'addresses', 'companies'));

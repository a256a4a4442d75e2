-- Issue #19, point 1: companies (B2B) with an address book, groups, tags and contacts.
--
-- A company is a row of its own; its contacts are customers linked to it with a role. The
-- customer's own company fields (company_name, coc_number, vat_number) stay as they are: imports
-- and exports read and write them, and a later import of company columns (#19 point 2) will find
-- or create the company from them.
--
-- Left for later migrations, with room for them: the last VIES check of the VAT number (a
-- `company_vat_checks` table, one row per check, and a pointer to the latest) and the
-- reverse-charge flag (a boolean plus the check that justified it).

CREATE TABLE companies (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name        text NOT NULL,
  -- The country the company is registered in, as an ISO code: it decides the form of the CoC
  -- number (KvK in NL, KBO/BCE in BE, Handelsregister in DE) and the VAT number's missing prefix.
  coc_country text NOT NULL DEFAULT '',
  coc_number  text NOT NULL DEFAULT '',   -- normalised by the application (src/companies/company-numbers.ts)
  vat_number  text NOT NULL DEFAULT '',   -- compact, with its country prefix
  notes       text NOT NULL DEFAULT '',
  tags        text[] NOT NULL DEFAULT '{}',
  -- Folded name, CoC and VAT number, built by the application, for partial search with trigrams.
  search_text text NOT NULL DEFAULT '',
  version     integer NOT NULL DEFAULT 1,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);
-- A register number names one company: the import (point 2) matches on it first.
CREATE UNIQUE INDEX companies_coc_key ON companies (coc_country, coc_number) WHERE coc_number <> '';
-- A VAT number may be shared (a Dutch fiscal unity covers several companies): indexed, not unique.
CREATE INDEX companies_vat_idx ON companies (vat_number) WHERE vat_number <> '';
CREATE INDEX companies_search_trgm_idx ON companies USING gin (search_text gin_trgm_ops);
CREATE INDEX companies_name_idx ON companies (lower(name), id);
CREATE INDEX companies_tag_keys ON companies USING gin (clientele_tag_keys(tags)) WHERE tags <> '{}';

-- The version counts the writes of a company's own fields, as customers' does (migration 008).
CREATE FUNCTION companies_next_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.version := OLD.version + 1;
  RETURN NEW;
END
$$;
CREATE TRIGGER companies_version BEFORE UPDATE ON companies
  FOR EACH ROW EXECUTE FUNCTION companies_next_version();

-- The same shape as customer_addresses (migration 015), in a table of its own: the customers'
-- book is kept in step with the customer's billing/shipping columns by triggers, which a
-- company (without such columns) must not run into.
CREATE TABLE company_addresses (
  id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  company_id          bigint NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
  label               text NOT NULL DEFAULT '',
  attention           text NOT NULL DEFAULT '',
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
  import_id           bigint,
  created_at          timestamptz NOT NULL DEFAULT now(),
  updated_at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX company_addresses_company_idx ON company_addresses (company_id, id);
CREATE UNIQUE INDEX company_addresses_default_billing_key ON company_addresses (company_id) WHERE is_default_billing;
CREATE UNIQUE INDEX company_addresses_default_shipping_key ON company_addresses (company_id) WHERE is_default_shipping;

-- Companies are put in the same groups as customers ("Wholesale", "Resellers").
CREATE TABLE company_group_members (
  group_id   bigint NOT NULL REFERENCES customer_groups (id) ON DELETE CASCADE,
  company_id bigint NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
  added_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (group_id, company_id)
);
CREATE INDEX company_group_members_company_idx ON company_group_members (company_id);

-- Contacts: a customer belongs to at most one company (the primary key), with a free-text role;
-- one contact per company is the primary one (the partial unique index). Deleting the company
-- or the customer removes the link; the customer itself stays when its company goes.
CREATE TABLE company_contacts (
  customer_id bigint PRIMARY KEY REFERENCES customers (id) ON DELETE CASCADE,
  company_id  bigint NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
  role        text NOT NULL DEFAULT '',
  is_primary  boolean NOT NULL DEFAULT false,
  linked_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX company_contacts_company_idx ON company_contacts (company_id, customer_id);
CREATE UNIQUE INDEX company_contacts_primary_key ON company_contacts (company_id) WHERE is_primary;

-- Foundation: staff users and sessions, customers and customer groups.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE staff_users (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  email            text NOT NULL,
  email_normalized text NOT NULL UNIQUE,  -- trim + NFC + lower case, done in the application
  name             text NOT NULL,
  password_hash    text NOT NULL,          -- argon2id PHC string
  role             text NOT NULL DEFAULT 'admin' CHECK (role IN ('admin', 'staff')),
  language         text NOT NULL DEFAULT 'en' CHECK (language IN ('en', 'nl')),
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE staff_sessions (
  token_hash    bytea PRIMARY KEY,         -- sha256 of the cookie value; the token itself is never stored
  staff_user_id bigint NOT NULL REFERENCES staff_users (id) ON DELETE CASCADE,
  csrf_token    text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  expires_at    timestamptz NOT NULL
);
CREATE INDEX staff_sessions_user_idx ON staff_sessions (staff_user_id);

-- One-time link printed at first start to create the first administrator.
CREATE TABLE setup_tokens (
  token_hash bytea PRIMARY KEY,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL
);

CREATE TABLE customers (
  id                        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  email                     text NOT NULL,
  email_normalized          text NOT NULL,
  first_name                text NOT NULL DEFAULT '',
  name_insertion            text NOT NULL DEFAULT '',
  last_name                 text NOT NULL DEFAULT '',
  gender                    text CHECK (gender IN ('male', 'female', 'other')),
  birth_date                date,
  phone                     text NOT NULL DEFAULT '',
  mobile                    text NOT NULL DEFAULT '',
  language                  text NOT NULL DEFAULT '',
  is_company                boolean NOT NULL DEFAULT false,
  company_name              text NOT NULL DEFAULT '',
  coc_number                text NOT NULL DEFAULT '',
  vat_number                text NOT NULL DEFAULT '',
  billing_attention         text NOT NULL DEFAULT '',
  billing_street            text NOT NULL DEFAULT '',
  billing_number            text NOT NULL DEFAULT '',
  billing_extension         text NOT NULL DEFAULT '',
  billing_address2          text NOT NULL DEFAULT '',
  billing_postcode          text NOT NULL DEFAULT '',
  billing_city              text NOT NULL DEFAULT '',
  billing_region            text NOT NULL DEFAULT '',
  billing_country           text NOT NULL DEFAULT '',
  shipping_same_as_billing  boolean NOT NULL DEFAULT true,
  shipping_attention        text NOT NULL DEFAULT '',
  shipping_company          text NOT NULL DEFAULT '',
  shipping_street           text NOT NULL DEFAULT '',
  shipping_number           text NOT NULL DEFAULT '',
  shipping_extension        text NOT NULL DEFAULT '',
  shipping_address2         text NOT NULL DEFAULT '',
  shipping_postcode         text NOT NULL DEFAULT '',
  shipping_city             text NOT NULL DEFAULT '',
  shipping_region           text NOT NULL DEFAULT '',
  shipping_country          text NOT NULL DEFAULT '',
  newsletter                boolean NOT NULL DEFAULT false,
  notes                     text NOT NULL DEFAULT '',
  external_id               text,
  password_state            text NOT NULL DEFAULT 'none'
                            CHECK (password_state IN ('none', 'set', 'must_reset', 'imported_hash')),
  password_hash             text,
  password_algorithm        text,
  -- Lower-cased, accent-folded name/company/e-mail/city/postcode, built by the application
  -- (never by the database locale) and indexed with trigrams for partial search.
  search_text               text NOT NULL DEFAULT '',
  last_import_id            bigint,
  created_at                timestamptz NOT NULL DEFAULT now(),
  updated_at                timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX customers_email_normalized_key ON customers (email_normalized);
CREATE UNIQUE INDEX customers_external_id_key ON customers (external_id) WHERE external_id IS NOT NULL;
CREATE INDEX customers_search_trgm_idx ON customers USING gin (search_text gin_trgm_ops);
CREATE INDEX customers_email_trgm_idx ON customers USING gin (email_normalized gin_trgm_ops);
CREATE INDEX customers_created_idx ON customers (created_at, id);
CREATE INDEX customers_updated_idx ON customers (updated_at, id);
CREATE INDEX customers_last_name_idx ON customers (last_name, id);

CREATE TABLE customer_groups (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name            text NOT NULL,
  name_normalized text NOT NULL UNIQUE,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE customer_group_members (
  group_id    bigint NOT NULL REFERENCES customer_groups (id) ON DELETE CASCADE,
  customer_id bigint NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
  added_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (group_id, customer_id)
);
CREATE INDEX customer_group_members_customer_idx ON customer_group_members (customer_id);

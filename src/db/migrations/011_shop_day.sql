-- Issue #22 (the shop owner's day).

-- Who reads an export's CSV file: 'spreadsheet' (formula guard: a leading apostrophe before
-- = + - @) or 'program' (a mailing platform or another program: raw values). XLSX ignores it.
ALTER TABLE exports
  ADD COLUMN purpose text NOT NULL DEFAULT 'spreadsheet' CHECK (purpose IN ('spreadsheet', 'program'));

-- The shop's identity (#22), edited in Settings › General and asked at first setup: one row.
-- A NULL column means "not set yet": the environment's default applies (SHOP_NAME,
-- MAIL_DEFAULT_LANGUAGE, the address of MAIL_FROM; country NL), so those variables are
-- initial defaults only. Read at send and render time by every customer e-mail and the storefront.
CREATE TABLE shop_settings (
  id                boolean PRIMARY KEY DEFAULT true CHECK (id),  -- there is exactly one shop
  shop_name         text CHECK (length(shop_name) BETWEEN 1 AND 100),
  country           text CHECK (country ~ '^[A-Z]{2}$'),          -- ISO 3166-1 alpha-2; phone numbers typed without +
  default_language  text CHECK (default_language IN ('en', 'nl')), -- e-mails to customers without a language
  sender_email      text CHECK (length(sender_email) BETWEEN 3 AND 254),
  updated_at        timestamptz NOT NULL,
  updated_by        bigint REFERENCES staff_users (id) ON DELETE SET NULL
);

-- Mailbox search (#22): part of the recipient or the subject, any case, as staff type it.
CREATE INDEX mailbox_messages_search_trgm_idx ON mailbox_messages
  USING gin ((lower(to_address || ' ' || subject)) gin_trgm_ops);

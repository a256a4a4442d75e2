-- Storefront accounts (customer sessions, reset tokens, rate limits) and mail (templates, outbox,
-- bulk password e-mails, built-in mailbox).

ALTER TABLE customers
  ADD COLUMN password_changed_at timestamptz,  -- last time the customer chose a password (reset, change, register)
  ADD COLUMN last_login_at       timestamptz;

-- Storefront sessions. customer_id NULL = an anonymous visitor's session, which exists only to carry
-- the CSRF synchronizer token of the login / register / forgot / reset forms.
CREATE TABLE customer_sessions (
  token_hash  bytea PRIMARY KEY,            -- sha256 of the cookie value
  customer_id bigint REFERENCES customers (id) ON DELETE CASCADE,
  csrf_token  text NOT NULL,
  created_at  timestamptz NOT NULL,
  expires_at  timestamptz NOT NULL
);
CREATE INDEX customer_sessions_customer_idx ON customer_sessions (customer_id);
CREATE INDEX customer_sessions_expires_idx ON customer_sessions (expires_at);

-- Reset links: only the sha256 of the 256-bit token is stored; a row is deleted when used, and all
-- rows of a customer when the password changes.
CREATE TABLE password_reset_tokens (
  token_hash  bytea PRIMARY KEY,
  customer_id bigint NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
  origin      text NOT NULL CHECK (origin IN ('storefront', 'staff')),
  created_at  timestamptz NOT NULL,
  expires_at  timestamptz NOT NULL
);
CREATE INDEX password_reset_tokens_customer_idx ON password_reset_tokens (customer_id);

-- Fixed-window counters shared by every server process (login and forgot-password, per IP and per
-- e-mail). Keys are sha256 hex of "kind:value", so no address or IP is stored in the clear.
CREATE TABLE account_rate_limits (
  key          text NOT NULL,
  window_start timestamptz NOT NULL,
  hits         integer NOT NULL,
  PRIMARY KEY (key, window_start)
);
CREATE INDEX account_rate_limits_window_idx ON account_rate_limits (window_start);

-- Templates edited by staff. A (key, language) without a row uses the shipped default (in code).
CREATE TABLE mail_templates (
  key        text NOT NULL CHECK (key IN ('account_password', 'password_reset', 'account_created', 'password_changed')),
  language   text NOT NULL CHECK (language IN ('en', 'nl')),
  subject    text NOT NULL,
  body_html  text NOT NULL,            -- sanitised on save
  updated_at timestamptz NOT NULL,
  updated_by bigint REFERENCES staff_users (id) ON DELETE SET NULL,
  PRIMARY KEY (key, language)
);

CREATE TABLE password_email_bulk_sends (
  id                     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  selection              jsonb NOT NULL,   -- the request: customerIds, filter or importId
  include_imported_hashes boolean NOT NULL,
  matched_count          integer NOT NULL,
  skipped_has_password   integer NOT NULL,
  skipped_imported_hash  integer NOT NULL,
  queued_count           integer NOT NULL,
  created_by             bigint REFERENCES staff_users (id) ON DELETE SET NULL,
  created_at             timestamptz NOT NULL
);

-- The transactional outbox: a row is written in the same transaction as the change that causes
-- the mail; jobs deliver it. The message is rendered at delivery time (so a reset token is only
-- created then, and its raw value never touches the database).
CREATE TABLE mail_outbox (
  id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  idempotency_key   text NOT NULL,
  reason            text NOT NULL CHECK (reason IN ('password_staff', 'password_bulk', 'password_reset_request',
                                                   'account_created', 'password_changed', 'template_test')),
  template_key      text NOT NULL,
  language          text NOT NULL CHECK (language IN ('en', 'nl')),
  customer_id       bigint REFERENCES customers (id) ON DELETE CASCADE,
  bulk_send_id      bigint REFERENCES password_email_bulk_sends (id) ON DELETE CASCADE,
  requested_by      bigint REFERENCES staff_users (id) ON DELETE SET NULL,
  to_address        text NOT NULL,
  draft_subject     text,                -- template tests: the unsaved draft being tried
  draft_body_html   text,
  -- skipped: not sent because it no longer applies (the customer set a password before their turn).
  status            text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'skipped')),
  attempts          integer NOT NULL DEFAULT 0,
  next_attempt_at   timestamptz NOT NULL,
  locked_until      timestamptz,         -- while 'sending': after this the attempt is presumed dead
  reset_token_hash  bytea,               -- the token created for the current attempt
  subject           text,                -- as sent
  message_id        text,
  last_error        text,
  created_at        timestamptz NOT NULL,
  sent_at           timestamptz,
  failed_at         timestamptz
);
-- "Never twice for the same cause": (reason, customer, bulk send or request) is in the key.
CREATE UNIQUE INDEX mail_outbox_idempotency_key ON mail_outbox (idempotency_key);
CREATE UNIQUE INDEX mail_outbox_bulk_customer_key ON mail_outbox (bulk_send_id, customer_id) WHERE bulk_send_id IS NOT NULL;
CREATE INDEX mail_outbox_customer_idx ON mail_outbox (customer_id, created_at DESC);
CREATE INDEX mail_outbox_bulk_pending_idx ON mail_outbox (bulk_send_id, next_attempt_at, id) WHERE status = 'pending';
CREATE INDEX mail_outbox_bulk_sent_idx ON mail_outbox (sent_at) WHERE bulk_send_id IS NOT NULL;

-- The built-in mailbox: where mail goes when no SMTP_URL is configured.
CREATE TABLE mailbox_messages (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  outbox_id    bigint UNIQUE REFERENCES mail_outbox (id) ON DELETE SET NULL,
  from_address text NOT NULL,
  to_address   text NOT NULL,
  subject      text NOT NULL,
  body_html    text NOT NULL,
  body_text    text NOT NULL,
  created_at   timestamptz NOT NULL
);
CREATE INDEX mailbox_messages_created_idx ON mailbox_messages (created_at DESC, id DESC);

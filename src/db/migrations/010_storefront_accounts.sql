-- Registration never tells whether an address already has an account: the visitor gets the same
-- answer, and the owner of the existing account gets the "registration_attempt" e-mail instead.
-- Its template is editable like the others, and its outbox rows have their own reason.
ALTER TABLE mail_templates DROP CONSTRAINT mail_templates_key_check;
ALTER TABLE mail_templates ADD CONSTRAINT mail_templates_key_check
  CHECK (key IN ('account_password', 'password_reset', 'account_created', 'password_changed', 'registration_attempt'));

ALTER TABLE mail_outbox DROP CONSTRAINT mail_outbox_reason_check;
ALTER TABLE mail_outbox ADD CONSTRAINT mail_outbox_reason_check
  CHECK (reason IN ('password_staff', 'password_bulk', 'password_reset_request', 'account_created',
                    'password_changed', 'template_test', 'registration_attempt'));

-- Browsers a customer logged in with before ("known clients", OWASP's device cookies): the cookie
-- holds a random token, only its sha256 is stored. Wrong passwords for one address from all
-- clients together are limited per hour; a known client of that customer is not held back by
-- that limit, so an attacker with many clients cannot lock the customer out of their own browser.
CREATE TABLE customer_known_clients (
  token_hash  bytea PRIMARY KEY,
  customer_id bigint NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
  created_at  timestamptz NOT NULL,
  expires_at  timestamptz NOT NULL
);
CREATE INDEX customer_known_clients_customer_idx ON customer_known_clients (customer_id);
CREATE INDEX customer_known_clients_expires_idx ON customer_known_clients (expires_at);

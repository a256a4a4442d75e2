-- Roles: staff users are created by administrators with a role; invited users set their own
-- password through a one-time link, so a user may exist without one for a while.
-- An empty password_hash means "no password yet": no password verifies against it.

-- One-time links to set a staff user's password: an invitation (from an administrator or the
-- CLI) or "Forgot your password?". Only the sha256 of the token is stored; a link is single-use.
CREATE TABLE staff_password_tokens (
  token_hash    bytea PRIMARY KEY,
  staff_user_id bigint NOT NULL REFERENCES staff_users (id) ON DELETE CASCADE,
  purpose       text NOT NULL CHECK (purpose IN ('invite', 'reset')),
  created_at    timestamptz NOT NULL,
  expires_at    timestamptz NOT NULL
);
CREATE INDEX staff_password_tokens_user_idx ON staff_password_tokens (staff_user_id);

-- No lost update (issue #15, point 9).
--
-- `version` counts the writes of a customer: the back-office form sends the version it opened,
-- and a save against a newer one is refused (409) instead of overwriting someone else's change.
-- A trigger bumps it on every UPDATE, so no writer (form, API, storefront, import batch, undo,
-- password change, a column added later) can forget to. The one exception is the login stamp
-- (`last_login_at` alone): a customer logging in changes nothing staff could overwrite.
ALTER TABLE customers ADD COLUMN version integer NOT NULL DEFAULT 1;

CREATE FUNCTION customers_next_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.version := OLD.version + 1;
  RETURN NEW;
END
$$;

CREATE TRIGGER customers_version BEFORE UPDATE ON customers
  FOR EACH ROW WHEN (OLD.last_login_at IS NOT DISTINCT FROM NEW.last_login_at)
  EXECUTE FUNCTION customers_next_version();

-- What an import wrote, column → value (and `groups`: the group ids it left), beside `previous`:
-- undo puts a column back only while it still holds what the import wrote, so a change made
-- after the import (by staff, the customer or another import) is kept. NULL for changes logged
-- before this migration (undo then falls back to comparing updated_at with applied_at).
ALTER TABLE import_changes ADD COLUMN written jsonb;

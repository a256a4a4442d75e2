-- Issue #17: marketing consent as evidence. E-mail (and SMS, same shape) consent has a state,
-- an opt-in level, when it was given or withdrawn and where it came from; every change is kept
-- as history. `newsletter` stays (lists, filters, counts and API clients read it) and always
-- equals "e-mail consent is subscribed": the application writes both, a constraint holds them.

ALTER TABLE customers
  ADD COLUMN email_consent text NOT NULL DEFAULT 'not_set'
    CHECK (email_consent IN ('subscribed', 'unsubscribed', 'pending', 'not_set')),
  ADD COLUMN email_consent_level text CHECK (email_consent_level IN ('single', 'confirmed')),
  ADD COLUMN email_consent_at timestamptz,
  -- Where the state came from: import:<id>:<row>, storefront, staff:<id>, api:<id>, bulk:<id>, legacy.
  ADD COLUMN email_consent_source text,
  ADD COLUMN sms_consent text NOT NULL DEFAULT 'not_set'
    CHECK (sms_consent IN ('subscribed', 'unsubscribed', 'pending', 'not_set')),
  ADD COLUMN sms_consent_level text CHECK (sms_consent_level IN ('single', 'confirmed')),
  ADD COLUMN sms_consent_at timestamptz,
  ADD COLUMN sms_consent_source text;

-- A newsletter opt-in from before: subscribed, single opt-in, date unknown. "No" was never
-- recorded as a withdrawal, so it is "not set" (never a made-up unsubscribe). No version bump:
-- nothing anyone sees changed.
ALTER TABLE customers DISABLE TRIGGER USER;
UPDATE customers SET email_consent = 'subscribed', email_consent_level = 'single', email_consent_source = 'legacy'
 WHERE newsletter;
ALTER TABLE customers ENABLE TRIGGER USER;
ALTER TABLE customers ADD CONSTRAINT customers_newsletter_is_email_consent CHECK (newsletter = (email_consent = 'subscribed'));

-- Customers deleted within the last hour come back through their snapshots: give those the state too.
UPDATE deleted_customers
   SET customer = customer || jsonb_build_object(
         'email_consent', CASE WHEN (customer->>'newsletter')::boolean THEN 'subscribed' ELSE 'not_set' END,
         'email_consent_level', CASE WHEN (customer->>'newsletter')::boolean THEN 'single' END,
         'email_consent_source', CASE WHEN (customer->>'newsletter')::boolean THEN 'legacy' END,
         'sms_consent', 'not_set')
 WHERE NOT customer ? 'email_consent';
ALTER TABLE deleted_customers ADD COLUMN consent_events jsonb NOT NULL DEFAULT '[]';

-- The history: one row per change of state or level, with the evidence the customer row held.
CREATE TABLE customer_consent_events (
  id            bigserial PRIMARY KEY,
  customer_id   bigint NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
  channel       text NOT NULL CHECK (channel IN ('email', 'sms')),
  state         text NOT NULL,
  level         text,
  -- When the consent was given or withdrawn, as the evidence says (a file's date, or the moment of the change).
  consented_at  timestamptz,
  source        text,
  -- What else was going on: "undo of import 12", "merge"… (the transaction's clientele.consent_note).
  note          text,
  recorded_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX customer_consent_events_customer ON customer_consent_events (customer_id, id);

-- Filled from the statement's transition tables, so every way of writing a customer (form, API,
-- storefront, import, bulk action, undo) leaves its history; a statement that sets
-- clientele.consent_history = 'off' (restoring a deleted customer with its own history) leaves none.
CREATE FUNCTION customer_consent_history() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  note text := nullif(current_setting('clientele.consent_note', true), '');
BEGIN
  IF current_setting('clientele.consent_history', true) = 'off' THEN
    RETURN NULL;
  END IF;
  IF TG_OP = 'INSERT' THEN
    INSERT INTO customer_consent_events (customer_id, channel, state, level, consented_at, source, note)
    SELECT n.id, 'email', n.email_consent, n.email_consent_level, n.email_consent_at, n.email_consent_source, note
      FROM new_rows n WHERE n.email_consent <> 'not_set'
    UNION ALL
    SELECT n.id, 'sms', n.sms_consent, n.sms_consent_level, n.sms_consent_at, n.sms_consent_source, note
      FROM new_rows n WHERE n.sms_consent <> 'not_set';
  ELSE
    INSERT INTO customer_consent_events (customer_id, channel, state, level, consented_at, source, note)
    SELECT n.id, 'email', n.email_consent, n.email_consent_level, n.email_consent_at, n.email_consent_source, note
      FROM new_rows n JOIN old_rows o ON o.id = n.id
     WHERE (n.email_consent, n.email_consent_level) IS DISTINCT FROM (o.email_consent, o.email_consent_level)
    UNION ALL
    SELECT n.id, 'sms', n.sms_consent, n.sms_consent_level, n.sms_consent_at, n.sms_consent_source, note
      FROM new_rows n JOIN old_rows o ON o.id = n.id
     WHERE (n.sms_consent, n.sms_consent_level) IS DISTINCT FROM (o.sms_consent, o.sms_consent_level);
  END IF;
  RETURN NULL;
END;
$$;

CREATE TRIGGER customers_consent_after_insert AFTER INSERT ON customers
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION customer_consent_history();
CREATE TRIGGER customers_consent_after_update AFTER UPDATE ON customers
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION customer_consent_history();

-- Issue #15 remainders.

-- Matching on external id, a file whose ids lost their leading zeros (a spreadsheet's doing:
-- "123" for the stored "000123") finds the stored customer by the stored id without its zeros.
-- Only ids that have leading zeros and are all digits are in this index, so it stays small and
-- the import's batch lookup (`ltrim(external_id, '0') = ANY(...)`) never scans the table.
CREATE INDEX customers_external_id_without_zeros ON customers (ltrim(external_id, '0'))
  WHERE external_id ~ '^0+[0-9]+$';

-- Undo of an import removes the flags it left (WHERE import_id = …).
CREATE INDEX customer_flags_import_id ON customer_flags (import_id) WHERE import_id IS NOT NULL;

-- A staff user's invitation and reset e-mails go through the outbox too (written with the link's
-- token in one transaction, keyed by the job), so a job that runs twice sends one e-mail.
ALTER TABLE mail_outbox DROP CONSTRAINT mail_outbox_reason_check;
ALTER TABLE mail_outbox ADD CONSTRAINT mail_outbox_reason_check
  CHECK (reason IN ('password_staff', 'password_bulk', 'password_reset_request', 'account_created',
                    'password_changed', 'template_test', 'registration_attempt', 'staff_password_link'));

-- The flags an export writes as typed (export-types.ts: typedValues): an export first asks whether
-- there are any (no join at all when there are none, the common case), then merge-joins them in
-- customer order. Both read this small index instead of every flag.
CREATE INDEX customer_flags_typed_values ON customer_flags (customer_id)
  WHERE column_name IS NOT NULL AND (coalesce(stored_value, '') = '' OR column_name IN ('newsletter', 'is_company', 'shipping_same_as_billing'));

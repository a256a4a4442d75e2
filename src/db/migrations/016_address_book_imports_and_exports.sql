-- Issue #16: the Addresses export type (one row per address of the address book) ...
ALTER TABLE exports DROP CONSTRAINT exports_type_check;
ALTER TABLE exports ADD CONSTRAINT exports_type_check CHECK (type IN ('customers', 'customer-groups', 'addresses'));

-- ... and the import rule "adds an address": a customer's later rows (and Magento's continuation
-- rows) add their addresses to its address book; the import counts the addresses it added.
ALTER TABLE import_duplicate_rows DROP CONSTRAINT import_duplicate_rows_action_check;
ALTER TABLE import_duplicate_rows ADD CONSTRAINT import_duplicate_rows_action_check CHECK (action IN ('replaced', 'combined', 'address'));
ALTER TABLE imports ADD COLUMN addresses_added integer NOT NULL DEFAULT 0;
-- Undo removes the addresses an import added: found by the import that added them.
CREATE INDEX customer_addresses_import_idx ON customer_addresses (import_id) WHERE import_id IS NOT NULL;

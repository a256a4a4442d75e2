-- Issue #16: the Addresses export type (one row per address of the address book).
ALTER TABLE exports DROP CONSTRAINT exports_type_check;
ALTER TABLE exports ADD CONSTRAINT exports_type_check CHECK (type IN ('customers', 'customer-groups', 'addresses'));

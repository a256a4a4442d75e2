-- Issue #19: a customer deleted in bulk (or merged into another) and restored comes back with its
-- company link (company_contacts: company, role, primary), as it does with its groups and flags.
-- Snapshots taken before this migration have none to bring back.
ALTER TABLE deleted_customers ADD COLUMN company_contacts jsonb NOT NULL DEFAULT '[]';

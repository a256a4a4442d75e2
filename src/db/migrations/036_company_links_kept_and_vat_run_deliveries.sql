-- Issue #19: a customer deleted in bulk (or merged into another) and restored comes back with its
-- company link (company_contacts: company, role, primary), as it does with its groups and flags.
-- Snapshots taken before this migration have none to bring back.
ALTER TABLE deleted_customers ADD COLUMN company_contacts jsonb NOT NULL DEFAULT '[]';

-- A VIES check run counts the deliveries of its queue job, so the last one the queue makes ends
-- the run as failed when it fails, instead of the run staying "running" after the queue gave up.
ALTER TABLE company_vat_check_runs
  ADD COLUMN job_id         text,
  ADD COLUMN job_deliveries integer NOT NULL DEFAULT 0;

-- Issue #19, points 4 and 5: VAT numbers checked against the EU's VIES service, and the
-- reverse-charge flag staff may set on a company whose number VIES confirmed.

-- A background check of a selection of companies (the job `companies.vies-check`), with its
-- progress: the companies to check (fixed when it starts), how far it got and what it found.
CREATE TABLE company_vat_check_runs (
  id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  status            text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'done', 'failed')),
  company_ids       bigint[] NOT NULL,          -- in the order they are checked
  total             integer NOT NULL,
  -- The next index into company_ids: moved in the same transaction as the check it follows, so a
  -- run taken over after a crash continues where the last commit left it.
  position          integer NOT NULL DEFAULT 0,
  valid_count       integer NOT NULL DEFAULT 0,
  invalid_count     integer NOT NULL DEFAULT 0,
  unavailable_count integer NOT NULL DEFAULT 0,
  requested_by      bigint REFERENCES staff_users (id) ON DELETE SET NULL,
  requested_at      timestamptz NOT NULL,
  started_at        timestamptz,
  finished_at       timestamptz,
  failure           text
);

-- One row per check of a company's VAT number, kept (the history, and the evidence of a
-- reverse-charge invoice). `unavailable` is "could not be checked", never "invalid".
CREATE TABLE company_vat_checks (
  id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  company_id         bigint NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
  run_id             bigint REFERENCES company_vat_check_runs (id) ON DELETE SET NULL,
  vat_number         text NOT NULL,             -- as checked, with its country prefix
  checked_at         timestamptz NOT NULL,
  result             text NOT NULL CHECK (result IN ('valid', 'invalid', 'unavailable')),
  request_identifier text NOT NULL DEFAULT '', -- VIES's consultation reference
  request_date       text NOT NULL DEFAULT '', -- the date VIES gave the answer, as it said it
  vies_name          text NOT NULL DEFAULT '',
  vies_address       text NOT NULL DEFAULT '',
  error_code         text NOT NULL DEFAULT '', -- MS_UNAVAILABLE, TIMEOUT, HTTP_503, …
  error_message      text NOT NULL DEFAULT ''
);
CREATE INDEX company_vat_checks_company_idx ON company_vat_checks (company_id, id DESC);

ALTER TABLE companies
  ADD COLUMN latest_vat_check_id    bigint REFERENCES company_vat_checks (id) ON DELETE SET NULL,
  -- Set and cleared by staff only (never by a check); with the check that justified it.
  ADD COLUMN is_reverse_charge      boolean NOT NULL DEFAULT false,
  ADD COLUMN reverse_charge_check_id bigint REFERENCES company_vat_checks (id) ON DELETE SET NULL,
  ADD COLUMN reverse_charge_set_by  bigint REFERENCES staff_users (id) ON DELETE SET NULL,
  ADD COLUMN reverse_charge_set_at  timestamptz;

-- The version counts the writes of the company's own fields (its form): a VIES check or the
-- reverse-charge switch must not make an open form's save fail as "changed by someone else".
DROP TRIGGER companies_version ON companies;
CREATE TRIGGER companies_version BEFORE UPDATE OF name, coc_country, coc_number, vat_number, notes, tags, search_text ON companies
  FOR EACH ROW EXECUTE FUNCTION companies_next_version();

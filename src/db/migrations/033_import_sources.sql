-- Issue #18, point 4: recurring imports. A source says where a customer list comes from (a URL,
-- an S3-compatible bucket and prefix, an SFTP path), how to map and check it, when to fetch it,
-- and when a run may apply by itself. Credentials are stored encrypted (AES-256-GCM with
-- SOURCE_CREDENTIALS_KEY) and never leave the server.
CREATE TABLE import_sources (
  id                    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name                  text NOT NULL,
  location              jsonb NOT NULL,
  credentials_kind      text NOT NULL DEFAULT 'none',
  credentials_encrypted bytea,
  saved_mapping_id      bigint REFERENCES import_mappings (id) ON DELETE SET NULL,
  options               jsonb NOT NULL,
  schedule              jsonb NOT NULL,
  conditions            jsonb NOT NULL,
  is_enabled            boolean NOT NULL DEFAULT true,
  owner_id              bigint REFERENCES staff_users (id) ON DELETE SET NULL,
  next_run_at           timestamptz,                 -- NULL: manual only (or disabled)
  -- What the last fetched file was, so an unchanged file is not imported again.
  etag                  text,
  last_modified         text,
  -- SFTP: the server's host key (SHA-256) seen at the first run; a different key later is refused.
  sftp_host_key         text,
  version               integer NOT NULL DEFAULT 1,
  created_at            timestamptz NOT NULL,
  updated_at            timestamptz NOT NULL
);
CREATE INDEX import_sources_due ON import_sources (next_run_at) WHERE is_enabled AND next_run_at IS NOT NULL;

CREATE TABLE import_source_runs (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  source_id     bigint NOT NULL REFERENCES import_sources (id) ON DELETE CASCADE,
  trigger       text NOT NULL CHECK (trigger IN ('schedule', 'manual')),
  -- The schedule's slot this run is for: one run per slot, whichever worker got there first.
  scheduled_for timestamptz,
  status        text NOT NULL DEFAULT 'queued'
                CHECK (status IN ('queued', 'fetching', 'checking', 'applying', 'applied', 'awaiting_approval', 'declined', 'unchanged', 'failed')),
  import_id     bigint REFERENCES imports (id) ON DELETE SET NULL,
  reasons       jsonb NOT NULL DEFAULT '[]',         -- [{code, message, params}]: why it waits, or why it failed
  started_at    timestamptz NOT NULL,
  -- Held by the worker doing the run, renewed while it works; a run whose lease ran out is taken
  -- over by the recovery sweep of any worker (issue #21: leases everywhere).
  lease_until   timestamptz,
  lease_holder  text,
  finished_at   timestamptz,
  decided_by    bigint REFERENCES staff_users (id) ON DELETE SET NULL,
  decided_at    timestamptz,
  UNIQUE (source_id, scheduled_for)
);
CREATE INDEX import_source_runs_source ON import_source_runs (source_id, id DESC);

ALTER TABLE imports ADD COLUMN source_id bigint REFERENCES import_sources (id) ON DELETE SET NULL;

-- A run that waits for approval tells the source's owner by e-mail (a staff notice, like the
-- staff's password links: written whole by the caller, delivered through the outbox).
ALTER TABLE mail_outbox DROP CONSTRAINT mail_outbox_reason_check;
ALTER TABLE mail_outbox ADD CONSTRAINT mail_outbox_reason_check
  CHECK (reason IN ('password_staff', 'password_bulk', 'password_reset_request', 'account_created',
                    'password_changed', 'template_test', 'registration_attempt', 'staff_password_link', 'staff_notice'));

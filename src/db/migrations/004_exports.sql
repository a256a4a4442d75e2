-- Exports (#5): one row per requested export file. The file itself lives in the file store; the
-- row refers to it by key only once it is complete (status 'ready' and file_key are set in the
-- same UPDATE, so a crashed worker never leaves a half file marked ready).
CREATE TABLE exports (
  id                   uuid PRIMARY KEY,            -- random (v4): also the id in URLs, so it cannot be guessed
  type                 text NOT NULL CHECK (type IN ('customers', 'customer-groups')),
  format               text NOT NULL CHECK (format IN ('csv', 'csv-semicolon', 'xlsx')),
  language             text NOT NULL CHECK (language IN ('en', 'nl')),  -- of the headings and yes/no words
  columns              text[] NOT NULL,
  filters              jsonb NOT NULL DEFAULT '{}'::jsonb,
  preset               text,
  file_name            text NOT NULL,               -- what the download is called; made by the server, ASCII only
  status               text NOT NULL DEFAULT 'processing' CHECK (status IN ('processing', 'ready', 'failed')),
  rows_total           integer,                     -- known once the job has counted the selection
  rows_done            integer NOT NULL DEFAULT 0,
  attempts             integer NOT NULL DEFAULT 0,
  file_key             text,
  size_bytes           bigint,
  sha256               text,
  failure_code         text,
  failure_message      text,
  notify               boolean NOT NULL DEFAULT false,  -- tell the staff user in the back office when done
  notified_at          timestamptz,
  created_by           bigint REFERENCES staff_users (id) ON DELETE SET NULL,
  created_at           timestamptz NOT NULL,
  heartbeat_at         timestamptz,                 -- last progress of the running attempt
  finished_at          timestamptz,
  expires_at           timestamptz,                 -- ready files are deleted after EXPORT_RETENTION_DAYS
  CHECK ((status = 'ready') = (file_key IS NOT NULL))
);
CREATE INDEX exports_created_idx ON exports (created_at DESC, id DESC);
CREATE INDEX exports_expires_idx ON exports (expires_at) WHERE expires_at IS NOT NULL;
CREATE INDEX exports_notify_idx ON exports (created_by) WHERE notify AND notified_at IS NULL;

-- The export filter "changed by import X" uses customers_last_import_idx (003_imports.sql).

-- Issue #17, point 4: possible duplicates and merging.
--
-- A scan looks for stored customers that are probably one person and keeps what it found as
-- groups (two or more customer ids, the reasons, a confidence). It adds nothing to `customers`:
-- no column, index or trigger, so imports and edits cost what they did. It reads the table in a
-- few set-based passes (GROUP BY on a key computed on the fly) in a background job.

-- E-mail variants that reach one mailbox: lower case (stored so already), for providers known to
-- ignore them a "+tag" after the local part, and for Gmail the dots in it (googlemail.com is gmail.com).
CREATE FUNCTION clientele_email_key(email text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE
    WHEN domain IN ('gmail.com', 'googlemail.com')
      THEN replace(split_part(local, '+', 1), '.', '') || '@gmail.com'
    WHEN domain IN ('outlook.com', 'hotmail.com', 'live.com', 'live.nl', 'hotmail.nl', 'outlook.nl', 'msn.com',
                    'icloud.com', 'me.com', 'mac.com', 'fastmail.com', 'protonmail.com', 'proton.me', 'pm.me')
      THEN split_part(local, '+', 1) || '@' || domain
    ELSE lower(email)
  END
  FROM (SELECT lower(split_part(email, '@', 1)) AS local, lower(split_part(email, '@', 2)) AS domain) AS parts
$$;

CREATE TABLE duplicate_scans (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  status        text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'done', 'failed')),
  -- Progress: passes done of the passes there are (e-mail, phone, name and postcode, ranking).
  step          integer NOT NULL DEFAULT 0,
  steps         integer NOT NULL DEFAULT 4,
  customer_count integer,
  group_count   integer,
  requested_by  bigint REFERENCES staff_users (id) ON DELETE SET NULL,
  requested_at  timestamptz NOT NULL DEFAULT now(),
  started_at    timestamptz,
  finished_at   timestamptz,
  failure       text
);
CREATE UNIQUE INDEX duplicate_scans_one_running ON duplicate_scans ((true)) WHERE status IN ('queued', 'running');

CREATE TABLE duplicate_groups (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  scan_id      bigint NOT NULL REFERENCES duplicate_scans (id) ON DELETE CASCADE,
  customer_ids bigint[] NOT NULL,             -- ascending
  reasons      text[] NOT NULL,               -- 'email', 'phone', 'name_postcode'
  confidence   smallint NOT NULL,             -- 0–100
  resolved_at  timestamptz                    -- merged or dismissed since the scan
);
CREATE INDEX duplicate_groups_rank ON duplicate_groups (scan_id, confidence DESC, id);

-- "These are not the same person": a set of customers never shown together again.
CREATE TABLE duplicate_dismissals (
  customer_ids bigint[] PRIMARY KEY,          -- ascending
  dismissed_by bigint REFERENCES staff_users (id) ON DELETE SET NULL,
  dismissed_at timestamptz NOT NULL DEFAULT now()
);

-- A merge: the survivor as it was, what the merge wrote on it, which rows moved from the merged
-- customers to it; the merged customers wait in a deletion of their own (below).
CREATE TABLE customer_merges (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  survivor_id     bigint NOT NULL,            -- no foreign key: the record outlives the customer
  merged_ids      bigint[] NOT NULL,
  survivor_before jsonb NOT NULL,             -- the fields the merge changed, as they were
  survivor_after  jsonb NOT NULL,             -- the same fields, as the merge wrote them
  moved           jsonb NOT NULL,             -- {"table": {"row id": from customer id}}
  added_groups    bigint[] NOT NULL DEFAULT '{}',
  merged_by       bigint REFERENCES staff_users (id) ON DELETE SET NULL,
  merged_at       timestamptz NOT NULL,
  undone_by       bigint REFERENCES staff_users (id) ON DELETE SET NULL,
  undone_at       timestamptz
);
CREATE INDEX customer_merges_survivor ON customer_merges (survivor_id, id DESC);

-- The merged customers wait in a deletion of their own, kept until the merge is undone (not in
-- Recently deleted, not purged by the hour).
ALTER TABLE customer_deletions ADD COLUMN merge_id bigint REFERENCES customer_merges (id) ON DELETE SET NULL;
CREATE UNIQUE INDEX customer_deletions_merge ON customer_deletions (merge_id) WHERE merge_id IS NOT NULL;

-- Issue #18, saved mappings managed: which imports used a saved mapping. An import names the
-- saved mapping applied to it in its mapping (`mapping.savedMapping.id`, set when a saved
-- mapping is applied at upload or in step Fields, or when the import's mapping is saved under a
-- name); this index finds them by it.
CREATE INDEX imports_saved_mapping_idx ON imports ((((mapping -> 'savedMapping') ->> 'id')::bigint))
  WHERE mapping ? 'savedMapping';

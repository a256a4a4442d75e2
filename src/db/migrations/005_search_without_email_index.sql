-- Partial e-mail search ("jan@exa") now goes through the trigram index on search_text, which
-- already holds the e-mail address, and checks email_normalized on the rows it finds. The
-- second trigram index cost every insert and e-mail change as much as the first one (about a
-- third of an import's write time, docs/benchmarks.md) and served only that search.
DROP INDEX IF EXISTS customers_email_trgm_idx;

-- Issue #17, point 4 (its import part): the check warns when a row would create a customer whose
-- e-mail address reaches the mailbox of a stored customer ("jan.jansen@gmail.com" beside
-- "janjansen@gmail.com", "anna+shop@outlook.com" beside "anna@outlook.com"). A stored address that
-- is its own mailbox key is found by the unique e-mail index; this partial index holds only the
-- others (Gmail addresses with dots, +tags at the providers that ignore them), so imports and
-- edits of every other customer write nothing more.
CREATE INDEX customers_email_variant_key ON customers (clientele_email_key(email_normalized))
  WHERE clientele_email_key(email_normalized) <> email_normalized;

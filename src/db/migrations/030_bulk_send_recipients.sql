-- Issue #21, point 4: bulk sends, per recipient. Every outbox row (one per recipient of a bulk
-- send, or one single "Send password") keeps why it failed, as a category staff can filter on,
-- and what the mail server answered (its reply line, cut short; never a reset link or password).
--   invalid_address  the address cannot be sent to: refused before sending (no usable address),
--                    or the server called its syntax bad (501, enhanced status 5.1.3)
--   smtp_refused     the server refused the recipient or the message for good (any other 5xx)
--   temporary        4xx replies or no connection, until the retries ran out
--   interrupted      the connection broke while the message was handed over, or the worker died
--                    mid-send: it may have arrived, so it is not sent again by itself
-- There is no bounce processing: a bounce that arrives later as an e-mail is not tracked.
ALTER TABLE mail_outbox
  ADD COLUMN failure_reason text CHECK (failure_reason IN ('invalid_address', 'smtp_refused', 'temporary', 'interrupted')),
  ADD COLUMN smtp_response text;

-- Failed rows from before: their category from the sentence the delivery wrote, the server's
-- reply from its tail ("… rejected: 550 No such user").
UPDATE mail_outbox
   SET failure_reason = CASE
         WHEN last_error LIKE 'Refused by the mail server:%' THEN 'smtp_refused'
         WHEN last_error LIKE 'Gave up after%' THEN 'temporary'
         ELSE 'interrupted'
       END,
       smtp_response = left(substring(last_error FROM '([2-5][0-9][0-9][ -].*)$'), 300)
 WHERE status = 'failed';

-- "Send again to the failed ones" makes one new bulk send per bulk send, whoever clicks and
-- however often: the unique link is what makes it idempotent.
ALTER TABLE password_email_bulk_sends
  ADD COLUMN resend_of bigint UNIQUE REFERENCES password_email_bulk_sends (id) ON DELETE SET NULL;

-- The failed recipients of a bulk send (the list, its export and the resend read them), in
-- customer order for keyset pages; failures are few, so the index is small.
CREATE INDEX mail_outbox_bulk_failed_idx ON mail_outbox (bulk_send_id, customer_id) WHERE status = 'failed';

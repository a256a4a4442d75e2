-- Registration never tells whether an address already has an account: the visitor gets the same
-- answer, and the owner of the existing account gets the "registration_attempt" e-mail instead.
-- Its template is editable like the others, and its outbox rows have their own reason.
ALTER TABLE mail_templates DROP CONSTRAINT mail_templates_key_check;
ALTER TABLE mail_templates ADD CONSTRAINT mail_templates_key_check
  CHECK (key IN ('account_password', 'password_reset', 'account_created', 'password_changed', 'registration_attempt'));

ALTER TABLE mail_outbox DROP CONSTRAINT mail_outbox_reason_check;
ALTER TABLE mail_outbox ADD CONSTRAINT mail_outbox_reason_check
  CHECK (reason IN ('password_staff', 'password_bulk', 'password_reset_request', 'account_created',
                    'password_changed', 'template_test', 'registration_attempt'));

import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { idParamsSchema } from '../customers/customer.routes.ts';
import { currentStaff } from '../http/auth.ts';
import { can } from '../staff/permissions.ts';
import { addBulkRecipientRoutes } from './bulk-recipients.routes.ts';
import type { BulkRecipientService } from './bulk-recipients.service.ts';
import type { MailService } from './mail.service.ts';
import {
  bulkPreviewSchema,
  bulkSelectionSchema,
  bulkSendListQuerySchema,
  bulkSendPageSchema,
  bulkSendSchema,
  mailDeliverySchema,
  mailStatusSchema,
  mailboxListQuerySchema,
  mailboxMessageSchema,
  mailboxPageSchema,
  passwordStatusSchema,
  renderedMessageSchema,
  templateDraftSchema,
  templateInputSchema,
  templateParamsSchema,
  templateSchema,
} from './mail.schemas.ts';
import type { PasswordEmailService } from './password-email.service.ts';

type Deps = { mail: MailService; passwordEmails: PasswordEmailService; bulkRecipients: BulkRecipientService };

/** Back-office REST adapter for password e-mails, notification templates and the mailbox (under /api/v1). */
export const mailRoutes: FastifyPluginAsyncZod<Deps> = async (
  app,
  { mail, passwordEmails, bulkRecipients },
) => {
  const passwordTags = ['password e-mails'];
  const templateTags = ['notification e-mails'];
  addBulkRecipientRoutes(app, { passwordEmails, bulkRecipients }, passwordTags);

  app.get(
    '/customers/:id/password-status',
    {
      config: { permission: 'customers.read' },
      schema: {
        tags: passwordTags,
        summary:
          'When the Account password e-mail was last sent to a customer, and whether they set a password since',
        params: idParamsSchema,
        response: { 200: passwordStatusSchema },
      },
    },
    async (request) => passwordEmails.status(request.params.id),
  );

  app.post(
    '/customers/:id/send-password',
    {
      config: { permission: 'password-emails.send' },
      schema: {
        tags: passwordTags,
        summary: 'Send the Account password e-mail (a reset link) to a customer, in their language',
        params: idParamsSchema,
        response: { 202: passwordStatusSchema },
      },
    },
    async (request, reply) =>
      reply
        .status(202)
        .send(await passwordEmails.sendToCustomer(request.params.id, currentStaff(request).user.id)),
  );

  app.post(
    '/password-emails/bulk/preview',
    {
      config: { permission: 'password-emails.send' },
      schema: {
        tags: passwordTags,
        summary: 'Count who a bulk send would e-mail (for the confirmation)',
        body: bulkSelectionSchema,
        response: { 200: bulkPreviewSchema },
      },
    },
    async (request) => passwordEmails.previewBulk(request.body),
  );

  app.post(
    '/password-emails/bulk',
    {
      config: { permission: 'password-emails.send' },
      schema: {
        tags: passwordTags,
        summary: 'Send the Account password e-mail to many customers',
        description:
          'Select by `customerIds`, a customer list `filter`, or an `importId` (customers last changed by that import). Customers who already have a password are skipped, and so are customers with an imported password hash unless `includeImportedHashes`. When some recipients were already sent this e-mail (by staff or an earlier bulk send, queued or sent), the send is refused with 409 `conflict`, `reason: "already_sent"`, `alreadySentCount` and `lastSentAt`, unless `confirmResend: true`. Sending is throttled (MAIL_SEND_PER_MINUTE); each customer gets at most one e-mail per bulk send.',
        body: bulkSelectionSchema,
        response: { 202: bulkSendSchema },
      },
    },
    async (request, reply) =>
      reply.status(202).send(await passwordEmails.createBulk(request.body, currentStaff(request).user.id)),
  );

  app.get(
    '/password-emails/bulk',
    {
      config: { permission: 'password-emails.send' },
      schema: {
        tags: passwordTags,
        summary: 'The bulk sends, newest first, each with its progress',
        querystring: bulkSendListQuerySchema,
        response: { 200: bulkSendPageSchema },
      },
    },
    async (request) =>
      passwordEmails.listBulk(request.query.limit, request.query.before, request.query.importId),
  );

  app.get(
    '/password-emails/bulk/:id',
    {
      config: { permission: 'password-emails.send' },
      schema: {
        tags: passwordTags,
        summary: 'Progress of a bulk send',
        params: idParamsSchema,
        response: { 200: bulkSendSchema },
      },
    },
    async (request) => passwordEmails.getBulk(request.params.id),
  );

  app.get(
    '/mail-templates',
    {
      config: { permission: 'mail-templates.manage' },
      schema: {
        tags: templateTags,
        summary: 'All notification e-mail templates in every language',
        response: { 200: z.array(templateSchema) },
      },
    },
    async () => mail.listTemplates(),
  );

  app.get(
    '/mail-templates/:key/:language',
    {
      config: { permission: 'mail-templates.manage' },
      schema: {
        tags: templateTags,
        summary: 'One template (the shipped default until saved)',
        params: templateParamsSchema,
        response: { 200: templateSchema },
      },
    },
    async (request) => mail.getTemplate(request.params.key, request.params.language),
  );

  app.put(
    '/mail-templates/:key/:language',
    {
      config: { permission: 'mail-templates.manage' },
      schema: {
        tags: templateTags,
        summary: 'Save a template',
        description:
          'Placeholders are checked (unknown → 422 naming it; Account password needs [[reset_link]]) and the HTML is sanitised (no scripts, event handlers, javascript: URLs, forms); `wasSanitized` tells whether anything was removed.',
        params: templateParamsSchema,
        body: templateInputSchema,
        response: { 200: templateSchema },
      },
    },
    async (request) =>
      mail.saveTemplate(
        request.params.key,
        request.params.language,
        request.body,
        currentStaff(request).user.id,
      ),
  );

  app.delete(
    '/mail-templates/:key/:language',
    {
      config: { permission: 'mail-templates.manage' },
      schema: {
        tags: templateTags,
        summary: 'Back to the shipped default text',
        params: templateParamsSchema,
        response: { 200: templateSchema },
      },
    },
    async (request) => mail.resetTemplate(request.params.key, request.params.language),
  );

  app.post(
    '/mail-templates/:key/:language/preview',
    {
      config: { permission: 'mail-templates.manage' },
      schema: {
        tags: templateTags,
        summary:
          'The template (or the unsaved `draft`) filled in for a sample customer: subject, HTML and plain text',
        params: templateParamsSchema,
        body: templateDraftSchema,
        response: { 200: renderedMessageSchema },
      },
    },
    async (request) => mail.preview(request.params.key, request.params.language, request.body.draft),
  );

  app.post(
    '/mail-templates/:key/:language/test',
    {
      config: { permission: 'mail-templates.manage' },
      schema: {
        tags: templateTags,
        summary:
          'Send the template (or the unsaved `draft`) for a sample customer to the signed-in staff user',
        params: templateParamsSchema,
        body: templateDraftSchema,
        response: { 202: mailDeliverySchema },
      },
    },
    async (request, reply) => {
      const { user } = currentStaff(request);
      return reply
        .status(202)
        .send(await mail.sendTest(request.params.key, request.params.language, request.body.draft, user));
    },
  );

  app.get(
    '/mail/status',
    {
      config: { permission: 'signed-in' },
      schema: {
        tags: ['mailbox'],
        summary: 'Whether mail leaves the building (SMTP) or lands in the built-in mailbox',
        response: { 200: mailStatusSchema },
      },
    },
    async () => mail.status(),
  );

  app.get(
    '/mailbox',
    {
      config: { permission: 'mailbox.read' },
      schema: {
        tags: ['mailbox'],
        summary:
          'Messages in the built-in mailbox, newest first; searched by recipient or subject (q) and filtered by kind',
        querystring: mailboxListQuerySchema,
        response: { 200: mailboxPageSchema },
      },
    },
    async (request) => mail.mailbox(request.query),
  );

  app.get(
    '/mailbox/:id',
    {
      config: { permission: 'mailbox.read' },
      schema: {
        tags: ['mailbox'],
        summary: 'One mailbox message with its HTML and plain text',
        params: idParamsSchema,
        response: { 200: mailboxMessageSchema },
      },
    },
    async (request) =>
      mail.mailboxMessage(request.params.id, {
        showResetLinks: can(currentStaff(request).user.role, 'mailbox.read-reset-links'),
      }),
  );
};

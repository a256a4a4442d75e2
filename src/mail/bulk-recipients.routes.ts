import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { idParamsSchema } from '../customers/customer.routes.ts';
import { currentStaff } from '../http/auth.ts';
import type { BulkRecipientService } from './bulk-recipients.service.ts';
import {
  customerPasswordEmailsSchema,
  failedExportQuerySchema,
  recipientListQuerySchema,
  recipientPageSchema,
} from './bulk-recipients.schemas.ts';
import { bulkPreviewSchema, bulkSendSchema } from './mail.schemas.ts';
import type { PasswordEmailService } from './password-email.service.ts';

type App = Parameters<FastifyPluginAsyncZod>[0];
type Deps = { passwordEmails: PasswordEmailService; bulkRecipients: BulkRecipientService };

/**
 * A bulk send per recipient (who failed and why, the failed ones as CSV, send again to them) and
 * a customer's password e-mails: REST adapters, registered by mailRoutes under /api/v1.
 */
export function addBulkRecipientRoutes(
  app: App,
  { passwordEmails, bulkRecipients }: Deps,
  tags: string[],
): void {
  app.get(
    '/password-emails/bulk/:id/recipients',
    {
      config: { permission: 'password-emails.send' },
      schema: {
        tags,
        summary: 'The recipients of a bulk send, filtered by status and failure reason, in pages',
        description:
          'Per recipient: status (`pending` = queued or waiting for a retry), and for a failed one its `reason` — `invalid_address` (no address that can be sent to, or the server called its syntax bad), `smtp_refused` (a 5xx for that recipient), `temporary` (4xx replies or no connection until the retries ran out), `interrupted` (the connection broke or the worker stopped while sending: it may have arrived) — and the server’s reply, short. Bounces that arrive later by e-mail are not tracked. Pages in customer order: pass `nextAfter` as `after`.',
        params: idParamsSchema,
        querystring: recipientListQuerySchema,
        response: { 200: recipientPageSchema },
      },
    },
    async (request) => bulkRecipients.listRecipients(request.params.id, request.query),
  );

  app.get(
    '/password-emails/bulk/:id/failed/download',
    {
      config: { permission: 'password-emails.send' },
      schema: {
        tags,
        summary:
          'The failed recipients of a bulk send as a CSV file (customer number, e-mail, name, reason, server response, time)',
        description:
          'UTF-8 with BOM, comma-separated, headings and reasons in your language. Every cell starting with = + - @ tab or CR is prefixed with an apostrophe (CSV injection). `reason` limits it to one failure reason.',
        params: idParamsSchema,
        querystring: failedExportQuerySchema,
      },
    },
    async (request, reply) => {
      const language = currentStaff(request).user.language;
      const file = await bulkRecipients.failedRecipientsFile(
        request.params.id,
        request.query.reason,
        language,
      );
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${file.fileName}"`)
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', 'no-store')
        .send(file.body);
    },
  );

  app.post(
    '/password-emails/bulk/:id/resend-failed/preview',
    {
      config: { permission: 'password-emails.send' },
      schema: {
        tags,
        summary: 'Count who "send again to the failed ones" would e-mail (for the confirmation)',
        params: idParamsSchema,
        response: { 200: bulkPreviewSchema },
      },
    },
    async (request) => passwordEmails.previewResendFailed(request.params.id),
  );

  app.post(
    '/password-emails/bulk/:id/resend-failed',
    {
      config: { permission: 'password-emails.send' },
      schema: {
        tags,
        summary:
          'Send again to the failed ones: a new bulk send, linked to this one, for its recipients whose latest attempt failed',
        description:
          'Recipients sent the Account password e-mail since (by staff or another bulk send) and customers who have a password by now are left out. Once per bulk send: a second request answers 200 with the bulk send the first one made (202 when it is new). 409 `conflict` with `reason: "still_sending"` while the bulk send is not done, `reason: "nothing_to_resend"` when nobody is left to send to.',
        params: idParamsSchema,
        response: { 200: bulkSendSchema, 202: bulkSendSchema },
      },
    },
    async (request, reply) => {
      const { bulkSend, isNew } = await passwordEmails.resendFailed(
        request.params.id,
        currentStaff(request).user.id,
      );
      return reply.status(isNew ? 202 : 200).send(bulkSend);
    },
  );

  app.get(
    '/customers/:id/password-emails',
    {
      config: { permission: 'customers.read' },
      schema: {
        tags,
        summary: "A customer's password e-mails, newest first: kind, time, status and why one failed",
        params: idParamsSchema,
        response: { 200: customerPasswordEmailsSchema },
      },
    },
    async (request) => bulkRecipients.passwordEmailsOfCustomer(request.params.id),
  );
}

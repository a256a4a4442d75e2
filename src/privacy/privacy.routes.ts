import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { currentStaff } from '../http/auth.ts';
import { idParamsSchema } from '../customers/customer.routes.ts';
import type { PrivacyService } from './privacy.service.ts';
import { erasureInputSchema, erasureListSchema, erasureSchema, personalDataQuerySchema, personalDataSchema } from './privacy.schemas.ts';

const tags = ['privacy'];

/** REST adapter: privacy requests (GDPR) — a customer's personal data, its erasure, and the erasures' audit. */
export const privacyRoutes: FastifyPluginAsyncZod<{ privacy: PrivacyService }> = async (app, { privacy }) => {
  const attachment = (id: number, extension: string) => `attachment; filename="personal-data-customer-${id}-${new Date().toISOString().slice(0, 10)}.${extension}"`;
  const whatIsHeld =
    'The customer, its addresses, groups, tags, consent history, values kept as typed, the import rows that created or changed it (with the cells the import kept), the e-mails sent to it, its shop account and the merges it survived.';

  app.get(
    '/customers/:id/personal-data',
    { config: { permission: 'customers.read' },
      schema: { tags, summary: 'Everything held about a customer, as JSON (a privacy request’s export)', description: `${whatIsHeld} Sent as a download.`, params: idParamsSchema, response: { 200: personalDataSchema } } },
    async (request, reply) => {
      const data = await privacy.personalData(request.params.id);
      return reply.header('content-disposition', attachment(request.params.id, 'json')).header('cache-control', 'private, no-store').send(data);
    },
  );

  app.get(
    '/customers/:id/personal-data.html',
    { config: { permission: 'customers.read' },
      schema: {
        tags,
        summary: 'Everything held about a customer, as a readable page to hand to the customer',
        description: `${whatIsHeld} One self-contained HTML page in English or Dutch (default: the staff user’s language), every value escaped, sent as a download (never shown inside the back office).`,
        params: idParamsSchema,
        querystring: personalDataQuerySchema,
        produces: ['text/html'],
      },
    },
    async (request, reply) => {
      const page = await privacy.personalDataHtml(request.params.id, request.query.language ?? currentStaff(request).user.language);
      return reply
        .header('content-type', 'text/html; charset=utf-8')
        .header('content-disposition', attachment(request.params.id, 'html'))
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', 'private, no-store')
        .send(page);
    },
  );

  app.post(
    '/customers/:id/erase',
    { config: { permission: 'customers.erase' },
      schema: {
        tags,
        summary: 'Erase a customer’s personal data (a privacy request); cannot be undone',
        description: 'Removes the customer and its data everywhere it is held — addresses, consent history, group memberships, flags, shop sessions, e-mails in the outbox and the built-in mailbox, import change records (no undo brings the customer back), import report rows holding its cells, check samples, copies kept to undo a deletion or merge, merges, duplicate suggestions — in one transaction. Keeps an audit entry without personal data and SHA-256 hashes of the e-mail address and external id, so a re-import of an old file leaves the row out with a warning. `confirmEmail` must be the customer’s e-mail address (for a customer without one: `#` and its id). Answers what was erased, and how many export and import files made before may still hold the data until their retention ends. Administrators only.',
        params: idParamsSchema,
        body: erasureInputSchema,
        response: { 200: erasureSchema },
      },
    },
    async (request) => privacy.erase(request.params.id, request.body, currentStaff(request).user.id),
  );

  app.get(
    '/privacy/erasures',
    { config: { permission: 'customers.erase' },
      schema: { tags, summary: 'The erasures done, newest first (an audit without personal data)', response: { 200: erasureListSchema } } },
    async () => privacy.erasures(),
  );
};

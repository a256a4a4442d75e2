import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { idParamsSchema } from '../customers/customer.routes.ts';
import type { CompanyService } from './company.service.ts';
import {
  companyCreateSchema,
  companyDetailSchema,
  companyListQuerySchema,
  companyPageSchema,
  companyPatchSchema,
  contactLinkSchema,
  contactPatchSchema,
} from './company.schemas.ts';

const contactParamsSchema = idParamsSchema.extend({
  customerId: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER),
});

const numberRules =
  'The CoC number is checked for the form of its country’s register (NL KvK: 8 digits; BE KBO/BCE: 10 digits with the mod-97 check, stored as 0123.456.749; DE Handelsregister: HRA or HRB and a number, the court optional; elsewhere free text up to 40 characters). The VAT number is stored compact and upper case, its country prefix added from the CoC country when missing, and checked for its country’s form and check digits. A malformed number is a 422 `invalid_input` whose field error names the expected form (`code` such as `kvk_invalid`, `params.example`). A CoC number another company has is a 409 `conflict` with `existingCompanyId`.';

/** REST adapter for companies and their contacts (issue #19): parse, call one service function, answer. */
export const companyRoutes: FastifyPluginAsyncZod<{ companies: CompanyService }> = async (
  app,
  { companies },
) => {
  const tags = ['companies'];

  app.get(
    '/companies',
    {
      config: { permission: 'customers.read' },
      schema: {
        tags,
        summary: 'List companies: search, pages',
        description:
          '`q` searches partially in name, CoC number and VAT number (accents, case and the dots of a number ignored); ordered by name. `offset` and `limit` page through the list; `total` counts every match.',
        querystring: companyListQuerySchema,
        response: { 200: companyPageSchema },
      },
    },
    async (request) => companies.list(request.query),
  );

  app.get(
    '/companies/:id',
    {
      config: { permission: 'customers.read' },
      schema: {
        tags,
        summary: 'One company with its contacts (primary first) and addresses (defaults first)',
        params: idParamsSchema,
        response: { 200: companyDetailSchema },
      },
    },
    async (request) => companies.get(request.params.id),
  );

  app.post(
    '/companies',
    {
      config: { permission: 'customers.write' },
      schema: {
        tags,
        summary: 'Create a company',
        description: numberRules,
        body: companyCreateSchema,
        response: { 201: companyDetailSchema },
      },
    },
    async (request, reply) => reply.status(201).send(await companies.create(request.body)),
  );

  app.patch(
    '/companies/:id',
    {
      config: { permission: 'customers.write' },
      schema: {
        tags,
        summary: 'Change some fields of a company',
        description: `Only the fields sent change, and only the columns whose value changes are written, under the company's row lock; \`groupIds\` replaces its groups. Send the \`version\` you read to refuse overwriting a change made since: 409 \`conflict\` with \`reason: "version_mismatch"\`. ${numberRules}`,
        params: idParamsSchema,
        body: companyPatchSchema,
        response: { 200: companyDetailSchema },
      },
    },
    async (request) => companies.update(request.params.id, request.body),
  );

  app.delete(
    '/companies/:id',
    {
      config: { permission: 'customers.write' },
      schema: {
        tags,
        summary: 'Delete a company with its addresses; its contacts stay customers, unlinked',
        params: idParamsSchema,
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      await companies.delete(request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/companies/:id/contacts',
    {
      config: { permission: 'customers.write' },
      schema: {
        tags,
        summary: 'Link a customer as a contact, with a role',
        description:
          'A customer belongs to at most one company: one that is a contact elsewhere is refused with 409 `conflict`, `reason: "contact_of_other_company"` and that `companyId`. Linking a contact again changes the role. The first contact, or one sent with `isPrimary`, becomes the primary contact.',
        params: idParamsSchema,
        body: contactLinkSchema,
        response: { 200: companyDetailSchema },
      },
    },
    async (request) => companies.linkContact(request.params.id, request.body),
  );

  app.patch(
    '/companies/:id/contacts/:customerId',
    {
      config: { permission: 'customers.write' },
      schema: {
        tags,
        summary: "Change a contact's role",
        params: contactParamsSchema,
        body: contactPatchSchema,
        response: { 200: companyDetailSchema },
      },
    },
    async (request) => companies.updateContact(request.params.id, request.params.customerId, request.body),
  );

  app.delete(
    '/companies/:id/contacts/:customerId',
    {
      config: { permission: 'customers.write' },
      schema: {
        tags,
        summary: 'Unlink a contact; the customer stays',
        description: 'Unlinking the primary contact leaves the company without one until another is chosen.',
        params: contactParamsSchema,
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      await companies.unlinkContact(request.params.id, request.params.customerId);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/companies/:id/contacts/:customerId/primary',
    {
      config: { permission: 'customers.write' },
      schema: {
        tags,
        summary: 'Make a contact the primary one',
        description: 'The previous primary contact stays a contact.',
        params: contactParamsSchema,
        response: { 200: companyDetailSchema },
      },
    },
    async (request) => companies.makePrimary(request.params.id, request.params.customerId),
  );
};

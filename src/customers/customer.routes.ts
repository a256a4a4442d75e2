import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { CustomerService } from './customer.service.ts';
import { consentSource } from '../consent/consent.ts';
import { currentStaff } from '../http/auth.ts';
import {
  customerCreateSchema,
  customerListQuerySchema,
  customerPageSchema,
  customerPatchSchema,
  customerSchema,
} from './customer.schemas.ts';

/** Path parameter `:id`: a positive whole number (anything else is a 422, never a database error). */
export const idParamsSchema = z.object({
  id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER),
});

/** REST adapter for customers: parse, call one service function, answer. */
export const customerRoutes: FastifyPluginAsyncZod<{ customers: CustomerService }> = async (
  app,
  { customers },
) => {
  const tags = ['customers'];

  app.get(
    '/customers',
    { config: { permission: 'customers.read' },
      schema: {
        tags,
        summary: 'List customers: search, filter by group, sort, keyset pages',
        description:
          '`email` finds one customer by exact (case-insensitive) e-mail; `q` searches partially: with an "@" in the e-mail address, otherwise in name, company, e-mail, city, postcode and phone (accents ignored). Pass `nextCursor` back as `cursor` for the next page, with the same sort and direction (keyset pages: no offsets, so a deep page costs what the first does). `total` is exact up to 10,000, else 10,000 with `isTotalExact: false`. A search of only one- or two-letter words finds words that start with them; one of only `%`, `_` or `@` finds nothing. A search that takes longer than LIST_STATEMENT_TIMEOUT_MS (3 s) answers 422 with code `too_broad`: narrow it. While a large first import loads without the search indexes and builds them afterwards (IMPORT_DEFER_INDEXES_FROM_ROWS), a search (`q`, `tag`) answers 503 with code `index_building`: ask again in a minute.',
        querystring: customerListQuerySchema,
        response: { 200: customerPageSchema },
      },
    },
    async (request) => customers.list(request.query),
  );

  app.get(
    '/customers/:id',
    { config: { permission: 'customers.read' }, schema: { tags, summary: 'One customer', params: idParamsSchema, response: { 200: customerSchema } } },
    async (request) => customers.get(request.params.id),
  );

  app.post(
    '/customers',
    { config: { permission: 'customers.write' },
      schema: {
        tags,
        summary: 'Create a customer',
        description:
          'Fields are normalised (country to ISO code, phone to international format, …); `groupIds` sets its groups.',
        body: customerCreateSchema,
        response: { 201: customerSchema },
      },
    },
    async (request, reply) => reply.status(201).send(await customers.create(request.body, { consentSource: consentSource.staff(currentStaff(request).user.id) })),
  );

  app.patch(
    '/customers/:id',
    { config: { permission: 'customers.write' },
      schema: {
        tags,
        summary: 'Change some fields of a customer',
        description: [
          'Only the fields sent change, and only their columns are written; addresses are merged field by field; `groupIds` replaces its groups.',
          'The customer is read, merged and written in one transaction holding its row lock, so two saves at once of different fields both land.',
          'To refuse overwriting a change someone else made since you read the customer (what the back-office form does), send the `version` you read: if the customer changed since, nothing is saved and the answer is 409 `conflict` with `reason: "version_mismatch"`, `currentVersion` and the message "This customer was changed by someone else since you opened it — reload to see the changes."',
        ].join('\n\n'),
        params: idParamsSchema,
        body: customerPatchSchema,
        response: { 200: customerSchema },
      },
    },
    async (request) => customers.update(request.params.id, request.body, { consentSource: consentSource.staff(currentStaff(request).user.id) }),
  );

  app.delete(
    '/customers/:id',
    { config: { permission: 'customers.write' },
      schema: {
        tags,
        summary: 'Delete a customer (and its group memberships)',
        params: idParamsSchema,
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      await customers.delete(request.params.id);
      return reply.status(204).send(null);
    },
  );
};

import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { idParamsSchema } from '../customers/customer.routes.ts';
import {
  bookAddressCreateSchema,
  bookAddressPatchSchema,
  bookAddressWarningSchema,
  defaultKinds,
} from '../addresses/address-book.schemas.ts';
import type { CompanyAddressService } from './company-address.service.ts';
import { companyAddressSchema } from './company.schemas.ts';

const addressParamsSchema = idParamsSchema.extend({
  addressId: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER),
});
const writeResultSchema = z.object({
  address: companyAddressSchema,
  warnings: z.array(bookAddressWarningSchema),
});

/** REST adapter for a company's address book: the rules and shapes of the customers' one. */
export const companyAddressRoutes: FastifyPluginAsyncZod<{
  companyAddresses: CompanyAddressService;
}> = async (app, { companyAddresses }) => {
  const tags = ['companies'];
  const base = '/companies/:id/addresses';
  const sameRules =
    'Validated as a customer’s address book is: the country as its code (an unknown country is refused), postcode and phone formatted for the country where they fit, otherwise kept as typed and named in `warnings`. The same place twice is refused with 409. The first address is the default billing and shipping address.';

  app.get(
    base,
    {
      config: { permission: 'customers.read' },
      schema: {
        tags,
        summary: "A company's address book",
        params: idParamsSchema,
        response: { 200: z.object({ items: z.array(companyAddressSchema) }) },
      },
    },
    async (request) => ({ items: await companyAddresses.list(request.params.id) }),
  );

  app.post(
    base,
    {
      config: { permission: 'customers.write' },
      schema: {
        tags,
        summary: 'Add an address to a company',
        description: sameRules,
        params: idParamsSchema,
        body: bookAddressCreateSchema,
        response: { 201: writeResultSchema },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await companyAddresses.add(request.params.id, request.body)),
  );

  app.patch(
    `${base}/:addressId`,
    {
      config: { permission: 'customers.write' },
      schema: {
        tags,
        summary: "Change some parts of a company's address",
        description: sameRules,
        params: addressParamsSchema,
        body: bookAddressPatchSchema,
        response: { 200: writeResultSchema },
      },
    },
    async (request) => companyAddresses.update(request.params.id, request.params.addressId, request.body),
  );

  app.delete(
    `${base}/:addressId`,
    {
      config: { permission: 'customers.write' },
      schema: {
        tags,
        summary: "Remove a company's address",
        params: addressParamsSchema,
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      await companyAddresses.remove(request.params.id, request.params.addressId);
      return reply.status(204).send(null);
    },
  );

  app.post(
    `${base}/:addressId/default`,
    {
      config: { permission: 'customers.write' },
      schema: {
        tags,
        summary: "Make an address the company's default billing or shipping address",
        params: addressParamsSchema,
        body: z.object({ kind: z.enum(defaultKinds) }),
        response: { 200: companyAddressSchema },
      },
    },
    async (request) =>
      companyAddresses.makeDefault(request.params.id, request.params.addressId, request.body.kind),
  );
};

import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { idParamsSchema } from '../customers/customer.routes.ts';
import type { AddressBookService } from './address-book.service.ts';
import {
  bookAddressCreateSchema,
  bookAddressPatchSchema,
  bookAddressSchema,
  bookAddressWarningSchema,
  defaultKinds,
} from './address-book.schemas.ts';

const addressParamsSchema = idParamsSchema.extend({
  addressId: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER),
});
const writeResultSchema = z.object({ address: bookAddressSchema, warnings: z.array(bookAddressWarningSchema) });

/** REST adapter for a customer's address book (issue #16): parse, call one service function, answer. */
export const addressBookRoutes: FastifyPluginAsyncZod<{ addressBook: AddressBookService }> = async (app, { addressBook }) => {
  const tags = ['customers'];
  const base = '/customers/:id/addresses';
  const sameRules =
    'Validated as the import reads addresses: the country as its code (an unknown country is refused), postcode and phone formatted for the country where they fit, otherwise kept as typed and named in `warnings`. The same place twice (after normalising case, accents, spaces, postcode format and country) is refused with 409.';

  app.get(
    base,
    { config: { permission: 'customers.read' },
      schema: {
        tags,
        summary: "A customer's address book",
        description: 'Every address, the default billing address first, then the default shipping address, then the others in the order they were added.',
        params: idParamsSchema,
        response: { 200: z.object({ items: z.array(bookAddressSchema) }) },
      },
    },
    async (request) => ({ items: await addressBook.list(request.params.id) }),
  );

  app.post(
    base,
    { config: { permission: 'customers.write' },
      schema: {
        tags,
        summary: 'Add an address to the address book',
        description: `${sameRules} With \`isDefaultBilling\` / \`isDefaultShipping\` it becomes that default; the previous default stays in the book. A default address is also the customer's \`billingAddress\` / \`shippingAddress\` (its version rises).`,
        params: idParamsSchema,
        body: bookAddressCreateSchema,
        response: { 201: writeResultSchema },
      },
    },
    async (request, reply) => reply.status(201).send(await addressBook.add(request.params.id, request.body)),
  );

  app.patch(
    `${base}/:addressId`,
    { config: { permission: 'customers.write' },
      schema: {
        tags,
        summary: 'Change some parts of an address',
        description: `Only the parts sent change, under the customer's row lock. ${sameRules}`,
        params: addressParamsSchema,
        body: bookAddressPatchSchema,
        response: { 200: writeResultSchema },
      },
    },
    async (request) => addressBook.update(request.params.id, request.params.addressId, request.body),
  );

  app.delete(
    `${base}/:addressId`,
    { config: { permission: 'customers.write' },
      schema: {
        tags,
        summary: 'Remove an address',
        description: 'Removing the default billing or shipping address leaves the customer without that default address.',
        params: addressParamsSchema,
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      await addressBook.remove(request.params.id, request.params.addressId);
      return reply.status(204).send(null);
    },
  );

  app.post(
    `${base}/:addressId/default`,
    { config: { permission: 'customers.write' },
      schema: {
        tags,
        summary: 'Make an address the default billing or shipping address',
        description: 'The previous default stays in the book as an ordinary address.',
        params: addressParamsSchema,
        body: z.object({ kind: z.enum(defaultKinds) }),
        response: { 200: bookAddressSchema },
      },
    },
    async (request) => addressBook.makeDefault(request.params.id, request.params.addressId, request.body.kind),
  );
};

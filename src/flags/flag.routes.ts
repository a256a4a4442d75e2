import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { idParamsSchema } from '../customers/customer.routes.ts';
import { currentStaff } from '../http/auth.ts';
import type { FlagService } from './flag.service.ts';
import { customerFlagListSchema } from './flag.schemas.ts';

/** REST adapter for the values to review on a customer. */
export const flagRoutes: FastifyPluginAsyncZod<{ flags: FlagService }> = async (app, { flags }) => {
  const tags = ['customers'];

  app.get(
    '/customers/:id/flags',
    {
      config: { permission: 'customers.read' },
      schema: {
        tags,
        summary: 'Values to review: what an import kept as typed (or could not store) although it failed validation, and why',
        description: 'A flag closes by itself once the value is changed (back office, API or a later import).',
        params: idParamsSchema,
        response: { 200: customerFlagListSchema },
      },
    },
    async (request) => flags.list(request.params.id, currentStaff(request).user.language),
  );

  app.delete(
    '/customers/:id/flags/:field',
    {
      config: { permission: 'customers.write' },
      schema: {
        tags,
        summary: 'Keep a flagged value as it is: the flag goes',
        params: idParamsSchema.extend({ field: z.string().min(1).max(60) }),
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      await flags.dismiss(request.params.id, request.params.field);
      return reply.status(204).send(null);
    },
  );
};

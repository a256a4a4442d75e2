import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { idParamsSchema } from './customer.routes.ts';
import { groupInputSchema, groupMembershipSchema, groupSchema } from './customer.schemas.ts';
import type { GroupService } from './group.service.ts';

const membershipResultSchema = z.object({ changed: z.number().int() });

/** REST adapter for customer groups and their members. */
export const groupRoutes: FastifyPluginAsyncZod<{ groups: GroupService }> = async (app, { groups }) => {
  const tags = ['groups'];

  app.get(
    '/groups',
    { config: { permission: 'groups.read' },
      schema: {
        tags,
        summary: 'All customer groups with their member counts',
        response: { 200: z.object({ items: z.array(groupSchema) }) },
      },
    },
    async () => ({ items: await groups.list() }),
  );

  app.get(
    '/groups/:id',
    { config: { permission: 'groups.read' },
      schema: { tags, summary: 'One customer group', params: idParamsSchema, response: { 200: groupSchema } },
    },
    async (request) => groups.get(request.params.id),
  );

  app.post(
    '/groups',
    { config: { permission: 'groups.write' },
      schema: {
        tags,
        summary: 'Create a customer group',
        body: groupInputSchema,
        response: { 201: groupSchema },
      },
    },
    async (request, reply) => reply.status(201).send(await groups.create(request.body)),
  );

  app.patch(
    '/groups/:id',
    { config: { permission: 'groups.write' },
      schema: {
        tags,
        summary: 'Rename a customer group',
        params: idParamsSchema,
        body: groupInputSchema,
        response: { 200: groupSchema },
      },
    },
    async (request) => groups.rename(request.params.id, request.body),
  );

  app.delete(
    '/groups/:id',
    { config: { permission: 'groups.write' },
      schema: {
        tags,
        summary: 'Delete a customer group; its customers stay',
        params: idParamsSchema,
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      await groups.delete(request.params.id);
      return reply.status(204).send(null);
    },
  );

  const membershipDescription =
    'Either `customerIds`, or `filter` (the `q`, `email` and `groupId` of the customer list) for every customer matching that search. Answers how many memberships changed.';
  app.post(
    '/groups/:id/members',
    { config: { permission: 'groups.write' },
      schema: {
        tags,
        summary: 'Add customers to a group',
        description: membershipDescription,
        params: idParamsSchema,
        body: groupMembershipSchema,
        response: { 200: membershipResultSchema },
      },
    },
    async (request) => groups.addMembers(request.params.id, request.body),
  );

  app.post(
    '/groups/:id/members/remove',
    { config: { permission: 'groups.write' },
      schema: {
        tags,
        summary: 'Remove customers from a group',
        description: membershipDescription,
        params: idParamsSchema,
        body: groupMembershipSchema,
        response: { 200: membershipResultSchema },
      },
    },
    async (request) => groups.removeMembers(request.params.id, request.body),
  );
};

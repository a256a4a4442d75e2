import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { StaffService } from './staff.service.ts';
import {
  staffInviteSchema,
  staffRoleChangeSchema,
  staffUserListItemSchema,
  staffUserSchema,
} from './staff.schemas.ts';

const idParamsSchema = z.object({ id: z.coerce.number().int().positive() });

/** Settings › Staff users: administrators list, invite, change the role of and remove staff users. */
export const staffUserRoutes: FastifyPluginAsyncZod<{ staff: StaffService }> = async (app, { staff }) => {
  const tags = ['staff users'];
  const config = { permission: 'staff.manage' } as const;

  app.get(
    '/staff-users',
    {
      config,
      schema: {
        tags,
        summary: 'Every staff user with their role',
        response: { 200: z.array(staffUserListItemSchema) },
      },
    },
    async () => staff.listUsers(),
  );

  app.post(
    '/staff-users',
    {
      config,
      schema: {
        tags,
        summary:
          'Add a staff user with a role; they get an e-mail with a one-time link to choose their password',
        body: staffInviteSchema,
        response: { 201: staffUserSchema },
      },
    },
    async (request, reply) => reply.status(201).send(await staff.inviteUser(request.body)),
  );

  app.put(
    '/staff-users/:id/role',
    {
      config,
      schema: {
        tags,
        summary: 'Change a staff user’s role (the last administrator stays one: 409)',
        params: idParamsSchema,
        body: staffRoleChangeSchema,
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      await staff.changeRole(request.params.id, request.body.role);
      return reply.status(204).send(null);
    },
  );

  app.delete(
    '/staff-users/:id',
    {
      config,
      schema: {
        tags,
        summary: 'Remove a staff user (not the last administrator: 409)',
        params: idParamsSchema,
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      await staff.removeUser(request.params.id);
      return reply.status(204).send(null);
    },
  );
};

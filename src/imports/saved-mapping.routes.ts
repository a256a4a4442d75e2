import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { idParamsSchema } from '../customers/customer.routes.ts';
import { currentStaff } from '../http/auth.ts';
import type { StaffLanguage } from '../staff/staff.schemas.ts';
import { savedMappingInputSchema, savedMappingRenameSchema, savedMappingSchema, savedMappingUseSchema } from './import.schemas.ts';
import type { createSavedMappingService } from './saved-mapping.service.ts';

type App = Parameters<FastifyPluginAsyncZod>[0];
type Request = Parameters<typeof currentStaff>[0];

/** Saved column mappings: list, save, rename, the imports that used one, delete (registered by importRoutes). */
export function addSavedMappingRoutes(app: App, savedMappings: ReturnType<typeof createSavedMappingService>, language: (request: Request) => StaffLanguage): void {
  const tags = ['imports'];
  app.get(
    '/import-mappings',
    { config: { permission: 'imports.run' }, schema: { tags, summary: 'Saved column mappings', response: { 200: z.array(savedMappingSchema) } } },
    async () => savedMappings.list(),
  );

  app.post(
    '/import-mappings',
    { config: { permission: 'imports.run' },
      schema: {
        tags,
        summary: "Save an import's mapping under a name (the same name replaces it)",
        body: savedMappingInputSchema,
        response: { 201: savedMappingSchema },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await savedMappings.save(request.body, currentStaff(request).user.id)),
  );

  app.patch(
    '/import-mappings/:id',
    { config: { permission: 'imports.run' },
      schema: {
        tags,
        summary: 'Rename a saved mapping (a name another saved mapping has is refused with 409)',
        params: idParamsSchema,
        body: savedMappingRenameSchema,
        response: { 200: savedMappingSchema },
      },
    },
    async (request) => savedMappings.rename(request.params.id, request.body, language(request)),
  );

  app.get(
    '/import-mappings/:id/imports',
    { config: { permission: 'imports.run' },
      schema: { tags, summary: 'The imports that used a saved mapping, newest first (at most 100)', params: idParamsSchema, response: { 200: z.array(savedMappingUseSchema) } },
    },
    async (request) => savedMappings.uses(request.params.id),
  );

  app.delete(
    '/import-mappings/:id',
    { config: { permission: 'imports.run' }, schema: { tags, summary: 'Delete a saved mapping', params: idParamsSchema } },
    async (request, reply) => {
      await savedMappings.delete(request.params.id);
      return reply.status(204).send();
    },
  );
}

import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { GroupService } from './group.service.ts';

// Placeholder: implemented by the customers work package.
export const groupRoutes: FastifyPluginAsyncZod<{ groups: GroupService }> = async () => {};

import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Readiness } from '../db/readiness.ts';

/**
 * `/healthz`: the process is up (200 even while the database is away: restarting the process
 * would not bring the database back). `/readyz`: the database answers, asked over a connection of
 * its own, so it answers quickly however busy the request pool is.
 */
export const healthRoutes: FastifyPluginAsyncZod<{ readiness: Readiness }> = async (app, { readiness }) => {
  const status = z.object({ status: z.string() });
  app.get('/healthz', { config: { isPublic: true }, schema: { tags: ['health'], summary: 'The process is up', response: { 200: status } } }, async () => ({
    status: 'ok',
  }));
  app.get(
    '/readyz',
    { config: { isPublic: true }, schema: { tags: ['health'], summary: 'The database is reachable', response: { 200: status, 503: status } } },
    async (_request, reply) => {
      if (await readiness.check()) return { status: 'ready' };
      return reply.status(503).header('retry-after', '5').send({ status: 'database unreachable' });
    },
  );
};

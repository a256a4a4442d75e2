import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Database } from '../db/database.ts';

export const healthRoutes: FastifyPluginAsyncZod<{ db: Database }> = async (app, { db }) => {
  const status = z.object({ status: z.string() });
  app.get('/healthz', { config: { isPublic: true }, schema: { tags: ['health'], summary: 'The process is up', response: { 200: status } } }, async () => ({
    status: 'ok',
  }));
  app.get(
    '/readyz',
    { config: { isPublic: true }, schema: { tags: ['health'], summary: 'The database is reachable', response: { 200: status, 503: status } } },
    async (_request, reply) => {
      try {
        await db.pool.query('SELECT 1');
        return { status: 'ready' };
      } catch {
        return reply.status(503).send({ status: 'database unreachable' });
      }
    },
  );
};

import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { overviewSchema } from './overview.schemas.ts';
import type { OverviewService } from './overview.service.ts';

/** The start page's figures: whoever may read customers may see them counted. */
export const overviewRoutes: FastifyPluginAsyncZod<{ overview: OverviewService }> = async (app, { overview }) => {
  app.get(
    '/overview',
    {
      config: { permission: 'customers.read' },
      schema: {
        tags: ['overview'],
        summary: 'The overview: customers per month, per country and by newsletter opt-in; imports and bulk sends per month',
        description:
          'Counted from a summary kept by database triggers (migration 013), so it answers in milliseconds on a million customers and always equals a direct count. Each figure names the customer list filter that lists its customers.',
        response: { 200: overviewSchema },
      },
    },
    async () => overview.overview(),
  );
};

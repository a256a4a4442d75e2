import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { idParamsSchema } from '../customers/customer.routes.ts';
import { currentStaff } from '../http/auth.ts';
import type { SourceService } from './source.service.ts';
import { runDecisionSchema, sourceInputSchema, sourceRunSchema, sourceSchema, sourceUpdateSchema } from './source.schemas.ts';

const tags = ['recurring imports'];
const staffOf = (request: Parameters<typeof currentStaff>[0]) => {
  const { user } = currentStaff(request);
  return { id: user.id, language: user.language };
};

/** REST adapter: recurring imports — sources, their runs, and approving a run that waits. */
export const sourceRoutes: FastifyPluginAsyncZod<{ sources: SourceService }> = async (app, { sources }) => {
  const config = { permission: 'imports.run' } as const;

  app.get('/import-sources', { config, schema: { tags, summary: 'Recurring imports (sources), by name', response: { 200: z.object({ items: z.array(sourceSchema) }) } } },
    async (request) => sources.list(staffOf(request).language));

  app.post(
    '/import-sources',
    { config,
      schema: {
        tags,
        summary: 'Add a source: where a customer list is fetched from, how it is mapped and checked, when, and when it applies by itself',
        description: 'A URL (HTTPS; basic auth or a header token; ETag/Last-Modified honoured, an unchanged file is not imported again), or the newest object under an S3-compatible bucket and prefix. Addresses in private, loopback or link-local networks are refused unless the administrator allows the host (SOURCE_ALLOWED_HOSTS); at most 3 redirects; the import file size limit and SOURCE_FETCH_TIMEOUT_SECONDS apply. Credentials are stored encrypted (SOURCE_CREDENTIALS_KEY) and never returned: the answer says only their kind.',
        body: sourceInputSchema,
        response: { 201: sourceSchema },
      },
    },
    async (request, reply) => reply.status(201).send(await sources.create(request.body, staffOf(request))),
  );

  app.get('/import-sources/:id', { config, schema: { tags, summary: 'One source, with its last run', params: idParamsSchema, response: { 200: sourceSchema } } },
    async (request) => sources.get(request.params.id, staffOf(request).language));

  app.patch(
    '/import-sources/:id',
    { config,
      schema: {
        tags,
        summary: 'Change a source (only the fields sent; `credentials` left out keeps the stored ones)',
        description: '`version` as read: a source changed since answers 409.',
        params: idParamsSchema,
        body: sourceUpdateSchema,
        response: { 200: sourceSchema },
      },
    },
    async (request) => sources.update(request.params.id, request.body, staffOf(request)),
  );

  app.delete('/import-sources/:id', { config, schema: { tags, summary: 'Delete a source (its imports stay in the history)', params: idParamsSchema, response: { 204: z.null() } } },
    async (request, reply) => {
      await sources.remove(request.params.id);
      return reply.status(204).send(null);
    });

  app.post(
    '/import-sources/:id/run',
    { config, schema: { tags, summary: 'Run now: fetch and check the file in the background', params: idParamsSchema, response: { 202: sourceRunSchema } } },
    async (request, reply) => reply.status(202).send(await sources.runNow(request.params.id, staffOf(request))),
  );

  app.get('/import-sources/:id/runs', { config, schema: { tags, summary: 'A source’s runs, newest first (the last 50)', params: idParamsSchema, response: { 200: z.object({ items: z.array(sourceRunSchema) }) } } },
    async (request) => sources.runs(request.params.id, staffOf(request).language));

  app.post(
    '/import-source-runs/:id/decision',
    { config,
      schema: {
        tags,
        summary: 'Approve (start its import) or decline a run that waits for approval',
        description: 'A run waits when its file did not meet the source’s conditions (other columns than the saved mapping, more rejected rows, new or changed customers than allowed); its import is checked and can be looked at first. 409 when the run is not waiting (any more).',
        params: idParamsSchema,
        body: runDecisionSchema,
        response: { 200: sourceRunSchema },
      },
    },
    async (request) => sources.decide(request.params.id, request.body, staffOf(request)),
  );
};

import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { currentStaff } from '../http/auth.ts';
import { idParamsSchema } from '../customers/customer.routes.ts';
import { customerSchema } from '../customers/customer.schemas.ts';
import type { DuplicateService } from './duplicate.service.ts';
import type { MergeService } from './merge.service.ts';
import {
  duplicateListQuerySchema,
  duplicateListSchema,
  duplicateScanSchema,
  mergeInputSchema,
  mergePreviewQuerySchema,
  mergePreviewSchema,
  mergeRecordSchema,
  mergeUndoResultSchema,
} from './duplicate.schemas.ts';

const tags = ['duplicates'];

/** REST adapter: possible duplicates (scan, review, set apart) and merging customers with undo. */
export const duplicateRoutes: FastifyPluginAsyncZod<{ duplicates: DuplicateService; merges: MergeService }> = async (app, { duplicates, merges }) => {
  app.post(
    '/duplicates/scans',
    { config: { permission: 'customers.write' },
      schema: {
        tags,
        summary: 'Look for possible duplicates (a background job)',
        description: 'Starts a scan of all customers for ones that are probably one person: e-mail variants of one mailbox (case, dots and +tags at Gmail, Outlook, iCloud and the like), the same phone or mobile number, the same name at the same postcode. One scan runs at a time: while one is queued or running, this answers that one. Follow it with GET /duplicates/scans/latest.',
        response: { 202: duplicateScanSchema },
      },
    },
    async (request, reply) => reply.status(202).send(await duplicates.startScan(currentStaff(request).user.id)),
  );

  app.get(
    '/duplicates/scans/latest',
    { config: { permission: 'customers.read' },
      schema: { tags, summary: 'The latest scan for duplicates, with its progress', response: { 200: z.object({ scan: duplicateScanSchema.nullable() }) } } },
    async () => ({ scan: await duplicates.latestScan() }),
  );

  app.get(
    '/duplicates',
    { config: { permission: 'customers.read' },
      schema: {
        tags,
        summary: 'Possible duplicates, strongest first',
        description: 'The groups the latest finished scan found, without the ones merged or set apart since and the ones of which fewer than two customers still exist.',
        querystring: duplicateListQuerySchema,
        response: { 200: duplicateListSchema },
      },
    },
    async (request) => duplicates.groups(request.query),
  );

  app.post(
    '/duplicates/:id/dismiss',
    { config: { permission: 'customers.write' },
      schema: { tags, summary: 'Not the same person: never show these customers together again', params: idParamsSchema, response: { 204: z.null() } } },
    async (request, reply) => {
      await duplicates.dismiss(request.params.id, currentStaff(request).user.id);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/customers/merge-preview',
    { config: { permission: 'customers.read' },
      schema: {
        tags,
        summary: 'Two or more customers side by side, before a merge',
        description: 'Each field with every customer\'s value and the one a merge takes by default (the most recently changed customer that has one), and the suggested customer to keep (the one with a password, else the most recently changed).',
        querystring: mergePreviewQuerySchema,
        response: { 200: mergePreviewSchema },
      },
    },
    async (request) => merges.preview(request.query.ids),
  );

  app.post(
    '/customers/merge',
    { config: { permission: 'customers.write' },
      schema: {
        tags,
        summary: 'Merge customers into one',
        description: [
          'The survivor keeps its id, password, sessions and default addresses (one without a billing address takes the most recent one of the others). Per field the value of `choices`, else the most recently changed non-empty one (the e-mail address and customer number: the survivor\'s own when it has one). Tags and groups are combined; marketing consent too, where an unsubscribe wins; the other customers\' addresses, consent history, sent e-mails and import change records move to the survivor.',
          'The merged customers are deleted into a snapshot: `POST /merges/{id}/undo` brings them back. Send each customer\'s `version` as reviewed: when one changed since, nothing happens (409).',
        ].join('\n\n'),
        body: mergeInputSchema,
        response: { 200: z.object({ merge: mergeRecordSchema, customer: customerSchema }) },
      },
    },
    async (request) => merges.merge(request.body, currentStaff(request).user.id),
  );

  app.get(
    '/customers/:id/merges',
    { config: { permission: 'customers.read' },
      schema: { tags, summary: 'The merges into a customer, newest first', params: idParamsSchema, response: { 200: z.object({ items: z.array(mergeRecordSchema) }) } } },
    async (request) => ({ items: await merges.mergesInto(request.params.id) }),
  );

  app.post(
    '/merges/:id/undo',
    { config: { permission: 'customers.write' },
      schema: {
        tags,
        summary: 'Undo a merge',
        description: 'The merged customers come back with their addresses, consent history, groups, e-mails and import records; the survivor\'s fields the merge changed go back, except those someone changed since (kept, and named in `keptFields`).',
        params: idParamsSchema,
        response: { 200: mergeUndoResultSchema },
      },
    },
    async (request) => merges.undo(request.params.id, currentStaff(request).user.id),
  );
};

import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { currentStaff } from '../http/auth.ts';
import { idParamsSchema } from './customer.routes.ts';
import type { CustomerBulkService } from './customer-bulk.service.ts';
import {
  bulkDeleteSchema,
  bulkNewsletterResultSchema,
  bulkTagsResultSchema,
  bulkTagsSchema,
  bulkNewsletterSchema,
  customerDeletionListSchema,
  customerDeletionSchema,
  undoDeletionResultSchema,
} from './customer-bulk.schemas.ts';

const selectionText =
  '`selection` is either `{ customerIds }` or `{ filter }` (every filter of the customer list: `q`, `email`, `groupId`, `importId`, `flagged`, `sinceFrom`, `sinceBefore`, `createdFrom`, `createdBefore`, `country`, `newsletter`) for every customer matching it. Send the count you showed as `expectedCount`: when the selection matches another number by now, nothing happens and the answer is 409 `conflict` with `reason: "count_changed"` and `currentCount`.';

/** REST adapter for bulk actions on a customer selection: delete with undo, newsletter consent. */
export const customerBulkRoutes: FastifyPluginAsyncZod<{ bulk: CustomerBulkService }> = async (app, { bulk }) => {
  const tags = ['customers'];

  app.post(
    '/customers/bulk/delete',
    { config: { permission: 'customers.write' },
      schema: {
        tags,
        summary: 'Delete a selection of customers (undoable for an hour)',
        description: [
          selectionText,
          'The customers disappear at once from lists, search, exports, imports and the storefront (their sessions end); their e-mail addresses are free again. For an hour `POST /customers/deletions/{id}/undo` brings them back with their groups, flags and history; then they are purged. The deletion stays listed (who, when, how many).',
        ].join('\n\n'),
        body: bulkDeleteSchema,
        response: { 200: customerDeletionSchema },
      },
    },
    async (request) => bulk.deleteSelection(request.body, currentStaff(request).user.id),
  );

  app.get(
    '/customers/deletions',
    { config: { permission: 'customers.read' },
      schema: {
        tags,
        summary: 'Recently deleted: the bulk deletions of the last two hours, newest first',
        response: { 200: customerDeletionListSchema },
      },
    },
    async () => ({ items: await bulk.recentDeletions() }),
  );

  app.post(
    '/customers/deletions/:id/undo',
    { config: { permission: 'customers.write' },
      schema: {
        tags,
        summary: 'Undo a bulk deletion (within its hour)',
        description:
          'Puts the customers back as they were (same id and version, groups that still exist, flags, finished e-mails). A customer whose e-mail address or external id another customer took meanwhile is not restored and is listed in `notRestored`. After the hour: 409 `conflict` with `reason: "undo_expired"`.',
        params: idParamsSchema,
        response: { 200: undoDeletionResultSchema },
      },
    },
    async (request) => bulk.undoDeletion(request.params.id, currentStaff(request).user.id),
  );

  app.post(
    '/customers/bulk/newsletter',
    { config: { permission: 'customers.write' },
      schema: {
        tags,
        summary: 'Subscribe or unsubscribe a selection of customers to the newsletter',
        description: [
          selectionText,
          'Each customer is written under its row lock with its version (a form opened before sees the change as a newer version). Customers that already have the chosen consent are not written.',
        ].join('\n\n'),
        body: bulkNewsletterSchema,
        response: { 200: bulkNewsletterResultSchema },
      },
    },
    async (request) => bulk.setNewsletter(request.body, currentStaff(request).user.id),
  );

  app.post(
    '/customers/bulk/tags',
    { config: { permission: 'customers.write' },
      schema: {
        tags,
        summary: 'Add and remove tags on a selection of customers',
        description: [
          selectionText,
          'Tags are compared without case: a tag a customer has in another spelling is not added twice, and `remove` takes it off whatever its case. Customers whose tags this does not change are not written (their version stays). With `expectedCount`, a selection of another size is refused (409) instead of changed.',
        ].join('\n\n'),
        body: bulkTagsSchema,
        response: { 200: bulkTagsResultSchema },
      },
    },
    async (request) => bulk.setTags(request.body),
  );
};

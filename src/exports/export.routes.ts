import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { currentStaff } from '../http/auth.ts';
import type { ExportService } from './export.service.ts';
import {
  exportCreateSchema,
  exportIdParamsSchema,
  exportListQuerySchema,
  exportNotificationsSchema,
  exportOptionsSchema,
  exportPageSchema,
  exportSchema,
  exportSeenSchema,
} from './export.schemas.ts';

type Deps = { exports: ExportService };

/**
 * Back-office REST adapter for exports (under /api/v1). Every route needs a staff session (the
 * auth hook); every staff user may see every export. Export ids are random UUIDs, so a file
 * cannot be found by counting.
 */
export const exportRoutes: FastifyPluginAsyncZod<Deps> = async (app, { exports }) => {
  const tags = ['exports'];

  app.get(
    '/exports/options',
    { config: { permission: 'exports.run' },
      schema: {
        tags,
        summary:
          'What can be exported: types with their columns (headings in your language), presets, filters and formats',
        response: { 200: exportOptionsSchema },
      },
    },
    async (request) => exports.options(currentStaff(request).user.language),
  );

  app.get(
    '/exports',
    { config: { permission: 'exports.run' },
      schema: {
        tags,
        summary: 'Exports, newest first',
        querystring: exportListQuerySchema,
        response: { 200: exportPageSchema },
      },
    },
    async (request) => exports.list(request.query),
  );

  app.post(
    '/exports',
    { config: { permission: 'exports.run' },
      schema: {
        tags,
        summary: 'Start an export (a background job); poll GET /exports/{id} until its status is ready',
        description:
          "Formats: `csv` (UTF-8 with BOM, comma), `csv-semicolon` (UTF-8 with BOM, semicolon: Dutch/European Excel), `xlsx`. Headings are the import's own (in `language`, default yours), so the file can be edited and imported again. Without `columns`, the preset's or all columns. Every cell starting with = + - @ tab or CR is prefixed with an apostrophe (CSV injection).",
        body: exportCreateSchema,
        response: { 202: exportSchema },
      },
    },
    async (request, reply) =>
      reply.status(202).send(await exports.create(request.body, currentStaff(request).user)),
  );

  app.get(
    '/exports/notifications',
    { config: { permission: 'exports.run' },
      schema: {
        tags,
        summary: 'Your exports that asked to notify you and have finished since you last looked',
        response: { 200: exportNotificationsSchema },
      },
    },
    async (request) => exports.notifications(currentStaff(request).user.id),
  );

  app.post(
    '/exports/notifications/seen',
    { config: { permission: 'exports.run' }, schema: { tags, summary: 'Mark finished-export notifications as seen', body: exportSeenSchema } },
    async (request, reply) => {
      await exports.markSeen(currentStaff(request).user.id, request.body.ids);
      return reply.status(204).send();
    },
  );

  app.get(
    '/exports/:id',
    { config: { permission: 'exports.run' },
      schema: {
        tags,
        summary: 'One export: status, progress, file size',
        params: exportIdParamsSchema,
        response: { 200: exportSchema },
      },
    },
    async (request) => exports.get(request.params.id),
  );

  app.get(
    '/exports/:id/download',
    { config: { permission: 'exports.run' },
      schema: {
        tags,
        summary: 'Download the file of a ready export',
        description: 'Sent as an attachment. 409 while the export is processing or when it failed.',
        params: exportIdParamsSchema,
      },
    },
    async (request, reply) => {
      const file = await exports.openDownload(request.params.id);
      return (
        reply
          .header('content-type', file.contentType)
          .header('content-length', String(file.sizeBytes))
          // The name is made by the server; still, nothing but [A-Za-z0-9._-] reaches the header.
          .header('content-disposition', `attachment; filename="${file.fileName.replace(/[^\w.-]/g, '_')}"`)
          .header('x-content-type-options', 'nosniff')
          .header('cache-control', 'private, no-store')
          .send(file.stream)
      );
    },
  );

  app.delete(
    '/exports/:id',
    { config: { permission: 'exports.run' }, schema: { tags, summary: 'Delete an export and its file', params: exportIdParamsSchema } },
    async (request, reply) => {
      await exports.delete(request.params.id);
      return reply.status(204).send();
    },
  );
};

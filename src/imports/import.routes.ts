import type { IncomingMessage } from 'node:http';
import { PassThrough } from 'node:stream';
import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { idParamsSchema } from '../customers/customer.routes.ts';
import { optionalWithoutDefaults } from '../customers/customer.schemas.ts';
import { currentStaff } from '../http/auth.ts';
import { AppError } from '../shared/errors.ts';
import type { ImportService } from './import.service.ts';
import {
  importDetailSchema,
  importListQuerySchema,
  importOptionsSchema,
  importPageSchema,
  mappingInputSchema,
  previewSchema,
  rejectionPageSchema,
  settingsInputSchema,
  importTypeInputSchema,
  undoSkippedSchema,
} from './import.schemas.ts';
import type { createSavedMappingService } from './saved-mapping.service.ts';
import { addSavedMappingRoutes } from './saved-mapping.routes.ts';

type Deps = {
  imports: ImportService;
  savedMappings: ReturnType<typeof createSavedMappingService>;
  maxFileBytes: number;
};

/**
 * Reads and drops the rest of a refused upload (up to a bound), so the browser gets our answer
 * instead of a connection reset.
 */
function drain(raw: IncomingMessage, maxBytes: number, timeoutMs = 60_000): Promise<void> {
  if (raw.readableEnded || raw.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    let bytes = 0;
    const done = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(done, timeoutMs);
    raw.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > maxBytes) {
        raw.pause();
        done();
      }
    });
    raw.on('end', done);
    raw.on('error', done);
    raw.on('close', done);
    raw.resume();
  });
}

/** REST adapter for the import tool: parse, call one service function, answer. */
// Start: only the options sent are laid over the import's own (no defaults filled in: a start that confirms deletions keeps the rest).
const startOptionsSchema = z.object(optionalWithoutDefaults(importOptionsSchema.shape)).nullish();

export const importRoutes: FastifyPluginAsyncZod<Deps> = async (
  app,
  { imports, savedMappings, maxFileBytes },
) => {
  const tags = ['imports'];
  // Uploads arrive as the raw file bytes and are streamed to the file store, never buffered.
  app.addContentTypeParser('application/octet-stream', (_request, payload, done) => done(null, payload));
  const language = (request: Parameters<typeof currentStaff>[0]) => currentStaff(request).user.language;

  app.get(
    '/import-limits',
    { config: { permission: 'imports.run' },
      schema: {
        tags,
        summary: 'What an upload may be: the largest file and the accepted file types',
        response: { 200: z.object({ maxFileBytes: z.number().int(), extensions: z.array(z.string()) }) },
      },
    },
    async () => ({ maxFileBytes, extensions: ['csv', 'tsv', 'txt', 'xlsx'] }),
  );

  app.get(
    '/imports',
    { config: { permission: 'imports.run' },
      schema: {
        tags,
        summary: 'List imports, newest first; search by file name, filter by date',
        querystring: importListQuerySchema,
        response: { 200: importPageSchema },
      },
    },
    async (request) => imports.list(request.query),
  );

  app.post(
    '/imports',
    { config: { permission: 'imports.run' },
      bodyLimit: maxFileBytes + 1024 * 1024,
      schema: {
        tags,
        summary: 'Upload a worksheet (CSV, TSV, TXT or XLSX) and analyse it',
        description:
          'Send the file itself as the body with `Content-Type: application/octet-stream` and its name in `fileName`. The file is analysed (format, encoding, delimiter, heading row) and its columns mapped; a refused file (empty, PDF, image, old .xls, …) is answered with 422 and `reason`, and nothing is kept.',
        querystring: z.object({
          fileName: z.string().trim().min(1).max(500),
          /** "Import the corrected file": start with this import's mapping, options and accepted fixes. */
          basedOnImportId: z.coerce.number().int().positive().optional(),
        }),
        response: { 201: importDetailSchema },
      },
    },
    async (request, reply) => {
      const staff = currentStaff(request).user;
      if (!request.headers['content-type']?.startsWith('application/octet-stream'))
        throw new AppError('invalid_input', 'Send the file as application/octet-stream.');
      const body = request.body as PassThrough;
      try {
        return reply.status(201).send(await imports.upload(body, request.query.fileName, staff, request.query.basedOnImportId));
      } catch (error) {
        // Too large, a refused file, a full disk: the answer must reach the browser, which is
        // still sending the rest of the file.
        if (!request.raw.readableEnded) {
          await drain(request.raw, maxFileBytes * 4);
          reply.header('connection', 'close');
        }
        throw error;
      }
    },
  );

  app.get(
    '/imports/:id',
    { config: { permission: 'imports.run' },
      schema: {
        tags,
        summary: 'One import: analysis, mapping, check, progress and counts',
        params: idParamsSchema,
        response: { 200: importDetailSchema },
      },
    },
    async (request) => imports.detail(request.params.id, language(request)),
  );

  app.get(
    '/imports/:id/preview',
    { config: { permission: 'imports.run' },
      schema: {
        tags,
        summary: 'The first rows as they will be read and imported',
        params: idParamsSchema,
        response: { 200: previewSchema },
      },
    },
    async (request) => imports.preview(request.params.id, language(request)),
  );

  app.put(
    '/imports/:id/settings',
    { config: { permission: 'imports.run' },
      schema: {
        tags,
        summary: 'Change how the file is read (encoding, delimiter, quote, heading row, sheet)',
        params: idParamsSchema,
        body: settingsInputSchema,
        response: { 200: importDetailSchema },
      },
    },
    async (request) => imports.updateSettings(request.params.id, request.body, language(request)),
  );

  app.put(
    '/imports/:id/type',
    { config: { permission: 'imports.run' },
      schema: {
        tags,
        summary: 'What the file holds: customers, addresses of customers that exist (Customer addresses), or companies (Companies: one row per company, as the Companies export writes it); the columns are mapped again for its fields',
        params: idParamsSchema,
        body: importTypeInputSchema,
        response: { 200: importDetailSchema },
      },
    },
    async (request) => imports.setType(request.params.id, request.body, language(request)),
  );

  app.put(
    '/imports/:id/mapping',
    { config: { permission: 'imports.run' },
      schema: {
        tags,
        summary:
          'Map columns to fields (null = do not import); `savedMappingId` applies a saved mapping first',
        params: idParamsSchema,
        body: mappingInputSchema,
        response: { 200: importDetailSchema },
      },
    },
    async (request) => {
      const saved =
        request.body.savedMappingId === undefined
          ? undefined
          : await savedMappings.get(request.body.savedMappingId);
      return imports.updateMapping(request.params.id, request.body, saved, language(request));
    },
  );

  app.post(
    '/imports/:id/check',
    { config: { permission: 'imports.run' },
      schema: {
        tags,
        summary: 'Check the whole file with these options (a dry run: nothing is written)',
        params: idParamsSchema,
        body: importOptionsSchema.partial().nullish(),
        response: { 202: importDetailSchema },
      },
    },
    async (request, reply) =>
      reply.status(202).send(await imports.check(request.params.id, request.body, language(request))),
  );

  app.post(
    '/imports/:id/start',
    { config: { permission: 'imports.run' },
      schema: {
        tags,
        summary: 'Start the import in the background (a second start changes nothing)',
        description:
          'Starts only an import that has passed its check (`POST /imports/{id}/check`, then wait for status `checked`); the options sent are laid over the checked ones and must equal them, `confirmDeletions` aside. Refused with 409 `conflict` and a `reason`: `not_checked` (status `mapping`: never checked, or its file settings, mapping or type changed since), `check_running` (status `checking`), `options_changed` (the options differ from the check’s: check again with them), `confirm_deletions` (an import that deletes customers needs `confirmDeletions` equal to the number its check counted, in `deletions`), `awaiting_approval` (a recurring import’s run waits for approval), `file_deleted`; a check that found the file unreadable is refused with 422 and that reason. A queued or running import is answered with 202 and left as it is.',
        params: idParamsSchema,
        body: startOptionsSchema,
        response: { 202: importDetailSchema },
      },
    },
    async (request, reply) =>
      reply.status(202).send(await imports.start(request.params.id, request.body, language(request))),
  );

  app.post(
    '/imports/:id/cancel',
    { config: { permission: 'imports.run' },
      schema: {
        tags,
        summary: 'Stop after the current batch (everything before it stays applied and reported)',
        params: idParamsSchema,
        response: { 200: importDetailSchema },
      },
    },
    async (request) => imports.cancel(request.params.id, language(request)),
  );

  app.post(
    '/imports/:id/undo',
    { config: { permission: 'imports.run' },
      schema: {
        tags,
        summary:
          'Undo: delete the customers it created, restore the ones it updated (customers changed since are skipped)',
        params: idParamsSchema,
        response: { 202: importDetailSchema },
      },
    },
    async (request, reply) =>
      reply.status(202).send(await imports.undo(request.params.id, language(request))),
  );

  app.get(
    '/imports/:id/rejections',
    { config: { permission: 'imports.run' },
      schema: {
        tags,
        summary: 'Rejected rows with every problem, in file order',
        params: idParamsSchema,
        querystring: rowPageQuerySchema,
        response: { 200: rejectionPageSchema },
      },
    },
    async (request) => imports.rejections(request.params.id, rowPageOf(request.query), language(request)),
  );

  app.get(
    '/imports/:id/undo-skipped',
    { config: { permission: 'imports.run' },
      schema: {
        tags,
        summary: 'The customers an undo left alone (changed after the import, or deleted since), first 500',
        params: idParamsSchema,
        response: { 200: undoSkippedSchema },
      },
    },
    async (request) => imports.undoSkipped(request.params.id),
  );

  app.get(
    '/imports/:id/rejected-rows',
    { config: { permission: 'imports.run' },
      schema: {
        tags,
        summary: 'Download the rejected rows in the original layout with an error column',
        params: idParamsSchema,
      },
    },
    async (request, reply) => sendReportFile(reply, await imports.rejectedRowsFile(request.params.id, language(request))),
  );

  app.get(
    '/imports/:id/warnings',
    {
      config: { permission: 'imports.run' },
      schema: {
        tags,
        summary: 'Rows imported with warnings (values kept as typed, left out or not overwritten), with every warning, in file order',
        params: idParamsSchema,
        querystring: rowPageQuerySchema,
        response: { 200: rejectionPageSchema },
      },
    },
    async (request) => imports.warnings(request.params.id, rowPageOf(request.query), language(request)),
  );

  app.get(
    '/imports/:id/warning-rows',
    {
      config: { permission: 'imports.run' },
      schema: {
        tags,
        summary: 'Download the rows imported with warnings in the original layout (extra cells included) with a warnings column',
        params: idParamsSchema,
      },
    },
    async (request, reply) => sendReportFile(reply, await imports.warningRowsFile(request.params.id, language(request))),
  );

  addSavedMappingRoutes(app, savedMappings, language);
};

/** A page of report rows: after the row number in `cursor`, at most `limit`. */
const rowPageQuerySchema = z.object({
  cursor: z.coerce.number().int().min(0).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});

function rowPageOf(query: z.infer<typeof rowPageQuerySchema>) {
  return { ...(query.cursor !== undefined && { afterRow: query.cursor }), limit: query.limit };
}

/** A rejected-rows or warning-rows file, streamed as a download in the import's own format. */
function sendReportFile(reply: FastifyReply, file: { format: string; fileName: string; write: (out: PassThrough) => Promise<void> }) {
  const body = new PassThrough();
  void file.write(body).catch((error: unknown) => body.destroy(error as Error));
  return reply
    .header('content-type', file.format === 'xlsx' ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' : 'text/csv')
    .header('content-disposition', `attachment; filename="${file.fileName}"`)
    .header('x-content-type-options', 'nosniff')
    .header('cache-control', 'no-store')
    .send(body);
}

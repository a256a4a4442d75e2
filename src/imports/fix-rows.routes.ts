import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { idParamsSchema } from '../customers/customer.routes.ts';
import { currentStaff } from '../http/auth.ts';
import type { FixRowsService } from './fix-rows.service.ts';
import {
  cellValue,
  changedSchema,
  gridQuerySchema,
  gridRowSchema,
  rejectedGridAnswerSchema,
} from './fix-rows.schemas.ts';
import { importDetailSchema } from './import.schemas.ts';

/** REST adapter for fixing rejected rows in the app (issue #18, point 1): the grid, edits, bulk fixes, the follow-up import. */

const rowParamsSchema = idParamsSchema.extend({ rowNumber: z.coerce.number().int().min(1) });

export const fixRowsRoutes: FastifyPluginAsyncZod<{ fixRows: FixRowsService }> = async (app, { fixRows }) => {
  const tags = ['imports'];
  const staffOf = (request: Parameters<typeof currentStaff>[0]) => currentStaff(request).user;
  const finished =
    'For a checked import (before its start: the rows its check rejected; when it starts, the fixed rows are imported with the rest of the file) and for a finished one (done, done with errors: the rows its run rejected); otherwise 409 (`reason: not_fixable`).';

  app.get(
    '/imports/:id/rejected-grid',
    {
      config: { permission: 'imports.run' },
      schema: {
        tags,
        summary:
          "The rejected rows to fix in the app: the file's columns, the cells with edits applied and each row's problems now",
        description: `Paged with \`offset\` and \`limit\`; \`code\` keeps the rows rejected for that kind of problem. Also the kinds of problems with their row counts, the suggested fixes, how many rows are fixed, and the follow-up imports of fixed rows — left out with \`summary=false\` (a page of rows scrolled to: with 50,000 rejected rows the summary costs more than the page). ${finished}`,
        params: idParamsSchema,
        querystring: gridQuerySchema,
        response: { 200: rejectedGridAnswerSchema },
      },
    },
    async (request) => fixRows.grid(request.params.id, request.query, staffOf(request).language),
  );

  app.put(
    '/imports/:id/rejected-grid/:rowNumber',
    {
      config: { permission: 'imports.run' },
      schema: {
        tags,
        summary: "Edit cells of a rejected row; the row is checked again by the check's rules",
        description: `\`cells\`: column index → new value. The edits are saved with the import (what the file said, the new value, who, when); a value equal to the file's removes the edit. The row is validated and planned against the stored customers with the import's mapping and options, as the check does; the answer has its problems now (\`errors\` empty: fixed). ${finished}`,
        params: rowParamsSchema,
        body: z.object({ cells: z.record(z.string().regex(/^\d{1,4}$/), cellValue) }),
        response: { 200: gridRowSchema },
      },
    },
    async (request) =>
      fixRows.editRow(request.params.id, request.params.rowNumber, request.body.cells, staffOf(request)),
  );

  app.post(
    '/imports/:id/rejected-grid/replace',
    {
      config: { permission: 'imports.run' },
      schema: {
        tags,
        summary: 'Find and replace within one column of every rejected row',
        description: `Every occurrence of \`find\` in the column becomes \`replace\` (case-sensitive); an empty \`find\` fills the column's empty cells. Changed rows are checked again. ${finished}`,
        params: idParamsSchema,
        body: z.object({
          columnIndex: z.number().int().min(0).max(9999),
          find: cellValue,
          replace: cellValue,
        }),
        response: { 200: changedSchema },
      },
    },
    async (request) => fixRows.replace(request.params.id, request.body, staffOf(request)),
  );

  app.post(
    '/imports/:id/rejected-grid/apply-suggestion',
    {
      config: { permission: 'imports.run' },
      schema: {
        tags,
        summary: 'Apply a suggested fix (such as a lost leading zero) to every rejected row that has it',
        description: `\`code\` and \`columnIndex\` as in the grid's \`suggestions\`; the suggestion replaces the cell, and the rows are checked again. ${finished}`,
        params: idParamsSchema,
        body: z.object({ code: z.string().min(1).max(100), columnIndex: z.number().int().min(0).max(9999) }),
        response: { 200: changedSchema },
      },
    },
    async (request) => fixRows.applySuggestion(request.params.id, request.body, staffOf(request)),
  );

  app.post(
    '/imports/:id/fixed-rows',
    {
      config: { permission: 'imports.run' },
      schema: {
        tags,
        summary: 'Import the fixed rows: a follow-up import of them, linked to this one, checked',
        description: `The follow-up's file is the fixed rows with their edits in this import's headings and format, stored like an upload; it has this import's mapping and options (\`parentImportId\` and \`basedOnImportId\` name this import) and its check starts at once; start it as any import. The rows leave this import's grid. 422 (\`reason: nothing_fixed\`) when no row is fixed. Only for finished imports: a checked import takes its fixed rows in itself when it starts (409, \`reason: not_finished\`).`,
        params: idParamsSchema,
        response: { 201: importDetailSchema },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await fixRows.importFixedRows(request.params.id, staffOf(request))),
  );
};

import { z } from 'zod';
import { importStatuses, rowErrorSchema } from './import.schemas.ts';

/** Fixing rejected rows in the app: what the grid's routes take and answer (shared with the web UI). */

export const gridQuerySchema = z.object({
  offset: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  /** Only rows rejected for this kind of problem (a `code` of `kinds`). */
  code: z.string().trim().min(1).max(100).optional(),
  /** `false`: only the rows and their count (a page scrolled to), without the summary (kinds, suggestions, fixed, edited, follow-ups). */
  summary: z.enum(['true', 'false']).default('true'),
});

export const gridRowSchema = z.object({
  rowNumber: z.number().int(),
  /** The row's cells with the edits made in the app applied. */
  cells: z.array(z.string()),
  /** The column indexes edited in the app. */
  edited: z.array(z.number().int()),
  /** What rejects the row now (empty: the row is fixed), in the staff user's language. */
  errors: z.array(rowErrorSchema),
  /** What the row would be imported with (values kept as typed, left out…). */
  warnings: z.array(rowErrorSchema),
  isFixed: z.boolean(),
});

export const rejectedGridSchema = z.object({
  /** The file's own headings: the user's columns. */
  headings: z.array(z.string()),
  rows: z.array(gridRowSchema),
  /** Open rows (with `code`, those of that kind). */
  total: z.number().int(),
  /** Open rows that are fixed, ready for "Import the fixed rows" (or, before the start, for the import itself). */
  fixed: z.number().int(),
  /** Open rows changed in the app since the check or run rejected them. */
  edited: z.number().int(),
  kinds: z.array(z.object({ code: z.string(), count: z.number().int(), example: z.string() })),
  suggestions: z.array(
    z.object({
      code: z.string(),
      columnIndex: z.number().int(),
      column: z.string().nullable(),
      count: z.number().int(),
      example: z.object({ value: z.string(), suggestion: z.string(), message: z.string() }),
    }),
  ),
  followUps: z.array(
    z.object({ id: z.number().int(), status: z.enum(importStatuses), createdAt: z.string() }),
  ),
});
export type RejectedGrid = z.infer<typeof rejectedGridSchema>;
/** The answer: with `summary=false` the summary's fields are left out. */
export const rejectedGridAnswerSchema = rejectedGridSchema.partial({
  fixed: true,
  edited: true,
  kinds: true,
  suggestions: true,
  followUps: true,
});
export type RejectedGridPage = Pick<RejectedGrid, 'headings' | 'rows' | 'total'>;
export type RejectedGridRow = z.infer<typeof gridRowSchema>;

export const cellValue = z.string().max(32_768);
export const changedSchema = z.object({ changed: z.number().int() });

import { z } from 'zod';
import { customerLanguages } from '../customers/customer.rules.ts';
import { staffLanguages } from '../staff/staff.schemas.ts';

/**
 * The export shapes of the REST API, shared by the server (validation and OpenAPI), the CLI and
 * the back-office UI. What can be exported is a list (`exportTypeIds`), so a products export is
 * one more entry here and one more definition in export-types.ts.
 */
export const exportTypeIds = ['customers', 'customer-groups', 'addresses', 'companies'] as const;
export type ExportTypeId = (typeof exportTypeIds)[number];

/** `csv`: UTF-8 with BOM, comma. `csv-semicolon`: UTF-8 with BOM, semicolon (Dutch/European Excel). */
export const exportFormats = ['csv', 'csv-semicolon', 'xlsx'] as const;
export type ExportFormat = (typeof exportFormats)[number];

/**
 * Who reads a CSV file. `spreadsheet` (the default): cells that a spreadsheet would run as a
 * formula get a leading apostrophe (the importer removes it). `program`: a mailing platform or
 * another program, which runs no formulas and would keep the apostrophe, gets the raw values.
 * An XLSX file is the same either way: its cells are typed text, which is never a formula.
 */
export const exportPurposes = ['spreadsheet', 'program'] as const;
export type ExportPurpose = (typeof exportPurposes)[number];

export const exportStatuses = ['processing', 'ready', 'failed'] as const;
export type ExportStatus = (typeof exportStatuses)[number];

export const exportPresets = ['mailing-list'] as const;
export type ExportPreset = (typeof exportPresets)[number];

export type ExportLanguage = (typeof staffLanguages)[number];

const dateOrDateTime = z
  .string()
  .trim()
  .refine(
    (value) =>
      /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/.test(value) &&
      !Number.isNaN(Date.parse(value)),
    {
      message: 'Use a date such as 2025-01-31 (or a date and time with its offset).',
      params: { code: 'date_invalid' },
    },
  );

/** Which customers: the same search as the customer list (`q`, `groupId`) and more. All optional. */
export const exportFiltersSchema = z
  .object({
    q: z.string().trim().max(200).optional(),
    groupId: z.number().int().positive().optional(),
    createdSince: dateOrDateTime.optional(),
    updatedSince: dateOrDateTime.optional(),
    /** Customers last created or changed by this import (`customers.last_import_id`). */
    importId: z.number().int().positive().optional(),
    newsletter: z.boolean().optional(),
    /** Customers with this tag (case aside). */
    tag: z.string().trim().min(1).max(100).optional(),
    /** A customer language code; '' = customers without a language. */
    language: z.enum([...customerLanguages, '']).optional(),
    /** ISO 3166-1 alpha-2 code of the billing country. */
    country: z
      .string()
      .trim()
      .regex(/^([A-Za-z]{2}|-)$/, { message: 'Use a two-letter country code such as NL, or - for customers without a country.' })
      .transform((value) => value.toUpperCase())
      .optional(),
    /** Exactly these customers: a selection made in the customer list (the other filters narrow it further). */
    customerIds: z.array(z.number().int().positive()).min(1).max(10_000).optional(),
    /** true: only customers with values to review (flagged), as the customer list's filter. */
    flagged: z.boolean().optional(),
    /** Customer since (or, when not known, created) on or after / before this date, as the customer list's filter. */
    sinceFrom: z.iso.date().optional(),
    sinceBefore: z.iso.date().optional(),
    /** Created in Clientele (UTC) on or after / before this date, as the customer list's filter. */
    createdFrom: z.iso.date().optional(),
    createdBefore: z.iso.date().optional(),
  })
  .strict();
export type ExportFilters = z.output<typeof exportFiltersSchema>;

/** POST /api/v1/exports body. `columns` defaults to the preset's, or else every column of the type. */
export const exportCreateSchema = z
  .object({
    type: z.enum(exportTypeIds),
    format: z.enum(exportFormats),
    /** Who reads a CSV file (see exportPurposes); ignored for XLSX. */
    purpose: z.enum(exportPurposes).default('spreadsheet'),
    columns: z.array(z.string().min(1).max(60)).min(1, 'Choose at least one column.').max(200).optional(),
    preset: z.enum(exportPresets).optional(),
    filters: exportFiltersSchema.default({}),
    /** Headings and yes/no words in this language; default the staff user's own. */
    language: z.enum(staffLanguages).optional(),
    notify: z.boolean().default(false),
  })
  .strict();
export type ExportCreateInput = z.input<typeof exportCreateSchema>;

export const exportIdParamsSchema = z.object({ id: z.uuid({ message: 'Not an export id.' }) });

export const exportSchema = z.object({
  id: z.string(),
  type: z.enum(exportTypeIds),
  format: z.enum(exportFormats),
  purpose: z.enum(exportPurposes),
  language: z.enum(staffLanguages),
  columns: z.array(z.string()),
  filters: exportFiltersSchema,
  preset: z.enum(exportPresets).nullable(),
  fileName: z.string(),
  status: z.enum(exportStatuses),
  rowsTotal: z.number().int().nullable(),
  rowsDone: z.number().int(),
  sizeBytes: z.number().int().nullable(),
  sha256: z.string().nullable(),
  failure: z.object({ code: z.string(), message: z.string() }).nullable(),
  notify: z.boolean(),
  createdBy: z.object({ id: z.number().int(), name: z.string() }).nullable(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
  expiresAt: z.string().nullable(),
  /** Where the file is downloaded (with the staff session), once ready. */
  downloadUrl: z.string().nullable(),
});
export type ExportRecord = z.infer<typeof exportSchema>;

export const exportListQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z.string().max(200).optional(),
});

export const exportPageSchema = z.object({ items: z.array(exportSchema), nextCursor: z.string().nullable() });
export type ExportPage = z.infer<typeof exportPageSchema>;

export const exportColumnOptionSchema = z.object({
  key: z.string(),
  group: z.string(),
  heading: z.string(),
  isDefault: z.boolean(),
});

/** GET /api/v1/exports/options: what can be exported, with the columns' headings in the staff user's language. */
export const exportOptionsSchema = z.object({
  types: z.array(
    z.object({
      id: z.enum(exportTypeIds),
      columns: z.array(exportColumnOptionSchema),
      presets: z.array(z.object({ id: z.enum(exportPresets), columns: z.array(z.string()) })),
      filters: z.array(z.string()),
    }),
  ),
  formats: z.array(z.enum(exportFormats)),
  purposes: z.array(z.enum(exportPurposes)),
  retentionDays: z.number().int(),
});
export type ExportOptions = z.infer<typeof exportOptionsSchema>;

export const exportNotificationsSchema = z.object({
  items: z.array(exportSchema),
  /** Exports of this user that will notify when done: the UI polls faster while there are any. */
  pending: z.number().int(),
});

export const exportSeenSchema = z.object({ ids: z.array(z.uuid()).min(1).max(100) }).strict();

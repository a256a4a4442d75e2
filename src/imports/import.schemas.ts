import { z } from 'zod';
import { suggestedFixCodes } from './cells.ts';
import { mappingConfidences } from './mapping.ts';

/**
 * The import API's shapes, shared by the server (validation, OpenAPI) and the back-office UI.
 * Messages in responses are in the staff user's language.
 */

export const importStatuses = [
  'mapping', 'checking', 'checked', 'queued', 'processing', 'done', 'done_with_errors', 'failed', 'cancelled', 'undoing', 'undone',
] as const;
export type ImportStatus = (typeof importStatuses)[number];

/** Statuses in which the file, its settings and mapping may still change. */
export const editableStatuses = ['mapping', 'checked'] as const satisfies readonly ImportStatus[];
export const finishedStatuses = ['done', 'done_with_errors', 'failed', 'cancelled'] as const satisfies readonly ImportStatus[];

/**
 * What a bad value the customer can do without does to its row: the value is kept as typed and
 * flagged for review (default), left out, or (strict) the row is rejected.
 */
export const badValuePolicies = ['keep-flagged', 'leave-out', 'strict'] as const;

export const encodings = ['utf-8', 'utf-8-bom', 'utf-16le', 'utf-16be', 'windows-1252'] as const;
export const delimiterChoices = [',', ';', '\t', '|'] as const;

export const duplicateRules = ['first', 'last', 'combine', 'address'] as const;
export type DuplicateRule = (typeof duplicateRules)[number];

/** Step Type: what the file holds (address-file.ts). */
export const importTypeInputSchema = z.object({ type: z.enum(['customers', 'addresses', 'companies']) });

export const importOptionsSchema = z.object({
  mode: z.enum(['create-update', 'create', 'update', 'delete']).default('create-update'),
  /**
   * Starting an import that deletes customers (row command *delete*, or mode `delete`) needs this
   * number to equal the deletions its check counted.
   */
  confirmDeletions: z.number().int().min(0).optional(),
  blank: z.enum(['keep', 'clear']).default('keep'),
  matchOn: z.enum(['email', 'id', 'externalId', 'phone', 'externalIdThenEmail']).default('email'),
  groups: z.enum(['add', 'replace']).default('add'),
  unknownGroups: z.enum(['create', 'reject']).default('create'),
  /** Fields an update never overwrites, e.g. `email` or `groups`. */
  protectedFields: z.array(z.string().max(60)).max(100).default([]),
  dateOrder: z.enum(['dmy', 'mdy']).optional(),
  /** Per field, the spreadsheet-damage fixes accepted in the check step. */
  acceptedFixes: z.record(z.string().max(60), z.array(z.enum(suggestedFixCodes)).max(5)).default({}),
  /** A bad value the customer can do without: kept as typed and flagged, left out, or (strict) the row is rejected. */
  badValues: z.enum(badValuePolicies).default('keep-flagged'),
  /** The same customer on several rows of the file: the first row wins, the last row wins, or later rows fill the first row's empty cells. */
  duplicates: z.enum(duplicateRules).default('first'),
  /**
   * The staff states that the file holds new consent evidence: it may re-subscribe customers who
   * unsubscribed. Without it they stay unsubscribed (and the check counts them).
   */
  newConsentEvidence: z.boolean().default(false),
  /** Phone numbers and postcodes without a country: this country (default: the shop's). */
  phoneCountry: z.string().regex(/^[A-Z]{2}$/, 'Use a two-letter country code such as NL.').optional(),
});
export type ImportOptions = z.output<typeof importOptionsSchema>;
export type ImportOptionsInput = z.input<typeof importOptionsSchema>;

/** How the file is read; the user may change each detected value. */
export const readSettingsSchema = z.discriminatedUnion('format', [
  z.object({
    format: z.literal('csv'),
    encoding: z.enum(encodings),
    delimiter: z.enum(delimiterChoices),
    quote: z.enum(['"', "'"]),
    headerRowNumber: z.number().int().min(1),
  }),
  z.object({ format: z.literal('xlsx'), sheet: z.string().nullable(), headerRowNumber: z.number().int().min(1) }),
]);
export type StoredReadSettings = z.infer<typeof readSettingsSchema>;

export const settingsInputSchema = z.object({
  encoding: z.enum(encodings).optional(),
  delimiter: z.enum(delimiterChoices).optional(),
  quote: z.enum(['"', "'"]).optional(),
  headerRowNumber: z.number().int().min(1).max(10_000).optional(),
  sheet: z.string().max(255).optional(),
});
export type SettingsInput = z.infer<typeof settingsInputSchema>;

export const mappingInputSchema = z.object({
  /** `isConfirmed: true` with the column's current field confirms a similar (fuzzy) match. */
  columns: z.array(z.object({ index: z.number().int().min(0).max(5000), field: z.string().max(60).nullable(), isConfirmed: z.boolean().optional() })).max(5000),
  savedMappingId: z.number().int().positive().optional(),
});

const messageSchema = z.object({ code: z.string(), message: z.string() });

export const columnMappingSchema = z.object({
  index: z.number().int(),
  heading: z.string(),
  field: z.string().nullable(),
  confidence: z.enum(mappingConfidences),
  score: z.number(),
  isConfirmed: z.boolean().optional(),
  note: messageSchema.extend({ params: z.record(z.string(), z.union([z.string(), z.number()])) }).optional(),
});

export const rowErrorSchema = z.object({
  rowNumber: z.number().int(),
  column: z.string().nullable(),
  columnIndex: z.number().int().nullable(),
  field: z.string(),
  value: z.string(),
  code: z.string(),
  message: z.string(),
  suggestion: z.string().optional(),
  /** The customer is imported with this problem (value kept as typed, left out, or not overwritten). */
  isWarning: z.boolean().optional(),
  /** The value is stored as a flag on the customer, for staff to review. */
  isFlagged: z.boolean().optional(),
});

export const fieldChangeSchema = z.object({ field: z.string(), before: z.string(), after: z.string() });

export const duplicateRowSchema = z.object({ rowNumber: z.number().int(), action: z.enum(['replaced', 'combined', 'address']), intoRow: z.number().int() });

export const checkResultSchema = z.object({
  rows: z.number().int(),
  created: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  rejected: z.number().int(),
  groupsToCreate: z.array(z.string()),
  /** The first customers that would change, field by field. */
  changes: z.array(z.object({ rowNumber: z.number().int(), customerId: z.number().int(), email: z.string(), changes: z.array(fieldChangeSchema) })),
  creations: z.array(z.object({ rowNumber: z.number().int(), email: z.string(), name: z.string() })),
  rejections: z.array(z.object({ rowNumber: z.number().int(), errors: z.array(rowErrorSchema) })),
  /** Problems by kind over the whole file, most frequent first. */
  problems: z.array(z.object({ code: z.string(), field: z.string(), column: z.string().nullable(), count: z.number().int(), example: z.string() })),
  /** Spreadsheet damage with a fix the user can accept per column. */
  suggestedFixes: z.array(z.object({ field: z.string(), column: z.string().nullable(), code: z.enum(suggestedFixCodes), count: z.number().int(), examples: z.array(z.object({ value: z.string(), suggestion: z.string() })) })),
  /** Rows imported with a warning, and the warnings by kind (most frequent first). */
  warned: z.number().int().default(0),
  warnings: z.array(z.object({ code: z.string(), field: z.string(), column: z.string().nullable(), count: z.number().int(), example: z.string() })).default([]),
  warningRows: z.array(z.object({ rowNumber: z.number().int(), warnings: z.array(rowErrorSchema) })).default([]),
  /**
   * Marketing consent (e-mail and SMS together): subscriptions the import gives, withdrawals it
   * records, re-subscriptions of customers who had unsubscribed (only with `newConsentEvidence`),
   * and those it leaves unsubscribed because the staff did not state the file holds new consent.
   */
  consent: z.object({ subscribed: z.number().int(), unsubscribed: z.number().int(), resubscribed: z.number().int(), keptUnsubscribed: z.number().int() })
    .default({ subscribed: 0, unsubscribed: 0, resubscribed: 0, keptUnsubscribed: 0 }),
  /** Row commands: customers the import deletes (the first of them named) and rows it ignores. */
  deleted: z.number().int().default(0),
  deletions: z.array(z.object({ rowNumber: z.number().int(), customerId: z.number().int(), email: z.string(), name: z.string() })).default([]),
  ignored: z.number().int().default(0),
  /** New or updated customers whose password hash could not be verified: imported without it. */
  passwordsDropped: z.number().int().default(0),
  /** Rows the duplicate rule (last row wins, combine) did not import on their own, and the first of them. */
  duplicates: z.number().int().default(0),
  duplicateRows: z.array(duplicateRowSchema).default([]),
  /** Addresses the rule "adds an address" adds to the customers' address books. */
  addressesToAdd: z.number().int().default(0),
  /** What the rows' company columns would do (#19): companies to create, companies to give a CoC or VAT number, contacts to link, contacts to change. */
  companiesToCreate: z.number().int().default(0),
  companiesToUpdate: z.number().int().default(0),
  contactsToLink: z.number().int().default(0),
  contactsToChange: z.number().int().default(0),
  /** An address file: addresses that would change, stay as they are, or be removed, and its first rows with what each would do. */
  addressesToChange: z.number().int().default(0),
  addressesUnchanged: z.number().int().default(0),
  addressesToRemove: z.number().int().default(0),
  /** Rows rejected as the same customer as an earlier row that differ from it only in the address: the rule "adds an address" would add them. */
  addressOnlyDuplicates: z.number().int().default(0),
  addressRows: z.array(z.object({
    rowNumber: z.number().int(),
    customer: z.string(),
    outcome: z.enum(['added', 'changed', 'unchanged', 'removed', 'not_found']),
    address: z.string(),
    isDefaultBilling: z.boolean(),
    isDefaultShipping: z.boolean(),
  })).default([]),
  fileError: messageSchema.extend({ params: z.record(z.string(), z.union([z.string(), z.number()])).optional() }).optional(),
});
export type CheckResult = z.infer<typeof checkResultSchema>;

export const sheetSchema = z.object({ name: z.string(), state: z.enum(['visible', 'hidden', 'veryHidden']), estimatedRows: z.number().int().nullable() });

export const importDetailSchema = z.object({
  id: z.number().int(),
  type: z.string(),
  fileName: z.string(),
  fileSizeBytes: z.number().int(),
  /** When the uploaded file was deleted after the retention period (IMPORT_FILE_RETENTION_DAYS); the report stays. */
  fileDeletedAt: z.string().nullable(),
  format: z.enum(['csv', 'xlsx']),
  createdBy: z.object({ id: z.number().int().nullable(), name: z.string() }),
  createdAt: z.string(),
  updatedAt: z.string(),
  status: z.enum(importStatuses),
  settings: readSettingsSchema,
  analysis: z.object({ warnings: z.array(messageSchema), sheets: z.array(sheetSchema), estimatedRows: z.number().int().nullable() }),
  headings: z.array(z.string()),
  mapping: z.object({
    preset: z.object({ id: z.string(), name: z.string() }).optional(),
    savedMapping: z.object({ id: z.number().int(), name: z.string() }).optional(),
    columns: z.array(columnMappingSchema),
  }),
  missingRequired: z.array(z.string()),
  options: importOptionsSchema.nullable(),
  check: z
    .object({
      status: z.enum(['running', 'done']), rowsRead: z.number().int(), result: checkResultSchema.nullable(), options: importOptionsSchema, isCurrent: z.boolean(),
      /** Rejected rows changed in the app since this check (fixing before the start): the check's counts do not show them yet. */
      rowsEditedSince: z.number().int(),
    })
    .nullable(),
  progress: z.object({
    totalRows: z.number().int().nullable(),
    rowsDone: z.number().int(),
    percent: z.number().nullable(),
    rowsPerSecond: z.number().nullable(),
    secondsLeft: z.number().nullable(),
    /** `indexes`: every row is in; the import builds the list and search indexes it loaded without (its last step). */
    phase: z.enum(['indexes']).optional(),
  }),
  counts: z.object({
    created: z.number().int(),
    updated: z.number().int(),
    unchanged: z.number().int(),
    rejected: z.number().int(),
    /** Rows imported with a warning; customers imported without their unverifiable password hash. */
    warned: z.number().int().default(0),
    passwordsDropped: z.number().int().default(0),
    /** Addresses added to customers' address books from their later rows (rule "adds an address"). */
    addressesAdded: z.number().int().default(0),
    /** An address file's addresses changed (same place, another label, name, company or phone) and removed (command delete). */
    addressesChanged: z.number().int().default(0),
    addressesRemoved: z.number().int().default(0),
    /** Customers deleted by rows with the command delete; rows with the command ignore. */
    deleted: z.number().int().default(0),
    ignored: z.number().int().default(0),
    /** What the rows' company columns did (#19): companies created, companies given a CoC or VAT number, contacts linked, contacts whose role or primary flag changed. */
    companiesCreated: z.number().int().default(0),
    companiesUpdated: z.number().int().default(0),
    contactsLinked: z.number().int().default(0),
    contactsChanged: z.number().int().default(0),
  }),
  groupsCreated: z.array(z.string()),
  /** Rows the duplicate rule (last row wins, combine) did not import on their own: how many, and the first of them. */
  duplicates: z.object({ count: z.number().int(), rows: z.array(duplicateRowSchema) }),
  /** The customers this import created, by password: imported from the old shop, set since, or none yet (those get the password e-mail). */
  newCustomerPasswords: z.object({ importedHash: z.number().int(), hasPassword: z.number().int(), withoutPassword: z.number().int() }).nullable(),
  /** The import whose mapping, options and accepted fixes this one started with ("Import the corrected file"). */
  basedOnImportId: z.number().int().nullable(),
  /** The recurring import whose run fetched this file, and that run. */
  source: z.object({ id: z.number().int(), name: z.string(), runId: z.number().int() }).nullable().default(null),
  /** "Import the fixed rows": the import whose rejected rows, fixed in the app, this one imports; and the follow-ups of this one. */
  parentImportId: z.number().int().nullable(),
  followUpImports: z.array(z.object({ id: z.number().int(), status: z.enum(importStatuses), createdAt: z.string() })),
  isCancelRequested: z.boolean(),
  failure: messageSchema.nullable(),
  undo: z
    .object({
      restored: z.number().int(), deleted: z.number().int(), changedSince: z.number().int(), deletedSince: z.number().int(),
      /** Customers the import deleted (row command delete) that came back, and those that could not (their e-mail or ID taken since). */
      deletionsRestored: z.number().int().default(0), deletionsNotRestored: z.number().int().default(0),
      /** Contacts the import linked that were unlinked, and companies it created that were deleted (#19). */
      contactsUnlinked: z.number().int().default(0), companiesDeleted: z.number().int().default(0),
      /** Companies a Companies file changed that got their values back. */
      companiesRestored: z.number().int().default(0),
    })
    .nullable(),
  canUndo: z.boolean(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  undoneAt: z.string().nullable(),
});
export type ImportDetail = z.infer<typeof importDetailSchema>;

export const importListItemSchema = importDetailSchema.pick({
  id: true, type: true, parentImportId: true, source: true, fileName: true, fileSizeBytes: true, fileDeletedAt: true, format: true, createdBy: true, createdAt: true, status: true, progress: true, counts: true,
});
export type ImportListItem = z.infer<typeof importListItemSchema>;

export const importListQuerySchema = z.object({
  q: z.string().trim().max(200).optional(),
  from: z.iso.date().optional(),
  to: z.iso.date().optional(),
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().max(200).optional(),
});
export type ImportListQuery = z.infer<typeof importListQuerySchema>;

export const importPageSchema = z.object({ items: z.array(importListItemSchema), nextCursor: z.string().nullable() });

export const previewSchema = z.object({
  headerRowNumber: z.number().int(),
  headings: z.array(z.string()),
  rows: z.array(
    z.object({
      rowNumber: z.number().int(),
      cells: z.array(z.string()),
      /** What the row becomes: field → value, with combined columns split. */
      values: z.record(z.string(), z.string()),
      errors: z.array(rowErrorSchema),
    }),
  ),
});
export type ImportPreview = z.infer<typeof previewSchema>;

export const rejectionPageSchema = z.object({
  items: z.array(z.object({ rowNumber: z.number().int(), cells: z.array(z.string()), errors: z.array(rowErrorSchema) })),
  nextCursor: z.string().nullable(),
  total: z.number().int(),
});

export const savedMappingInputSchema = z.object({ name: z.string().trim().min(1, 'A mapping needs a name.').max(100), importId: z.number().int().positive() });
export const savedMappingSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  columns: z.record(z.string(), z.string().nullable()),
  createdAt: z.string(),
  updatedAt: z.string(),
  importCount: z.number().int().describe('How many imports used this mapping'),
  lastUsedAt: z.string().nullable().describe('When the last import that used it was uploaded'),
});
export const savedMappingRenameSchema = z.object({ name: z.string().trim().min(1, 'A mapping needs a name.').max(100) });
/** An import that used a saved mapping. */
export const savedMappingUseSchema = z.object({
  id: z.number().int(),
  fileName: z.string(),
  status: z.string(),
  createdAt: z.string(),
  createdByName: z.string(),
});
export type SavedMappingUse = z.infer<typeof savedMappingUseSchema>;
export type SavedMappingItem = z.infer<typeof savedMappingSchema>;

/** Customers an undo left alone: changed after the import, or deleted since. */
export const undoSkippedSchema = z.object({
  items: z.array(z.object({ customerId: z.number().int(), rowNumber: z.number().int(), outcome: z.enum(['changed_since', 'deleted_since']), email: z.string().nullable(), name: z.string().nullable() })),
  total: z.number().int(),
});
export type UndoSkipped = z.infer<typeof undoSkippedSchema>;

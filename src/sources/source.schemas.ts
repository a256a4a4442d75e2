import { z } from 'zod';
import { importOptionsSchema } from '../imports/import.schemas.ts';

/**
 * Issue #18, point 4: recurring imports. A *source* is where a shop's customer list comes from
 * again and again (a URL, an S3-compatible bucket and prefix, an SFTP path), with a saved mapping,
 * the check options, a schedule and the conditions under which a run applies by itself.
 */

const time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time such as 06:30');

export const scheduleSchema = z.discriminatedUnion('every', [
  z.object({ every: z.literal('manual') }).describe('Only when someone presses Run now'),
  z.object({ every: z.literal('hour'), minute: z.number().int().min(0).max(59).default(0) }),
  z.object({ every: z.literal('day'), time }),
  z.object({ every: z.literal('week'), weekday: z.number().int().min(1).max(7).describe('1 = Monday … 7 = Sunday'), time }),
]);
export type Schedule = z.infer<typeof scheduleSchema>;

/** When a run applies by itself; otherwise it waits for approval and the owner gets an e-mail. */
export const conditionsSchema = z.object({
  sameColumns: z.boolean().default(true).describe('The file has exactly the columns of the saved mapping'),
  maxRejected: z.number().int().min(0).default(0).describe('Rows rejected by the check, at most'),
  maxCreated: z.number().int().min(0).nullable().default(null).describe('New customers, at most (null: any number)'),
  maxUpdated: z.number().int().min(0).nullable().default(null).describe('Customers changed, at most (null: any number)'),
});
export type Conditions = z.infer<typeof conditionsSchema>;

const urlLocation = z.object({ kind: z.literal('url'), url: z.url({ message: 'must be a web address such as https://erp.example.com/customers.csv' }) });
const s3Location = z.object({
  kind: z.literal('s3'),
  endpoint: z.url().nullable().default(null).describe('An S3-compatible service; null for AWS S3'),
  region: z.string().min(1).default('us-east-1'),
  bucket: z.string().min(3).max(63),
  prefix: z.string().max(1024).default('').describe('The newest object under this prefix is fetched'),
});
const sftpLocation = z.object({
  kind: z.literal('sftp'),
  host: z.string().min(1).max(253),
  port: z.number().int().min(1).max(65535).default(22),
  path: z.string().min(1).max(1024).describe('The file to fetch'),
  username: z.string().min(1).max(200),
});
export const locationSchema = z.discriminatedUnion('kind', [urlLocation, s3Location, sftpLocation]);
export type SourceLocation = z.infer<typeof locationSchema>;

/** Secrets: stored encrypted (SOURCE_CREDENTIALS_KEY), never returned. */
export const credentialsSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('none') }),
  z.object({ kind: z.literal('basic'), username: z.string().min(1), password: z.string().min(1) }),
  z.object({ kind: z.literal('header'), header: z.string().regex(/^[A-Za-z0-9-]{1,64}$/, 'must be a header name such as Authorization'), value: z.string().min(1) }),
  z.object({ kind: z.literal('s3'), accessKeyId: z.string().min(1), secretAccessKey: z.string().min(1) }),
  z.object({ kind: z.literal('sftp-password'), password: z.string().min(1) }),
]);
export type Credentials = z.infer<typeof credentialsSchema>;

export const sourceInputSchema = z.object({
  name: z.string().trim().min(1).max(120),
  location: locationSchema,
  /** Omitted on update: the stored credentials stay. */
  credentials: credentialsSchema.optional(),
  savedMappingId: z.number().int().positive(),
  options: importOptionsSchema.default(importOptionsSchema.parse({})),
  schedule: scheduleSchema.default({ every: 'manual' }),
  conditions: conditionsSchema.default(conditionsSchema.parse({})),
  isEnabled: z.boolean().default(true),
});
export type SourceInput = z.infer<typeof sourceInputSchema>;

export const runStatuses = ['queued', 'fetching', 'checking', 'applying', 'applied', 'awaiting_approval', 'declined', 'unchanged', 'failed'] as const;
export type RunStatus = (typeof runStatuses)[number];

export const sourceRunSchema = z.object({
  id: z.number().int(),
  sourceId: z.number().int(),
  trigger: z.enum(['schedule', 'manual']),
  status: z.enum(runStatuses),
  importId: z.number().int().nullable(),
  /** Why the run waits for approval, or why it failed: messages in the staff user's language. */
  reasons: z.array(z.string()),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  decidedBy: z.object({ id: z.number().int(), name: z.string() }).nullable(),
});
export type SourceRun = z.infer<typeof sourceRunSchema>;

export const sourceSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  location: locationSchema,
  credentialsKind: z.enum(['none', 'basic', 'header', 's3', 'sftp-password']),
  savedMapping: z.object({ id: z.number().int(), name: z.string() }).nullable(),
  options: importOptionsSchema,
  schedule: scheduleSchema,
  conditions: conditionsSchema,
  isEnabled: z.boolean(),
  owner: z.object({ id: z.number().int(), name: z.string() }).nullable(),
  nextRunAt: z.string().nullable(),
  lastRun: sourceRunSchema.nullable(),
  version: z.number().int(),
});
export type Source = z.infer<typeof sourceSchema>;

/** Only the fields sent change (no defaults here: a PATCH of the name keeps the schedule). */
export const sourceUpdateSchema = z.object({
  version: z.number().int(),
  name: sourceInputSchema.shape.name.optional(),
  location: locationSchema.optional(),
  credentials: credentialsSchema.optional(),
  savedMappingId: z.number().int().positive().optional(),
  options: importOptionsSchema.optional(),
  schedule: scheduleSchema.optional(),
  conditions: conditionsSchema.optional(),
  isEnabled: z.boolean().optional(),
});
export const runDecisionSchema = z.object({ decision: z.enum(['approve', 'decline']) });

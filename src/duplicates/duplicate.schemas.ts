import { z } from 'zod';
import { consentStates } from '../consent/consent.ts';
import { customerSchema } from '../customers/customer.schemas.ts';
import { duplicateReasons } from './duplicate-scan.ts';

export const duplicateScanSchema = z.object({
  id: z.number().int(),
  status: z.enum(['queued', 'running', 'done', 'failed']),
  step: z.number().int().describe('Passes done: e-mail variants, phone numbers, name and postcode, ranking.'),
  steps: z.number().int(),
  customerCount: z.number().int().nullable(),
  groupCount: z.number().int().nullable(),
  requestedAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  failure: z.string().nullable(),
});
export type DuplicateScan = z.infer<typeof duplicateScanSchema>;

const memberSchema = z.object({
  id: z.number().int(),
  email: z.string(),
  firstName: z.string(),
  nameInsertion: z.string(),
  lastName: z.string(),
  phone: z.string(),
  mobile: z.string(),
  companyName: z.string(),
  postcode: z.string(),
  city: z.string(),
  externalId: z.string().nullable(),
  hasPassword: z.boolean(),
  emailConsent: z.enum(consentStates),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number().int(),
});

export const duplicateGroupSchema = z.object({
  id: z.number().int(),
  reasons: z.array(z.enum(duplicateReasons)).describe('Why they are probably one person: `email` (variants of one mailbox), `phone` (the same number), `name_postcode` (the same name at the same postcode).'),
  confidence: z.number().int().describe('0–100: e-mail variants 95, phone 70, name and postcode 60, +10 for each further reason.'),
  customers: z.array(memberSchema).describe('Most recently changed first.'),
});
export type DuplicateGroup = z.infer<typeof duplicateGroupSchema>;

export const duplicateListSchema = z.object({
  scan: duplicateScanSchema.nullable().describe('The finished scan the groups come from; null before the first.'),
  total: z.number().int(),
  items: z.array(duplicateGroupSchema),
});

export const duplicateListQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(25),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});

/** The fields a merge chooses one value for; the rest is combined (see the merge service). */
export const mergeFields = [
  'email',
  'firstName',
  'nameInsertion',
  'lastName',
  'gender',
  'birthDate',
  'phone',
  'mobile',
  'language',
  'isCompany',
  'companyName',
  'cocNumber',
  'vatNumber',
  'externalId',
  'customerSince',
  'notes',
] as const;
export type MergeField = (typeof mergeFields)[number];

const customerIds = z.array(z.number().int().positive()).min(1).max(9);

export const mergePreviewQuerySchema = z.object({
  ids: z
    .string()
    .transform((text) => text.split(',').map((part) => Number(part.trim())))
    .pipe(z.array(z.number().int().positive()).min(2).max(10))
    .describe('The customers to merge, comma separated, e.g. `12,40`.'),
});

export const mergePreviewSchema = z.object({
  customers: z.array(customerSchema).describe('Most recently changed first.'),
  survivorId: z.number().int().describe('Suggested: the customer with a password, else the most recently changed.'),
  fields: z.array(
    z.object({
      field: z.enum(mergeFields),
      values: z.array(z.object({ customerId: z.number().int(), value: z.unknown() })),
      chosenFrom: z.number().int().describe("The customer whose value the merge takes by default: the most recently changed that has one; for the e-mail address and customer number the suggested survivor's own. Choosing another survivor changes that default: send `choices` for what the comparison showed."),
      differs: z.boolean(),
    }),
  ),
});

export const mergeInputSchema = z.object({
  survivorId: z.number().int().positive().describe('The customer that stays (its id, password, sessions and default addresses).'),
  mergedIds: customerIds.describe('The customers merged into it (deleted; back on undo).'),
  choices: z.partialRecord(z.enum(mergeFields), z.number().int().positive()).default({}).describe('Per field, the customer whose value to keep; a field not named takes the most recently changed non-empty value.'),
  versions: z.record(z.string(), z.number().int()).describe('Each customer\'s `version` as reviewed, by id: a customer changed since makes the merge refuse (409).'),
});
export type MergeInput = z.infer<typeof mergeInputSchema>;

export const mergeRecordSchema = z.object({
  id: z.number().int(),
  survivorId: z.number().int(),
  mergedIds: z.array(z.number().int()),
  mergedAt: z.string(),
  mergedBy: z.object({ id: z.number().int(), name: z.string() }).nullable(),
  undoneAt: z.string().nullable(),
  moved: z.object({ addresses: z.number().int(), consentEvents: z.number().int(), importChanges: z.number().int(), mails: z.number().int(), groups: z.number().int() }),
});
export type MergeRecord = z.infer<typeof mergeRecordSchema>;

export const mergeUndoResultSchema = z.object({
  restored: z.number().int().describe('Merged customers back.'),
  notRestored: z.array(z.string()).describe('E-mail addresses of merged customers that stay away: another customer holds their e-mail or number by now.'),
  keptFields: z.array(z.string()).describe('Fields of the survivor changed since the merge: kept as they are now.'),
});

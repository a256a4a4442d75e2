import { z } from 'zod';

/**
 * The shapes of the VIES checks and the reverse-charge flag (issue #19 points 4 and 5), shared by
 * the server (validation and OpenAPI) and the back office.
 */
export const vatCheckResults = ['valid', 'invalid', 'unavailable'] as const;

export const vatCheckSchema = z.object({
  id: z.number().int(),
  companyId: z.number().int(),
  runId: z.number().int().nullable(),
  vatNumber: z.string().describe('The VAT number as checked, with its country prefix.'),
  checkedAt: z.string(),
  result: z
    .enum(vatCheckResults)
    .describe(
      '`unavailable`: VIES (or the member state) could not check it — says nothing about the number, never read it as invalid.',
    ),
  requestIdentifier: z.string().describe('VIES’s consultation reference (empty when VIES gave none).'),
  requestDate: z.string().describe('The date of VIES’s answer, as VIES gave it.'),
  viesName: z
    .string()
    .describe('The name VIES has for a valid number (empty when the member state does not give it).'),
  viesAddress: z.string(),
  errorCode: z
    .string()
    .describe(
      'Why it could not be checked: MS_UNAVAILABLE, SERVICE_UNAVAILABLE, MS_MAX_CONCURRENT_REQ, TIMEOUT, HTTP_503, COUNTRY_NOT_IN_VIES, …',
    ),
  errorMessage: z.string(),
});
export type VatCheck = z.infer<typeof vatCheckSchema>;

export const vatCheckRunSchema = z.object({
  id: z.number().int(),
  status: z.enum(['queued', 'running', 'done', 'failed']),
  total: z.number().int().describe('Companies to check (those with a VAT number when it started).'),
  done: z.number().int(),
  validCount: z.number().int(),
  invalidCount: z.number().int(),
  unavailableCount: z.number().int(),
  requestedAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  failure: z.string().nullable(),
});
export type VatCheckRun = z.infer<typeof vatCheckRunSchema>;

/** POST /api/v1/companies/vat-checks body: some companies, or every company with a VAT number. */
export const vatCheckStartSchema = z
  .object({
    companyIds: z.array(z.number().int().positive()).min(1).max(10_000).optional(),
    all: z.literal(true).optional().describe('Every company that has a VAT number.'),
  })
  .refine((value) => (value.companyIds !== undefined) !== (value.all !== undefined), {
    message: 'Send either companyIds or all: true.',
    path: ['companyIds'],
  });
export type VatCheckStart = z.input<typeof vatCheckStartSchema>;

export const reverseChargeInputSchema = z.object({ isReverseCharge: z.boolean() });

/** Why reverse charge cannot be turned on (null: it can). */
export const reverseChargeBlocks = [
  'no_vat_number',
  'not_checked',
  'not_valid',
  'checked_other_number',
  'country_unknown',
  'same_country',
] as const;
export type ReverseChargeBlock = (typeof reverseChargeBlocks)[number];

export const reverseChargeSchema = z.object({
  isReverseCharge: z.boolean(),
  check: vatCheckSchema
    .nullable()
    .describe('The check that justified turning it on, kept also after later checks.'),
  setBy: z.string().nullable().describe('Who last turned it on or off.'),
  setAt: z.string().nullable(),
  country: z.string().describe('The company’s country: its CoC country, else its default billing address’s.'),
  shopCountry: z.string(),
  blockedBy: z
    .enum(reverseChargeBlocks)
    .nullable()
    .describe('Why it cannot be turned on now; null when it can.'),
});
export type ReverseCharge = z.infer<typeof reverseChargeSchema>;

import { z } from 'zod';
import { failureReasons } from './delivery-failure.ts';
import { outboxReasons, outboxStatuses } from './outbox.repository.ts';

/** The REST shapes of a bulk send's recipients, its failed ones, and a customer's password e-mails. */
export const failureReasonSchema = z.enum(failureReasons);

export const recipientListQuerySchema = z.object({
  /** `pending` is queued (also while waiting for a retry after a temporary refusal). */
  status: z.enum(outboxStatuses).optional(),
  /** Only failed recipients with this reason (implies `status=failed`). */
  reason: failureReasonSchema.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  /** The customer id where the previous page ended (`nextAfter`). */
  after: z.coerce.number().int().positive().optional(),
});
export type RecipientListQuery = z.infer<typeof recipientListQuerySchema>;

export const recipientSchema = z.object({
  customerId: z.number().int(),
  /** The customer number (external id), when the customer has one. */
  customerNumber: z.string().nullable(),
  /** Where the e-mail went (or would go): the customer's address when it was sent. */
  email: z.string(),
  name: z.string(),
  status: z.enum(outboxStatuses),
  /** Why it failed; null unless `status` is failed. */
  reason: failureReasonSchema.nullable(),
  /** The mail server's reply (its 250 with a queue id, or the refusal), short; null when none. */
  serverResponse: z.string().nullable(),
  attempts: z.number().int(),
  queuedAt: z.string(),
  sentAt: z.string().nullable(),
  failedAt: z.string().nullable(),
});
export type Recipient = z.infer<typeof recipientSchema>;

export const reasonCountsSchema = z.object(
  Object.fromEntries(failureReasons.map((reason) => [reason, z.number().int()])) as Record<
    (typeof failureReasons)[number],
    z.ZodNumber
  >,
);
export type ReasonCounts = z.infer<typeof reasonCountsSchema>;

export const recipientPageSchema = z.object({
  items: z.array(recipientSchema),
  nextAfter: z.number().int().nullable(),
  /** How many recipients match the status and reason asked for (all pages). */
  total: z.number().int(),
  /** The failed recipients of the whole bulk send per reason, for the filter. */
  reasonCounts: reasonCountsSchema,
});
export type RecipientPage = z.infer<typeof recipientPageSchema>;

export const failedExportQuerySchema = z.object({ reason: failureReasonSchema.optional() });

/** One password e-mail to a customer, for their page: what kind, when, and what became of it. */
export const customerPasswordEmailSchema = z.object({
  id: z.number().int(),
  /** Why it was sent: `password_staff`, `password_bulk`, `password_reset_request`. */
  kind: z.enum(outboxReasons),
  /** The bulk send it was part of, for `password_bulk`. */
  bulkSendId: z.number().int().nullable(),
  createdAt: z.string(),
  sentAt: z.string().nullable(),
  failedAt: z.string().nullable(),
  status: z.enum(outboxStatuses),
  reason: failureReasonSchema.nullable(),
  serverResponse: z.string().nullable(),
});
export type CustomerPasswordEmail = z.infer<typeof customerPasswordEmailSchema>;

export const customerPasswordEmailsSchema = z.object({
  items: z.array(customerPasswordEmailSchema),
  /** More were sent than `items` holds (the newest 50 are listed). */
  hasMore: z.boolean(),
});
export type CustomerPasswordEmails = z.infer<typeof customerPasswordEmailsSchema>;

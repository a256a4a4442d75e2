import { z } from 'zod';
import { groupMembershipSchema } from './customer.schemas.ts';

/**
 * The REST shapes of bulk actions on a customer-list selection: explicit `customerIds`, or every
 * customer matching a list `filter` ("all N matching"), as "Add to group" takes them.
 */
export const customerSelectionSchema = groupMembershipSchema;
export type CustomerSelection = z.infer<typeof customerSelectionSchema>;

/**
 * `expectedCount`: the count the confirmation named ("Delete 37 customers?"). When the selection
 * matches another number by now (a filter that grew), nothing is done: 409 `count_changed`.
 */
const expectedCount = z.number().int().min(0).optional();

export const bulkDeleteSchema = z.object({ selection: customerSelectionSchema, expectedCount });
export const bulkNewsletterSchema = z.object({
  selection: customerSelectionSchema,
  /** true: subscribe to the newsletter; false: unsubscribe. */
  isSubscribed: z.boolean(),
  expectedCount,
});
export type BulkNewsletterInput = z.infer<typeof bulkNewsletterSchema>;

export const bulkNewsletterResultSchema = z.object({
  /** Customers whose newsletter consent this changed. */
  changed: z.number().int(),
  /** Customers that already had it so (not written, their version unchanged). */
  unchanged: z.number().int(),
});
export type BulkNewsletterResult = z.infer<typeof bulkNewsletterResultSchema>;

const tagList = z.array(z.string().trim().min(1).max(100)).max(50).default([]);
export const bulkTagsSchema = z
  .object({
    selection: customerSelectionSchema,
    /** Tags to add (a tag the customer has in another case is not added twice). */
    add: tagList,
    /** Tags to take off (case aside). */
    remove: tagList,
    expectedCount,
  })
  .refine((input) => input.add.length + input.remove.length > 0, { message: 'Name at least one tag to add or remove.', path: ['add'] });

export const bulkTagsResultSchema = z.object({
  /** Customers whose tags this changed. */
  changed: z.number().int(),
  /** Customers that already had (or lacked) them: not written, their version unchanged. */
  unchanged: z.number().int(),
});
export type BulkTagsResult = z.infer<typeof bulkTagsResultSchema>;

const staffRefSchema = z.object({ id: z.number().int(), name: z.string() }).nullable();

export const customerDeletionSchema = z.object({
  id: z.number().int(),
  customerCount: z.number().int(),
  deletedAt: z.string(),
  deletedBy: staffRefSchema,
  /** Until when undo can bring the customers back; after it they are gone for good. */
  undoUntil: z.string(),
  canUndo: z.boolean(),
  restoredCount: z.number().int(),
  restoredAt: z.string().nullable(),
  restoredBy: staffRefSchema,
  /** Customers still waiting in this deletion (not restored), e.g. because their e-mail address was taken meanwhile. */
  waitingCount: z.number().int(),
  /** A few of the deleted customers' e-mail addresses, so staff recognise the deletion (none once purged). */
  sampleEmails: z.array(z.string()),
});
export type CustomerDeletion = z.infer<typeof customerDeletionSchema>;

export const customerDeletionListSchema = z.object({ items: z.array(customerDeletionSchema) });

export const undoDeletionResultSchema = z.object({
  deletion: customerDeletionSchema,
  restored: z.number().int(),
  /**
   * Customers not brought back because another customer now has their e-mail address (or
   * external id): created or imported after the delete. They stay in the deletion until it expires.
   */
  notRestored: z.array(z.object({ customerId: z.number().int(), email: z.string() })),
});
export type UndoDeletionResult = z.infer<typeof undoDeletionResultSchema>;

import { z } from 'zod';
import { bookAddressSchema } from '../addresses/address-book.schemas.ts';
import { consentEventSchema } from '../consent/consent.schemas.ts';
import { customerSchema } from '../customers/customer.schemas.ts';

/** Issue #17, point 5: what a privacy request answers — everything held about a customer, and erasure. */

const time = z.string().describe('ISO 8601');

export const personalDataSchema = z.object({
  exportedAt: time,
  shopName: z.string(),
  customer: customerSchema,
  addresses: z.array(bookAddressSchema),
  groups: z.array(z.string()),
  tags: z.array(z.string()),
  consentHistory: z.array(consentEventSchema),
  flaggedValues: z.array(z.object({ field: z.string(), valueAsTyped: z.string(), why: z.string(), importId: z.number().int().nullable(), rowNumber: z.number().int().nullable(), at: time })),
  importHistory: z.array(z.object({
    importId: z.number().int(), fileName: z.string(), rowNumber: z.number().int(), action: z.enum(['created', 'updated']),
    changedFields: z.array(z.string()), at: time,
    /** The row's cells as the file had them, when the import kept them (rows taken in with a warning). */
    cells: z.array(z.string()).nullable(),
  })),
  addressImportHistory: z.array(z.object({ importId: z.number().int(), fileName: z.string(), action: z.string(), addressId: z.number().int() })),
  mails: z.array(z.object({ reason: z.string(), to: z.string(), subject: z.string().nullable(), status: z.string(), createdAt: time, sentAt: time.nullable(), failedAt: time.nullable() })),
  storefront: z.object({ hasPassword: z.boolean(), activeSessions: z.number().int(), rememberedDevices: z.number().int() }),
  merges: z.array(z.object({ id: z.number().int(), mergedCustomerIds: z.array(z.number().int()), mergedAt: time, undone: z.boolean() })),
});
export type PersonalData = z.infer<typeof personalDataSchema>;

export const personalDataQuerySchema = z.object({
  language: z.enum(['en', 'nl']).optional().describe('Default: the staff user’s language'),
});

export const erasureInputSchema = z.object({
  confirmEmail: z.string().describe('The customer’s e-mail address, typed again: the erasure cannot be undone'),
});

export const erasureCountsSchema = z.object({
  customers: z.number().int(),
  addresses: z.number().int(),
  consentEvents: z.number().int(),
  groupMemberships: z.number().int(),
  flaggedValues: z.number().int(),
  importChangeRecords: z.number().int(),
  importRows: z.number().int().describe('Rows of import reports (warned, rejected, edited) that held the customer’s data'),
  mails: z.number().int(),
  mailboxMessages: z.number().int(),
  sessions: z.number().int(),
  deletionSnapshots: z.number().int().describe('Copies kept for undoing a deletion or a merge'),
  merges: z.number().int(),
  duplicateSuggestions: z.number().int(),
  erasedKeys: z.number().int().describe('Hashes of the e-mail address and customer number kept so a re-import leaves the person out'),
});
export type ErasureCounts = z.infer<typeof erasureCountsSchema>;

export const erasureSchema = z.object({
  id: z.number().int(),
  customerId: z.number().int(),
  erasedAt: time,
  erasedBy: z.object({ id: z.number().int(), name: z.string() }).nullable(),
  counts: erasureCountsSchema,
  /** Files made before the erasure that may still hold the data until they expire (they are not rewritten). */
  exportFilesUntilExpiry: z.number().int(),
  importFilesUntilExpiry: z.number().int(),
});
export type Erasure = z.infer<typeof erasureSchema>;

export const erasureListSchema = z.object({ items: z.array(erasureSchema.omit({ exportFilesUntilExpiry: true, importFilesUntilExpiry: true })) });

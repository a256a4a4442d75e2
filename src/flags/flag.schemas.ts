import { z } from 'zod';

/**
 * Flags on customers (issue #15): a value an import kept as typed although it failed validation
 * (or could not store, such as a date that does not exist), with the reason. Shared by the API
 * and the back office. Messages are in the staff user's language.
 */
export const customerFlagSchema = z.object({
  field: z.string(),
  /** As typed in the file. */
  value: z.string(),
  code: z.string(),
  message: z.string(),
  importId: z.number().int().nullable(),
  rowNumber: z.number().int().nullable(),
  createdAt: z.string(),
});
export type CustomerFlag = z.infer<typeof customerFlagSchema>;

export const customerFlagListSchema = z.object({ items: z.array(customerFlagSchema) });

import { z } from 'zod';

/** GET /api/v1/overview: the back office's start page, counted on the server. */
const month = z.string().regex(/^\d{4}-\d{2}$/).describe('A calendar month, `YYYY-MM` (UTC).');
const count = z.number().int().nonnegative();

export const monthCountSchema = z.object({ month, count });
export type MonthCount = z.infer<typeof monthCountSchema>;

export const overviewSchema = z.object({
  totalCustomers: count,
  /**
   * New customers per month by "customer since" as the customer list filters it (`sinceFrom` /
   * `sinceBefore`): the registration date kept from the old shop, else the created date.
   */
  customersSince: z.object({
    months: z.array(monthCountSchema).describe('Months with at least one customer, oldest first.'),
    knownCount: count.describe('Customers whose registration date is known; the others count by their created date.'),
  }),
  /** New customers per month by the date they were created in Clientele (list filter `createdFrom` / `createdBefore`). */
  customersCreated: z.object({ months: z.array(monthCountSchema) }),
  countries: z.object({
    items: z
      .array(z.object({ country: z.string().describe('Billing country (ISO code as stored); `""` when none (list filter `country=-`).'), count }))
      .describe('The countries with the most customers, most first.'),
    otherCount: count.describe('Customers in the countries not listed.'),
    otherCountries: count.describe('How many countries are not listed.'),
  }),
  newsletter: z.object({ subscribed: count, notSubscribed: count }).describe('Newsletter opt-in (list filter `newsletter=true|false`).'),
  imports: z
    .array(z.object({ month, imports: count, created: count, updated: count }))
    .describe('Imports started in each of the last 12 months (oldest first) and the customers they created and updated.'),
  bulkSends: z
    .array(z.object({ month, sends: count, emails: count }))
    .describe('Bulk password e-mail sends made in each of the last 12 months (oldest first) and the e-mails they queued.'),
});
export type Overview = z.infer<typeof overviewSchema>;

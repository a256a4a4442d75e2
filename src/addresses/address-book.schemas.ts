import { z } from 'zod';
import { addressBookLabels, addressPartLabels } from '../customers/field-labels.ts';

/**
 * An address of a customer's address book (issue #16), as the REST API, the back office and the
 * storefront exchange it. The default billing and shipping addresses are in the book too; the
 * customer's `billingAddress` / `shippingAddress` are the same values, kept in step.
 */
const text = (max = 255) => z.string().trim().max(max);

export const bookAddressFieldsSchema = z.object({
  label: text(100).default('').describe(addressBookLabels.label.en),
  attention: text().default('').describe(addressPartLabels.attention.en),
  company: text().default('').describe(addressPartLabels.company.en),
  street: text().default('').describe(addressPartLabels.street.en),
  number: text(20).default('').describe(addressPartLabels.number.en),
  extension: text(20).default('').describe(addressPartLabels.extension.en),
  address2: text().default('').describe(addressPartLabels.address2.en),
  postcode: text(20).default('').describe(addressPartLabels.postcode.en),
  city: text().default('').describe(addressPartLabels.city.en),
  region: text().default('').describe(addressPartLabels.region.en),
  country: text(100).default('').describe(addressPartLabels.country.en),
  phone: text(50).default('').describe(addressBookLabels.phone.en),
});
export type BookAddressFields = z.output<typeof bookAddressFieldsSchema>;
export const bookAddressParts = Object.keys(bookAddressFieldsSchema.shape) as (keyof BookAddressFields)[];

/** POST body: the address, and whether it becomes a default. */
export const bookAddressCreateSchema = bookAddressFieldsSchema.extend({
  isDefaultBilling: z.boolean().default(false).describe(addressBookLabels.defaultBilling.en),
  isDefaultShipping: z.boolean().default(false).describe(addressBookLabels.defaultShipping.en),
});
export type BookAddressCreate = z.input<typeof bookAddressCreateSchema>;

/** PATCH body: only the parts to change (merged with the stored address). */
export const bookAddressPatchSchema = z.object(
  Object.fromEntries(
    Object.entries(bookAddressFieldsSchema.shape).map(([key, schema]) => [key, (schema as z.ZodDefault<z.ZodString>).unwrap().optional()]),
  ) as { [K in keyof BookAddressFields]: z.ZodOptional<z.ZodString> },
);
export type BookAddressPatch = z.input<typeof bookAddressPatchSchema>;

export const bookAddressSchema = bookAddressFieldsSchema.extend({
  id: z.number().int(),
  customerId: z.number().int(),
  isDefaultBilling: z.boolean(),
  isDefaultShipping: z.boolean(),
  /** The import that added it, if one did. */
  importId: z.number().int().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type BookAddress = z.infer<typeof bookAddressSchema>;

/** A value kept as typed because it does not fit (a postcode of another shape, a phone number that is none). */
export const bookAddressWarningSchema = z.object({ field: z.string(), value: z.string(), code: z.string(), message: z.string() });
export type BookAddressWarning = z.infer<typeof bookAddressWarningSchema>;

export const defaultKinds = ['billing', 'shipping'] as const;
export type DefaultKind = (typeof defaultKinds)[number];

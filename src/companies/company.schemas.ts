import { z } from 'zod';
import { bookAddressSchema } from '../addresses/address-book.schemas.ts';
import { groupRefSchema, optionalWithoutDefaults } from '../customers/customer.schemas.ts';
import { reverseChargeSchema, vatCheckSchema } from './vat-check.schemas.ts';

/**
 * The company shapes of the REST API (issue #19), shared by the server (validation and OpenAPI)
 * and the back office (forms). The numbers are checked by the service (company-numbers.ts),
 * whose field errors carry a code per form (`kvk_invalid`, …) and `params` for the UI's texts.
 */
const text = (max = 255) => z.string().trim().max(max);

const companyFields = {
  name: text(200).min(1, 'A company needs a name.').describe('Company name'),
  cocCountry: text(100)
    .default('')
    .describe(
      'The country of the register the CoC number is from (a code such as NL, or a name); it decides the form of the number. Left empty with a number: the shop’s country.',
    ),
  cocNumber: text(100)
    .default('')
    .describe(
      'Chamber of Commerce number: NL KvK 8 digits; BE KBO/BCE 0123.456.749; DE HRB 12345 (court optional); elsewhere free text.',
    ),
  vatNumber: text(50)
    .default('')
    .describe(
      'VAT number with its country prefix (added from the CoC country when it is missing); form and check digits are checked.',
    ),
  notes: text(10_000).default('').describe('Notes'),
  /** Free tags: compared without case, the first spelling kept. */
  tags: z.array(text(100)).max(100).default([]).describe('Tags'),
};

export const companyGroupIdsSchema = z.array(z.number().int().positive()).max(1_000);

/** POST /api/v1/companies body. */
export const companyCreateSchema = z.object({ ...companyFields, groupIds: companyGroupIdsSchema.optional() });
export type CompanyCreateInput = z.input<typeof companyCreateSchema>;

/** PATCH /api/v1/companies/:id body: only the fields to change, and the version read. */
export const companyPatchSchema = z.object({
  ...optionalWithoutDefaults(companyFields),
  groupIds: companyGroupIdsSchema.optional(),
  version: z
    .number()
    .int()
    .positive()
    .optional()
    .describe(
      'The `version` of the company as the client read it. When the company changed since, nothing is saved: 409 `conflict` with `reason: "version_mismatch"` and `currentVersion`.',
    ),
});
export type CompanyPatch = z.input<typeof companyPatchSchema>;

/** A contact: a customer linked to the company, with a role. */
export const companyContactSchema = z.object({
  customerId: z.number().int(),
  email: z.string(),
  firstName: z.string(),
  nameInsertion: z.string(),
  lastName: z.string(),
  role: z.string().describe('Free text, e.g. purchasing or finance.'),
  isPrimary: z.boolean().describe('One contact per company is the primary one.'),
  linkedAt: z.string(),
});
export type CompanyContact = z.infer<typeof companyContactSchema>;

/** A company's address: the customers' address-book shape, with the company's id. */
export const companyAddressSchema = bookAddressSchema
  .omit({ customerId: true })
  .extend({ companyId: z.number().int() });
export type CompanyAddress = z.infer<typeof companyAddressSchema>;

export const companySchema = z.object({
  id: z.number().int(),
  name: z.string(),
  cocCountry: z.string(),
  cocNumber: z.string(),
  vatNumber: z.string(),
  notes: z.string(),
  tags: z.array(z.string()),
  groups: z.array(groupRefSchema),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z
    .number()
    .int()
    .describe(
      'Goes up with every change of the company’s fields. Send it back as `version` in a PATCH: a save made on an older version is refused with 409.',
    ),
});
export type Company = z.infer<typeof companySchema>;

/** GET /api/v1/companies/:id: the company with its contacts (primary first) and addresses (defaults first). */
export const companyDetailSchema = companySchema.extend({
  contacts: z.array(companyContactSchema),
  addresses: z.array(companyAddressSchema),
  latestVatCheck: vatCheckSchema
    .nullable()
    .describe('The latest VIES check of the VAT number (GET /companies/{id}/vat-checks: all of them).'),
  reverseCharge: reverseChargeSchema,
});
export type CompanyDetail = z.infer<typeof companyDetailSchema>;

/** GET /api/v1/companies query: partial search in name, CoC and VAT number; pages by offset. */
export const companyListQuerySchema = z.object({
  q: z.string().trim().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(25),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});
export type CompanyListQuery = z.input<typeof companyListQuerySchema>;

export const companyListItemSchema = companySchema
  .pick({
    id: true,
    name: true,
    cocCountry: true,
    cocNumber: true,
    vatNumber: true,
    tags: true,
    updatedAt: true,
  })
  .extend({
    contactCount: z.number().int(),
    /** The primary contact's name (or e-mail), if the company has one. */
    primaryContact: z.string().nullable(),
    /** The default billing address's city. */
    city: z.string(),
  });
export type CompanyListItem = z.infer<typeof companyListItemSchema>;

export const companyPageSchema = z.object({
  items: z.array(companyListItemSchema),
  total: z.number().int(),
});
export type CompanyPage = z.infer<typeof companyPageSchema>;

/** POST /api/v1/companies/:id/contacts body. */
export const contactLinkSchema = z.object({
  customerId: z.number().int().positive(),
  role: text(100).default('').describe('Free text, e.g. purchasing or finance.'),
  isPrimary: z
    .boolean()
    .default(false)
    .describe('Make this contact the primary one (the previous primary contact stays a contact).'),
});
export type ContactLinkInput = z.input<typeof contactLinkSchema>;

/** PATCH /api/v1/companies/:id/contacts/:customerId body. */
export const contactPatchSchema = z.object({
  role: text(100).describe('Free text, e.g. purchasing or finance.'),
});

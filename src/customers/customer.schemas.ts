import { z } from 'zod';
import {
  customerLanguages,
  normalizePostcode,
  parseBirthDate,
  parseCountry,
  parsePhone,
  parseVatNumber,
  type FieldErrorCode,
} from './customer.rules.ts';
import { addressLabels, addressPartLabels, customerFieldLabels, type FieldLabel } from './field-labels.ts';
import { consentLevels, consentStates } from '../consent/consent.ts';

/**
 * The customer and customer-group shapes of the REST API, shared by the server (validation and
 * OpenAPI) and the back-office UI (forms). Field errors carry `params.code`, a FieldErrorCode
 * that the UI translates.
 */
const text = (max = 255) => z.string().trim().max(max);

const fieldIssue = (ctx: z.RefinementCtx, code: FieldErrorCode, message: string, path: PropertyKey[] = []) =>
  ctx.addIssue({ code: 'custom', message, params: { code }, path });

/** Each field's OpenAPI description is its one name (field-labels.ts), as the screens call it. */
function labelled<S extends z.ZodRawShape>(shape: S, labels: Record<string, FieldLabel>): S {
  const entries = Object.entries(shape).map(([key, schema]) => {
    const label = Object.hasOwn(labels, key) ? labels[key] : undefined;
    return [key, label ? (schema as z.ZodType).describe(label.en) : schema] as const;
  });
  return Object.fromEntries(entries) as S;
}
const customerLabels = {
  ...customerFieldLabels,
  emailConsent: customerFieldLabels.newsletter,
  billingAddress: addressLabels.billing,
  shippingAddress: addressLabels.shipping,
} satisfies Record<string, FieldLabel>;

export const genders = ['male', 'female', 'other'] as const;

export const addressSchema = z.object(labelled({
  attention: text().default(''),
  street: text().default(''),
  number: text(20).default(''),
  extension: text(20).default(''),
  address2: text().default(''),
  postcode: text(20).default(''),
  city: text().default(''),
  region: text().default(''),
  country: text(100).default(''),
}, addressPartLabels));
export const shippingAddressSchema = addressSchema.extend(labelled({ company: text().default('') }, addressPartLabels));
export type Address = z.infer<typeof addressSchema>;
export type ShippingAddress = z.infer<typeof shippingAddressSchema>;

// zod's practical e-mail pattern, widened from ASCII to Unicode letters, marks and digits: shops
// have customers with internationalised addresses (émile@exemple.fr, RFC 6531), and the default
// pattern would refuse them before the case-insensitive identity (normalizeEmail) is ever reached.
const emailPattern =
  /^(?:[\p{L}\p{M}\p{N}_'+-]+\.)*[\p{L}\p{M}\p{N}_'+-]*[\p{L}\p{M}\p{N}_+-]@(?:[\p{L}\p{M}\p{N}][\p{L}\p{M}\p{N}-]*\.)+[\p{L}\p{M}]{2,}$/u;

/**
 * A channel's consent as input: the state; the level and date are kept as evidence when the state
 * changes (a new opt-in without a level is a single opt-in, without a date it is now). The source
 * is the server's to say (the staff user, the API, the storefront); a client's is ignored.
 */
function consentInputFields<C extends 'email' | 'sms'>(channel: C) {
  return {
    [`${channel}Consent`]: z.enum(consentStates).default('not_set'),
    [`${channel}ConsentLevel`]: z.enum(consentLevels).nullable().default(null),
    [`${channel}ConsentAt`]: z.iso.datetime({ offset: true }).nullable().default(null),
    [`${channel}ConsentSource`]: z.string().max(200).nullable().default(null),
  } as Record<`${C}Consent`, z.ZodDefault<z.ZodEnum<{ [K in (typeof consentStates)[number]]: K }>>> &
    Record<`${C}ConsentLevel`, z.ZodDefault<z.ZodNullable<z.ZodEnum<{ [K in (typeof consentLevels)[number]]: K }>>>> &
    Record<`${C}ConsentAt` | `${C}ConsentSource`, z.ZodDefault<z.ZodNullable<z.ZodString>>>;
}

const customerFields = labelled({
  email: z.string().trim().max(254).pipe(z.email({ pattern: emailPattern, error: 'This is not a valid e-mail address.' })),
  firstName: text(100).default(''),
  nameInsertion: text(30).default(''),
  lastName: text(100).default(''),
  gender: z.enum(genders).nullable().default(null),
  birthDate: z.string().trim().nullable().default(null),
  phone: text(40).default(''),
  mobile: text(40).default(''),
  // One enum rather than a union with '', so an unknown language reports invalid_choice, not invalid_type.
  language: z.enum([...customerLanguages, '']).default(''),
  isCompany: z.boolean().default(false),
  companyName: text().default(''),
  cocNumber: text(30).default(''),
  vatNumber: text(30).default(''),
  billingAddress: addressSchema.default(addressSchema.parse({})),
  shippingSameAsBilling: z.boolean().default(true),
  shippingAddress: shippingAddressSchema.default(shippingAddressSchema.parse({})),
  /** Kept for API clients: true subscribes; false unsubscribes a subscription (a customer never subscribed stays "not set"). */
  newsletter: z.boolean().optional(),
  ...consentInputFields('email'),
  ...consentInputFields('sms'),
  notes: text(10_000).default(''),
  /** Free tags: compared without case, the first spelling kept; at most 100 of 100 characters. */
  tags: z.array(text(100)).max(100).default([]),
  externalId: text(100).nullable().default(null),
  /** The date the customer registered, kept from the old shop (YYYY-MM-DD); null: not known (screens show the created date). */
  customerSince: z.string().trim().nullable().default(null),
}, customerLabels);

/** Raw input before normalisation; what a form or API client sends. */
export const customerInputSchema = z.object(customerFields);
export type CustomerInputRaw = z.input<typeof customerInputSchema>;
export type CustomerInput = z.output<typeof customerInputSchema>;

/**
 * Validates and normalises a complete customer (countries to ISO codes, phones to international
 * format, VAT compact, postcodes per country, birth date not in the future relative to `today`).
 */
export function normalizedCustomerSchema(today: string) {
  return customerInputSchema.transform((input, ctx) => {
    const result = { ...input, billingAddress: { ...input.billingAddress }, shippingAddress: { ...input.shippingAddress } };
    for (const key of ['billingAddress', 'shippingAddress'] as const) {
      const country = parseCountry(input[key].country);
      if (country.ok) result[key].country = country.value;
      else fieldIssue(ctx, 'country_unknown', `Unknown country “${input[key].country}”. Use a code such as NL or a name such as Netherlands.`, [key, 'country']);
      result[key].postcode = normalizePostcode(input[key].postcode, result[key].country);
    }
    const phoneCountry = result.billingAddress.country || 'NL';
    for (const key of ['phone', 'mobile'] as const) {
      const phone = parsePhone(input[key], phoneCountry);
      if (phone.ok) result[key] = phone.value;
      else fieldIssue(ctx, 'phone_invalid', `“${input[key]}” is not a valid phone number.`, [key]);
    }
    const vat = parseVatNumber(input.vatNumber);
    if (vat.ok) result.vatNumber = vat.value;
    else fieldIssue(ctx, 'vat_invalid', `“${input.vatNumber}” is not a valid VAT number; start with the country code, e.g. NL123456789B01.`, ['vatNumber']);
    const birthDate = parseBirthDate(input.birthDate ?? '', today);
    if (birthDate.ok) result.birthDate = birthDate.value;
    else {
      const messages: Partial<Record<FieldErrorCode, string>> = {
        date_in_future: 'The birth date is in the future.',
        date_too_old: 'The birth date is before 1900.',
      };
      fieldIssue(ctx, birthDate.error, messages[birthDate.error] ?? `“${input.birthDate}” is not a valid date (use YYYY-MM-DD).`, ['birthDate']);
    }
    const since = parseBirthDate(input.customerSince ?? '', today);
    if (since.ok) result.customerSince = since.value;
    else fieldIssue(ctx, since.error, since.error === 'date_in_future' ? 'The customer-since date is in the future.' : `“${input.customerSince}” is not a valid date (use YYYY-MM-DD).`, ['customerSince']);
    // One line ending everywhere, as the importer reads notes: CR LF from a form or file round-trips.
    result.notes = input.notes.replace(/\r\n?/g, '\n');
    // The old yes/no: a "yes" subscribes; a "no" withdraws a subscription (or a pending one), and
    // leaves a customer who never chose "not set".
    if (input.newsletter === true && input.emailConsent !== 'subscribed') result.emailConsent = 'subscribed';
    if (input.newsletter === false && (input.emailConsent === 'subscribed' || input.emailConsent === 'pending')) result.emailConsent = 'unsubscribed';
    delete result.newsletter;
    result.tags = normalizeTags(input.tags);
    if (result.shippingSameAsBilling) result.shippingAddress = { ...result.billingAddress, company: '' };
    return result;
  });
}

/** Tags as stored: spaces collapsed, empty ones dropped, one of each whatever its case (the first spelling). */
export function normalizeTags(tags: readonly string[]): string[] {
  const seen = new Set<string>();
  const result: string[] = [];
  for (const raw of tags) {
    const tag = raw.trim().replace(/\s+/g, ' ');
    if (tag === '' || seen.has(tag.toLowerCase())) continue;
    seen.add(tag.toLowerCase());
    result.push(tag);
  }
  return result;
}

export const groupRefSchema = z.object({ id: z.number().int(), name: z.string() });

export const passwordStates = ['none', 'set', 'must_reset', 'imported_hash'] as const;

/** The company a customer is a contact of (issue #19): at most one. */
export const customerCompanySchema = z.object({
  id: z.number().int(),
  name: z.string(),
  role: z.string(),
  isPrimary: z.boolean(),
});
export type CustomerCompany = z.infer<typeof customerCompanySchema>;

/** A customer as the API returns it. */
export const customerSchema = z.object(labelled({
  id: z.number().int(),
  email: z.string(),
  firstName: z.string(),
  nameInsertion: z.string(),
  lastName: z.string(),
  gender: z.enum(genders).nullable(),
  birthDate: z.string().nullable(),
  phone: z.string(),
  mobile: z.string(),
  language: z.string(),
  isCompany: z.boolean(),
  companyName: z.string(),
  cocNumber: z.string(),
  vatNumber: z.string(),
  billingAddress: addressSchema,
  shippingSameAsBilling: z.boolean(),
  shippingAddress: shippingAddressSchema,
  newsletter: z.boolean().describe('True while the e-mail marketing consent is `subscribed`.'),
  emailConsent: z.enum(consentStates),
  emailConsentLevel: z.enum(consentLevels).nullable(),
  emailConsentAt: z.string().nullable(),
  emailConsentSource: z.string().nullable(),
  smsConsent: z.enum(consentStates),
  smsConsentLevel: z.enum(consentLevels).nullable(),
  smsConsentAt: z.string().nullable(),
  smsConsentSource: z.string().nullable(),
  notes: z.string(),
  tags: z.array(z.string()),
  externalId: z.string().nullable(),
  customerSince: z.string().nullable(),
  passwordState: z.enum(passwordStates),
  groups: z.array(groupRefSchema),
  company: customerCompanySchema.nullable().describe('The company this customer is a contact of, with its role; null: none.'),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** Goes up with every change of the customer; send it back in a PATCH to refuse a stale save. */
  version: z.number().int().describe(
    'Goes up with every change of the customer. Send it back as `version` in a PATCH: a save made on an older version is refused with 409.',
  ),
}, customerLabels));
export type Customer = z.infer<typeof customerSchema>;

export const customerSortFields = ['createdAt', 'updatedAt', 'lastName', 'email', 'id'] as const;

/** GET /api/v1/customers query: keyset pagination with an opaque cursor. */
export const customerListQuerySchema = z.object({
  q: z.string().trim().max(200).optional(),
  email: z.string().trim().max(254).optional(),
  groupId: z.coerce.number().int().positive().optional(),
  /** Customers this import created or updated. */
  importId: z.coerce.number().int().positive().optional(),
  /** Only customers with values to review: kept as typed by an import although they failed validation. */
  flagged: z.enum(['true', 'false']).optional(),
  /** Customer since (or, when not known, created) on or after this date. */
  sinceFrom: z.iso.date().optional(),
  /** Customer since (or, when not known, created) before this date. */
  sinceBefore: z.iso.date().optional(),
  /** Created in Clientele (UTC) on or after this date. */
  createdFrom: z.iso.date().optional(),
  /** Created in Clientele (UTC) before this date. */
  createdBefore: z.iso.date().optional(),
  /** Billing country as stored (an ISO code such as `NL`); `-` for customers without one. */
  country: z.string().trim().min(1).max(100).optional(),
  /** Newsletter opt-in. */
  newsletter: z.enum(['true', 'false']).optional(),
  /** Customers with this tag (case aside). */
  tag: z.string().trim().min(1).max(100).optional(),
  sort: z.enum(customerSortFields).default('createdAt'),
  direction: z.enum(['asc', 'desc']).default('desc'),
  limit: z.coerce.number().int().min(1).max(200).default(25),
  cursor: z
    .string()
    .max(500)
    .optional()
    .describe('`nextCursor` of the previous page (keyset pagination), with the same sort and direction; leave out for the first page.'),
});
export type CustomerListQuery = z.infer<typeof customerListQuerySchema>;

export const customerListItemSchema = customerSchema.pick({
  id: true,
  email: true,
  firstName: true,
  nameInsertion: true,
  lastName: true,
  isCompany: true,
  companyName: true,
  phone: true,
  customerSince: true,
  groups: true,
  createdAt: true,
  updatedAt: true,
}).extend({ city: z.string(), country: z.string() });
export type CustomerListItem = z.infer<typeof customerListItemSchema>;

/** Totals are counted exactly up to this many matches; beyond it, counting would cost more than the page itself. */
export const exactTotalLimit = 10_000;

export const customerPageSchema = z.object({
  items: z.array(customerListItemSchema),
  nextCursor: z.string().nullable(),
  total: z.number().int(),
  /**
   * False when more than `exactTotalLimit` customers match: `total` is then that limit, a lower
   * bound to show as "10,000+". (Counting 200,000 "@gmail" matches exactly takes most of a second.)
   */
  isTotalExact: z.boolean().optional(),
});
export type CustomerPage = z.infer<typeof customerPageSchema>;

export const groupSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  memberCount: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type CustomerGroup = z.infer<typeof groupSchema>;

export const groupInputSchema = z.object({
  name: z.string().trim().min(1, 'A group needs a name.').max(100),
});

/**
 * Bulk membership change: explicit customer ids, or every customer matching a list filter
 * ("all matching this search").
 */
export const groupMembershipSchema = z.union([
  z.object({ customerIds: z.array(z.number().int().positive()).min(1).max(10_000) }),
  z.object({ filter: customerListQuerySchema.pick({ q: true, email: true, groupId: true, importId: true, flagged: true, sinceFrom: true, sinceBefore: true, createdFrom: true, createdBefore: true, country: true, newsletter: true, tag: true }) }),
]);
export type GroupMembershipChange = z.infer<typeof groupMembershipSchema>;

/** The groups a customer belongs to; on create and update the whole set is replaced. */
export const customerGroupIdsSchema = z.array(z.number().int().positive()).max(1_000);

/** POST /api/v1/customers body: a customer plus, optionally, its groups. */
export const customerCreateSchema = customerInputSchema.extend({ groupIds: customerGroupIdsSchema.optional() });
export type CustomerCreateInput = z.input<typeof customerCreateSchema>;

type WithoutDefault<T> = T extends z.ZodDefault<infer Inner> ? Inner : T;
type OptionalShape<S extends z.ZodRawShape> = { [K in keyof S]: z.ZodOptional<WithoutDefault<S[K]> & z.ZodType> };

// zod 4 fills in `.default()` values even for keys made optional, which would turn a PATCH of one
// field into a reset of all others; so a patch uses the same field rules with their defaults removed.
export function optionalWithoutDefaults<S extends z.ZodRawShape>(shape: S): OptionalShape<S> {
  const entries = Object.entries(shape).map(([key, schema]) => {
    const inner = schema instanceof z.ZodDefault ? (schema.unwrap() as z.ZodType) : (schema as z.ZodType);
    const description = (schema as z.ZodType).description;
    return [key, description === undefined ? inner.optional() : inner.optional().describe(description)] as const;
  });
  return Object.fromEntries(entries) as OptionalShape<S>;
}

const { billingAddress: _billing, shippingAddress: _shipping, ...customerScalarFields } = customerFields;

/**
 * PATCH /api/v1/customers/:id body: only the fields to change. The two addresses are merged
 * field by field with the stored ones, so `{ billingAddress: { city } }` keeps the street.
 */
export const customerPatchSchema = z.object({
  ...optionalWithoutDefaults(customerScalarFields),
  billingAddress: z.object(optionalWithoutDefaults(addressSchema.shape)).optional().describe(addressLabels.billing.en),
  shippingAddress: z.object(optionalWithoutDefaults(shippingAddressSchema.shape)).optional().describe(addressLabels.shipping.en),
  groupIds: customerGroupIdsSchema.optional(),
  /**
   * The customer's `version` when the client read it. Given: the save is refused (409 `conflict`,
   * reason `version_mismatch`) when someone changed the customer since. Left out: the sent fields
   * are merged into the current customer under a row lock and only they are written.
   */
  version: z.number().int().positive().optional().describe(
    'The `version` of the customer as the client read it. When the customer changed since, nothing is saved: 409 `conflict` with `reason: "version_mismatch"` and `currentVersion`. Without it, only the fields sent are written (merged into the current customer under a row lock).',
  ),
});
export type CustomerPatch = z.infer<typeof customerPatchSchema>;

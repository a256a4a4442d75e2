import countries from 'i18n-iso-countries';
import { z } from 'zod';

/** The languages customer e-mails exist in (the templates'): a customer without a language gets the default. */
export const customerMailLanguages = ['en', 'nl'] as const;
export type CustomerMailLanguage = (typeof customerMailLanguages)[number];

/** The name every e-mail and storefront page shows until the shop owner gives theirs. */
export const placeholderShopName = 'My shop';

export const shopNameSchema = z
  .string()
  .trim()
  .min(1, 'Enter the name of your shop.')
  .max(100, 'Use at most 100 characters.')
  // It is the display name of the e-mails' sender: no line breaks or quotes that would break the header.
  .refine((value) => !/["\\\r\n<>]/.test(value), 'Leave out quotes, backslashes and < >.');

export const shopCountrySchema = z
  .string()
  .trim()
  .transform((value) => value.toUpperCase())
  .refine((value) => /^[A-Z]{2}$/.test(value) && countries.isValid(value), 'Choose a country.');

export const senderEmailSchema = z
  .string()
  .trim()
  .max(254)
  .pipe(z.email({ error: 'This is not a valid e-mail address.' }));

/** PATCH /api/v1/settings/shop and the shop part of the first setup: only the fields sent change. */
export const shopSettingsUpdateSchema = z
  .object({
    shopName: shopNameSchema.optional(),
    country: shopCountrySchema.optional(),
    defaultLanguage: z.enum(customerMailLanguages).optional(),
    /** The sender address of customer e-mails (used over SMTP); null: back to MAIL_FROM's. */
    senderEmail: senderEmailSchema.nullable().optional(),
  })
  .strict();
export type ShopSettingsUpdate = z.output<typeof shopSettingsUpdateSchema>;

export const shopSettingsSchema = z.object({
  shopName: z.string(),
  /** True while the name is still "My shop": e-mails would go out under that name. */
  isPlaceholderName: z.boolean(),
  country: z.string(),
  defaultLanguage: z.enum(customerMailLanguages),
  /** The sender address customer e-mails go out from. */
  senderEmail: z.string(),
  /** Whether mail leaves the building (SMTP_URL): only then is the sender address used. */
  isSmtpConfigured: z.boolean(),
});
export type ShopSettings = z.infer<typeof shopSettingsSchema>;

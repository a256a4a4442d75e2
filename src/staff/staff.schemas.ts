import { z } from 'zod';
import { shopSettingsUpdateSchema } from '../shop/shop-settings.schemas.ts';

export const staffLanguages = ['en', 'nl'] as const;
export type StaffLanguage = (typeof staffLanguages)[number];

export const staffPasswordSchema = z
  .string()
  .min(12, 'Use at least 12 characters.')
  .max(200, 'Use at most 200 characters.');

export const loginSchema = z.object({
  email: z.string().trim().min(1).max(254),
  password: z.string().min(1).max(200),
});

export const setupSchema = z.object({
  token: z.string().min(1).max(200),
  name: z.string().trim().min(1, 'Enter your name.').max(100),
  email: z.string().trim().max(254).pipe(z.email({ error: 'This is not a valid e-mail address.' })),
  password: staffPasswordSchema,
  language: z.enum(staffLanguages).default('en'),
  /** The shop's name, country, default language for customers (and sender address): asked at setup (#22). */
  shop: shopSettingsUpdateSchema.optional(),
});

export const staffUserSchema = z.object({
  id: z.number().int(),
  email: z.string(),
  name: z.string(),
  role: z.enum(['admin', 'staff']),
  language: z.enum(staffLanguages),
});
export type StaffUser = z.infer<typeof staffUserSchema>;

export const sessionSchema = z.object({ user: staffUserSchema, csrfToken: z.string() });
export type StaffSession = z.infer<typeof sessionSchema>;

export const preferencesSchema = z.object({ language: z.enum(staffLanguages) });

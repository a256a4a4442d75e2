import { z } from 'zod';
import { permissions, roles } from './permissions.ts';
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
  role: z.enum(roles),
  language: z.enum(staffLanguages),
});
export type StaffUser = z.infer<typeof staffUserSchema>;

/** `permissions`: what the user's role allows, so the back office shows only what works. */
export const sessionSchema = z.object({
  user: staffUserSchema,
  csrfToken: z.string(),
  permissions: z.array(z.enum(permissions)),
});
export type StaffSession = z.infer<typeof sessionSchema>;

export const preferencesSchema = z.object({ language: z.enum(staffLanguages) });

const emailSchema = z.string().trim().max(254).pipe(z.email({ error: 'This is not a valid e-mail address.' }));

export const staffUserListItemSchema = staffUserSchema.extend({
  /** False while an invited user has not set a password yet. */
  hasPassword: z.boolean(),
});
export type StaffUserListItem = z.infer<typeof staffUserListItemSchema>;

/** An administrator invites a staff user: they get an e-mail with a link to set their password. */
export const staffInviteSchema = z.object({
  name: z.string().trim().min(1, 'Enter a name.').max(100),
  email: emailSchema,
  role: z.enum(roles),
  language: z.enum(staffLanguages).default('en'),
});
export type StaffInvite = z.infer<typeof staffInviteSchema>;

export const staffRoleChangeSchema = z.object({ role: z.enum(roles) });

export const forgotPasswordSchema = z.object({ email: z.string().trim().min(1).max(254) });
export const setPasswordSchema = z.object({ token: z.string().min(1).max(200), password: staffPasswordSchema });
export const passwordTokenQuerySchema = z.object({ token: z.string().max(200) });

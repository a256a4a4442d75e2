import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { currentStaff, sessionCookie } from '../http/auth.ts';
import { rolePermissions } from './permissions.ts';
import type { StaffPasswordService } from './staff-password.service.ts';
import type { StaffService } from './staff.service.ts';
import { shopSettingsSchema } from '../shop/shop-settings.schemas.ts';
import type { ShopSettingsService } from '../shop/shop-settings.service.ts';
import {
  forgotPasswordSchema,
  loginSchema,
  passwordTokenQuerySchema,
  preferencesSchema,
  sessionSchema,
  setPasswordSchema,
  setupSchema,
  type StaffUser,
} from './staff.schemas.ts';

type Deps = {
  staff: StaffService;
  passwords: StaffPasswordService;
  shopSettings: ShopSettingsService;
  loginRateLimitPerMinute: number;
  isCookieSecure: boolean;
};

const sessionBody = (user: StaffUser, csrfToken: string) => ({ user, csrfToken, permissions: [...rolePermissions[user.role]] });

export const staffRoutes: FastifyPluginAsyncZod<Deps> = async (app, { staff, passwords, shopSettings, loginRateLimitPerMinute, isCookieSecure }) => {
  const cookieOptions = { path: '/', httpOnly: true, sameSite: 'lax', secure: isCookieSecure } as const;
  const tags = ['auth'];
  const rateLimit = { max: loginRateLimitPerMinute, timeWindow: '1 minute' };

  app.get(
    '/auth/session',
    { config: { permission: 'signed-in' }, schema: { tags, summary: 'The signed-in staff user and the CSRF token for state-changing requests', response: { 200: sessionSchema } } },
    async (request) => {
      const { user, csrfToken } = currentStaff(request);
      return sessionBody(user, csrfToken);
    },
  );

  app.post(
    '/auth/login',
    { config: { isPublic: true, rateLimit }, schema: { tags, summary: 'Log in', body: loginSchema, response: { 200: sessionSchema } } },
    async (request, reply) => {
      const session = await staff.login(request.body.email, request.body.password);
      reply.setCookie(sessionCookie, session.token, { ...cookieOptions, expires: session.expiresAt });
      return sessionBody(session.user, session.csrfToken);
    },
  );

  app.post('/auth/logout', { config: { permission: 'signed-in' }, schema: { tags, summary: 'Log out', response: { 204: z.null() } } }, async (request, reply) => {
    await staff.logout(currentStaff(request).token);
    reply.clearCookie(sessionCookie, cookieOptions);
    return reply.status(204).send(null);
  });

  app.get(
    '/auth/setup',
    {
      config: { isPublic: true, rateLimit },
      schema: {
        tags,
        summary: 'Whether a first-run setup token is valid; with a valid one, the shop settings the setup starts from',
        querystring: z.object({ token: z.string().max(200) }),
        response: { 200: z.object({ isValid: z.boolean(), shop: shopSettingsSchema.optional() }) },
      },
    },
    async (request) => {
      const isValid = await staff.isSetupTokenValid(request.query.token);
      return isValid ? { isValid, shop: await shopSettings.current() } : { isValid };
    },
  );

  app.post(
    '/auth/setup',
    { config: { isPublic: true, rateLimit }, schema: { tags, summary: 'Create the first administrator with the one-time setup token', body: setupSchema, response: { 200: sessionSchema } } },
    async (request, reply) => {
      const { shop, ...administrator } = request.body;
      const session = await staff.completeSetup(administrator);
      if (shop) await shopSettings.update(shop, session.user.id);
      reply.setCookie(sessionCookie, session.token, { ...cookieOptions, expires: session.expiresAt });
      return sessionBody(session.user, session.csrfToken);
    },
  );

  app.post(
    '/auth/forgot-password',
    {
      config: { isPublic: true, rateLimit },
      schema: {
        tags,
        summary: 'E-mail a one-time link to set a new password (the same answer whether or not the address is known)',
        body: forgotPasswordSchema,
        response: { 202: z.null() },
      },
    },
    async (request, reply) => {
      await passwords.requestReset(request.body.email);
      return reply.status(202).send(null);
    },
  );

  app.get(
    '/auth/reset-password',
    {
      config: { isPublic: true, rateLimit },
      schema: { tags, summary: 'Whether a one-time password link is still valid', querystring: passwordTokenQuerySchema, response: { 200: z.object({ isValid: z.boolean() }) } },
    },
    async (request) => ({ isValid: await passwords.isTokenValid(request.query.token) }),
  );

  app.post(
    '/auth/reset-password',
    {
      config: { isPublic: true, rateLimit },
      schema: { tags, summary: 'Set a new password with a one-time link (ends every session of the user)', body: setPasswordSchema, response: { 204: z.null() } },
    },
    async (request, reply) => {
      await passwords.setPassword(request.body.token, request.body.password);
      return reply.status(204).send(null);
    },
  );

  app.patch(
    '/me/preferences',
    { config: { permission: 'signed-in' }, schema: { tags, summary: 'Change the signed-in staff user’s preferences (language)', body: preferencesSchema, response: { 204: z.null() } } },
    async (request, reply) => {
      await staff.setLanguage(currentStaff(request).user.id, request.body.language);
      return reply.status(204).send(null);
    },
  );
};

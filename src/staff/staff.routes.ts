import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { currentStaff, sessionCookie } from '../http/auth.ts';
import type { StaffService } from './staff.service.ts';
import { shopSettingsSchema } from '../shop/shop-settings.schemas.ts';
import type { ShopSettingsService } from '../shop/shop-settings.service.ts';
import { loginSchema, preferencesSchema, sessionSchema, setupSchema } from './staff.schemas.ts';

type Deps = { staff: StaffService; shopSettings: ShopSettingsService; loginRateLimitPerMinute: number; isCookieSecure: boolean };

export const staffRoutes: FastifyPluginAsyncZod<Deps> = async (app, { staff, shopSettings, loginRateLimitPerMinute, isCookieSecure }) => {
  const cookieOptions = { path: '/', httpOnly: true, sameSite: 'lax', secure: isCookieSecure } as const;
  const tags = ['auth'];
  const rateLimit = { max: loginRateLimitPerMinute, timeWindow: '1 minute' };

  app.get(
    '/auth/session',
    { schema: { tags, summary: 'The signed-in staff user and the CSRF token for state-changing requests', response: { 200: sessionSchema } } },
    async (request) => {
      const { user, csrfToken } = currentStaff(request);
      return { user, csrfToken };
    },
  );

  app.post(
    '/auth/login',
    { config: { isPublic: true, rateLimit }, schema: { tags, summary: 'Log in', body: loginSchema, response: { 200: sessionSchema } } },
    async (request, reply) => {
      const session = await staff.login(request.body.email, request.body.password);
      reply.setCookie(sessionCookie, session.token, { ...cookieOptions, expires: session.expiresAt });
      return { user: session.user, csrfToken: session.csrfToken };
    },
  );

  app.post('/auth/logout', { schema: { tags, summary: 'Log out', response: { 204: z.null() } } }, async (request, reply) => {
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
      return { user: session.user, csrfToken: session.csrfToken };
    },
  );

  app.patch(
    '/me/preferences',
    { schema: { tags, summary: 'Change the signed-in staff user’s preferences (language)', body: preferencesSchema, response: { 204: z.null() } } },
    async (request, reply) => {
      await staff.setLanguage(currentStaff(request).user.id, request.body.language);
      return reply.status(204).send(null);
    },
  );
};

import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { currentStaff } from '../http/auth.ts';
import { shopSettingsSchema, shopSettingsUpdateSchema } from './shop-settings.schemas.ts';
import type { ShopSettingsService } from './shop-settings.service.ts';

type Deps = { shopSettings: ShopSettingsService };

/**
 * What each route needs, declared where the route is (src/staff/permissions.ts on main, checked
 * by the one auth hook): every staff user sees the shop's identity; changing it is an
 * administrator's setting.
 */
const signedIn = { permission: 'signed-in' } as const;
const managesSettings = { permission: 'settings.manage' } as const;

export const shopSettingsRoutes: FastifyPluginAsyncZod<Deps> = async (app, { shopSettings }) => {
  const tags = ['settings'];

  app.get(
    '/settings/shop',
    { config: signedIn, schema: { tags, summary: 'The shop’s name, country, default language of customer e-mails and sender address', response: { 200: shopSettingsSchema } } },
    async () => shopSettings.current(),
  );

  app.patch(
    '/settings/shop',
    {
      config: managesSettings,
      schema: {
        tags,
        summary: 'Change the shop’s identity (administrators); every e-mail and storefront page uses it from then on',
        body: shopSettingsUpdateSchema,
        response: { 200: shopSettingsSchema },
      },
    },
    async (request) => shopSettings.update(request.body, currentStaff(request).user.id),
  );
};

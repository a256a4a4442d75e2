import { readFileSync } from 'node:fs';
import path from 'node:path';
import fastifyFormbody from '@fastify/formbody';
import type { FastifyPluginAsync } from 'fastify';
import { appRoot } from '../shared/app-root.ts';
import { storefrontAccountRoutes } from './storefront-account.routes.ts';
import { storefrontAddressRoutes } from './storefront-addresses.routes.ts';
import { storefrontVisitorRoutes } from './storefront-visitor.routes.ts';
import { storefrontSessions, type StorefrontDeps } from './storefront.session.ts';

export { anonymousFormTokenCookie, customerSessionCookie, knownClientCookie } from './storefront.session.ts';

const stylesheet = readFileSync(path.join(appRoot, 'src/accounts/storefront.css'), 'utf8');

/**
 * Server-rendered storefront account pages under /account. Forms post
 * application/x-www-form-urlencoded with a CSRF token in `_csrf`: a logged-in customer's is the
 * session's synchronizer token (stored with the session); an anonymous visitor's is a random
 * value in its own HttpOnly cookie that the form must repeat (double submit), so a page view
 * by someone who is not logged in never writes a session row.
 */
export const storefrontRoutes: FastifyPluginAsync<StorefrontDeps> = async (app, deps) => {
  await app.register(fastifyFormbody);
  const hidden = { config: { permission: 'storefront' }, schema: { hide: true } } as const;

  // Pages carry CSRF tokens and personal data: never cached, and their address is never sent to
  // another site. The reset page (a token in its URL) sends no referrer at all.
  app.addHook('onSend', async (request, reply) => {
    if (String(reply.getHeader('content-type') ?? '').startsWith('text/html')) {
      reply.header('cache-control', 'no-store');
      reply.header(
        'referrer-policy',
        request.url.startsWith('/account/reset-password') ? 'no-referrer' : 'same-origin',
      );
    }
  });

  app.get('/assets/storefront.css', hidden, async (_request, reply) =>
    reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=3600').send(stylesheet),
  );

  const sessions = storefrontSessions(deps);
  storefrontVisitorRoutes(app, deps.accounts, sessions);
  storefrontAccountRoutes(app, deps.accounts, sessions);
  storefrontAddressRoutes(app, deps.addressBook, sessions);
};

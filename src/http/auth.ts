import { isConnectionLost } from '../db/database.ts';
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import { can, isRouteAccess, type RouteAccess } from '../staff/permissions.ts';
import type { StaffService } from '../staff/staff.service.ts';
import type { StaffUser } from '../staff/staff.schemas.ts';
import { AppError } from '../shared/errors.ts';
import { safeEqual } from '../shared/tokens.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Reachable without a staff session (login, setup, health). Everything else requires one. */
    isPublic?: boolean;
    /**
     * What the route needs (src/staff/permissions.ts), checked by the hook below; `storefront` for
     * the /account pages, which run on customer sessions. Every route declares this or `isPublic`.
     */
    permission?: RouteAccess;
  }
  interface FastifyRequest {
    staff?: { user: StaffUser; csrfToken: string; token: string };
  }
}

export const sessionCookie = 'clientele_session';
const unsafeMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const publicPagePattern = /^\/admin\/(login|setup|forgot-password|reset-password)(\/|$)|^\/admin\/assets\//;
/** Routes that plugins register (static files, API docs): public by design, they cannot carry a declaration. */
const pluginRoutePrefixes = ['/admin/assets/', '/api/docs'];

/** Refuses, at registration, a route that declares neither `isPublic` nor a permission. */
export function assertRouteDeclaresAccess(route: RouteOptions): void {
  if (route.config?.isPublic === true || pluginRoutePrefixes.some((prefix) => route.url.startsWith(prefix))) return;
  if (!isRouteAccess(route.config?.permission)) {
    throw new Error(
      `Route ${[route.method].flat().join(',')} ${route.url} declares no permission: add config: { permission: … } (src/staff/permissions.ts) or isPublic.`,
    );
  }
}

/**
 * Authorisation for every back-office route: `/api/v1/*` answers 401 JSON and `/admin/*` pages
 * redirect to the login page unless the route is marked public. State-changing requests also
 * need the session's CSRF token in `x-csrf-token` (synchronizer token pattern) and, when the
 * browser sends an Origin, one that matches the host.
 */
export function registerStaffAuth(app: FastifyInstance, staff: StaffService): void {
  app.decorateRequest('staff', undefined);
  app.addHook('onRoute', assertRouteDeclaresAccess);

  app.addHook('onRequest', async (request, reply) => {
    const route = request.routeOptions.url ?? '';
    // A page sent with `Referrer-Policy: no-referrer` (the storefront's reset page) makes the
    // browser post its form with `Origin: null`; storefront forms carry their own CSRF token.
    const isOpaqueStorefrontPost = request.headers.origin === 'null' && route.startsWith('/account');
    if (unsafeMethods.has(request.method) && !isOpaqueStorefrontPost) assertSameOrigin(request);
    const path = request.url.split('?')[0] ?? '';
    const isBackOffice = route.startsWith('/api/v1') || route.startsWith('/admin');
    const token = request.cookies[sessionCookie];
    if (token) {
      try {
        const session = await staff.authenticate(token);
        if (session) request.staff = { ...session, token };
      } catch (error) {
        // The database is away: a back-office page — the app shell, which holds no data — still
        // loads, so that it can say so and recover by itself; its API calls answer 503.
        if (isConnectionLost(error) && request.method === 'GET' && route.startsWith('/admin')) return;
        throw error;
      }
    }
    if (!isBackOffice || request.routeOptions.config.isPublic || publicPagePattern.test(path)) return;
    if (!request.staff) return denyAnonymous(request, reply, route);
    if (unsafeMethods.has(request.method)) {
      const sent = request.headers['x-csrf-token'];
      if (typeof sent !== 'string' || !safeEqual(sent, request.staff.csrfToken)) {
        throw new AppError('forbidden', 'The security token of this page is missing or outdated. Reload the page and try again.');
      }
    }
    const permission = request.routeOptions.config.permission;
    if (permission === undefined || permission === 'storefront' || !can(request.staff.user.role, permission)) {
      return denyForbidden(request, reply, route);
    }
  });
}

const forbiddenPage = {
  en: { title: 'No access', text: 'Your role does not allow you to open this page. Ask an administrator if you need it.', back: 'Back to customers' },
  nl: { title: 'Geen toegang', text: 'Met jouw rol kun je deze pagina niet openen. Vraag een beheerder als je hem nodig hebt.', back: 'Terug naar klanten' },
} as const;

/** A page view gets a page a person understands (in their language); everything else 403 JSON. */
function denyForbidden(request: FastifyRequest, reply: FastifyReply, route: string) {
  if (route.startsWith('/admin') && request.method === 'GET') {
    const language = request.staff?.user.language ?? 'en';
    const text = forbiddenPage[language];
    return reply
      .status(403)
      .header('cache-control', 'no-store')
      .type('text/html; charset=utf-8')
      .send(
        `<!doctype html><html lang="${language}"><head><meta charset="utf-8"><title>${text.title}</title></head>` +
          `<body><main><h1>${text.title}</h1><p>${text.text}</p><p><a href="/admin/customers">${text.back}</a></p></main></body></html>`,
      );
  }
  throw new AppError('forbidden', 'Your role does not allow this. Ask an administrator.');
}

function denyAnonymous(request: FastifyRequest, reply: FastifyReply, route: string) {
  if (route.startsWith('/admin') && request.method === 'GET') {
    const next = encodeURIComponent(request.url);
    return reply.redirect(`/admin/login?next=${next}`, 302);
  }
  throw new AppError('unauthenticated', 'Log in to continue.');
}

function assertSameOrigin(request: FastifyRequest) {
  const origin = request.headers.origin;
  if (!origin) return;
  let host: string;
  try {
    host = new URL(origin).host;
  } catch {
    throw new AppError('forbidden', 'Cross-site request refused.');
  }
  if (host !== request.headers.host) throw new AppError('forbidden', 'Cross-site request refused.');
}

/** The signed-in staff user; only for routes behind the hook above. */
export function currentStaff(request: FastifyRequest) {
  if (!request.staff) throw new AppError('unauthenticated', 'Log in to continue.');
  return request.staff;
}

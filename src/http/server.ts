import { randomUUID } from 'node:crypto';
import fastifyCookie from '@fastify/cookie';
import fastifyHelmet from '@fastify/helmet';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance, type RouteOptions } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { AppServices } from '../app.ts';
import { customerRoutes } from '../customers/customer.routes.ts';
import { addressBookRoutes } from '../addresses/address-book.routes.ts';
import { groupRoutes } from '../customers/group.routes.ts';
import { companyRoutes } from '../companies/company.routes.ts';
import { companyAddressRoutes } from '../companies/company-address.routes.ts';
import { vatCheckRoutes } from '../companies/vat-check.routes.ts';
import { customerBulkRoutes } from '../customers/customer-bulk.routes.ts';
import { consentHistoryRoutes } from '../consent/consent-history.routes.ts';
import { duplicateRoutes } from '../duplicates/duplicate.routes.ts';
import { privacyRoutes } from '../privacy/privacy.routes.ts';
import { sourceRoutes } from '../sources/source.routes.ts';
import { staffRoutes } from '../staff/staff.routes.ts';
import { staffUserRoutes } from '../staff/staff-users.routes.ts';
import { storefrontRoutes } from '../accounts/storefront.routes.ts';
import { mailRoutes } from '../mail/mail.routes.ts';
import { importRoutes } from '../imports/import.routes.ts';
import { fixRowsRoutes } from '../imports/fix-rows.routes.ts';
import { flagRoutes } from '../flags/flag.routes.ts';
import { exportRoutes } from '../exports/export.routes.ts';
import { shopSettingsRoutes } from '../shop/shop-settings.routes.ts';
import { overviewRoutes } from '../overview/overview.routes.ts';
import { AppError } from '../shared/errors.ts';
import { loggerOptions } from '../shared/logger.ts';
import { createRateLimiter } from '../accounts/rate-limit.ts';
import { registerStaffAuth } from './auth.ts';
import { registerErrorHandling } from './error-handler.ts';
import { createReadiness } from '../db/readiness.ts';
import { healthRoutes } from './health.routes.ts';
import { createMetrics, registerMetrics } from './metrics.ts';
import { postgresRateLimitStore } from './rate-limit-store.ts';
import { registerStaticUi } from './static-ui.ts';

export type HttpServerOptions = {
  /** Sees every route as it is registered (the route-authorisation test lists them all this way). */
  onRoute?: (route: RouteOptions) => void;
};

/** Builds the Fastify server: security plugins, OpenAPI, auth hook, routes, the UI. Does not listen. */
export async function createHttpServer(services: AppServices, options: HttpServerOptions = {}): Promise<FastifyInstance> {
  const { config } = services;
  const app = Fastify({
    logger: loggerOptions(config.logLevel, config.logFormat, process.stdout.isTTY === true),
    genReqId: () => randomUUID(),
    requestIdHeader: false,
    bodyLimit: config.bodyLimitBytes,
    // X-Forwarded-For is believed only from the configured proxies (TRUST_PROXY), never from a client.
    trustProxy: config.trustedProxies.length > 0 ? config.trustedProxies : false,
  });
  if (options.onRoute) app.addHook('onRoute', options.onRoute);
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandling(app, { shopName: config.shopName });
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        // Mantine writes style attributes; no inline or remote scripts are ever allowed.
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        scriptSrc: ["'self'"],
        connectSrc: ["'self'"],
        frameAncestors: ["'none'"],
        formAction: ["'self'"],
        upgradeInsecureRequests: null,
      },
    },
    strictTransportSecurity: services.isCookieSecure,
    // The same as the CSP's frame-ancestors 'none', for browsers that only read this header.
    frameguard: { action: 'deny' },
  });
  await app.register(fastifyCookie);
  await app.register(fastifyRateLimit, {
    global: false,
    // Counted in PostgreSQL: the limits hold across every server process.
    store: postgresRateLimitStore(createRateLimiter(services.db.pool, services.clock)),
    errorResponseBuilder: (_request, context) =>
      new AppError('rate_limited', `Too many attempts. Try again in ${Math.ceil(context.ttl / 1000)} seconds.`),
  });
  await app.register(fastifySwagger, {
    openapi: {
      info: { title: 'Clientele API', version: '1', description: 'Customers, customer groups and companies of the Clientele back office.' },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'clientele_session' },
          csrf: { type: 'apiKey', in: 'header', name: 'x-csrf-token' },
        },
      },
      security: [{ session: [], csrf: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs' });

  registerStaffAuth(app, services.staff);
  registerMetrics(app, createMetrics(services.db.pool, 'server', services.work), config.metricsToken);
  const readiness = createReadiness(services.db.url, { timeoutMs: config.readyTimeoutMs });
  app.addHook('onClose', () => readiness.close());
  await app.register(healthRoutes, { readiness });
  await app.register(
    async (api) => {
      await api.register(staffRoutes, {
        staff: services.staff,
        passwords: services.staffPasswords,
        shopSettings: services.shopSettings,
        loginRateLimitPerMinute: config.loginRateLimitPerMinute,
        isCookieSecure: services.isCookieSecure,
      });
      await api.register(staffUserRoutes, { staff: services.staff });
      await api.register(customerRoutes, { customers: services.customers });
      await api.register(addressBookRoutes, { addressBook: services.addressBook });
      await api.register(flagRoutes, { flags: services.flags });
      await api.register(groupRoutes, { groups: services.groups });
      await api.register(companyRoutes, { companies: services.companies });
      await api.register(companyAddressRoutes, { companyAddresses: services.companyAddresses });
      await api.register(vatCheckRoutes, { vatChecks: services.vatChecks });
      await api.register(customerBulkRoutes, { bulk: services.customerBulk });
      await api.register(consentHistoryRoutes, { db: services.db });
      await api.register(duplicateRoutes, { duplicates: services.duplicates, merges: services.merges });
      await api.register(privacyRoutes, { privacy: services.privacy });
      await api.register(sourceRoutes, { sources: services.sources });
      await api.register(mailRoutes, { mail: services.mail, passwordEmails: services.passwordEmails, bulkRecipients: services.bulkRecipients });
      await api.register(importRoutes, { imports: services.imports, savedMappings: services.savedMappings, maxFileBytes: config.importMaxFileBytes });
      await api.register(fixRowsRoutes, { fixRows: services.fixRows });
      await api.register(exportRoutes, { exports: services.exports });
      await api.register(shopSettingsRoutes, { shopSettings: services.shopSettings });
      await api.register(overviewRoutes, { overview: services.overview });
    },
    { prefix: '/api/v1' },
  );
  await app.register(storefrontRoutes, {
    prefix: '/account',
    accounts: services.accounts,
    addressBook: services.addressBook,
    shop: services.shopSettings,
    isCookieSecure: services.isCookieSecure,
  });
  await registerStaticUi(app);
  return app;
}

import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { appRoot } from '../shared/app-root.ts';
import type { Permission } from '../staff/permissions.ts';

/** Back-office pages whose whole content needs more than being signed in. */
const adminOnlyPages = [
  ['/admin/settings/staff-users', 'staff.manage'],
  ['/admin/settings/notification-emails', 'mail-templates.manage'],
] as const satisfies readonly (readonly [string, Permission])[];

export const webDistDir = path.join(appRoot, 'dist/web');

/**
 * Serves the built back office (Vite output in dist/web) at /admin. Every /admin page returns the
 * same index.html; the auth hook has already redirected anonymous visitors to /admin/login.
 */
export async function registerStaticUi(app: FastifyInstance): Promise<void> {
  const indexFile = path.join(webDistDir, 'index.html');
  const indexHtml = existsSync(indexFile) ? readFileSync(indexFile, 'utf8') : undefined;
  if (existsSync(path.join(webDistDir, 'assets'))) {
    await app.register(fastifyStatic, {
      root: path.join(webDistDir, 'assets'),
      prefix: '/admin/assets/',
      immutable: true,
      maxAge: '365d',
    });
  }
  const page = async (_request: unknown, reply: import('fastify').FastifyReply) => {
    if (!indexHtml) {
      return reply.status(503).type('text/plain').send('The back office is not built yet: run `npm run build:web`.');
    }
    return reply.header('cache-control', 'no-store').type('text/html; charset=utf-8').send(indexHtml);
  };
  const hide = { hide: true };
  app.get('/', { config: { isPublic: true }, schema: hide }, (_request, reply) => reply.redirect('/admin/customers', 302));
  app.get('/admin', { config: { permission: 'signed-in' }, schema: hide }, page);
  app.get('/admin/*', { config: { permission: 'signed-in' }, schema: hide }, page);
  // Pages only some roles may open: the auth hook answers the others with a "no access" page.
  for (const [url, permission] of adminOnlyPages) {
    app.get(url, { config: { permission }, schema: hide }, page);
    app.get(`${url}/*`, { config: { permission }, schema: hide }, page);
  }
}

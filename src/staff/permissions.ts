/**
 * What a back-office route needs, declared on the route (`config: { permission: 'customers.write' }`)
 * and checked by the one auth hook in src/http/auth.ts. A role is a list of permissions; the
 * database keeps the role names `admin` (administrator) and `staff`.
 */
export const permissions = [
  /** Own session, own preferences, the back-office pages themselves. */
  'signed-in',
  'customers.read',
  'customers.write',
  /** Erase a customer's personal data at their request (privacy requests): administrators only. */
  'customers.erase',
  'groups.read',
  'groups.write',
  'imports.run',
  'exports.run',
  /** Send the Account password e-mail to one customer or in bulk, and follow bulk sends. */
  'password-emails.send',
  /** The built-in mailbox, with reset links and tokens hidden. */
  'mailbox.read',
  /** The mailbox with live reset links as sent. */
  'mailbox.read-reset-links',
  'mail-templates.manage',
  'settings.manage',
  'staff.manage',
] as const;
export type Permission = (typeof permissions)[number];

/** A route's declaration: a permission, or `storefront` for the /account pages (customer sessions). */
export type RouteAccess = Permission | 'storefront';

export const roles = ['admin', 'staff'] as const;
export type Role = (typeof roles)[number];

const staffPermissions: readonly Permission[] = [
  'signed-in',
  'customers.read',
  'customers.write',
  'groups.read',
  'groups.write',
  'imports.run',
  'exports.run',
  'password-emails.send',
  'mailbox.read',
];

export const rolePermissions: Record<Role, readonly Permission[]> = {
  admin: permissions,
  staff: staffPermissions,
};

export const can = (role: Role, permission: Permission): boolean =>
  rolePermissions[role].includes(permission);

export const isRouteAccess = (value: unknown): value is RouteAccess =>
  value === 'storefront' || (permissions as readonly unknown[]).includes(value);

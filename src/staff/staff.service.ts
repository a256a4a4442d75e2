import type { Database, Queryable } from '../db/database.ts';
import { normalizeEmail } from '../customers/customer.rules.ts';
import { AppError, notFound } from '../shared/errors.ts';
import type { Clock } from '../shared/clock.ts';
import { hashToken, newToken } from '../shared/tokens.ts';
import { dummyPasswordHash, hashPassword, verifyPassword } from './password.ts';
import type { Role } from './permissions.ts';
import type { StaffPasswordService } from './staff-password.service.ts';
import { staffRepository as repo } from './staff.repository.ts';
import type { StaffInvite, StaffLanguage, StaffUser, StaffUserListItem } from './staff.schemas.ts';

export type StaffServiceDeps = { db: Database; clock: Clock; sessionTtlHours: number; passwords: StaffPasswordService };
export type StaffService = ReturnType<typeof createStaffService>;

const setupTokenTtlMs = 24 * 60 * 60 * 1000;

const lastAdministrator = () =>
  new AppError('conflict', 'This is the last administrator. Make someone else an administrator first.', {
    role: { code: 'last_admin', message: 'This is the last administrator. Make someone else an administrator first.' },
  });

export function createStaffService({ db, clock, sessionTtlHours, passwords }: StaffServiceDeps) {
  async function openSession(user: StaffUser) {
    const token = newToken();
    const csrfToken = newToken();
    const expiresAt = new Date(clock.now().getTime() + sessionTtlHours * 3_600_000);
    await repo.insertSession(db.pool, { tokenHash: hashToken(token), staffUserId: user.id, csrfToken, expiresAt });
    return { token, csrfToken, expiresAt, user };
  }

  async function assertEmailFree(email: string) {
    if (await repo.findByEmail(db.pool, normalizeEmail(email))) {
      throw new AppError('conflict', `A staff user with e-mail ${email} already exists.`, {
        email: { code: 'email_taken', message: 'This e-mail address is already used by another staff user.' },
      });
    }
  }

  /** With a password (tests, `user:create`) or without one: the user then sets it through a one-time link. */
  async function createUser(input: {
    email: string;
    name: string;
    password?: string;
    language?: StaffLanguage;
    role?: Role;
  }): Promise<StaffUser> {
    await assertEmailFree(input.email);
    return repo.insert(db.pool, {
      email: input.email.trim(),
      emailNormalized: normalizeEmail(input.email),
      name: input.name,
      passwordHash: input.password === undefined ? '' : await hashPassword(input.password),
      language: input.language ?? 'en',
      role: input.role ?? 'admin',
    });
  }

  /** Changes a role or removes a user while the administrators are locked, so one always remains. */
  async function withAdministratorsLocked(userId: number, change: (tx: Queryable, admins: number[]) => Promise<void>) {
    await db.transaction(async (tx) => {
      const admins = await repo.lockAdministratorIds(tx);
      if (!(await repo.findById(tx, userId))) throw notFound(`Staff user #${userId}`);
      await change(tx, admins);
    });
  }

  return {
    createUser,

    listUsers: (): Promise<StaffUserListItem[]> => repo.list(db.pool),

    /** An administrator adds a staff user: no password yet, an invitation e-mail with a link to set one. */
    async inviteUser(input: StaffInvite): Promise<StaffUser> {
      await assertEmailFree(input.email);
      return db.transaction(async (tx) => {
        const user = await repo.insert(tx, {
          email: input.email.trim(),
          emailNormalized: normalizeEmail(input.email),
          name: input.name,
          passwordHash: '',
          language: input.language,
          role: input.role,
        });
        await passwords.queueMail(tx, user.id, 'invite');
        return user;
      });
    },

    async changeRole(userId: number, role: Role): Promise<void> {
      await withAdministratorsLocked(userId, async (tx, admins) => {
        if (role !== 'admin' && admins.length === 1 && admins[0] === userId) throw lastAdministrator();
        await repo.updateRole(tx, userId, role);
      });
    },

    async removeUser(userId: number): Promise<void> {
      await withAdministratorsLocked(userId, async (tx, admins) => {
        if (admins.length === 1 && admins[0] === userId) throw lastAdministrator();
        await repo.delete(tx, userId);
      });
    },
    hasAnyUser: async () => (await repo.count(db.pool)) > 0,

    /** A one-time link to create the first administrator; replaces any earlier one. */
    async issueSetupToken(): Promise<string | undefined> {
      if ((await repo.count(db.pool)) > 0) return undefined;
      const token = newToken();
      await repo.replaceSetupTokens(db.pool, hashToken(token), new Date(clock.now().getTime() + setupTokenTtlMs));
      return token;
    },

    isSetupTokenValid: (token: string) => repo.isSetupTokenValid(db.pool, hashToken(token), clock.now()),

    async completeSetup(input: { token: string; email: string; name: string; password: string; language: StaffLanguage }) {
      const user = await db.transaction(async (tx) => {
        // Lock the token row so two tabs submitting at once cannot both create an administrator.
        const { rows } = await tx.query('SELECT 1 FROM setup_tokens WHERE token_hash = $1 AND expires_at > $2 FOR UPDATE', [
          hashToken(input.token),
          clock.now(),
        ]);
        if (rows.length === 0 || (await repo.count(tx)) > 0) {
          throw new AppError('forbidden', 'This setup link is no longer valid. Restart Clientele to get a new one.');
        }
        await repo.deleteSetupTokens(tx);
        return repo.insert(tx, {
          email: input.email.trim(),
          emailNormalized: normalizeEmail(input.email),
          name: input.name,
          passwordHash: await hashPassword(input.password),
          language: input.language,
          role: 'admin',
        });
      });
      return openSession(user);
    },

    async login(email: string, password: string) {
      const user = await repo.findByEmail(db.pool, normalizeEmail(email));
      // An invited user without a password yet ('' hash) is verified against the dummy too: same time, never valid.
      const hasPassword = user !== undefined && user.passwordHash !== '';
      const isValid = await verifyPassword(hasPassword ? user.passwordHash : await dummyPasswordHash(), password);
      if (!user || !hasPassword || !isValid) throw new AppError('unauthenticated', 'The e-mail address or password is incorrect.');
      return openSession(user);
    },

    async authenticate(token: string) {
      return repo.findSession(db.pool, hashToken(token), clock.now());
    },

    async logout(token: string) {
      await repo.deleteSession(db.pool, hashToken(token));
    },

    setLanguage: (userId: number, language: StaffLanguage) => repo.updateLanguage(db.pool, userId, language),

    deleteExpiredSessions: () => repo.deleteExpiredSessions(db.pool, clock.now()),
  };
}

import type { Database } from '../db/database.ts';
import { normalizeEmail } from '../customers/customer.rules.ts';
import { AppError } from '../shared/errors.ts';
import type { Clock } from '../shared/clock.ts';
import { hashToken, newToken } from '../shared/tokens.ts';
import { dummyPasswordHash, hashPassword, verifyPassword } from './password.ts';
import { staffRepository as repo } from './staff.repository.ts';
import type { StaffLanguage, StaffUser } from './staff.schemas.ts';

export type StaffServiceDeps = { db: Database; clock: Clock; sessionTtlHours: number };
export type StaffService = ReturnType<typeof createStaffService>;

const setupTokenTtlMs = 24 * 60 * 60 * 1000;

export function createStaffService({ db, clock, sessionTtlHours }: StaffServiceDeps) {
  async function openSession(user: StaffUser) {
    const token = newToken();
    const csrfToken = newToken();
    const expiresAt = new Date(clock.now().getTime() + sessionTtlHours * 3_600_000);
    await repo.insertSession(db.pool, { tokenHash: hashToken(token), staffUserId: user.id, csrfToken, expiresAt });
    return { token, csrfToken, expiresAt, user };
  }

  async function createUser(input: {
    email: string;
    name: string;
    password: string;
    language?: StaffLanguage;
  }): Promise<StaffUser> {
    const emailNormalized = normalizeEmail(input.email);
    if (await repo.findByEmail(db.pool, emailNormalized)) {
      throw new AppError('conflict', `A staff user with e-mail ${input.email} already exists.`, {
        email: { code: 'email_taken', message: 'This e-mail address is already used by another staff user.' },
      });
    }
    return repo.insert(db.pool, {
      email: input.email.trim(),
      emailNormalized,
      name: input.name,
      passwordHash: await hashPassword(input.password),
      language: input.language ?? 'en',
    });
  }

  return {
    createUser,
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
        });
      });
      return openSession(user);
    },

    async login(email: string, password: string) {
      const user = await repo.findByEmail(db.pool, normalizeEmail(email));
      const isValid = await verifyPassword(user?.passwordHash ?? (await dummyPasswordHash()), password);
      if (!user || !isValid) throw new AppError('unauthenticated', 'The e-mail address or password is incorrect.');
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

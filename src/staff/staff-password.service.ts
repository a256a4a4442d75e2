import { z } from 'zod';
import { storefrontResetTtlMs } from '../accounts/reset-token.ts';
import type { RateLimiter } from '../accounts/rate-limit.ts';
import { normalizeEmail } from '../customers/customer.rules.ts';
import type { Database, Queryable } from '../db/database.ts';
import { defineJob, type JobDefinition, type Queue } from '../jobs/queue.ts';
import type { Outbox } from '../mail/outbox.service.ts';
import type { Clock } from '../shared/clock.ts';
import { AppError, notFound } from '../shared/errors.ts';
import type { ShopIdentity } from '../shop/shop-settings.service.ts';
import { hashToken, newToken } from '../shared/tokens.ts';
import { hashPassword } from './password.ts';
import { staffPasswordLinkFor, staffPasswordMessage, type StaffPasswordPurpose } from './staff-mail.ts';
import { staffRepository as repo } from './staff.repository.ts';

export type StaffPasswordServiceDeps = {
  db: Database;
  clock: Clock;
  queue: Queue;
  rateLimiter: RateLimiter;
  /** The mail goes out through the outbox, like every customer e-mail. */
  outbox: Pick<Outbox, 'queueStaffMail'>;
  /** The shop's name and sender address, read when each e-mail is made (Settings › General). */
  shop: ShopIdentity;
  baseUrl: string;
  /** How long an invitation link works (RESET_TOKEN_TTL_HOURS_STAFF_SENT); a reset link works one hour. */
  inviteTtlMs: number;
};
export type StaffPasswordService = ReturnType<typeof createStaffPasswordService>;

/** "Forgot your password?" sends at most this many e-mails per address per hour (the rest are dropped silently). */
const resetMailsPerAddressPerHour = 3;

const invalidLink = () =>
  new AppError('invalid_input', 'This link is no longer valid. Ask for a new one on the login page.', {
    token: {
      code: 'invalid_token',
      message: 'This link is no longer valid. Ask for a new one on the login page.',
    },
  });

/**
 * One-time links that set a staff user's password: invitations and "Forgot your password?".
 * The token is 256 random bits; only its sha256 is stored (as for the storefront's reset links,
 * src/accounts/reset-token.ts). The e-mail is made by a job, so the answer to "Forgot your
 * password?" is the same, and as fast, whether the address exists or not; the job writes it to
 * the outbox together with its token, so it is sent at most once.
 */
export function createStaffPasswordService(deps: StaffPasswordServiceDeps) {
  const { db, clock } = deps;
  const ttlMs = (purpose: StaffPasswordPurpose) =>
    purpose === 'invite' ? deps.inviteTtlMs : storefrontResetTtlMs;

  async function storeToken(tx: Queryable, staffUserId: number, purpose: StaffPasswordPurpose, tokenHash: Buffer) {
    const now = clock.now();
    await repo.insertPasswordToken(tx, { tokenHash, staffUserId, purpose, createdAt: now, expiresAt: new Date(now.getTime() + ttlMs(purpose)) });
  }

  async function issueLink(tx: Queryable, staffUserId: number, purpose: StaffPasswordPurpose) {
    const token = newToken();
    await storeToken(tx, staffUserId, purpose, hashToken(token));
    return staffPasswordLinkFor(deps.baseUrl, token);
  }

  /**
   * The job: the token and the e-mail that carries its link are written together, into the
   * outbox, in one transaction keyed by the job's id. Delivery is at-least-once, so a job that
   * runs again (a worker that died after the commit) finds its e-mail there and does nothing:
   * one e-mail, one valid link.
   */
  async function queueMailOnce({ staffUserId, purpose }: { staffUserId: number; purpose: StaffPasswordPurpose }, job: { id: string }) {
    const shop = await deps.shop.current();
    await db.transaction(async (tx) => {
      const user = await repo.findById(tx, staffUserId);
      if (!user) return;
      const token = newToken();
      const message = staffPasswordMessage({
        purpose,
        language: user.language,
        name: user.name,
        shopName: shop.shopName,
        link: staffPasswordLinkFor(deps.baseUrl, token),
        validHours: Math.round(ttlMs(purpose) / 3_600_000),
      });
      const outboxId = await deps.outbox.queueStaffMail(tx, {
        idempotencyKey: `staff_password_link:${job.id}`,
        toAddress: user.email,
        language: user.language,
        subject: message.subject,
        bodyHtml: message.html,
      });
      if (outboxId === undefined) return;
      await storeToken(tx, staffUserId, purpose, hashToken(token));
    });
  }

  const mailJob = defineJob({
    name: 'staff.password-mail',
    payload: z.object({ staffUserId: z.number().int().positive(), purpose: z.enum(['invite', 'reset']) }),
    retryLimit: 3,
    handle: queueMailOnce,
  });

  return {
    jobDefinitions: [mailJob] as JobDefinition[],

    /** Queues the invitation or reset e-mail inside the caller's transaction. */
    queueMail: (tx: Queryable, staffUserId: number, purpose: StaffPasswordPurpose) =>
      deps.queue.enqueue(mailJob, { staffUserId, purpose }, { transaction: tx }),

    /** "Forgot your password?": the same answer whether or not the address belongs to a staff user. */
    async requestReset(email: string): Promise<void> {
      const user = await repo.findByEmail(db.pool, normalizeEmail(email));
      const limit = await deps.rateLimiter.hit(
        'staff-password-reset',
        email,
        resetMailsPerAddressPerHour,
        3_600_000,
      );
      if (!user || !limit.isAllowed) return;
      await db.transaction((tx) =>
        deps.queue.enqueue(mailJob, { staffUserId: user.id, purpose: 'reset' }, { transaction: tx }),
      );
    },

    /** For the CLI: a one-time link for an existing staff user, printed instead of e-mailed. */
    async createLink(email: string, purpose: StaffPasswordPurpose): Promise<string> {
      const user = await repo.findByEmail(db.pool, normalizeEmail(email));
      if (!user) throw notFound(`Staff user ${email}`);
      return issueLink(db.pool, user.id, purpose);
    },

    async isTokenValid(token: string): Promise<boolean> {
      return (await repo.findPasswordToken(db.pool, hashToken(token), clock.now())) !== undefined;
    },

    /** Uses the link: sets the password, voids every link of the user and ends their sessions. */
    async setPassword(token: string, password: string): Promise<void> {
      const passwordHash = await hashPassword(password);
      await db.transaction(async (tx) => {
        const found = await repo.findPasswordToken(tx, hashToken(token), clock.now(), true);
        if (!found) throw invalidLink();
        await repo.updatePasswordHash(tx, found.staffUserId, passwordHash);
        await repo.deletePasswordTokensOf(tx, found.staffUserId);
        await repo.deleteSessionsOf(tx, found.staffUserId);
      });
    },
  };
}

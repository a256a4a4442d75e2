import type { Queryable } from '../db/database.ts';
import { hashToken, newToken } from '../shared/tokens.ts';
import { accountRepository as repo, type ResetTokenOrigin } from './account.repository.ts';

/** Storefront "Forgot your password?" links live one hour; staff-sent ones as configured (default 7 days). */
export const storefrontResetTtlMs = 60 * 60 * 1000;

/**
 * Creates a reset token for a customer: 256 random bits, of which only the sha256 is stored.
 * The raw token goes into the e-mail and nowhere else.
 */
export async function createResetToken(
  db: Queryable,
  input: { customerId: number; origin: ResetTokenOrigin; now: Date; ttlMs: number },
): Promise<{ token: string; tokenHash: Buffer; expiresAt: Date }> {
  const token = newToken();
  const tokenHash = hashToken(token);
  const expiresAt = new Date(input.now.getTime() + input.ttlMs);
  await repo.insertResetToken(db, {
    tokenHash,
    customerId: input.customerId,
    origin: input.origin,
    createdAt: input.now,
    expiresAt,
  });
  return { token, tokenHash, expiresAt };
}

export const resetLinkFor = (baseUrl: string, token: string, language: string): string =>
  `${baseUrl.replace(/\/$/, '')}/account/reset-password?token=${encodeURIComponent(token)}&lang=${language}`;

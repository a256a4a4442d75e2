import type { Queryable } from '../db/database.ts';
import { hashToken, newToken } from '../shared/tokens.ts';
import { accountRepository as repo, type ResetTokenOrigin } from './account.repository.ts';

/** Storefront "Forgot your password?" links live one hour; staff-sent ones as configured (default 7 days). */
export const storefrontResetTtlMs = 60 * 60 * 1000;

export type NewResetToken = { customerId: number; origin: ResetTokenOrigin; ttlMs: number };
export type CreatedResetToken = { token: string; tokenHash: Buffer; expiresAt: Date };

/**
 * Creates reset tokens (one statement however many): 256 random bits each, of which only the
 * sha256 is stored. The raw token goes into the e-mail and nowhere else.
 */
export async function createResetTokens(
  db: Queryable,
  inputs: readonly NewResetToken[],
  now: Date,
): Promise<CreatedResetToken[]> {
  const created = inputs.map((input) => {
    const token = newToken();
    return { ...input, token, tokenHash: hashToken(token), expiresAt: new Date(now.getTime() + input.ttlMs) };
  });
  await repo.insertResetTokens(
    db,
    created.map(({ tokenHash, customerId, origin, expiresAt }) => ({
      tokenHash,
      customerId,
      origin,
      createdAt: now,
      expiresAt,
    })),
  );
  return created.map(({ token, tokenHash, expiresAt }) => ({ token, tokenHash, expiresAt }));
}

/** One reset token for a customer (see createResetTokens). */
export async function createResetToken(
  db: Queryable,
  input: NewResetToken & { now: Date },
): Promise<CreatedResetToken> {
  const [created] = await createResetTokens(db, [input], input.now);
  return created!;
}

export const resetLinkFor = (baseUrl: string, token: string, language: string): string =>
  `${baseUrl.replace(/\/$/, '')}/account/reset-password?token=${encodeURIComponent(token)}&lang=${language}`;

import type { Queryable } from '../db/database.ts';
import { customerRepository } from '../customers/customer.repository.ts';
import { consentAfter, consentSource, type ConsentLevel, type ConsentState } from './consent.ts';

/** Newsletter consent changed by a staff bulk action on a selection of customers. */
export type NewsletterChange = {
  customerId: number;
  isSubscribed: boolean;
  staffUserId: number | null;
  now: Date;
};

type StoredConsent = { version: number; email_consent: ConsentState; email_consent_level: ConsentLevel | null; email_consent_at: Date | null; email_consent_source: string | null };

/**
 * Subscribes, or withdraws the subscription of, one customer under its row lock, through
 * `updateFields` with the version just read: a concurrent staff save waits for the lock and then
 * sees the new version (the form's stale save is refused, a field merge keeps both). An
 * unsubscribe leaves a customer who never subscribed "not set" (there is nothing to withdraw).
 * Returns whether it changed; a customer already so (or gone) is not written, so its version does
 * not move. The history event comes from the write itself (migration 023's trigger).
 */
export async function changeNewsletterConsent(tx: Queryable, change: NewsletterChange): Promise<boolean> {
  const { rows } = await tx.query<StoredConsent>(
    `SELECT version, email_consent, email_consent_level, email_consent_at, email_consent_source
       FROM customers WHERE id = $1 FOR UPDATE`,
    [change.customerId],
  );
  const current = rows[0];
  if (!current) return false;
  const stored = { state: current.email_consent, level: current.email_consent_level, at: current.email_consent_at?.toISOString() ?? null, source: current.email_consent_source };
  const requested: ConsentState = change.isSubscribed ? 'subscribed' : stored.state === 'subscribed' || stored.state === 'pending' ? 'unsubscribed' : stored.state;
  const next = consentAfter(stored, { state: requested }, { source: consentSource.bulk(change.staffUserId), now: change.now });
  if (next === stored) return false;
  const version = await customerRepository.updateFields(
    tx,
    change.customerId,
    current.version,
    { newsletter: next.state === 'subscribed', email_consent: next.state, email_consent_level: next.level, email_consent_at: next.at, email_consent_source: next.source },
    change.now,
  );
  return version !== undefined;
}

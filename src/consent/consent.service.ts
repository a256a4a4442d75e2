import type { Queryable } from '../db/database.ts';
import { customerRepository } from '../customers/customer.repository.ts';

/**
 * Newsletter consent changes made by staff. One function writes them, so the consent issue
 * (#17) can add its evidence (level, source, history event) in this one place.
 */
export type NewsletterChange = {
  customerId: number;
  isSubscribed: boolean;
  /** Where the change came from, for the evidence #17 will keep. */
  source: 'bulk_action';
  staffUserId: number | null;
  now: Date;
};

/**
 * Sets the customer's newsletter consent under its row lock, through `updateFields` with the
 * version just read: a concurrent staff save waits for the lock and then sees the new version
 * (the form's stale save is refused, a field merge keeps both). Returns whether it changed;
 * a customer already so (or gone) is not written, so its version does not move.
 */
export async function changeNewsletterConsent(tx: Queryable, change: NewsletterChange): Promise<boolean> {
  const { rows } = await tx.query<{ version: number; newsletter: boolean }>(
    'SELECT version, newsletter FROM customers WHERE id = $1 FOR UPDATE',
    [change.customerId],
  );
  const current = rows[0];
  if (!current || current.newsletter === change.isSubscribed) return false;
  const version = await customerRepository.updateFields(
    tx,
    change.customerId,
    current.version,
    { newsletter: change.isSubscribed },
    change.now,
  );
  return version !== undefined;
}

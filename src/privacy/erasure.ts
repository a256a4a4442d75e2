import type { Queryable } from '../db/database.ts';
import { normalizeEmail } from '../customers/customer.rules.ts';
import { invalidInput, notFound } from '../shared/errors.ts';
import { eraseImportTraces } from './erase-import-traces.ts';
import { erasedKeyHashes, erasedKeysRepository } from './erased-keys.ts';
import type { ErasureCounts } from './privacy.schemas.ts';

/**
 * Erasing a customer at their request (issue #17, point 5): the personal data goes from every
 * place it is held, in one transaction, under the customer's row lock (a concurrent save or
 * import of the customer waits, then finds it gone):
 *   customers and what hangs on them (addresses, consent history, groups, flags, sessions, reset
 *   tokens, e-mails in the outbox — by foreign key); the built-in mailbox's copies; the import
 *   change records (so no undo brings the customer back); the import report rows that hold the
 *   person's cells (warned rows of its changes, and warned, rejected and edited rows naming its
 *   e-mail address); the samples of import checks; the copies kept for undoing a deletion or a
 *   merge; merges it survived or was merged in (then undone); duplicate suggestions naming it.
 * What stays: an audit entry (who, when, the internal number, counts) and hashes of the e-mail
 * address and external id (erased-keys.ts). Stored import files and export files are not
 * rewritten: they are deleted at the end of their retention, and the hashes keep their rows out.
 */

export async function eraseCustomer(
  tx: Queryable,
  input: { customerId: number; confirmEmail: string; staffId: number; now: Date },
): Promise<{ erasureId: number; counts: ErasureCounts; exportFiles: number; importFiles: number }> {
  const { customerId, now } = input;
  const { rows: found } = await tx.query<{ email: string; external_id: string | null }>(
    'SELECT email, external_id FROM customers WHERE id = $1 FOR UPDATE',
    [customerId],
  );
  const customer = found[0];
  if (!customer) throw notFound(`Customer #${customerId}`);
  const email = customer.email.trim() === '' ? '' : normalizeEmail(customer.email);
  const expected = email === '' ? `#${customerId}` : email;
  if (normalizeEmail(input.confirmEmail) !== expected) {
    throw invalidInput('Type the customer’s e-mail address exactly to confirm: erasing cannot be undone.', {
      confirmEmail: { code: 'confirmation_mismatch', message: 'This is not the customer’s e-mail address.' },
    });
  }
  const count = async (sql: string, params: unknown[] = [customerId]) =>
    (await tx.query(sql, params)).rowCount ?? 0;
  const { rows: audit } = await tx.query<{ id: string }>(
    'INSERT INTO privacy_erasures (customer_id, erased_by, erased_at, counts) VALUES ($1, $2, $3, $4) RETURNING id',
    [customerId, input.staffId, now, '{}'],
  );
  const erasureId = Number(audit[0]?.id);
  const hashes = erasedKeyHashes({ email, externalId: customer.external_id });
  await erasedKeysRepository.insert(tx, erasureId, hashes);

  // Counted before the customer's row takes them along (foreign keys ON DELETE CASCADE).
  const { rows: owned } = await tx.query<
    Omit<
      ErasureCounts,
      | 'customers'
      | 'mails'
      | 'mailboxMessages'
      | 'importChangeRecords'
      | 'importRows'
      | 'deletionSnapshots'
      | 'merges'
      | 'duplicateSuggestions'
      | 'erasedKeys'
    >
  >(
    `SELECT (SELECT count(*)::int FROM customer_addresses WHERE customer_id = $1) AS "addresses",
            (SELECT count(*)::int FROM customer_consent_events WHERE customer_id = $1) AS "consentEvents",
            (SELECT count(*)::int FROM customer_group_members WHERE customer_id = $1) AS "groupMemberships",
            (SELECT count(*)::int FROM customer_flags WHERE customer_id = $1) AS "flaggedValues",
            (SELECT count(*)::int FROM customer_sessions WHERE customer_id = $1) + (SELECT count(*)::int FROM customer_known_clients WHERE customer_id = $1) AS "sessions"`,
    [customerId],
  );
  const mailboxMessages = await count(
    `DELETE FROM mailbox_messages WHERE outbox_id IN (SELECT id FROM mail_outbox WHERE customer_id = $1) OR ($2 <> '' AND lower(to_address) = $2)`,
    [customerId, email],
  );
  const mails = await count(
    `DELETE FROM mail_outbox WHERE customer_id = $1 OR ($2 <> '' AND lower(to_address) = $2)`,
    [customerId, email],
  );
  const { importRows, importChangeRecords } = await eraseImportTraces(tx, customerId, email);
  // Merges it survived, and undone merges it was merged in (their records hold the values the
  // merge took from it): the records go, with the copies kept to undo them.
  const mergesOf = 'SELECT id FROM customer_merges WHERE survivor_id = $1 OR $1 = ANY(merged_ids)';
  // Copies kept for undo: of this customer, and of the customers merged with it.
  const deletionSnapshots = await count(
    `DELETE FROM deleted_customers WHERE customer_id = $1 OR ($2 <> '' AND lower(email) = $2)
        OR deletion_id IN (SELECT id FROM customer_deletions WHERE merge_id IN (${mergesOf}))`,
    [customerId, email],
  );
  if (email !== '')
    await tx.query(
      `UPDATE customer_deletions SET sample_emails = array_remove(sample_emails, $1) WHERE $1 = ANY(sample_emails)`,
      [customer.email],
    );
  // A merge's deletion record names the merged customers (sample addresses): it goes with the merge.
  await tx.query(`DELETE FROM customer_deletions WHERE merge_id IN (${mergesOf})`, [customerId]);
  const merges = await count('DELETE FROM customer_merges WHERE survivor_id = $1 OR $1 = ANY(merged_ids)');
  const duplicateSuggestions =
    (await count('DELETE FROM duplicate_groups WHERE $1 = ANY(customer_ids)')) +
    (await count('DELETE FROM duplicate_dismissals WHERE $1 = ANY(customer_ids)'));
  const customers = await count('DELETE FROM customers WHERE id = $1');
  const counts: ErasureCounts = {
    customers,
    ...owned[0]!,
    mails,
    mailboxMessages,
    importChangeRecords,
    importRows,
    deletionSnapshots,
    merges,
    duplicateSuggestions,
    erasedKeys: hashes.length,
  };
  await tx.query('UPDATE privacy_erasures SET counts = $2 WHERE id = $1', [
    erasureId,
    JSON.stringify(counts),
  ]);
  const { rows: files } = await tx.query<{ exports: number; imports: number }>(
    `SELECT (SELECT count(*)::int FROM exports WHERE status = 'ready' AND created_at <= $1) AS exports,
            (SELECT count(*)::int FROM imports WHERE file_deleted_at IS NULL AND created_at <= $1) AS imports`,
    [now],
  );
  return { erasureId, counts, exportFiles: files[0]?.exports ?? 0, importFiles: files[0]?.imports ?? 0 };
}

import { addressBookRepository } from '../addresses/address-book.repository.ts';
import { toConsentEvent, type EventRow } from '../consent/consent-history.routes.ts';
import { customerRepository } from '../customers/customer.repository.ts';
import type { Queryable } from '../db/database.ts';
import { notFound } from '../shared/errors.ts';
import type { PersonalData } from './privacy.schemas.ts';

/**
 * Everything Clientele holds about one customer (issue #17, point 5: the answer to "what do you
 * hold about me?"): the customer, its address book, groups, tags, consent history, values kept
 * as typed, the import rows that created or changed it, the e-mails sent to it, its storefront
 * account and the merges it survived. Read in one snapshot (the caller's transaction).
 */
export async function personalDataOf(db: Queryable, customerId: number, context: { now: Date; shopName: string }): Promise<PersonalData> {
  const customer = await customerRepository.findById(db, customerId);
  if (!customer) throw notFound(`Customer #${customerId}`);
  const iso = (date: Date) => date.toISOString();
  const isoOrNull = (date: Date | null) => (date === null ? null : date.toISOString());
  const [addresses, consent, flags, changes, addressChanges, mails, storefront, merges] = await Promise.all([
    addressBookRepository.list(db, customerId),
    db.query<EventRow>(
      'SELECT id, channel, state, level, consented_at, source, note, recorded_at FROM customer_consent_events WHERE customer_id = $1 ORDER BY id',
      [customerId],
    ),
    db.query<{ field: string; value: string; message: string; import_id: string | null; row_number: number | null; created_at: Date }>(
      'SELECT field, value, message, import_id, row_number, created_at FROM customer_flags WHERE customer_id = $1 ORDER BY field',
      [customerId],
    ),
    db.query<{ import_id: string; file_name: string; row_number: number; action: 'created' | 'updated'; changed_fields: string[]; applied_at: Date; cells: string[] | null }>(
      `SELECT ch.import_id, i.file_name, ch.row_number, ch.action, ch.changed_fields, ch.applied_at, w.cells
         FROM import_changes ch JOIN imports i ON i.id = ch.import_id
         LEFT JOIN import_warnings w ON w.import_id = ch.import_id AND w.row_number = ch.row_number
        WHERE ch.customer_id = $1 ORDER BY ch.applied_at, ch.import_id`,
      [customerId],
    ),
    db.query<{ import_id: string; file_name: string; action: string; address_id: string }>(
      `SELECT ch.import_id, i.file_name, ch.action, ch.address_id FROM import_address_changes ch JOIN imports i ON i.id = ch.import_id
        WHERE ch.customer_id = $1 ORDER BY ch.import_id, ch.address_id`,
      [customerId],
    ),
    db.query<{ reason: string; to_address: string; subject: string | null; status: string; created_at: Date; sent_at: Date | null; failed_at: Date | null }>(
      'SELECT reason, to_address, subject, status, created_at, sent_at, failed_at FROM mail_outbox WHERE customer_id = $1 ORDER BY id',
      [customerId],
    ),
    db.query<{ sessions: number; devices: number }>(
      `SELECT (SELECT count(*)::int FROM customer_sessions WHERE customer_id = $1 AND expires_at > $2) AS sessions,
              (SELECT count(*)::int FROM customer_known_clients WHERE customer_id = $1 AND expires_at > $2) AS devices`,
      [customerId, context.now],
    ),
    db.query<{ id: string; merged_ids: string[]; merged_at: Date; undone_at: Date | null }>(
      'SELECT id, merged_ids, merged_at, undone_at FROM customer_merges WHERE survivor_id = $1 ORDER BY id',
      [customerId],
    ),
  ]);
  return {
    exportedAt: iso(context.now),
    shopName: context.shopName,
    customer,
    addresses,
    groups: customer.groups.map((group) => group.name),
    tags: customer.tags,
    consentHistory: consent.rows.map(toConsentEvent),
    flaggedValues: flags.rows.map((row) => ({
      field: row.field, valueAsTyped: row.value, why: row.message, importId: row.import_id === null ? null : Number(row.import_id), rowNumber: row.row_number, at: iso(row.created_at),
    })),
    importHistory: changes.rows.map((row) => ({
      importId: Number(row.import_id), fileName: row.file_name, rowNumber: row.row_number, action: row.action, changedFields: row.changed_fields, at: iso(row.applied_at), cells: row.cells,
    })),
    addressImportHistory: addressChanges.rows.map((row) => ({ importId: Number(row.import_id), fileName: row.file_name, action: row.action, addressId: Number(row.address_id) })),
    mails: mails.rows.map((row) => ({
      reason: row.reason, to: row.to_address, subject: row.subject, status: row.status, createdAt: iso(row.created_at), sentAt: isoOrNull(row.sent_at), failedAt: isoOrNull(row.failed_at),
    })),
    storefront: { hasPassword: customer.passwordState !== 'none', activeSessions: storefront.rows[0]?.sessions ?? 0, rememberedDevices: storefront.rows[0]?.devices ?? 0 },
    merges: merges.rows.map((row) => ({ id: Number(row.id), mergedCustomerIds: row.merged_ids.map(Number), mergedAt: iso(row.merged_at), undone: row.undone_at !== null })),
  };
}

import type { Queryable } from '../db/database.ts';
import { addressMatchKey } from '../addresses/address-key.ts';
import type { BookAddressFields } from '../addresses/address-book.schemas.ts';

/**
 * The rows a merge moves from the merged customers to the survivor, and back on undo. Each moved
 * row is recorded with the customer it came from (and, for addresses, its default flags).
 */
export type Moved = {
  /** [address id, from customer, was default billing, was default shipping] */
  customer_addresses: [number, number, boolean, boolean][];
  /** [row id, from customer] */
  customer_consent_events: [number, number][];
  mail_outbox: [number, number][];
  /** [import id, from customer] (one change record per customer and import) */
  import_changes: [number, number][];
  /** [company id, from customer]: the company link the survivor took over (none in merges before it existed). */
  company_contacts?: [number, number][];
};

export const movedCounts = (moved: Moved) => ({
  addresses: moved.customer_addresses.length,
  consentEvents: moved.customer_consent_events.length,
  importChanges: moved.import_changes.length,
  mails: moved.mail_outbox.length,
});

type AddressRow = BookAddressFields & { id: string; customer_id: string; is_default_billing: boolean; is_default_shipping: boolean };

/** Moves rows that have an id column: returns [id, from]. */
async function moveById(db: Queryable, table: 'customer_consent_events' | 'mail_outbox', to: number, from: readonly number[], extra = ''): Promise<[number, number][]> {
  const { rows } = await db.query<{ id: string; from_id: string }>(
    `WITH picked AS (SELECT id, customer_id AS from_id FROM ${table} WHERE customer_id = ANY($2::bigint[]) ${extra} FOR UPDATE)
     UPDATE ${table} t SET customer_id = $1 FROM picked WHERE t.id = picked.id RETURNING t.id, picked.from_id`,
    [to, from],
  );
  return rows.map((row) => [Number(row.id), Number(row.from_id)]);
}

/**
 * Moves the merged customers' addresses, consent history, sent e-mails and import change records
 * to the survivor. An address the survivor's book has already (same place, see addressMatchKey),
 * or will have (`adopted`: the addresses the survivor takes as its defaults), stays with its
 * customer and goes into the deletion's snapshot.
 */
export async function moveToSurvivor(db: Queryable, survivorId: number, mergedIds: readonly number[], adopted: readonly BookAddressFields[]): Promise<Moved> {
  const { rows: book } = await db.query<AddressRow>(
    'SELECT * FROM customer_addresses WHERE customer_id = ANY($1::bigint[]) ORDER BY customer_id = $2 DESC, id FOR UPDATE',
    [[survivorId, ...mergedIds], survivorId],
  );
  const known = new Set(adopted.map((address) => addressMatchKey(address)));
  const addresses: Moved['customer_addresses'] = [];
  for (const row of book) {
    const key = addressMatchKey(row);
    const isNew = !known.has(key);
    known.add(key);
    if (Number(row.customer_id) !== survivorId && isNew) addresses.push([Number(row.id), Number(row.customer_id), row.is_default_billing, row.is_default_shipping]);
  }
  if (addresses.length > 0) {
    await db.query(
      'UPDATE customer_addresses SET customer_id = $1, is_default_billing = false, is_default_shipping = false WHERE id = ANY($2::bigint[])',
      [survivorId, addresses.map(([id]) => id)],
    );
  }
  const { rows: changes } = await db.query<{ import_id: string; from_id: string }>(
    `WITH picked AS (
       SELECT DISTINCT ON (import_id) import_id, customer_id FROM import_changes
        WHERE customer_id = ANY($2::bigint[]) AND import_id NOT IN (SELECT import_id FROM import_changes WHERE customer_id = $1)
        ORDER BY import_id, customer_id)
     UPDATE import_changes c SET customer_id = $1 FROM picked WHERE c.import_id = picked.import_id AND c.customer_id = picked.customer_id
     RETURNING c.import_id, picked.customer_id AS from_id`,
    [survivorId, mergedIds],
  );
  return {
    company_contacts: await moveCompanyLink(db, survivorId, mergedIds),
    customer_addresses: addresses,
    customer_consent_events: await moveById(db, 'customer_consent_events', survivorId, mergedIds),
    // Mail sent, failed or skipped is history; mail still waiting for a merged customer is not sent.
    // A bulk send has one e-mail per customer: of the e-mails of one bulk send only one moves, and
    // none when the survivor had its own; the others go with their customer (into the snapshot).
    mail_outbox: await moveById(db, 'mail_outbox', survivorId, mergedIds, `AND status IN ('sent', 'failed', 'skipped')
      AND (bulk_send_id IS NULL OR (
        NOT EXISTS (SELECT 1 FROM mail_outbox own WHERE own.bulk_send_id = mail_outbox.bulk_send_id AND own.customer_id = $1)
        AND id = (SELECT min(other.id) FROM mail_outbox other WHERE other.bulk_send_id = mail_outbox.bulk_send_id
                   AND other.customer_id = ANY($2::bigint[]) AND other.status IN ('sent', 'failed', 'skipped'))))`),
    import_changes: changes.map((row) => [Number(row.import_id), Number(row.from_id)]),
  };
}

/**
 * A customer belongs to at most one company: a survivor without one takes over the link of a
 * merged customer (a primary contact's first, else the first merged customer's), with its role
 * and primary flag; the other links go with their customers into the deletion's snapshot. The
 * customers are locked (FOR UPDATE), which also holds off any link being made to them meanwhile
 * (the foreign key's KEY SHARE lock waits), so the company row is not locked here.
 */
async function moveCompanyLink(db: Queryable, survivorId: number, mergedIds: readonly number[]): Promise<[number, number][]> {
  const { rows } = await db.query<{ customer_id: string; company_id: string }>(
    `SELECT customer_id, company_id FROM company_contacts WHERE customer_id = ANY($1::bigint[])
      ORDER BY customer_id = $2 DESC, is_primary DESC, array_position($1::bigint[], customer_id) LIMIT 1`,
    [[survivorId, ...mergedIds], survivorId],
  );
  const link = rows[0];
  if (!link || Number(link.customer_id) === survivorId) return [];
  await db.query('UPDATE company_contacts SET customer_id = $1 WHERE customer_id = $2', [survivorId, link.customer_id]);
  return [[Number(link.company_id), Number(link.customer_id)]];
}

/**
 * Undo: the rows go back to the customers they came from, for the customers that are back
 * (`restored`). An address the survivor has made a default address since stays with it.
 */
export async function moveBack(db: Queryable, survivorId: number, moved: Moved, restored: ReadonlySet<number>): Promise<void> {
  const back = <T extends [number, number, ...unknown[]]>(rows: T[]) => rows.filter(([, from]) => restored.has(from));
  const addresses = back(moved.customer_addresses);
  if (addresses.length > 0) {
    await db.query(
      `UPDATE customer_addresses a SET customer_id = m.from_id, is_default_billing = m.billing, is_default_shipping = m.shipping
         FROM unnest($2::bigint[], $3::bigint[], $4::boolean[], $5::boolean[]) AS m(id, from_id, billing, shipping)
        WHERE a.id = m.id AND a.customer_id = $1 AND NOT a.is_default_billing AND NOT a.is_default_shipping`,
      [survivorId, addresses.map((row) => row[0]), addresses.map((row) => row[1]), addresses.map((row) => row[2]), addresses.map((row) => row[3])],
    );
  }
  for (const table of ['customer_consent_events', 'mail_outbox'] as const) {
    const rows = back(moved[table]);
    if (rows.length === 0) continue;
    await db.query(
      `UPDATE ${table} t SET customer_id = m.from_id FROM unnest($2::bigint[], $3::bigint[]) AS m(id, from_id) WHERE t.id = m.id AND t.customer_id = $1`,
      [survivorId, rows.map((row) => row[0]), rows.map((row) => row[1])],
    );
  }
  // The company link goes back while the survivor still has it (not unlinked or linked elsewhere since).
  for (const [companyId, from] of back(moved.company_contacts ?? [])) {
    await db.query('UPDATE company_contacts SET customer_id = $3 WHERE customer_id = $1 AND company_id = $2', [survivorId, companyId, from]);
  }
  const changes = back(moved.import_changes);
  if (changes.length > 0) {
    await db.query(
      `UPDATE import_changes c SET customer_id = m.from_id FROM unnest($2::bigint[], $3::bigint[]) AS m(import_id, from_id)
        WHERE c.import_id = m.import_id AND c.customer_id = $1`,
      [survivorId, changes.map((row) => row[0]), changes.map((row) => row[1])],
    );
  }
}

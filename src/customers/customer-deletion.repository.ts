import type { Queryable } from '../db/database.ts';

/**
 * Bulk delete with undo (migration 012): customers move from `customers` into a snapshot of their
 * deletion, and back. The snapshot tables are named once here so the SQL says what travels.
 */
export type DeletionRow = {
  id: number;
  customerCount: number;
  deletedAt: Date;
  deletedBy: { id: number; name: string } | null;
  undoUntil: Date;
  restoredCount: number;
  restoredAt: Date | null;
  restoredBy: { id: number; name: string } | null;
  purgedAt: Date | null;
  waitingCount: number;
  sampleEmails: string[];
};

const staffRef = (alias: string) =>
  `CASE WHEN ${alias}.id IS NULL THEN NULL ELSE json_build_object('id', ${alias}.id::int, 'name', ${alias}.name) END`;

const deletionColumns = `d.id::int, d.customer_count AS "customerCount", d.deleted_at AS "deletedAt", ${staffRef('du')} AS "deletedBy",
  d.undo_until AS "undoUntil", d.restored_count AS "restoredCount", d.restored_at AS "restoredAt", ${staffRef('ru')} AS "restoredBy",
  d.purged_at AS "purgedAt",
  (SELECT count(*)::int FROM deleted_customers w WHERE w.deletion_id = d.id) AS "waitingCount",
  d.sample_emails AS "sampleEmails"`;
/** The book's stored columns (not its generated search text), as a snapshot holds them. */
const bookColumns = `id, customer_id, label, attention, company, street, number, extension, address2, postcode, city,
  region, country, phone, is_default_billing, is_default_shipping, import_id, created_at, updated_at`.replace(/\s+/g, ' ');
const fromDeletions = `FROM customer_deletions d LEFT JOIN staff_users du ON du.id = d.deleted_by LEFT JOIN staff_users ru ON ru.id = d.restored_by`;

/**
 * The customers' company links come back (migration 036) to the companies that still exist, with
 * their role; as primary contact only if the company has none now. The companies are locked first,
 * as every write to a company's contacts does (company.service.ts), so a primary contact chosen at
 * the same moment waits instead of making this fail.
 */
async function restoreCompanyLinks(db: Queryable, restoredRows: string, params: unknown[]): Promise<void> {
  const links = `(SELECT r.* FROM (SELECT jsonb_array_elements(d.company_contacts) AS value ${restoredRows}) AS e
    CROSS JOIN LATERAL jsonb_populate_record(NULL::company_contacts, e.value) r)`;
  await db.query(`SELECT 1 FROM companies WHERE id IN (SELECT company_id FROM ${links} l) ORDER BY id FOR UPDATE`, params);
  await db.query(
    `INSERT INTO company_contacts (customer_id, company_id, role, is_primary, linked_at)
     SELECT l.customer_id, l.company_id, l.role,
            l.is_primary AND NOT EXISTS (SELECT 1 FROM company_contacts p WHERE p.company_id = l.company_id AND p.is_primary),
            l.linked_at
       FROM ${links} l
      WHERE EXISTS (SELECT 1 FROM companies co WHERE co.id = l.company_id)
     ON CONFLICT DO NOTHING`,
    params,
  );
}

export const customerDeletionRepository = {
  /** The ids of the customers `condition` (on alias `c`) selects, locked until the transaction ends. */
  async lockSelected(db: Queryable, condition: string, params: unknown[]): Promise<number[]> {
    const { rows } = await db.query<{ id: string }>(
      `SELECT c.id FROM customers c WHERE ${condition} ORDER BY c.id FOR UPDATE OF c`,
      params,
    );
    return rows.map((row) => Number(row.id));
  },

  async insertDeletion(db: Queryable, input: { count: number; staffUserId: number | null; now: Date; undoUntil: Date }): Promise<number> {
    const { rows } = await db.query<{ id: string }>(
      `INSERT INTO customer_deletions (customer_count, deleted_by, deleted_at, undo_until) VALUES ($1, $2, $3, $4) RETURNING id`,
      [input.count, input.staffUserId, input.now, input.undoUntil],
    );
    return Number(rows[0]!.id);
  },

  /**
   * Snapshots the customers and what hangs on them, then deletes them (the cascade removes
   * memberships, flags, sessions, reset tokens, remembered browsers and their e-mails). E-mails
   * still waiting to go out are not kept: a deleted customer gets no mail, also not after undo.
   */
  async moveToDeletion(db: Queryable, deletionId: number, customerIds: readonly number[]): Promise<number> {
    await db.query(
      `INSERT INTO deleted_customers (deletion_id, customer_id, email, customer, memberships, flags, known_clients, mails, addresses, consent_events,
                                     company_contacts)
       SELECT $1, c.id, c.email, to_jsonb(c),
              COALESCE((SELECT jsonb_agg(to_jsonb(m)) FROM customer_group_members m WHERE m.customer_id = c.id), '[]'),
              COALESCE((SELECT jsonb_agg(to_jsonb(f)) FROM customer_flags f WHERE f.customer_id = c.id), '[]'),
              COALESCE((SELECT jsonb_agg(to_jsonb(k)) FROM customer_known_clients k WHERE k.customer_id = c.id), '[]'),
              COALESCE((SELECT jsonb_agg(to_jsonb(o)) FROM mail_outbox o
                         WHERE o.customer_id = c.id AND o.status IN ('sent', 'failed', 'skipped')), '[]'),
              COALESCE((SELECT jsonb_agg(to_jsonb(a)) FROM customer_addresses a WHERE a.customer_id = c.id), '[]'),
              COALESCE((SELECT jsonb_agg(to_jsonb(e)) FROM customer_consent_events e WHERE e.customer_id = c.id), '[]'),
              COALESCE((SELECT jsonb_agg(to_jsonb(l)) FROM company_contacts l WHERE l.customer_id = c.id), '[]')
         FROM customers c WHERE c.id = ANY($2::bigint[])`,
      [deletionId, customerIds],
    );
    await db.query(
      `UPDATE customer_deletions SET sample_emails = ARRAY(
         SELECT email FROM deleted_customers WHERE deletion_id = $1 ORDER BY customer_id LIMIT 3) WHERE id = $1`,
      [deletionId],
    );
    const { rowCount } = await db.query('DELETE FROM customers WHERE id = ANY($1::bigint[])', [customerIds]);
    return rowCount ?? 0;
  },

  /** A bulk deletion (an import's deletions are undone with the import, not here). */
  async findById(db: Queryable, id: number, lock = false): Promise<DeletionRow | undefined> {
    if (lock) await db.query('SELECT 1 FROM customer_deletions WHERE id = $1 AND import_id IS NULL AND merge_id IS NULL FOR UPDATE', [id]);
    const { rows } = await db.query<DeletionRow>(`SELECT ${deletionColumns} ${fromDeletions} WHERE d.id = $1 AND d.import_id IS NULL AND d.merge_id IS NULL`, [id]);
    return rows[0];
  },

  /**
   * Deletes customers an import's rows name (row command *delete*), snapshotted into the import's
   * one deletion (made on its first delete; never purged, undone by the import's undo).
   */
  async deleteForImport(db: Queryable, importId: number, customerIds: readonly number[], now: Date): Promise<number> {
    if (customerIds.length === 0) return 0;
    const { rows } = await db.query<{ id: string }>(
      `INSERT INTO customer_deletions (customer_count, deleted_at, undo_until, import_id) VALUES (0, $2, 'infinity', $1)
       ON CONFLICT (import_id) WHERE import_id IS NOT NULL DO UPDATE SET deleted_at = customer_deletions.deleted_at
       RETURNING id`,
      [importId, now],
    );
    const deletionId = Number(rows[0]!.id);
    const deleted = await this.moveToDeletion(db, deletionId, customerIds);
    await db.query('UPDATE customer_deletions SET customer_count = customer_count + $2 WHERE id = $1', [deletionId, deleted]);
    return deleted;
  },

  /** Undo of an import: its deleted customers back (except those whose e-mail or id another customer took meanwhile). */
  async restoreForImport(db: Queryable, importId: number, now: Date): Promise<{ restored: number; notRestored: number }> {
    const { rows } = await db.query<{ id: string }>('SELECT id FROM customer_deletions WHERE import_id = $1 FOR UPDATE', [importId]);
    if (rows.length === 0) return { restored: 0, notRestored: 0 };
    const deletionId = Number(rows[0]!.id);
    const restored = await this.restore(db, deletionId);
    if (restored.length > 0) await this.markRestored(db, deletionId, restored.length, null, now);
    const { rows: waiting } = await db.query<{ count: number }>('SELECT count(*)::int AS count FROM deleted_customers WHERE deletion_id = $1', [deletionId]);
    return { restored: restored.length, notRestored: waiting[0]?.count ?? 0 };
  },

  /** Newest first: the ones of the last `since` (Recently deleted). */
  async listSince(db: Queryable, since: Date, limit: number): Promise<DeletionRow[]> {
    const { rows } = await db.query<DeletionRow>(
      `SELECT ${deletionColumns} ${fromDeletions} WHERE d.deleted_at >= $1 AND d.import_id IS NULL AND d.merge_id IS NULL ORDER BY d.id DESC LIMIT $2`,
      [since, limit],
    );
    return rows;
  },

  /**
   * Puts the deletion's customers back with their ids, versions and everything snapshotted,
   * except those whose e-mail address or external id another customer holds by now (they stay
   * in the snapshot). Memberships come back for the groups that still exist. Returns the ids.
   */
  async restore(db: Queryable, deletionId: number): Promise<number[]> {
    // The customers come back with their own consent history (below), not a new "subscribed" event.
    await db.query(`SELECT set_config('clientele.consent_history', 'off', true)`);
    const { rows } = await db.query<{ id: string }>(
      `INSERT INTO customers OVERRIDING SYSTEM VALUE
       SELECT r.* FROM deleted_customers d
        CROSS JOIN LATERAL jsonb_populate_record(NULL::customers, d.customer) r
        WHERE d.deletion_id = $1
          AND NOT EXISTS (SELECT 1 FROM customers c WHERE c.email_normalized = r.email_normalized
                             OR (r.external_id IS NOT NULL AND c.external_id = r.external_id))
       ON CONFLICT DO NOTHING
       RETURNING id`,
      [deletionId],
    );
    await db.query(`SELECT set_config('clientele.consent_history', 'on', true)`);
    const ids = rows.map((row) => Number(row.id));
    if (ids.length === 0) return ids;
    const restoredRows = `FROM deleted_customers d WHERE d.deletion_id = $1 AND d.customer_id = ANY($2::bigint[])`;
    await db.query(
      `INSERT INTO customer_group_members
       SELECT m.* FROM (SELECT jsonb_array_elements(d.memberships) AS value ${restoredRows}) AS e
        CROSS JOIN LATERAL jsonb_populate_record(NULL::customer_group_members, e.value) m
        WHERE EXISTS (SELECT 1 FROM customer_groups g WHERE g.id = m.group_id)
       ON CONFLICT DO NOTHING`,
      [deletionId, ids],
    );
    // The address book as it was, with its ids: the rows the customers' insert made for their
    // default addresses (migration 015's trigger) give way to the snapshot's.
    await db.query('DELETE FROM customer_addresses WHERE customer_id = ANY($1::bigint[])', [ids]);
    await db.query(
      `INSERT INTO customer_addresses (${bookColumns}) OVERRIDING SYSTEM VALUE
       SELECT ${bookColumns.split(', ').map((column) => `r.${column}`).join(', ')} FROM (SELECT jsonb_array_elements(d.addresses) AS value ${restoredRows}) AS e
        CROSS JOIN LATERAL jsonb_populate_record(NULL::customer_addresses, e.value) r
       ON CONFLICT DO NOTHING`,
      [deletionId, ids],
    );
    for (const [column, table] of [['flags', 'customer_flags'], ['known_clients', 'customer_known_clients'], ['consent_events', 'customer_consent_events']] as const) {
      await db.query(
        `INSERT INTO ${table}
         SELECT r.* FROM (SELECT jsonb_array_elements(d.${column}) AS value ${restoredRows}) AS e
          CROSS JOIN LATERAL jsonb_populate_record(NULL::${table}, e.value) r
         ON CONFLICT DO NOTHING`,
        [deletionId, ids],
      );
    }
    await restoreCompanyLinks(db, `${restoredRows}`, [deletionId, ids]);
    // A bulk send purged meanwhile takes its e-mails with it; the others come back.
    await db.query(
      `INSERT INTO mail_outbox OVERRIDING SYSTEM VALUE
       SELECT o.* FROM (SELECT jsonb_array_elements(d.mails) AS value ${restoredRows}) AS e
        CROSS JOIN LATERAL jsonb_populate_record(NULL::mail_outbox, e.value) o
        WHERE o.bulk_send_id IS NULL OR EXISTS (SELECT 1 FROM password_email_bulk_sends b WHERE b.id = o.bulk_send_id)
       ON CONFLICT DO NOTHING`,
      [deletionId, ids],
    );
    await db.query(`DELETE ${restoredRows}`, [deletionId, ids]);
    return ids;
  },

  async markRestored(db: Queryable, deletionId: number, count: number, staffUserId: number | null, now: Date): Promise<void> {
    await db.query(
      `UPDATE customer_deletions SET restored_count = restored_count + $2, restored_by = $3, restored_at = $4 WHERE id = $1`,
      [deletionId, count, staffUserId, now],
    );
  },

  async waiting(db: Queryable, deletionId: number): Promise<{ customerId: number; email: string }[]> {
    const { rows } = await db.query<{ customerId: string; email: string }>(
      `SELECT customer_id AS "customerId", email FROM deleted_customers WHERE deletion_id = $1 ORDER BY customer_id`,
      [deletionId],
    );
    return rows.map((row) => ({ customerId: Number(row.customerId), email: row.email }));
  },

  /** Drops the snapshots of deletions whose hour has passed; the deletion rows stay as the record. */
  async purgeExpired(db: Queryable, now: Date): Promise<number> {
    const { rows } = await db.query<{ id: string }>(
      `UPDATE customer_deletions SET purged_at = $1, sample_emails = '{}' WHERE undo_until <= $1 AND purged_at IS NULL RETURNING id`,
      [now],
    );
    if (rows.length === 0) return 0;
    const { rowCount } = await db.query('DELETE FROM deleted_customers WHERE deletion_id = ANY($1::bigint[])', [
      rows.map((row) => row.id),
    ]);
    return rowCount ?? 0;
  },
};

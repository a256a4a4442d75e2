import { customerFilterSql } from '../customers/customer.repository.ts';
import type { Queryable } from '../db/database.ts';
import type { TemplateLanguage } from './default-templates.ts';
import type { BulkSelection, BulkSelectionSummary } from './mail.schemas.ts';

/**
 * "Send again to the failed ones" of a bulk send: its recipients whose latest Account password
 * e-mail failed (not those sent one since, by staff or another bulk send). Not part of the API's
 * request body: it has its own route, and at most one such send per bulk send.
 */
export type FailedOfSelection = { failedOf: number; includeImportedHashes: boolean; confirmResend: boolean };
/** What a bulk send was made for, as stored. */
export type StoredSelection = BulkSelection | FailedOfSelection;

export type BulkSendRecord = {
  id: number;
  /** Summarised in SQL: a selection of 100,000 customer ids is not read back to be counted. */
  selection: BulkSelectionSummary;
  includeImportedHashes: boolean;
  matchedCount: number;
  skippedHasPassword: number;
  skippedImportedHash: number;
  queuedCount: number;
  createdAt: Date;
  createdBy: { id: number; name: string } | null;
  /** The bulk send whose failed recipients this one sends to again. */
  resendOf: number | null;
  /** The bulk send that sent to this one's failed recipients again. */
  resentAs: number | null;
};

const selectionSummary = `CASE
    WHEN b.selection ? 'customerIds' THEN json_build_object('kind', 'customers', 'count', jsonb_array_length(b.selection -> 'customerIds'))
    WHEN b.selection ? 'failedOf' THEN json_build_object('kind', 'failed', 'bulkSendId', (b.selection ->> 'failedOf')::int)
    WHEN b.selection ? 'importId' THEN json_build_object('kind', 'import', 'importId', (b.selection ->> 'importId')::int)
    ELSE json_build_object('kind', 'filter', 'q', b.selection -> 'filter' ->> 'q', 'email', b.selection -> 'filter' ->> 'email',
                           'groupId', (b.selection -> 'filter' ->> 'groupId')::int)
  END`;
const recordColumns = `b.id, ${selectionSummary} AS selection, b.include_imported_hashes AS "includeImportedHashes", b.matched_count AS "matchedCount",
  b.skipped_has_password AS "skippedHasPassword", b.skipped_imported_hash AS "skippedImportedHash",
  b.queued_count AS "queuedCount", b.created_at AS "createdAt",
  CASE WHEN u.id IS NULL THEN NULL ELSE json_build_object('id', u.id::int, 'name', u.name) END AS "createdBy",
  b.resend_of AS "resendOf", (SELECT r.id FROM password_email_bulk_sends r WHERE r.resend_of = b.id) AS "resentAs"`;
const fromBulkSends = 'FROM password_email_bulk_sends b LEFT JOIN staff_users u ON u.id = b.created_by';

/**
 * SQL condition (alias `c`) for the customers a bulk selection names; parameters appended to
 * `params`. `phoneCountry`: the shop's, so a list search for a phone number selects what the list showed.
 */
function selectionSql(selection: StoredSelection, params: unknown[], phoneCountry?: string): string {
  if ('failedOf' in selection) {
    params.push(selection.failedOf);
    return `c.id IN (${latestFailedOf(`$${params.length}`)})`;
  }
  if ('customerIds' in selection) {
    params.push(selection.customerIds);
    return `c.id = ANY($${params.length}::bigint[])`;
  }
  if ('importId' in selection) {
    params.push(selection.importId);
    return `c.last_import_id = $${params.length}`;
  }
  return customerFilterSql({ ...selection.filter, ...(phoneCountry && { phoneCountry }) }, params);
}

/**
 * The customers of a bulk send whose e-mail failed and who were not sent the Account password
 * e-mail since (a later one queued or sent, by staff or in bulk): their latest attempt failed.
 */
const latestFailedOf = (bulkSendId: string) => `
  SELECT f.customer_id FROM mail_outbox f
   WHERE f.bulk_send_id = ${bulkSendId} AND f.status = 'failed'
     AND NOT EXISTS (SELECT 1 FROM mail_outbox later
                      WHERE later.customer_id = f.customer_id AND later.id > f.id AND later.template_key = 'account_password'
                        AND later.reason IN ('password_staff', 'password_bulk') AND later.status IN ('pending', 'sending', 'sent'))`;

/** Who gets the e-mail: no usable password yet; imported hashes only when asked. */
const recipientStates = (includeImportedHashes: boolean) =>
  includeImportedHashes ? `('none', 'must_reset', 'imported_hash')` : `('none', 'must_reset')`;

export const bulkSendRepository = {
  async countSelection(
    db: Queryable,
    selection: StoredSelection,
    phoneCountry?: string,
  ): Promise<{
    matched: number;
    willSend: number;
    skippedHasPassword: number;
    skippedImportedHash: number;
    withoutLanguage: number;
    alreadySent: { count: number; lastSentAt: Date | null };
  }> {
    const params: unknown[] = [];
    const where = selectionSql(selection, params, phoneCountry);
    const isRecipient = `c.password_state IN ${recipientStates(selection.includeImportedHashes)}`;
    const { rows } = await db.query<{
      matched: number;
      hasPassword: number;
      importedHash: number;
      withoutLanguage: number;
      alreadySent: number;
      lastSentAt: Date | null;
    }>(
      `SELECT count(*)::int AS matched,
              count(*) FILTER (WHERE c.password_state = 'set')::int AS "hasPassword",
              count(*) FILTER (WHERE c.password_state = 'imported_hash')::int AS "importedHash",
              count(*) FILTER (WHERE ${isRecipient} AND c.language NOT IN ('en', 'nl'))::int AS "withoutLanguage",
              count(*) FILTER (WHERE ${isRecipient} AND sent.at IS NOT NULL)::int AS "alreadySent",
              max(sent.at) FILTER (WHERE ${isRecipient}) AS "lastSentAt"
         FROM customers c
         LEFT JOIN LATERAL (
           SELECT max(o.created_at) AS at FROM mail_outbox o
            WHERE o.customer_id = c.id AND o.reason IN ('password_bulk', 'password_staff')
              AND o.status IN ('pending', 'sending', 'sent')) AS sent ON true
        WHERE ${where}`,
      params,
    );
    const row = rows[0] ?? {
      matched: 0,
      hasPassword: 0,
      importedHash: 0,
      withoutLanguage: 0,
      alreadySent: 0,
      lastSentAt: null,
    };
    const skippedImportedHash = selection.includeImportedHashes ? 0 : row.importedHash;
    return {
      matched: row.matched,
      skippedHasPassword: row.hasPassword,
      skippedImportedHash,
      willSend: row.matched - row.hasPassword - skippedImportedHash,
      withoutLanguage: row.withoutLanguage,
      alreadySent: { count: row.alreadySent, lastSentAt: row.lastSentAt },
    };
  },

  /** The new bulk send's id; undefined when `resendOf` was sent again already (that one stays the only one). */
  async insert(
    db: Queryable,
    record: Omit<
      BulkSendRecord,
      'id' | 'createdAt' | 'queuedCount' | 'createdBy' | 'selection' | 'resendOf' | 'resentAs'
    > & {
      selection: StoredSelection;
      createdBy: number | null;
      now: Date;
    },
  ): Promise<number | undefined> {
    const resendOf = 'failedOf' in record.selection ? record.selection.failedOf : null;
    const { rows } = await db.query<{ id: number }>(
      `INSERT INTO password_email_bulk_sends (selection, include_imported_hashes, matched_count, skipped_has_password,
                                              skipped_imported_hash, queued_count, created_by, created_at, resend_of)
       VALUES ($1, $2, $3, $4, $5, 0, $6, $7, $8) ON CONFLICT (resend_of) DO NOTHING RETURNING id`,
      [
        JSON.stringify(record.selection),
        record.includeImportedHashes,
        record.matchedCount,
        record.skippedHasPassword,
        record.skippedImportedHash,
        record.createdBy,
        record.now,
        resendOf,
      ],
    );
    return rows[0]?.id;
  },

  /**
   * One outbox row per selected customer who needs a password, in one statement. The key
   * `password_bulk:<bulk>:<customer>` (and a unique index on the pair) makes a second insert
   * for the same customer in the same bulk send impossible.
   */
  async queueMessages(
    db: Queryable,
    input: {
      bulkSendId: number;
      selection: StoredSelection;
      defaultLanguage: TemplateLanguage;
      phoneCountry?: string;
      staffUserId: number | null;
      now: Date;
    },
  ): Promise<number> {
    const params: unknown[] = [input.bulkSendId, input.defaultLanguage, input.staffUserId, input.now];
    const where = selectionSql(input.selection, params, input.phoneCountry);
    const { rowCount } = await db.query(
      `INSERT INTO mail_outbox (idempotency_key, reason, template_key, language, customer_id, bulk_send_id, requested_by,
                                to_address, next_attempt_at, created_at)
       SELECT 'password_bulk:' || $1::bigint || ':' || c.id, 'password_bulk', 'account_password',
              CASE WHEN c.language IN ('en', 'nl') THEN c.language ELSE $2 END, c.id, $1, $3, c.email, $4, $4
         FROM customers c
        WHERE ${where} AND c.password_state IN ${recipientStates(input.selection.includeImportedHashes)}
        ORDER BY c.id
       ON CONFLICT DO NOTHING`,
      params,
    );
    const queued = rowCount ?? 0;
    await db.query('UPDATE password_email_bulk_sends SET queued_count = $2 WHERE id = $1', [
      input.bulkSendId,
      queued,
    ]);
    return queued;
  },

  async findById(db: Queryable, id: number): Promise<BulkSendRecord | undefined> {
    const { rows } = await db.query<BulkSendRecord>(
      `SELECT ${recordColumns} ${fromBulkSends} WHERE b.id = $1`,
      [id],
    );
    return rows[0];
  },

  /** Newest first; `before` is the id where the previous page ended. */
  async listPage(
    db: Queryable,
    limit: number,
    before: number | undefined,
    importId?: number,
  ): Promise<BulkSendRecord[]> {
    const { rows } = await db.query<BulkSendRecord>(
      `SELECT ${recordColumns} ${fromBulkSends}
        WHERE ($1::bigint IS NULL OR b.id < $1) AND ($3::bigint IS NULL OR (b.selection ->> 'importId')::bigint = $3)
        ORDER BY b.id DESC LIMIT $2`,
      [before ?? null, limit, importId ?? null],
    );
    return rows;
  },
};

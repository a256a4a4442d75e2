import { changeNewsletterConsent } from '../consent/consent.service.ts';
import type { Database, Queryable } from '../db/database.ts';
import type { Clock } from '../shared/clock.ts';
import { AppError, notFound } from '../shared/errors.ts';
import { parseOrThrow } from '../shared/validation.ts';
import type { ShopIdentity } from '../shop/shop-settings.service.ts';
import { customerDeletionRepository as repo, type DeletionRow } from './customer-deletion.repository.ts';
import { customerFilterSql } from './customer.repository.ts';
import { normalizeTags } from './customer.schemas.ts';
import {
  bulkDeleteSchema,
  bulkNewsletterSchema,
  bulkTagsSchema,
  type BulkTagsResult,
  type BulkNewsletterResult,
  type CustomerDeletion,
  type CustomerSelection,
  type UndoDeletionResult,
} from './customer-bulk.schemas.ts';

export type CustomerBulkDeps = { db: Database; clock: Clock; shop?: ShopIdentity };
export type CustomerBulkService = ReturnType<typeof createCustomerBulkService>;

/** How long a bulk delete can be undone; after it the snapshots are purged. */
export const undoWindowMs = 60 * 60 * 1000;
/** Consent is written in transactions of this many customers, so a big selection does not hold every row lock at once. */
const consentBatchSize = 500;
const tagBatchSize = 1000;
/** A customer's tags ($2 added unless it has them in some case, then $3 — lower case — taken off), in their order. */
const newTags = `ARRAY(SELECT tag FROM unnest(c.tags || ARRAY(SELECT a FROM unnest($2::text[]) AS a WHERE lower(a) <> ALL (clientele_tag_keys(c.tags))))
                        WITH ORDINALITY AS x(tag, n) WHERE lower(tag) <> ALL ($3::text[]) ORDER BY n)`;

/** Bulk actions on a customer-list selection: delete (with undo for an hour) and newsletter consent. */
export function createCustomerBulkService({ db, clock, shop }: CustomerBulkDeps) {
  /** The SQL condition (alias `c`) of a selection; a phone search is read with the shop's country, as the list did. */
  async function selectionCondition(selection: CustomerSelection, params: unknown[]): Promise<string> {
    if ('customerIds' in selection) {
      params.push(selection.customerIds);
      return `c.id = ANY($${params.length}::bigint[])`;
    }
    const phoneCountry = selection.filter.q ? (await shop?.current())?.country : undefined;
    return customerFilterSql({ ...selection.filter, ...(phoneCountry && { phoneCountry }) }, params);
  }

  async function selectedIds(tx: Queryable, selection: CustomerSelection, lock: boolean): Promise<number[]> {
    const params: unknown[] = [];
    const condition = await selectionCondition(selection, params);
    if (lock) return repo.lockSelected(tx, condition, params);
    const { rows } = await tx.query<{ id: number }>(`SELECT c.id FROM customers c WHERE ${condition} ORDER BY c.id`, params);
    return rows.map((row) => row.id);
  }

  function checkCount(expected: number | undefined, actual: number): void {
    if (expected === undefined || expected === actual) return;
    throw new AppError(
      'conflict',
      `The selection now holds ${actual} customers, not ${expected}: nothing was changed. Look at the list again and confirm.`,
      undefined,
      { reason: 'count_changed', currentCount: actual },
    );
  }

  function toDeletion(row: DeletionRow): CustomerDeletion {
    const now = clock.now();
    return {
      id: row.id,
      customerCount: row.customerCount,
      deletedAt: row.deletedAt.toISOString(),
      deletedBy: row.deletedBy,
      undoUntil: row.undoUntil.toISOString(),
      canUndo: row.purgedAt === null && row.undoUntil > now && row.waitingCount > 0,
      restoredCount: row.restoredCount,
      restoredAt: row.restoredAt?.toISOString() ?? null,
      restoredBy: row.restoredBy,
      waitingCount: row.waitingCount,
      sampleEmails: row.sampleEmails,
    };
  }

  async function getDeletion(id: number, tx: Queryable = db.pool): Promise<CustomerDeletion> {
    const row = await repo.findById(tx, id);
    if (!row) throw notFound(`Deletion #${id}`);
    return toDeletion(row);
  }

  const purgeExpired = () => repo.purgeExpired(db.pool, clock.now());

  return {
    purgeExpired,
    getDeletion,

    /** Deletes the selected customers at once, keeping them for an hour so the deletion can be undone. */
    async deleteSelection(input: unknown, staffUserId: number | null): Promise<CustomerDeletion> {
      const { selection, expectedCount } = parseOrThrow(bulkDeleteSchema, input);
      await purgeExpired();
      const id = await db.transaction(async (tx) => {
        const ids = await selectedIds(tx, selection, true);
        checkCount(expectedCount, ids.length);
        if (ids.length === 0) throw new AppError('invalid_input', 'No customers match this selection: nothing to delete.');
        const now = clock.now();
        const deletionId = await repo.insertDeletion(tx, { count: ids.length, staffUserId, now, undoUntil: new Date(now.getTime() + undoWindowMs) });
        await repo.moveToDeletion(tx, deletionId, ids);
        return deletionId;
      });
      return getDeletion(id);
    },

    /**
     * Brings a deletion's customers back, whole, while its hour lasts. Customers whose e-mail
     * address (or external id) was given to another customer meanwhile are listed, not merged.
     */
    async undoDeletion(id: number, staffUserId: number | null): Promise<UndoDeletionResult> {
      await purgeExpired();
      return db.transaction(async (tx) => {
        const row = await repo.findById(tx, id, true);
        if (!row) throw notFound(`Deletion #${id}`);
        const now = clock.now();
        if (row.purgedAt !== null || row.undoUntil <= now) {
          throw new AppError('conflict', 'This deletion can no longer be undone: its hour has passed.', undefined, { reason: 'undo_expired' });
        }
        const restored = await repo.restore(tx, id);
        if (restored.length > 0) await repo.markRestored(tx, id, restored.length, staffUserId, now);
        const notRestored = await repo.waiting(tx, id);
        return { deletion: await getDeletion(id, tx), restored: restored.length, notRestored };
      });
    },

    /** The bulk deletions of the last hour (and a little before), newest first: Recently deleted. */
    async recentDeletions(): Promise<CustomerDeletion[]> {
      await purgeExpired();
      const since = new Date(clock.now().getTime() - 2 * undoWindowMs);
      return (await repo.listSince(db.pool, since, 20)).map(toDeletion);
    },

    /**
     * Adds and removes tags on the selection, set-based per batch: one UPDATE writes the customers
     * whose tags change (each row locked by it, its version moved by the version trigger, so an
     * open form sees a newer version); the others are not written.
     */
    async setTags(input: unknown): Promise<BulkTagsResult> {
      const { selection, add, remove, expectedCount } = parseOrThrow(bulkTagsSchema, input);
      const ids = await selectedIds(db.pool, selection, false);
      checkCount(expectedCount, ids.length);
      const adding = normalizeTags(add);
      const removing = remove.map((tag) => tag.trim().replace(/\s+/g, ' ').toLowerCase());
      let changed = 0;
      for (let start = 0; start < ids.length; start += tagBatchSize) {
        // Computed from the row being written (re-read under its lock when a concurrent save got there first).
        const { rowCount } = await db.pool.query(
          `UPDATE customers c SET tags = ${newTags}, updated_at = $4
            WHERE c.id = ANY($1::bigint[]) AND c.tags IS DISTINCT FROM ${newTags}`,
          [ids.slice(start, start + tagBatchSize), adding, removing, clock.now()],
        );
        changed += rowCount ?? 0;
      }
      return { changed, unchanged: ids.length - changed };
    },

    /** Subscribes or unsubscribes the selection, one customer at a time under its row lock. */
    async setNewsletter(input: unknown, staffUserId: number | null): Promise<BulkNewsletterResult> {
      const { selection, isSubscribed, expectedCount } = parseOrThrow(bulkNewsletterSchema, input);
      const ids = await selectedIds(db.pool, selection, false);
      checkCount(expectedCount, ids.length);
      let changed = 0;
      for (let start = 0; start < ids.length; start += consentBatchSize) {
        const batch = ids.slice(start, start + consentBatchSize);
        changed += await db.transaction(async (tx) => {
          let count = 0;
          const now = clock.now();
          for (const customerId of batch) {
            if (await changeNewsletterConsent(tx, { customerId, isSubscribed, staffUserId, now })) count += 1;
          }
          return count;
        });
      }
      return { changed, unchanged: ids.length - changed };
    },
  };
}

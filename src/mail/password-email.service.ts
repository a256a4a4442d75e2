import type { PoolClient } from 'pg';
import { accountRepository } from '../accounts/account.repository.ts';
import type { Database } from '../db/database.ts';
import type { Queue } from '../jobs/queue.ts';
import type { Clock } from '../shared/clock.ts';
import { AppError, notFound } from '../shared/errors.ts';
import {
  bulkSendRepository,
  type BulkSendRecord,
  type FailedOfSelection,
  type StoredSelection,
} from './bulk-send.repository.ts';
import type { ShopIdentity } from '../shop/shop-settings.service.ts';
import type { MailJobs } from './mail.jobs.ts';
import type { BulkPreview, BulkSelection, BulkSend, BulkSendPage, PasswordStatus } from './mail.schemas.ts';
import { outboxRepository, type OutboxStatus } from './outbox.repository.ts';
import { mailLanguageOf, type Outbox } from './outbox.service.ts';

export type PasswordEmailDeps = {
  db: Database;
  clock: Clock;
  queue: Queue;
  jobs: MailJobs;
  outbox: Outbox;
  transportKind: 'smtp' | 'mailbox';
  /** The language of customers without one, and the shop's name for the bulk-send confirmation. */
  shop: ShopIdentity;
  bulkPerMinute: number;
  resetLinkValidHours: number;
};
export type PasswordEmailService = ReturnType<typeof createPasswordEmailService>;

/** A bulk send some of whose recipients already got the e-mail: sent again only when confirmed. */
function alreadySent(sent: { count: number; lastSentAt: Date | null }): AppError {
  const when = sent.lastSentAt ? ` (last on ${sent.lastSentAt.toISOString().slice(0, 10)})` : '';
  return new AppError(
    'conflict',
    `${sent.count} of these customers were already sent the Account password e-mail${when}. Send again with confirmResend: true.`,
    undefined,
    {
      reason: 'already_sent',
      alreadySentCount: sent.count,
      lastSentAt: sent.lastSentAt?.toISOString() ?? null,
    },
  );
}

/** The failed recipients of a bulk send again, with its options; they were asked for once already. */
const failedOf = (original: BulkSendRecord): FailedOfSelection => ({
  failedOf: original.id,
  includeImportedHashes: original.includeImportedHashes,
  confirmResend: true,
});

const stillSending = (bulkSendId: number) =>
  new AppError(
    'conflict',
    `Bulk send #${bulkSendId} is still sending; its failed recipients can be sent to again once it is done.`,
    undefined,
    { reason: 'still_sending' },
  );

const nothingToResend = (bulkSendId: number, counts: { matched: number; skippedHasPassword: number }) =>
  new AppError(
    'conflict',
    `No recipient of bulk send #${bulkSendId} is waiting for the e-mail: none failed, each was sent one since, or has a password by now.`,
    undefined,
    {
      reason: 'nothing_to_resend',
      failedCount: counts.matched,
      skippedHasPassword: counts.skippedHasPassword,
    },
  );

/** "Send password" from the back office: to one customer, or in bulk with progress. */
export function createPasswordEmailService(deps: PasswordEmailDeps) {
  const { db, clock } = deps;

  async function status(customerId: number): Promise<PasswordStatus> {
    const { rows } = await db.pool.query<{
      passwordState: PasswordStatus['passwordState'];
      passwordChangedAt: Date | null;
      lastLoginAt: Date | null;
      language: string;
    }>(
      `SELECT password_state AS "passwordState", password_changed_at AS "passwordChangedAt", last_login_at AS "lastLoginAt", language
         FROM customers WHERE id = $1`,
      [customerId],
    );
    const customer = rows[0];
    if (!customer) throw notFound(`Customer #${customerId}`);
    const last = await outboxRepository.lastPasswordMailOfCustomer(db.pool, customerId);
    const since = last?.sentAt ?? last?.createdAt;
    return {
      customerId,
      passwordState: customer.passwordState,
      passwordChangedAt: customer.passwordChangedAt?.toISOString() ?? null,
      lastLoginAt: customer.lastLoginAt?.toISOString() ?? null,
      lastSent: last
        ? {
            id: last.id,
            reason: last.reason,
            status: last.status,
            createdAt: last.createdAt.toISOString(),
            sentAt: last.sentAt?.toISOString() ?? null,
            error: last.lastError,
          }
        : null,
      hasSetPasswordSince: since
        ? customer.passwordChangedAt !== null && customer.passwordChangedAt >= since
        : null,
      transport: deps.transportKind,
      resetLinkValidHours: deps.resetLinkValidHours,
      emailLanguage: mailLanguageOf(customer.language, (await deps.shop.current()).defaultLanguage),
    };
  }

  function toBulkSend(record: BulkSendRecord, counts: Record<OutboxStatus, number>): BulkSend {
    const done = counts.sent + counts.failed + counts.skipped;
    return {
      id: record.id,
      createdAt: record.createdAt.toISOString(),
      createdBy: record.createdBy,
      selection: record.selection,
      includeImportedHashes: record.includeImportedHashes,
      counts: {
        matched: record.matchedCount,
        willSend: record.queuedCount,
        skippedHasPassword: record.skippedHasPassword,
        skippedImportedHash: record.skippedImportedHash,
      },
      progress: {
        ...counts,
        percent: record.queuedCount === 0 ? 100 : Math.floor((done / record.queuedCount) * 1000) / 10,
      },
      status: counts.pending + counts.sending === 0 ? 'done' : 'sending',
      perMinute: deps.bulkPerMinute,
      transport: deps.transportKind,
      resendOf: record.resendOf,
      resentAs: record.resentAs,
    };
  }

  /**
   * Records a bulk send, queues one outbox row per recipient and the job that works through them,
   * in the caller's transaction. Undefined when it is a resend that exists already.
   */
  async function startBulk(
    tx: PoolClient,
    selection: StoredSelection,
    staffUserId: number,
  ): Promise<number | undefined> {
    const now = clock.now();
    const shop = await deps.shop.current(tx);
    const counts = await bulkSendRepository.countSelection(tx, selection, shop.country);
    if (counts.alreadySent.count > 0 && !selection.confirmResend) throw alreadySent(counts.alreadySent);
    if ('failedOf' in selection && counts.willSend === 0) throw nothingToResend(selection.failedOf, counts);
    const bulkSendId = await bulkSendRepository.insert(tx, {
      selection,
      includeImportedHashes: selection.includeImportedHashes,
      matchedCount: counts.matched,
      skippedHasPassword: counts.skippedHasPassword,
      skippedImportedHash: counts.skippedImportedHash,
      createdBy: staffUserId,
      now,
    });
    if (bulkSendId === undefined) return undefined;
    await bulkSendRepository.queueMessages(tx, {
      bulkSendId,
      selection,
      defaultLanguage: shop.defaultLanguage,
      phoneCountry: shop.country,
      staffUserId,
      now,
    });
    await deps.queue.enqueue(
      deps.jobs.bulkSend,
      { bulkSendId },
      { transaction: tx, singletonKey: `bulk-send:${bulkSendId}` },
    );
    return bulkSendId;
  }

  async function preview(selection: StoredSelection): Promise<BulkPreview> {
    const shop = await deps.shop.current();
    const { alreadySent, ...counts } = await bulkSendRepository.countSelection(
      db.pool,
      selection,
      shop.country,
    );
    return {
      ...counts,
      alreadySent: { count: alreadySent.count, lastSentAt: alreadySent.lastSentAt?.toISOString() ?? null },
      defaultLanguage: shop.defaultLanguage,
      shopName: shop.shopName,
      isPlaceholderShopName: shop.isPlaceholderName,
    };
  }

  async function getBulk(id: number): Promise<BulkSend> {
    const record = await bulkSendRepository.findById(db.pool, id);
    if (!record) throw notFound(`Bulk send #${id}`);
    return toBulkSend(record, await outboxRepository.countByStatusOfBulk(db.pool, id));
  }

  return {
    status,

    /** Queues the Account password e-mail in the customer's language (every click is a new send). */
    async sendToCustomer(customerId: number, staffUserId: number): Promise<PasswordStatus> {
      await db.transaction(async (tx) => {
        const customer = await accountRepository.findCredentialsById(tx, customerId);
        if (!customer) throw notFound(`Customer #${customerId}`);
        await deps.outbox.queueCustomerMail(tx, {
          customer,
          reason: 'password_staff',
          templateKey: 'account_password',
          requestedBy: staffUserId,
        });
      });
      return status(customerId);
    },

    /**
     * What a bulk send would do, for the confirmation ("Send to 3,204 customers?"): with how many
     * recipients have no language of their own (they get the shop's default language), and the
     * shop's name, so the dialog can warn while it is still "My shop".
     */
    async previewBulk(selection: BulkSelection): Promise<BulkPreview> {
      return preview(selection);
    },

    /** Records the bulk send, queues one outbox row per recipient and the job that works through them. */
    async createBulk(selection: BulkSelection, staffUserId: number): Promise<BulkSend> {
      const id = await db.transaction(async (tx) => (await startBulk(tx, selection, staffUserId))!);
      return getBulk(id);
    },

    /**
     * Who "Send again to the failed ones" would e-mail, for its confirmation: the recipients whose
     * latest Account password e-mail failed, less those who have a password by now.
     */
    async previewResendFailed(bulkSendId: number): Promise<BulkPreview> {
      const original = await bulkSendRepository.findById(db.pool, bulkSendId);
      if (!original) throw notFound(`Bulk send #${bulkSendId}`);
      return preview(failedOf(original));
    },

    /**
     * A new bulk send, linked to this one, to exactly its recipients whose latest attempt failed.
     * Once per bulk send: asking again (or twice at once) answers with the one made the first time.
     */
    async resendFailed(
      bulkSendId: number,
      staffUserId: number,
    ): Promise<{ bulkSend: BulkSend; isNew: boolean }> {
      const result = await db.transaction(async (tx) => {
        const original = await bulkSendRepository.findById(tx, bulkSendId);
        if (!original) throw notFound(`Bulk send #${bulkSendId}`);
        if (original.resentAs !== null) return { id: original.resentAs, isNew: false };
        if ((await outboxRepository.pendingOfBulk(tx, bulkSendId)).count > 0) throw stillSending(bulkSendId);
        let id: number | undefined;
        try {
          id = await startBulk(tx, failedOf(original), staffUserId);
        } catch (error) {
          if (!(error instanceof AppError)) throw error;
          // Another request made the resend while this one counted: its rows are the recipients'
          // latest attempts now, so nothing looked left to send. Answer with that one.
          const madeMeanwhile = (await bulkSendRepository.findById(tx, bulkSendId))?.resentAs;
          if (madeMeanwhile) return { id: madeMeanwhile, isNew: false };
          throw error;
        }
        if (id !== undefined) return { id, isNew: true };
        // Another request made it a moment ago (the unique link waited for its commit).
        const made = (await bulkSendRepository.findById(tx, bulkSendId))?.resentAs;
        if (!made) throw new Error(`Bulk send #${bulkSendId} was sent again, but that send is gone.`);
        return { id: made, isNew: false };
      });
      return { bulkSend: await getBulk(result.id), isNew: result.isNew };
    },

    getBulk,

    /** The bulk sends, newest first, each with its progress (Settings > Notification e-mails > Bulk sends). */
    async listBulk(limit: number, before: number | undefined, importId?: number): Promise<BulkSendPage> {
      const records = await bulkSendRepository.listPage(db.pool, limit + 1, before, importId);
      const page = records.slice(0, limit);
      const counts = await outboxRepository.countByStatusOfBulks(
        db.pool,
        page.map((record) => record.id),
      );
      return {
        items: page.map((record) => toBulkSend(record, counts.get(record.id)!)),
        nextBefore: records.length > limit ? (page.at(-1)?.id ?? null) : null,
      };
    },
  };
}

import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { PoolClient } from 'pg';
import { accountRepository } from '../accounts/account.repository.ts';
import { createResetTokens, resetLinkFor, storefrontResetTtlMs } from '../accounts/reset-token.ts';
import { isConnectionLost, type Database } from '../db/database.ts';
import {
  defaultDatabaseRetry,
  retryWhileUnreachable,
  silentOutageReporter,
  type DatabaseRetrySettings,
} from '../db/database-retry.ts';
import type { ShopSettings } from '../shop/shop-settings.schemas.ts';
import { senderOf, type ShopIdentity } from '../shop/shop-settings.service.ts';
import type { Clock } from '../shared/clock.ts';
import { sendDueRowsOfBulk } from './bulk-delivery.service.ts';
import { defaultTemplates, type TemplateContent, type TemplateLanguage } from './default-templates.ts';
import type { FailureReason } from './delivery-failure.ts';
import type { MailTransport, OutgoingMessage, SendOutcome } from './mail.transport.ts';
import { outboxRepository as outbox, type OutboxRow } from './outbox.repository.ts';
import { resetLinkTemplateKeys, type PlaceholderValues, type TemplateKey } from './placeholders.ts';
import { renderMessage, sampleValues } from './render.ts';
import { templateRepository } from './template.repository.ts';
import { defaultRetryPolicy, retryDelayMs, type RetryPolicy } from './throttle.ts';

export type DeliveryDeps = {
  db: Database;
  clock: Clock;
  transport: MailTransport;
  /** The shop's name, sender address and default language: read when each e-mail is made (once per 10-second slice of a bulk send). */
  shop: ShopIdentity;
  /** The domain of Message-IDs: fixed, so a row's Message-ID stays the same across retries. */
  messageIdDomain: string;
  baseUrl: string;
  staffResetTtlMs: number;
  /** Bulk e-mails a minute across all bulk sends; 0: no limit. */
  bulkPerMinute: number;
  /** Bulk e-mails this worker sends at once (default 1). */
  bulkConcurrency?: number;
  /**
   * Once a message has gone out, its outcome is recorded however long the database stays away
   * (retrying with this back-off): otherwise a sent message would count as interrupted, and be
   * reported as "may not have arrived", after an outage.
   */
  databaseRetry?: Pick<DatabaseRetrySettings, 'maxDelayMs'>;
  /** After a temporary failure: when to try again, and how often (the default: about 8 hours). */
  retry?: RetryPolicy;
};
export type DeliveryService = ReturnType<typeof createDeliveryService>;
export type DeliveryResult = 'sent' | 'retry' | 'failed' | 'skipped' | 'not_pending';

/** How long one attempt may hold a row before it counts as abandoned by a dead worker. */
const leaseMs = 2 * 60 * 1000;
/** A bulk job works this long, then hands over to a fresh job (so stopping a worker never waits long). */
const bulkSliceMs = 10_000;

/**
 * A row ready to go: the reset token made for this attempt (its hash), and its message, rendered
 * when it is about to be sent (not inside the transaction that prepared a whole batch).
 */
export type PreparedMessage = { row: OutboxRow; tokenHash: Buffer | null; compose: () => OutgoingMessage };

/** A final failure: its category and the sentence staff read (the row's `last_error`). */
function failureOf(
  outcome: Exclude<SendOutcome, { status: 'sent' }>,
  attempts: number,
): { reason: FailureReason; message: string } {
  switch (outcome.status) {
    case 'retry':
      return { reason: 'temporary', message: `Gave up after ${attempts} attempts: ${outcome.error}` };
    case 'uncertain':
      return {
        reason: 'interrupted',
        message: `The connection broke while the message was being handed over, so it may have arrived; not sent again: ${outcome.error}`,
      };
    case 'failed':
      return { reason: outcome.reason, message: `Refused by the mail server: ${outcome.error}` };
  }
}

/**
 * Delivers outbox rows: renders the template for the recipient at delivery time (creating the
 * reset token only now), hands the message to the transport, and records the outcome.
 * A row is taken for its attempt (`sending`, with a lease) right before it is sent, so two workers
 * never send the same row, and a worker that dies mid-send leaves a row that is reported rather
 * than sent again. A bulk send prepares its rows in batches (bulk-delivery.service.ts).
 */
export function createDeliveryService(deps: DeliveryDeps) {
  const { db, clock, transport } = deps;
  const domain = deps.messageIdDomain;
  const retry = deps.retry ?? defaultRetryPolicy;
  // The queue's own polling reports the outage (once a minute); this only waits it out.
  const recordOutcome = <T>(write: () => Promise<T>) =>
    retryWhileUnreachable(write, deps.databaseRetry ?? defaultDatabaseRetry, silentOutageReporter);

  /** The stored templates the rows need (one query per kind), else the defaults; drafts as they are. */
  async function contentsFor(
    tx: PoolClient,
    rows: readonly OutboxRow[],
  ): Promise<(row: OutboxRow) => TemplateContent> {
    const stored = new Map<TemplateKey, Map<TemplateLanguage, TemplateContent>>();
    const needed = new Map<TemplateKey, Set<TemplateLanguage>>();
    for (const row of rows) {
      if (row.draftSubject !== null && row.draftBodyHtml !== null) continue;
      needed.set(row.templateKey, (needed.get(row.templateKey) ?? new Set()).add(row.language));
    }
    for (const [key, languages] of needed)
      stored.set(key, await templateRepository.findInLanguages(tx, key, [...languages]));
    return (row) =>
      row.draftSubject !== null && row.draftBodyHtml !== null
        ? { subject: row.draftSubject, bodyHtml: row.draftBodyHtml }
        : (stored.get(row.templateKey)?.get(row.language) ?? defaultTemplates[row.templateKey][row.language]);
  }

  /**
   * Prepares rows for their attempt, in the caller's transaction and in a few statements however
   * many rows: their customers read at once, their reset tokens inserted at once and noted in the
   * rows (and, with `heldUntil`, held for a bulk send's lanes until then). A row whose customer
   * is gone, or (bulk) set a password meanwhile, is finished as skipped.
   */
  async function prepareRows(
    tx: PoolClient,
    rows: readonly OutboxRow[],
    settings: ShopSettings,
    heldUntil?: Date,
  ): Promise<PreparedMessage[]> {
    const now = clock.now();
    const customerIds = rows.flatMap((row) => (row.customerId === null ? [] : [row.customerId]));
    const customers = new Map(
      (customerIds.length > 0 ? await accountRepository.findCredentialsByIds(tx, customerIds) : []).map(
        (customer) => [customer.id, customer],
      ),
    );
    // An earlier attempt's token was never delivered: it goes, a new one replaces it.
    await accountRepository.deleteResetTokens(
      tx,
      rows.flatMap((row) => (row.resetTokenHash ? [row.resetTokenHash] : [])),
    );
    const toSend: OutboxRow[] = [];
    for (const row of rows) {
      const customer = row.customerId === null ? undefined : customers.get(row.customerId);
      const skip =
        row.customerId !== null && !customer
          ? 'The customer no longer exists.'
          : row.reason === 'password_bulk' && customer?.passwordState === 'set'
            ? 'The customer set a password before this e-mail went out.'
            : undefined;
      if (skip) await outbox.markFinished(tx, row.id, 'skipped', now, skip);
      else toSend.push(row);
    }
    const withLink = toSend.filter(
      (row) => resetLinkTemplateKeys.includes(row.templateKey) && row.customerId !== null,
    );
    const tokens = await createResetTokens(
      tx,
      withLink.map((row) => {
        const isStorefront = row.reason === 'password_reset_request';
        return {
          customerId: row.customerId!,
          origin: isStorefront ? ('storefront' as const) : ('staff' as const),
          ttlMs: isStorefront ? storefrontResetTtlMs : deps.staffResetTtlMs,
        };
      }),
      now,
    );
    const tokenOf = new Map(withLink.map((row, index) => [row.id, tokens[index]!]));
    const addressOf = (row: OutboxRow) =>
      (row.customerId === null ? undefined : customers.get(row.customerId)?.email) ?? row.toAddress;
    await outbox.notePrepared(
      tx,
      toSend
        .filter((row) => heldUntil || tokenOf.has(row.id) || addressOf(row) !== row.toAddress)
        .map((row) => ({
          id: row.id,
          tokenHash: tokenOf.get(row.id)?.tokenHash ?? null,
          toAddress: addressOf(row),
        })),
      heldUntil,
    );
    const contentOf = await contentsFor(tx, toSend);
    const shop = { shopName: settings.shopName, shopUrl: deps.baseUrl };
    return toSend.map((row) => {
      const customer = row.customerId === null ? undefined : customers.get(row.customerId);
      const token = tokenOf.get(row.id);
      let values: PlaceholderValues = sampleValues(row.language, shop);
      if (customer) {
        values = {
          ...values,
          first_name: customer.firstName,
          last_name: customer.lastName,
          email: customer.email,
          reset_link: token ? resetLinkFor(deps.baseUrl, token.token, row.language) : '',
        };
      }
      const content = contentOf(row);
      const compose = (): OutgoingMessage => {
        const rendered = renderMessage(content, values, row.language);
        const messageId = `<${createHash('sha256').update(row.idempotencyKey).digest('hex').slice(0, 32)}@${domain}>`;
        return { outboxId: row.id, from: senderOf(settings), to: addressOf(row), messageId, ...rendered };
      };
      return { row, tokenHash: token?.tokenHash ?? null, compose };
    });
  }

  /** Records an attempt that did not deliver for certain: tried again later, or failed with its reason. */
  function recordUnsent(
    prepared: PreparedMessage,
    outcome: Exclude<SendOutcome, { status: 'sent' }>,
  ): Promise<DeliveryResult> {
    const { row, tokenHash } = prepared;
    const now = clock.now();
    return recordOutcome(() =>
      db.transaction(async (tx) => {
        // Not delivered for certain: the link in it can never be used, so its token goes.
        if (outcome.status !== 'uncertain' && tokenHash)
          await accountRepository.deleteResetTokens(tx, [tokenHash]);
        if (outcome.status === 'retry' && row.attempts < retry.maxAttempts) {
          const nextAttemptAt = new Date(now.getTime() + retryDelayMs(row.attempts, retry.delaysMs));
          await outbox.markRetry(tx, row.id, nextAttemptAt, outcome.error, outcome.response);
          return 'retry';
        }
        const { reason, message } = failureOf(outcome, row.attempts);
        await outbox.markFinished(tx, row.id, 'failed', now, message, {
          reason,
          serverResponse: outcome.response,
        });
        return 'failed' as const;
      }),
    );
  }

  /** One attempt for a claimed row (a single e-mail: the `mail.send` job). */
  async function deliverClaimed(row: OutboxRow): Promise<DeliveryResult> {
    let prepared: PreparedMessage | undefined;
    try {
      // Read before the transaction: it holds a connection, and the settings may need another.
      const settings = await deps.shop.current();
      [prepared] = await db.transaction((tx) => prepareRows(tx, [row], settings));
    } catch (error) {
      // Nothing went out: the row goes back to pending once the database is back, instead of
      // waiting out its lease and being reported as "may not have arrived".
      if (isConnectionLost(error)) {
        const message = 'The database could not be reached; the e-mail is sent when it is back.';
        await recordOutcome(() => outbox.markRetry(db.pool, row.id, clock.now(), message));
      }
      throw error;
    }
    if (!prepared) return 'skipped';
    const message = prepared.compose();
    const outcome = await transport.send(message);
    if (outcome.status !== 'sent') return recordUnsent(prepared, outcome);
    const { subject, messageId } = message;
    const sent = { now: clock.now(), subject, messageId, serverResponse: outcome.response };
    await recordOutcome(() => outbox.markSent(db.pool, row.id, sent));
    return 'sent';
  }

  const bulk = {
    db,
    clock,
    transport,
    shop: deps.shop,
    perMinute: deps.bulkPerMinute,
    concurrency: deps.bulkConcurrency ?? 1,
    leaseMs,
    prepareRows,
    recordUnsent,
    recordOutcome,
  };

  return {
    /** Delivers one outbox row (the `mail.send` job). `retry` means: run me again later. */
    async deliver(outboxId: number): Promise<DeliveryResult> {
      const now = clock.now();
      await outbox.failAbandoned(db.pool, now, { id: outboxId });
      const row = await outbox.claim(db.pool, outboxId, new Date(now.getTime() + leaseMs));
      return row ? deliverClaimed(row) : 'not_pending';
    },

    /**
     * Works through a bulk send for a while (the `mail.bulk-send` job): due rows, `bulkConcurrency`
     * at a time, at most `bulkPerMinute` per minute across all bulk sends, waiting out retry delays.
     * Returns whether rows remain, so the job can hand over to a fresh job.
     * Rows a dead worker left in `sending` are looked for when the slice starts and whenever no
     * row is due, not before every row: that query reads every row of the bulk send (87 ms at
     * 100,000 on the benchmark machine), and an abandoned row only counts after its 2-minute lease.
     */
    async drainBulk(bulkSendId: number, sliceMs = bulkSliceMs): Promise<{ hasMore: boolean }> {
      const deadline = Date.now() + sliceMs;
      await outbox.failAbandoned(db.pool, clock.now(), { bulkSendId });
      while (Date.now() < deadline) {
        await sendDueRowsOfBulk(bulk, bulkSendId, deadline);
        if (Date.now() >= deadline) break;
        const now = clock.now();
        await outbox.failAbandoned(db.pool, now, { bulkSendId });
        const pending = await outbox.pendingOfBulk(db.pool, bulkSendId);
        if (pending.count === 0) return { hasMore: false };
        const untilDue = (pending.nextAttemptAt?.getTime() ?? now.getTime()) - now.getTime();
        await sleep(Math.min(Math.max(untilDue, 200), Math.max(deadline - Date.now(), 0)));
      }
      return { hasMore: (await outbox.pendingOfBulk(db.pool, bulkSendId)).count > 0 };
    },
  };
}

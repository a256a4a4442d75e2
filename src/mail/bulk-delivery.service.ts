import { setTimeout as sleep } from 'node:timers/promises';
import type { PoolClient } from 'pg';
import { accountRepository } from '../accounts/account.repository.ts';
import type { Database } from '../db/database.ts';
import type { Clock } from '../shared/clock.ts';
import type { ShopSettings } from '../shop/shop-settings.schemas.ts';
import type { ShopIdentity } from '../shop/shop-settings.service.ts';
import type { PreparedMessage } from './delivery.service.ts';
import type { MailTransport, SendOutcome } from './mail.transport.ts';
import { outboxRepository as outbox, type OutboxRow, type SentRow } from './outbox.repository.ts';
import { throttleWaitMs } from './throttle.ts';

/** What the bulk lanes need of the delivery service. */
export type BulkDeliveryContext = {
  db: Database;
  clock: Clock;
  transport: MailTransport;
  shop: ShopIdentity;
  /** Bulk e-mails a minute across all bulk sends; 0: no limit. */
  perMinute: number;
  /** Lanes: e-mails this worker sends at once. */
  concurrency: number;
  /** How long an attempt (`sending`) may last before it counts as abandoned by a dead worker. */
  leaseMs: number;
  /** Prepares rows for their attempt in the caller's transaction (skipped ones are not returned). */
  prepareRows: (
    tx: PoolClient,
    rows: readonly OutboxRow[],
    settings: ShopSettings,
    heldUntil: Date,
  ) => Promise<PreparedMessage[]>;
  recordUnsent: (
    prepared: PreparedMessage,
    outcome: Exclude<SendOutcome, { status: 'sent' }>,
  ) => Promise<unknown>;
  /** Runs a write until the database answers (an outcome is recorded however long it stays away). */
  recordOutcome: <T>(write: () => Promise<T>) => Promise<T>;
};

/**
 * How long rows prepared in a batch stay this worker's before they are sent: when a worker dies,
 * the rows it prepared but had not begun to send are taken by another once this has passed (the
 * one it was sending waits out its lease and is reported instead). Batches are sized to be sent
 * in about `batchTargetMs`, well within it.
 */
const holdMs = 10_000;
const batchTargetMs = 1_000;
/** At most this many prepared rows per lane: beyond, a round trip saved per batch no longer shows. */
const maxPerLane = 8;

type Held = PreparedMessage & { heldUntil: Date };

/**
 * Sends a bulk send's due rows on `concurrency` lanes until none is due, the slice's `deadline`
 * passes or a lane fails (thrown once the others have stopped).
 *
 * Rows are prepared in batches, one transaction each (claim, customers, reset tokens, templates:
 * a handful of statements for up to `concurrency × 8` rows), and held — still pending — until a
 * lane sends them. Each row is taken for its attempt on its own, in the statement that records the
 * lane's previous row as sent, right before it goes to the server: so a worker killed mid-way
 * leaves at most one row per lane "sending" (reported as "may not have arrived", never sent again),
 * and the rows it held go out from another worker.
 *
 * With a limit a minute, a batch is never larger than what the limit allows now, counting the
 * rows held and being sent (throttle.ts), nor than a second's worth of it (or one row per lane);
 * without one, the next batch is prepared while the lanes send the last of the current one.
 */
export async function sendDueRowsOfBulk(
  context: BulkDeliveryContext,
  bulkSendId: number,
  deadline: number,
): Promise<void> {
  const { db, clock, transport, perMinute } = context;
  const lanes = Math.max(1, Math.min(context.concurrency, perMinute > 0 ? perMinute : Infinity));
  const settings = await context.shop.current();
  const queue: Held[] = [];
  /** Rows taken from the queue whose outcome is not recorded yet. */
  let active = 0;
  let isExhausted = false;
  let failure: { error: unknown } | undefined;
  let refill: Promise<void> | undefined;
  let perLane = 1;
  let laneMs: number | undefined;
  const isStopping = () => failure !== undefined || Date.now() >= deadline;

  /** Prepares the next batch; sets `isExhausted` when no row is due. */
  async function prepareBatch(): Promise<void> {
    while (!isExhausted && !isStopping()) {
      const now = clock.now();
      let limit = lanes * perLane;
      if (perMinute > 0) {
        // Lanes ≤ the limit, and a batch only when a lane is waiting: there is room for one at least.
        const room = perMinute - queue.length - active;
        if (room <= 0) {
          await sleep(50);
          continue;
        }
        const recent = await outbox.recentBulkSends(db.pool, new Date(now.getTime() - 60_000), room);
        if (recent.count >= room) {
          const wait = throttleWaitMs(recent.oldestSentAt, now);
          await sleep(Math.min(wait, Math.max(deadline - Date.now(), 0)) + 10);
          continue;
        }
        // Another worker counts this batch only once it is sent: at most a second's worth of the
        // limit (or one row per lane), so that two workers together overshoot it by little.
        limit = Math.min(limit, Math.max(lanes, Math.floor(perMinute / 60)), room - recent.count);
      }
      const heldUntil = new Date(now.getTime() + holdMs);
      const prepared = await db.transaction(async (tx) => {
        const rows = await outbox.lockDueOfBulk(tx, bulkSendId, now, limit);
        return { count: rows.length, messages: await context.prepareRows(tx, rows, settings, heldUntil) };
      });
      if (prepared.count === 0) isExhausted = true;
      queue.push(...prepared.messages.map((message) => ({ ...message, heldUntil })));
      if (prepared.messages.length > 0) return;
    }
  }
  const startRefill = () =>
    (refill ??= prepareBatch()
      .catch((error: unknown) => {
        failure ??= { error };
      })
      .finally(() => {
        refill = undefined;
      }));

  async function nextMessage(): Promise<Held | undefined> {
    while (!isStopping()) {
      const next = queue.shift();
      if (next) {
        active += 1;
        // Without a limit, the next batch is made while this one is still being sent
        // (from half a batch left, so the lanes do not wait for it).
        if (perMinute === 0 && queue.length < Math.max(lanes, (lanes * perLane) / 2) && !isExhausted)
          void startRefill();
        return next;
      }
      if (isExhausted) return undefined;
      await startRefill();
    }
    return undefined;
  }

  const recordSent = async (sent: SentRow) => {
    await context.recordOutcome(() => outbox.markSent(db.pool, sent.id, sent));
    active -= 1;
  };

  async function lane(): Promise<void> {
    /** The lane's last message went out; recorded together with taking the next row. */
    let sent: SentRow | undefined;
    try {
      for (;;) {
        // Nothing to take at once (a batch to wait for, or the end): record it on its own.
        if (sent && (queue.length === 0 || isStopping())) {
          await recordSent(sent);
          sent = undefined;
        }
        const next = await nextMessage();
        if (!next) return;
        const startedAt = Date.now();
        const message = next.compose();
        const lockedUntil = new Date(clock.now().getTime() + context.leaseMs);
        const { id } = next.row;
        const taken = { id, tokenHash: next.tokenHash, heldUntil: next.heldUntil, lockedUntil };
        const attempts = await context.recordOutcome(() =>
          outbox.handOver(db.pool, { ...(sent && { sent }), next: taken }),
        );
        if (sent) active -= 1;
        sent = undefined;
        if (attempts === undefined) {
          // Held too long: another worker took it (its token replaced this one's), and sends it.
          active -= 1;
          continue;
        }
        const outcome = await transport.send(message);
        if (outcome.status === 'sent') {
          const { subject, messageId } = message;
          sent = { id, now: clock.now(), subject, messageId, serverResponse: outcome.response };
        } else {
          try {
            await context.recordUnsent({ ...next, row: { ...next.row, attempts } }, outcome);
          } finally {
            active -= 1;
          }
        }
        noteLaneMs(Date.now() - startedAt);
      }
    } catch (error) {
      failure ??= { error }; // the other lanes stop after the row they are sending
    } finally {
      if (sent) await recordSent(sent).catch((error: unknown) => (failure ??= { error }));
    }
  }

  /** Batches of about `batchTargetMs` of sending per lane: small while the server is slow. */
  function noteLaneMs(ms: number) {
    laneMs = laneMs === undefined ? ms : laneMs * 0.8 + ms * 0.2;
    perLane = Math.min(maxPerLane, Math.max(1, Math.floor(batchTargetMs / Math.max(laneMs, 1))));
  }

  await Promise.allSettled(Array.from({ length: lanes }, lane));
  await refill;
  await releaseHeld(context, queue.splice(0));
  if (failure) throw failure.error;
}

/**
 * Rows prepared but not sent go back at once, their tokens deleted (nobody ever saw them). When
 * that fails too, the rows wait out their hold and are prepared again by whoever takes them.
 */
async function releaseHeld(context: BulkDeliveryContext, held: readonly Held[]): Promise<void> {
  if (held.length === 0) return;
  const rows = held.map(({ row, tokenHash }) => ({ id: row.id, tokenHash }));
  try {
    await context.db.transaction(async (tx) => {
      await outbox.releaseHeld(tx, rows, context.clock.now());
      await accountRepository.deleteResetTokens(
        tx,
        held.flatMap(({ tokenHash }) => (tokenHash ? [tokenHash] : [])),
      );
    });
  } catch {
    // Waiting out the hold (10 s) is the fallback; the send's own error, if any, is what counts.
  }
}

import { randomUUID } from 'node:crypto';
import type { Queryable } from '../db/database.ts';
import type { Queue } from '../jobs/queue.ts';
import type { Clock } from '../shared/clock.ts';
import type { ShopIdentity } from '../shop/shop-settings.service.ts';
import type { TemplateLanguage } from './default-templates.ts';
import type { MailJobs } from './mail.jobs.ts';
import { outboxRepository, type OutboxReason } from './outbox.repository.ts';
import type { TemplateKey } from './placeholders.ts';

export type Outbox = ReturnType<typeof createOutbox>;

/** The language of a customer's e-mails: theirs when a template exists for it, else the default. */
export const mailLanguageOf = (language: string, fallback: TemplateLanguage): TemplateLanguage =>
  language === 'en' || language === 'nl' ? language : fallback;

/**
 * Writes a mail to the outbox inside the caller's transaction, together with its delivery job:
 * the mail exists exactly when the change that causes it commits.
 */
export function createOutbox(deps: {
  queue: Queue;
  jobs: MailJobs;
  clock: Clock;
  /** Its default language goes to customers without one, read when the mail is queued. */
  shop: ShopIdentity;
}) {
  return {
    async queueCustomerMail(
      tx: Queryable,
      input: {
        customer: { id: number; email: string; language: string };
        reason: Exclude<OutboxReason, 'password_bulk' | 'template_test' | 'staff_password_link' | 'staff_notice'>;
        templateKey: TemplateKey;
        requestedBy?: number | null;
        /** Defaults to a fresh one: every request is its own cause. */
        idempotencyKey?: string;
      },
    ): Promise<{ id: number; createdAt: Date } | undefined> {
      const now = deps.clock.now();
      const id = await outboxRepository.insert(tx, {
        idempotencyKey: input.idempotencyKey ?? `${input.reason}:${input.customer.id}:${randomUUID()}`,
        reason: input.reason,
        templateKey: input.templateKey,
        language: mailLanguageOf(input.customer.language, (await deps.shop.current(tx)).defaultLanguage),
        customerId: input.customer.id,
        requestedBy: input.requestedBy ?? null,
        toAddress: input.customer.email,
        now,
      });
      if (id === undefined) return undefined;
      await deps.queue.enqueue(deps.jobs.send, { outboxId: id }, { transaction: tx });
      return { id, createdAt: now };
    },

    /**
     * A staff user's invitation or reset e-mail, made by the caller with its one-time link, in the
     * transaction that stores the link's token. Undefined (nothing written) when the key exists:
     * the job that makes it ran before, and its mail is already on its way — at most one e-mail,
     * one valid link, per cause. Delivery sends the message as it is (its body is the draft, left
     * out of the row once sent).
     */
    async queueStaffMail(
      tx: Queryable,
      input: { idempotencyKey: string; toAddress: string; language: TemplateLanguage; subject: string; bodyHtml: string; reason?: 'staff_password_link' | 'staff_notice' },
    ): Promise<number | undefined> {
      const id = await outboxRepository.insert(tx, {
        idempotencyKey: input.idempotencyKey,
        reason: input.reason ?? 'staff_password_link',
        // Not used to render (the draft is the message); the nearest kind for the outbox's records.
        templateKey: 'password_reset',
        language: input.language,
        customerId: null,
        requestedBy: null,
        toAddress: input.toAddress,
        draft: { subject: input.subject, bodyHtml: input.bodyHtml },
        now: deps.clock.now(),
      });
      if (id !== undefined) await deps.queue.enqueue(deps.jobs.send, { outboxId: id }, { transaction: tx });
      return id;
    },
  };
}

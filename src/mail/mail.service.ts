import { randomUUID } from 'node:crypto';
import type { Database } from '../db/database.ts';
import type { Queue } from '../jobs/queue.ts';
import type { Clock } from '../shared/clock.ts';
import { senderOf, type ShopIdentity } from '../shop/shop-settings.service.ts';
import { AppError, notFound } from '../shared/errors.ts';
import { defaultTemplates, type TemplateLanguage } from './default-templates.ts';
import type { MailJobs } from './mail.jobs.ts';
import type { MailboxListQuery, MailStatus, MailTemplate, MailboxMessage, TemplateInput } from './mail.schemas.ts';
import { mailboxRepository } from './mailbox.repository.ts';
import { outboxRepository } from './outbox.repository.ts';
import {
  checkTemplatePlaceholders,
  placeholderNames,
  resetLinkTemplateKeys,
  type TemplateKey,
} from './placeholders.ts';
import { renderMessage, sampleValues, type RenderedMessage } from './render.ts';
import { redactResetTokens } from './redact.ts';
import { linksInHtml, sanitizeEmailHtml } from './sanitize.ts';
import { templateRepository } from './template.repository.ts';

export type MailServiceDeps = {
  db: Database;
  clock: Clock;
  queue: Queue;
  jobs: MailJobs;
  transportKind: 'smtp' | 'mailbox';
  /** SMTP_URL, when set: only its host and port are ever shown. */
  smtpUrl: string | undefined;
  bulkPerMinute: number;
  /** The shop's name and sender address, read at preview and send time. */
  shop: ShopIdentity;
  baseUrl: string;
};
export type MailService = ReturnType<typeof createMailService>;

const mailboxBanner =
  'No SMTP server is configured (SMTP_URL), so mail is not leaving the building: every e-mail lands in this built-in mailbox.';

/** Notification templates (edit, preview, test) and the built-in mailbox. */
export function createMailService(deps: MailServiceDeps) {
  const { db, clock } = deps;

  async function getTemplate(key: TemplateKey, language: TemplateLanguage): Promise<MailTemplate> {
    const stored = await templateRepository.find(db.pool, key, language);
    const content = stored ?? defaultTemplates[key][language];
    return {
      key,
      language,
      subject: content.subject,
      bodyHtml: content.bodyHtml,
      isDefault: !stored,
      updatedAt: stored?.updatedAt.toISOString() ?? null,
      placeholders: [...placeholderNames],
      requiredPlaceholders: resetLinkTemplateKeys.includes(key) ? ['reset_link'] : [],
    };
  }

  /** Placeholders are checked first (an unknown one is named in the error), then the HTML is sanitised. */
  function validated(key: TemplateKey, input: TemplateInput): TemplateInput & { wasSanitized: boolean } {
    const check = checkTemplatePlaceholders(key, input.subject, input.bodyHtml);
    if (!check.ok)
      throw new AppError('invalid_input', 'The template uses placeholders that do not work.', check.error);
    const bodyHtml = sanitizeEmailHtml(input.bodyHtml);
    if (bodyHtml.trim() === '') {
      throw new AppError('invalid_input', 'Nothing is left of this text after removing unsafe content.', {
        bodyHtml: {
          code: 'required',
          message: 'Nothing is left of this text after removing unsafe content.',
        },
      });
    }
    return { subject: input.subject, bodyHtml, wasSanitized: bodyHtml !== input.bodyHtml };
  }

  async function contentOrDraft(
    key: TemplateKey,
    language: TemplateLanguage,
    draft: TemplateInput | undefined,
  ) {
    if (draft) return validated(key, draft);
    const template = await getTemplate(key, language);
    return { subject: template.subject, bodyHtml: template.bodyHtml };
  }

  const smtpServer = deps.transportKind === 'smtp' && deps.smtpUrl ? new URL(deps.smtpUrl).host : null;
  const status = async (): Promise<MailStatus> => ({
    transport: deps.transportKind,
    isLeavingTheBuilding: deps.transportKind === 'smtp',
    message:
      deps.transportKind === 'smtp'
        ? `E-mail is sent through the SMTP server ${smtpServer ?? '(configured)'}.`
        : mailboxBanner,
    smtpServer,
    from: senderOf(await deps.shop.current()),
    bulkPerMinute: deps.bulkPerMinute,
  });

  return {
    getTemplate,

    async listTemplates(): Promise<MailTemplate[]> {
      const all: MailTemplate[] = [];
      for (const key of Object.keys(defaultTemplates) as TemplateKey[]) {
        for (const language of ['en', 'nl'] as const) all.push(await getTemplate(key, language));
      }
      return all;
    },

    async saveTemplate(
      key: TemplateKey,
      language: TemplateLanguage,
      input: TemplateInput,
      staffUserId: number,
    ): Promise<MailTemplate> {
      const clean = validated(key, input);
      await templateRepository.upsert(db.pool, {
        key,
        language,
        subject: clean.subject,
        bodyHtml: clean.bodyHtml,
        now: clock.now(),
        staffUserId,
      });
      return { ...(await getTemplate(key, language)), wasSanitized: clean.wasSanitized };
    },

    async resetTemplate(key: TemplateKey, language: TemplateLanguage): Promise<MailTemplate> {
      await templateRepository.delete(db.pool, key, language);
      return getTemplate(key, language);
    },

    /** The template (or the editor's draft) filled in for a sample customer. */
    async preview(
      key: TemplateKey,
      language: TemplateLanguage,
      draft?: TemplateInput,
    ): Promise<RenderedMessage> {
      const content = await contentOrDraft(key, language, draft);
      return renderMessage(
        content,
        sampleValues(language, { shopName: (await deps.shop.current()).shopName, shopUrl: deps.baseUrl }),
        language,
      );
    },

    /** "Send test e-mail to me": the sample customer's message, to the staff user's address. */
    async sendTest(
      key: TemplateKey,
      language: TemplateLanguage,
      draft: TemplateInput | undefined,
      staff: { id: number; email: string },
    ) {
      const content = await contentOrDraft(key, language, draft);
      const now = clock.now();
      return db.transaction(async (tx) => {
        const id = await outboxRepository.insert(tx, {
          idempotencyKey: `template_test:${staff.id}:${randomUUID()}`,
          reason: 'template_test',
          templateKey: key,
          language,
          customerId: null,
          requestedBy: staff.id,
          toAddress: staff.email,
          draft: { subject: content.subject, bodyHtml: content.bodyHtml },
          now,
        });
        await deps.queue.enqueue(deps.jobs.send, { outboxId: id! }, { transaction: tx });
        return { id: id!, status: 'pending' as const, to: staff.email, createdAt: now.toISOString() };
      });
    },

    status,

    async mailbox({ limit, before, q, kind }: MailboxListQuery) {
      const items = await mailboxRepository.listPage(db.pool, limit + 1, { before, q, kind });
      const page = items.slice(0, limit);
      return {
        items: page,
        nextBefore: items.length > limit ? (page.at(-1)?.id ?? null) : null,
        status: await status(),
      };
    },

    /** Without `showResetLinks` the tokens of reset links are hidden (src/mail/redact.ts). */
    async mailboxMessage(id: number, { showResetLinks }: { showResetLinks: boolean }): Promise<MailboxMessage> {
      const message = await mailboxRepository.findById(db.pool, id);
      if (!message) throw notFound(`Mailbox message #${id}`);
      if (showResetLinks) return { ...message, links: linksInHtml(message.html), areResetLinksHidden: false };
      const html = redactResetTokens(message.html);
      return { ...message, html, text: redactResetTokens(message.text), links: linksInHtml(html), areResetLinksHidden: true };
    },
  };
}

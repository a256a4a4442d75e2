import { z } from 'zod';
import { customerListQuerySchema } from '../customers/customer.schemas.ts';
import { templateLanguages } from './default-templates.ts';
import { placeholderNames, templateKeys } from './placeholders.ts';
import { outboxReasons, outboxStatuses } from './outbox.repository.ts';

/** The REST shapes of mail: templates, previews, password e-mails (one and bulk), the mailbox. */
export const templateParamsSchema = z.object({
  key: z.enum(templateKeys),
  language: z.enum(templateLanguages),
});

export const templateInputSchema = z.object({
  subject: z.string().trim().min(1, 'An e-mail needs a subject.').max(200),
  bodyHtml: z.string().trim().min(1, 'An e-mail needs a text.').max(100_000),
});
export type TemplateInput = z.infer<typeof templateInputSchema>;

export const templateSchema = z.object({
  key: z.enum(templateKeys),
  language: z.enum(templateLanguages),
  subject: z.string(),
  bodyHtml: z.string(),
  /** True while staff never saved this template (or reset it): the shipped text is used. */
  isDefault: z.boolean(),
  updatedAt: z.string().nullable(),
  /** Placeholders the editor lists beside the text. */
  placeholders: z.array(z.enum(placeholderNames)),
  requiredPlaceholders: z.array(z.enum(placeholderNames)),
  /** After a save: whether sanitising removed or changed something (scripts, event handlers, …). */
  wasSanitized: z.boolean().optional(),
});
export type MailTemplate = z.infer<typeof templateSchema>;

/** Preview and test: the draft in the editor (unsaved), or the saved template when omitted. */
export const templateDraftSchema = z.object({ draft: templateInputSchema.optional() });

export const renderedMessageSchema = z.object({ subject: z.string(), html: z.string(), text: z.string() });

export const outboxStatusSchema = z.enum(outboxStatuses);
export const outboxReasonSchema = z.enum(outboxReasons);

export const mailDeliverySchema = z.object({
  id: z.number().int(),
  status: outboxStatusSchema,
  to: z.string(),
  createdAt: z.string(),
});

export const passwordStatusSchema = z.object({
  customerId: z.number().int(),
  passwordState: z.enum(['none', 'set', 'must_reset', 'imported_hash']),
  passwordChangedAt: z.string().nullable(),
  lastLoginAt: z.string().nullable(),
  /** The latest e-mail with a reset link: Account password (staff, bulk) or Password reset (the customer's own request). */
  lastSent: z
    .object({
      id: z.number().int(),
      reason: z.string(),
      status: outboxStatusSchema,
      createdAt: z.string(),
      sentAt: z.string().nullable(),
      error: z.string().nullable(),
    })
    .nullable(),
  /** Whether the customer chose a password after that e-mail was sent; null when none was sent. */
  hasSetPasswordSince: z.boolean().nullable(),
  /** "mailbox" when no SMTP is configured: the e-mail lands in the built-in mailbox. */
  transport: z.enum(['smtp', 'mailbox']),
  /** How long a link sent by staff works (RESET_TOKEN_TTL_HOURS_STAFF_SENT). */
  resetLinkValidHours: z.number().int(),
  /** The language the e-mail goes out in: the customer's, or MAIL_DEFAULT_LANGUAGE when they have none. */
  emailLanguage: z.enum(templateLanguages),
});
export type PasswordStatus = z.infer<typeof passwordStatusSchema>;

const bulkOptions = {
  /** Also e-mail customers whose old password hash was imported (they can log in with their old password). */
  includeImportedHashes: z.boolean().default(false),
  /**
   * Send although some recipients were already sent the Account password e-mail (by staff or an
   * earlier bulk send, still queued or sent). Without it such a send is refused: 409 `conflict`
   * with `reason: "already_sent"`, `alreadySentCount` and `lastSentAt`.
   */
  confirmResend: z.boolean().default(false),
};
export const bulkSelectionSchema = z.union([
  z.object({ customerIds: z.array(z.number().int().positive()).min(1).max(100_000), ...bulkOptions }),
  // Every filter of the customer list, so "all N matching" sends to what the list showed.
  z.object({
    filter: customerListQuerySchema.pick({
      q: true,
      email: true,
      groupId: true,
      importId: true,
      flagged: true,
      sinceFrom: true,
      sinceBefore: true,
      createdFrom: true,
      createdBefore: true,
      country: true,
      newsletter: true,
      tag: true,
    }),
    ...bulkOptions,
  }),
  z.object({ importId: z.number().int().positive(), ...bulkOptions }),
]);
export type BulkSelection = z.infer<typeof bulkSelectionSchema>;

export const bulkCountsSchema = z.object({
  matched: z.number().int(),
  willSend: z.number().int(),
  skippedHasPassword: z.number().int(),
  skippedImportedHash: z.number().int(),
});

/** The bulk-send confirmation: the counts, and who gets the e-mail in the shop's default language. */
export const bulkPreviewSchema = bulkCountsSchema.extend({
  /** Recipients whose language has no e-mails (none, or not en/nl): they get `defaultLanguage`. */
  withoutLanguage: z.number().int(),
  defaultLanguage: z.enum(['en', 'nl']),
  shopName: z.string(),
  /** The shop is still called "My shop" (Settings › General): every e-mail would say so. */
  isPlaceholderShopName: z.boolean(),
  /** Recipients who were already sent the Account password e-mail (queued or sent), and when last: the send then needs `confirmResend`. */
  alreadySent: z.object({ count: z.number().int(), lastSentAt: z.string().nullable() }),
});
export type BulkPreview = z.infer<typeof bulkPreviewSchema>;

/** Who a bulk send was for, for the list of bulk sends (the stored request, summarised). */
export const bulkSelectionSummarySchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('customers'), count: z.number().int() }),
  z.object({
    kind: z.literal('filter'),
    q: z.string().nullable(),
    email: z.string().nullable(),
    groupId: z.number().int().nullable(),
  }),
  z.object({ kind: z.literal('import'), importId: z.number().int() }),
  /** "Send again to the failed ones" of that bulk send. */
  z.object({ kind: z.literal('failed'), bulkSendId: z.number().int() }),
]);
export type BulkSelectionSummary = z.infer<typeof bulkSelectionSummarySchema>;

export const bulkSendSchema = z.object({
  id: z.number().int(),
  createdAt: z.string(),
  createdBy: z.object({ id: z.number().int(), name: z.string() }).nullable(),
  selection: bulkSelectionSummarySchema,
  includeImportedHashes: z.boolean(),
  counts: bulkCountsSchema,
  progress: z.object({
    pending: z.number().int(),
    sending: z.number().int(),
    sent: z.number().int(),
    failed: z.number().int(),
    skipped: z.number().int(),
    /** 0–100: share of the queued e-mails that are done (sent, failed or skipped). */
    percent: z.number(),
  }),
  status: z.enum(['sending', 'done']),
  perMinute: z.number().int().describe('Bulk e-mails a minute at most (MAIL_SEND_PER_MINUTE); 0: no limit (the built-in mailbox, or MAIL_SEND_PER_MINUTE=off).'),
  transport: z.enum(['smtp', 'mailbox']),
  /** The bulk send whose failed recipients this one sends to again. */
  resendOf: z.number().int().nullable(),
  /** The bulk send that sent to this one's failed recipients again (at most one). */
  resentAs: z.number().int().nullable(),
});
export type BulkSend = z.infer<typeof bulkSendSchema>;

export const bulkSendListQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  /** The id where the previous page ended (newest first). */
  before: z.coerce.number().int().positive().optional(),
  /** Only the bulk sends made for this import's customers (the import report). */
  importId: z.coerce.number().int().positive().optional(),
});
export const bulkSendPageSchema = z.object({
  items: z.array(bulkSendSchema),
  nextBefore: z.number().int().nullable(),
});
export type BulkSendPage = z.infer<typeof bulkSendPageSchema>;

export const mailStatusSchema = z.object({
  transport: z.enum(['smtp', 'mailbox']),
  isLeavingTheBuilding: z.boolean(),
  message: z.string(),
  /** Host and port of the SMTP server (never its user name or password); null for the mailbox. */
  smtpServer: z.string().nullable(),
  /** The sender of every e-mail (MAIL_FROM). */
  from: z.string(),
  /** The throttle of bulk password e-mails (MAIL_SEND_PER_MINUTE), for "this takes about …". */
  bulkPerMinute: z.number().int().describe('Bulk e-mails a minute at most (MAIL_SEND_PER_MINUTE); 0: no limit (the built-in mailbox, or MAIL_SEND_PER_MINUTE=off).'),
});
export type MailStatus = z.infer<typeof mailStatusSchema>;

export const mailboxListQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  before: z.coerce.number().int().positive().optional(),
  /** Part of the recipient's address or of the subject (either), any case. */
  q: z.string().trim().max(200).optional(),
  /** Only messages sent for this reason (password e-mail by staff, bulk, forgot password, …). */
  kind: outboxReasonSchema.optional(),
});
export type MailboxListQuery = z.infer<typeof mailboxListQuerySchema>;

export const mailboxItemSchema = z.object({
  id: z.number().int(),
  from: z.string(),
  to: z.string(),
  subject: z.string(),
  createdAt: z.string(),
  /** Why it was sent (from the outbox row); null when that row is gone. */
  reason: outboxReasonSchema.nullable(),
  templateKey: z.enum(templateKeys).nullable(),
});
export type MailboxItem = z.infer<typeof mailboxItemSchema>;
export const mailLinkSchema = z.object({ text: z.string(), href: z.string() });
export const mailboxMessageSchema = mailboxItemSchema.extend({
  html: z.string(),
  text: z.string(),
  /** Every link in the HTML part, so staff can see (and follow) where it points. */
  links: z.array(mailLinkSchema),
  /** The tokens of reset links are hidden: the reader's role may not use live reset links. */
  areResetLinksHidden: z.boolean(),
});
export const mailboxPageSchema = z.object({
  items: z.array(mailboxItemSchema),
  nextBefore: z.number().int().nullable(),
  status: mailStatusSchema,
});
export type MailboxMessage = z.infer<typeof mailboxMessageSchema>;

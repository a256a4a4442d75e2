import type { Config } from '../config/config.ts';
import type { Database } from '../db/database.ts';
import type { Queue } from '../jobs/queue.ts';
import type { Clock } from '../shared/clock.ts';
import { addressOf, type ShopIdentity } from '../shop/shop-settings.service.ts';
import { createBulkRecipientService } from './bulk-recipients.service.ts';
import { createDeliveryService } from './delivery.service.ts';
import { createMailJobs } from './mail.jobs.ts';
import { createMailService } from './mail.service.ts';
import { createMailboxTransport, createSmtpTransport, type MailTransport } from './mail.transport.ts';
import { createOutbox } from './outbox.service.ts';
import { createPasswordEmailService } from './password-email.service.ts';
import type { RetryPolicy } from './throttle.ts';

/** Where links in e-mails point: PUBLIC_URL, else this server's own address. */
export function publicBaseUrl(config: Pick<Config, 'publicUrl' | 'host' | 'port'>): string {
  if (config.publicUrl) return config.publicUrl.replace(/\/$/, '');
  const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  return `http://${host}:${config.port}`;
}

/** The sender address until the shop owner sets one: MAIL_FROM's, else no-reply@ this server's host. */
export const defaultSenderEmail = (
  config: Pick<Config, 'mailFrom' | 'publicUrl' | 'host' | 'port'>,
): string =>
  config.mailFrom ? addressOf(config.mailFrom) : `no-reply@${new URL(publicBaseUrl(config)).hostname}`;

/** Builds the mail feature for the composition root: transport, delivery, jobs and services. */
export function createMailModule(
  config: Config,
  deps: {
    db: Database;
    clock: Clock;
    queue: Queue;
    shop: ShopIdentity;
    transport?: MailTransport;
    /** Shorter retries for tests (see AppOverrides.mailRetry). */
    retry?: RetryPolicy;
  },
) {
  const { db, clock, queue, shop } = deps;
  const baseUrl = publicBaseUrl(config);
  const transport =
    deps.transport ??
    (config.smtpUrl
      ? createSmtpTransport(config.smtpUrl, { connections: config.mailSendConcurrency })
      : createMailboxTransport(db.pool, () => clock.now()));
  // The built-in mailbox is a table of our own: no provider's limit to respect.
  const bulkPerMinute = transport.kind === 'mailbox' ? 0 : config.mailSendPerMinute;
  const delivery = createDeliveryService({
    db,
    clock,
    transport,
    shop,
    messageIdDomain: defaultSenderEmail(config).split('@')[1] ?? 'clientele.invalid',
    baseUrl,
    staffResetTtlMs: config.resetTokenTtlHoursStaffSent * 3_600_000,
    bulkPerMinute,
    bulkConcurrency: config.mailSendConcurrency,
    databaseRetry: config.databaseRetry,
    ...(deps.retry && { retry: deps.retry }),
  });
  const jobs = createMailJobs({ delivery, queue });
  const outbox = createOutbox({ queue, jobs, clock, shop });
  const shared = { db, clock, queue, jobs, transportKind: transport.kind };
  return {
    transport,
    baseUrl,
    delivery,
    jobs,
    outbox,
    mail: createMailService({
      ...shared,
      smtpUrl: config.smtpUrl,
      bulkPerMinute,
      shop,
      baseUrl,
    }),
    passwordEmails: createPasswordEmailService({
      ...shared,
      outbox,
      shop,
      bulkPerMinute,
      resetLinkValidHours: config.resetTokenTtlHoursStaffSent,
    }),
    bulkRecipients: createBulkRecipientService({ db }),
  };
}

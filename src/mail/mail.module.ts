import type { Config } from '../config/config.ts';
import type { Database } from '../db/database.ts';
import type { Queue } from '../jobs/queue.ts';
import type { Clock } from '../shared/clock.ts';
import { createDeliveryService } from './delivery.service.ts';
import { createMailJobs } from './mail.jobs.ts';
import { createMailService } from './mail.service.ts';
import { createMailboxTransport, createSmtpTransport, type MailTransport } from './mail.transport.ts';
import { createOutbox } from './outbox.service.ts';
import { createPasswordEmailService } from './password-email.service.ts';

/** Where links in e-mails point: PUBLIC_URL, else this server's own address. */
export function publicBaseUrl(config: Pick<Config, 'publicUrl' | 'host' | 'port'>): string {
  if (config.publicUrl) return config.publicUrl.replace(/\/$/, '');
  const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  return `http://${host}:${config.port}`;
}

/** Builds the mail feature for the composition root: transport, delivery, jobs and services. */
export function createMailModule(
  config: Config,
  deps: { db: Database; clock: Clock; queue: Queue; transport?: MailTransport },
) {
  const { db, clock, queue } = deps;
  const baseUrl = publicBaseUrl(config);
  const transport =
    deps.transport ??
    (config.smtpUrl
      ? createSmtpTransport(config.smtpUrl)
      : createMailboxTransport(db.pool, () => clock.now()));
  const from =
    config.mailFrom ?? `"${config.shopName.replace(/["\\]/g, '')}" <no-reply@${new URL(baseUrl).hostname}>`;
  const delivery = createDeliveryService({
    db,
    clock,
    transport,
    from,
    shopName: config.shopName,
    baseUrl,
    staffResetTtlMs: config.resetTokenTtlHoursStaffSent * 3_600_000,
    bulkPerMinute: config.mailSendPerMinute,
  });
  const jobs = createMailJobs({ delivery, queue });
  const outbox = createOutbox({ queue, jobs, clock, defaultLanguage: config.mailDefaultLanguage });
  const shared = { db, clock, queue, jobs, transportKind: transport.kind };
  return {
    transport,
    from,
    baseUrl,
    delivery,
    jobs,
    outbox,
    mail: createMailService({
      ...shared,
      smtpUrl: config.smtpUrl,
      from,
      bulkPerMinute: config.mailSendPerMinute,
      shopName: config.shopName,
      baseUrl,
    }),
    passwordEmails: createPasswordEmailService({
      ...shared,
      outbox,
      defaultLanguage: config.mailDefaultLanguage,
      bulkPerMinute: config.mailSendPerMinute,
      resetLinkValidHours: config.resetTokenTtlHoursStaffSent,
    }),
  };
}

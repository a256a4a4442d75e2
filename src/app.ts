import type { Config } from './config/config.ts';
import { createCustomerService } from './customers/customer.service.ts';
import { createAddressBookService } from './addresses/address-book.service.ts';
import { createGroupService } from './customers/group.service.ts';
import { createCustomerBulkService } from './customers/customer-bulk.service.ts';
import { createFlagService } from './flags/flag.service.ts';
import { createDatabase, type Database } from './db/database.ts';
import { startEmbeddedPostgres } from './db/embedded-postgres.ts';
import { migrate } from './db/migrate.ts';
import { createPgBossQueue } from './jobs/pg-boss.queue.ts';
import { unavailableQueue, type JobDefinition, type Queue } from './jobs/queue.ts';
import { createWorkCounters, type WorkCounters } from './jobs/work-counters.ts';
import { systemClock, type Clock } from './shared/clock.ts';
import { createRateLimiter } from './accounts/rate-limit.ts';
import { createStaffService } from './staff/staff.service.ts';
import { createStaffPasswordService } from './staff/staff-password.service.ts';
import { createAccountService } from './accounts/account.service.ts';
import { createMailModule } from './mail/mail.module.ts';
import type { RetryPolicy } from './mail/throttle.ts';
import { createLocalFileStore, type FileStore } from './files/file-store.ts';
import { createImportModule, type ImportTuning } from './imports/import.module.ts';
import { createExportModule } from './exports/export.module.ts';
import { createShopSettingsService } from './shop/shop-settings.service.ts';
import { createOverviewService } from './overview/overview.service.ts';
import { defaultSenderEmail } from './mail/mail.module.ts';
import { createDuplicateService } from './duplicates/duplicate.service.ts';
import { createMergeService } from './duplicates/merge.service.ts';
import { createPrivacyService } from './privacy/privacy.service.ts';
import { createSourceService } from './sources/source.service.ts';
import { createCompanyService } from './companies/company.service.ts';
import { createCompanyAddressService } from './companies/company-address.service.ts';
import { createVatCheckService } from './companies/vat-check.service.ts';
import { createViesClient } from './companies/vies.ts';

/** The one composition root: builds the database handle and every service from the config. */
export type AppServices = ReturnType<typeof createServices>;

export type AppOverrides = {
  clock?: Clock;
  queue?: Queue;
  fileStore?: FileStore;
  importTuning?: ImportTuning;
  work?: WorkCounters;
  /** Where a database outage is told (once a minute while it lasts); the CLI passes its warning log. */
  outageLog?: (line: string) => void;
  /** Tests: bulk e-mails tried again sooner and fewer times, to see the retries run out. */
  mailRetry?: RetryPolicy;
};

/**
 * The file store the config names: the S3 bucket when FILE_STORE=s3, otherwise the local
 * directory. The AWS SDK is loaded only for S3 (it costs every process ~0.1 s and ~28 MB).
 */
export async function createFileStore(config: Pick<Config, 's3' | 'fileStoreDir'>, clock: Clock): Promise<FileStore> {
  const now = () => clock.now();
  if (!config.s3) return createLocalFileStore(config.fileStoreDir, now);
  const { createS3FileStore } = await import('./files/s3-file-store.ts');
  return createS3FileStore(config.s3, now);
}

/** The file store of services built without one: only the local directory can be made here (see createFileStore). */
function defaultFileStore(config: Config, clock: Clock): FileStore {
  if (config.s3) throw new Error('FILE_STORE=s3: build the store with createFileStore and pass it as fileStore.');
  return createLocalFileStore(config.fileStoreDir, () => clock.now());
}

export function createServices(config: Config, db: Database, overrides: AppOverrides = {}) {
  const clock = overrides.clock ?? systemClock;
  const queue = overrides.queue ?? unavailableQueue;
  // What this process's workers do (its share in /metrics); the queue counts its job runs into it too.
  const work = overrides.work ?? createWorkCounters();
  const fileStore = overrides.fileStore ?? defaultFileStore(config, clock);
  // Every job type of every feature; createApp / createTestApp register them with the queue.
  const jobDefinitions: JobDefinition[] = [];
  const shopSettings = createShopSettingsService({
    db,
    clock,
    // The environment gives the first values only; Settings › General (the database) wins.
    defaults: {
      shopName: config.shopName,
      country: 'NL',
      defaultLanguage: config.mailDefaultLanguage,
      senderEmail: defaultSenderEmail(config),
      isSmtpConfigured: config.smtpUrl !== undefined,
    },
  });
  const customers = createCustomerService({ db, clock, shop: shopSettings, listStatementTimeoutMs: config.listStatementTimeoutMs });
  const mail = createMailModule(config, { db, clock, queue, shop: shopSettings, ...(overrides.mailRetry && { retry: overrides.mailRetry }) });
  jobDefinitions.push(...mail.jobs.definitions);
  const imports = createImportModule(config, { db, clock, queue, fileStore, work, ...(overrides.importTuning && { tuning: overrides.importTuning }) });
  jobDefinitions.push(...imports.jobs.definitions);
  let sweepTimer: ReturnType<typeof setInterval> | undefined;
  let sourceTimer: ReturnType<typeof setInterval> | undefined;
  let recoveryTimer: NodeJS.Timeout | undefined;
  const exportModule = createExportModule(config, { db, clock, queue, fileStore, shop: shopSettings });
  jobDefinitions.push(...exportModule.jobs.definitions);
  const staffPasswords = createStaffPasswordService({
    db,
    clock,
    queue,
    rateLimiter: createRateLimiter(db.pool, clock),
    outbox: mail.outbox,
    shop: shopSettings,
    baseUrl: mail.baseUrl,
    inviteTtlMs: config.resetTokenTtlHoursStaffSent * 3_600_000,
  });
  jobDefinitions.push(...staffPasswords.jobDefinitions);
  const duplicates = createDuplicateService({ db, clock, queue });
  jobDefinitions.push(...duplicates.jobDefinitions);
  const vatChecks = createVatCheckService({ db, clock, queue, vies: createViesClient(config.vies), shop: shopSettings });
  jobDefinitions.push(...vatChecks.jobDefinitions);
  const sources = createSourceService({
    db, clock, queue, imports: imports.imports, outbox: mail.outbox, settings: config.sources, timeZone: config.sources.timeZone, publicUrl: mail.baseUrl,
    leaseMs: config.jobLeaseSeconds * 1000,
  });
  jobDefinitions.push(...sources.jobDefinitions);
  return {
    config,
    db,
    clock,
    queue,
    fileStore,
    work,
    jobDefinitions,
    isCookieSecure: config.cookieSecure ?? config.publicUrl?.startsWith('https://') ?? false,
    staff: createStaffService({ db, clock, sessionTtlHours: config.sessionTtlHours, passwords: staffPasswords }),
    staffPasswords,
    customers,
    addressBook: createAddressBookService({ db, clock, shop: shopSettings }),
    companies: createCompanyService({ db, clock, shop: shopSettings }),
    companyAddresses: createCompanyAddressService({ db, clock, shop: shopSettings }),
    vatChecks,
    shopSettings,
    groups: createGroupService({ db, clock, shop: shopSettings }),
    customerBulk: createCustomerBulkService({ db, clock, shop: shopSettings }),
    flags: createFlagService({ db }),
    overview: createOverviewService({ db, clock }),
    duplicates,
    merges: createMergeService({ db, clock }),
    privacy: createPrivacyService({ db, clock, shop: shopSettings }),
    sources,
    imports: imports.imports,
    fixRows: imports.fixRows,
    savedMappings: imports.savedMappings,
    /**
     * Starts this process's job workers, and looks for imports whose worker died (their lease
     * passed) now and every few seconds, so another worker continues them soon.
     */
    async startWorkers() {
      await queue.startWorkers();
      await imports.recoverInterrupted();
      await sources.recoverInterrupted();
      recoveryTimer ??= setInterval(() => {
        void imports.recoverInterrupted().catch(() => {});
        void sources.recoverInterrupted().catch(() => {});
      }, 5_000);
      recoveryTimer.unref();
      // Uploaded files past their retention period go now and every hour (and when the import list is read).
      await imports.imports.sweepExpiredFiles().catch(() => {});
      sweepTimer ??= setInterval(() => void imports.imports.sweepExpiredFiles().catch(() => {}), 3_600_000);
      sweepTimer.unref();
      // Recurring imports: due sources get their run (one per slot, whichever process is first).
      sourceTimer ??= setInterval(() => void sources.tick().catch(() => {}), 30_000);
      sourceTimer.unref();
    },
    stopWorkers() {
      clearInterval(recoveryTimer);
      recoveryTimer = undefined;
      clearInterval(sweepTimer);
      sweepTimer = undefined;
      clearInterval(sourceTimer);
      sourceTimer = undefined;
    },
    exports: exportModule.service,
    runExport: exportModule.run,
    exportToFile: exportModule.toLocalFile,
    mail: mail.mail,
    passwordEmails: mail.passwordEmails,
    bulkRecipients: mail.bulkRecipients,
    mailDelivery: mail.delivery,
    mailTransport: mail.transport,
    accounts: createAccountService({
      db,
      clock,
      customers,
      shop: shopSettings,
      outbox: mail.outbox,
      sessionTtlHours: config.sessionTtlHours,
      loginRateLimitPerMinute: config.loginRateLimitPerMinute,
      passwordResetRateLimitPerHour: config.passwordResetRateLimitPerHour,
      passwordResetRateLimitPerHourPerIp: config.passwordResetRateLimitPerHourPerIp,
    }),
  };
}

export type App = AppServices & { close: () => Promise<void> };

/**
 * Checks the file store, connects to PostgreSQL — `DATABASE_URL` when set, otherwise the
 * embedded server in DATA_DIR — runs pending migrations under an advisory lock, and builds the
 * services.
 */
export async function createApp(config: Config, overrides: AppOverrides = {}, log: (line: string) => void = () => {}): Promise<App> {
  // A store that cannot be used (no bucket, no access) is said at startup, not at the first upload.
  const fileStore = overrides.fileStore ?? (await createFileStore(config, overrides.clock ?? systemClock));
  await fileStore.checkReady();
  // Files a crashed process left half-written (more than an hour untouched) go.
  await fileStore.sweepPartials?.(new Date((overrides.clock ?? systemClock).now().getTime() - 3_600_000));
  const embedded = config.databaseUrl ? undefined : await startEmbeddedPostgres(config.dataDir, log);
  const url = config.databaseUrl ?? embedded!.url;
  const db = createDatabase(url);
  try {
    await db.pool.query('SELECT 1');
    await migrate(db.pool);
  } catch (error) {
    await db.close().catch(() => {});
    await embedded?.stop();
    throw new DatabaseUnavailableError(url, error);
  }
  const work = overrides.work ?? createWorkCounters();
  const queue = await createPgBossQueue(url, (message, error) => (overrides.outageLog ?? log)(error === undefined ? message : `${message}: ${String(error)}`), { work, retry: config.databaseRetry, leaseSeconds: config.jobLeaseSeconds });
  const services = createServices(config, db, { ...overrides, queue, work, fileStore });
  await queue.register(...services.jobDefinitions);
  return {
    ...services,
    async close() {
      services.stopWorkers();
      await queue.stop();
      await services.mailTransport.close();
      await db.close();
      await embedded?.stop();
    },
  };
}

export class DatabaseUnavailableError extends Error {
  override name = 'DatabaseUnavailableError';
  constructor(url: string, cause: unknown) {
    const safeUrl = url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
    super(`Cannot use the database at ${safeUrl}: ${(cause as Error)?.message ?? String(cause)}`);
  }
}

import { isIP } from 'node:net';
import path from 'node:path';
import { z } from 'zod';

/**
 * Every environment variable Clientele reads, declared once. This module is the only reader of
 * process.env; the rest of the code receives a typed `Config`.
 */
const booleanFromEnv = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'must be true or false' })
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

/** A proxy address: an IP address, a CIDR range, or one of proxy-addr's names (loopback, linklocal, uniquelocal). */
const isProxyAddress = (entry: string): boolean => {
  if (['loopback', 'linklocal', 'uniquelocal'].includes(entry)) return true;
  const [address = '', prefix, ...rest] = entry.split('/');
  const version = isIP(address);
  if (!version || rest.length > 0) return false;
  return prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= (version === 4 ? 32 : 128));
};

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce
    .number({ message: 'must be a whole number between 0 and 65535' })
    .int('must be a whole number between 0 and 65535')
    .min(0, 'must be a whole number between 0 and 65535')
    .max(65535, 'must be a whole number between 0 and 65535')
    .default(3000),
  PUBLIC_URL: z.url({ message: 'must be an absolute URL such as https://shop.example.com' }).optional(),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// connection URL')
    .optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  FILE_STORE_DIR: z.string().min(1).optional(),
  FILE_STORE: z.enum(['local', 's3'], { message: 'must be local or s3' }).default('local'),
  // https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
  S3_BUCKET: z
    .string()
    .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be a bucket name: 3 to 63 lowercase letters, digits, dots and hyphens')
    .optional(),
  S3_ENDPOINT: z.url({ message: 'must be the URL of an S3-compatible service, such as http://127.0.0.1:9000' }).optional(),
  S3_REGION: z.string().regex(/^[a-z0-9-]{2,32}$/, 'must be a region name such as eu-west-1 (auto for R2)').optional(),
  AWS_REGION: z.string().min(1).optional(),
  S3_FORCE_PATH_STYLE: booleanFromEnv.optional(),
  S3_PREFIX: z
    .string()
    .regex(/^(?:[A-Za-z0-9._-]+\/)*[A-Za-z0-9._-]+\/?$/, 'must be a key prefix such as clientele/ (letters, digits, . _ - and /, no leading /)')
    .optional(),
  IMPORT_MAX_FILE_MB: z.coerce
    .number({ message: 'must be a whole number of megabytes (1 to 10000)' })
    .int('must be a whole number of megabytes (1 to 10000)')
    .min(1, 'must be a whole number of megabytes (1 to 10000)')
    .max(10_000, 'must be a whole number of megabytes (1 to 10000)')
    .default(200),
  IMPORT_FILE_RETENTION_DAYS: z.coerce
    .number({ message: 'must be a whole number of days (1 to 3650)' })
    .int('must be a whole number of days (1 to 3650)')
    .min(1, 'must be a whole number of days (1 to 3650)')
    .max(3650, 'must be a whole number of days (1 to 3650)')
    .default(30),
  IMPORT_DEFER_INDEXES_FROM_ROWS: z.coerce
    .number({ message: 'must be a whole number of rows (0 to 1000000000; 0: never)' })
    .int('must be a whole number of rows (0 to 1000000000; 0: never)')
    .min(0, 'must be a whole number of rows (0 to 1000000000; 0: never)')
    .max(1_000_000_000, 'must be a whole number of rows (0 to 1000000000; 0: never)')
    .default(50_000),
  INDEX_BUILD_MEMORY_MB: z.coerce
    .number({ message: 'must be a whole number of megabytes (1 to 65536)' })
    .int('must be a whole number of megabytes (1 to 65536)')
    .min(1, 'must be a whole number of megabytes (1 to 65536)')
    .max(65_536, 'must be a whole number of megabytes (1 to 65536)')
    .default(256),
  INDEX_BUILD_PARALLEL_WORKERS: z.coerce
    .number({ message: 'must be a whole number of workers (0 to 64)' })
    .int('must be a whole number of workers (0 to 64)')
    .min(0, 'must be a whole number of workers (0 to 64)')
    .max(64, 'must be a whole number of workers (0 to 64)')
    .optional(),
  EXPORT_RETENTION_DAYS: z.coerce
    .number({ message: 'must be a whole number of days (1 to 3650)' })
    .int('must be a whole number of days (1 to 3650)')
    .min(1, 'must be a whole number of days (1 to 3650)')
    .max(3650, 'must be a whole number of days (1 to 3650)')
    .default(30),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_FORMAT: z.enum(['auto', 'pretty', 'json'], { message: 'must be auto, pretty or json' }).default('auto'),
  SESSION_TTL_HOURS: z.coerce.number().int().min(1).max(24 * 90).default(24 * 7),
  LOGIN_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(10_000).default(10),
  BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).default(1024 * 1024),
  COOKIE_SECURE: booleanFromEnv.optional(),
  TRUST_PROXY: z
    .string()
    .transform((value) => value.split(',').map((entry) => entry.trim()).filter(Boolean))
    .refine((entries) => entries.length > 0 && entries.every(isProxyAddress), 'must be the addresses of your load balancers or proxies, comma-separated: IP addresses or CIDR ranges such as 10.0.0.0/8')
    .optional(),
  SHOP_NAME: z.string().min(1).default('My shop'),
  // Recurring imports (sources): the key their credentials are encrypted with, the hosts they may
  // reach although private or local, how long a fetch may take, and the zone schedules are read in.
  SOURCE_CREDENTIALS_KEY: z.string().min(32, 'must be at least 32 characters (a random secret; keep it: stored credentials need it)').optional(),
  SOURCE_ALLOWED_HOSTS: z
    .string()
    .transform((value) => value.split(',').map((entry) => entry.trim().toLowerCase()).filter(Boolean))
    .optional(),
  SOURCE_FETCH_TIMEOUT_SECONDS: z.coerce.number({ message: 'must be a whole number of seconds (1 to 3600)' }).int().min(1).max(3600).default(60),
  SHOP_TIME_ZONE: z
    .string()
    .refine((zone) => {
      try {
        new Intl.DateTimeFormat('en', { timeZone: zone });
        return true;
      } catch {
        return false;
      }
    }, 'must be an IANA time zone such as Europe/Amsterdam')
    .default('Europe/Amsterdam'),
  // The EU's VIES service for VAT number checks (#19 point 4): where, how long a request may take,
  // how many requests a second this process sends, and how often a request is tried.
  VIES_BASE_URL: z.url({ message: 'must be the URL of the VIES REST API, such as https://ec.europa.eu/taxation_customs/vies/rest-api' })
    .default('https://ec.europa.eu/taxation_customs/vies/rest-api'),
  VIES_TIMEOUT_MS: z.coerce.number({ message: 'must be a whole number of milliseconds (100 to 120000)' }).int().min(100).max(120_000).default(15_000),
  VIES_REQUESTS_PER_SECOND: z.coerce.number({ message: 'must be a number of requests per second (0.1 to 100)' }).min(0.1).max(100).default(2),
  VIES_MAX_ATTEMPTS: z.coerce.number({ message: 'must be a whole number of attempts (1 to 10)' }).int().min(1).max(10).default(3),
  VIES_RETRY_DELAY_MS: z.coerce.number({ message: 'must be a whole number of milliseconds (0 to 60000)' }).int().min(0).max(60_000).default(2_000),
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters (a random secret)').optional(),
  METRICS_PORT: z.coerce
    .number({ message: 'must be a whole number between 1 and 65535' })
    .int('must be a whole number between 1 and 65535')
    .min(1, 'must be a whole number between 1 and 65535')
    .max(65535, 'must be a whole number between 1 and 65535')
    .optional(),
  WORKER_IN_PROCESS: booleanFromEnv.default(true),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\/[^\s]+$/, 'must be an smtp:// or smtps:// URL such as smtp://user:password@mail.example.com:587')
    .optional(),
  MAIL_FROM: z.string().trim().min(3, 'must be a sender address such as "My shop <shop@example.com>"').optional(),
  MAIL_DEFAULT_LANGUAGE: z.enum(['en', 'nl'], { message: 'must be en or nl' }).default('en'),
  // The terminal's locale (POSIX: LC_ALL, then LC_MESSAGES, then LANG): the CLI's language when it names English or Dutch.
  LC_ALL: z.string().optional(),
  LC_MESSAGES: z.string().optional(),
  LANG: z.string().optional(),
  MAIL_SEND_PER_MINUTE: z.preprocess(
    (value) => (typeof value === 'string' && value.trim().toLowerCase() === 'off' ? '0' : value),
    z.coerce
      .number({ message: 'must be a whole number of e-mails per minute (0 to 100000; 0 or off: no limit)' })
      .int('must be a whole number of e-mails per minute (0 to 100000; 0 or off: no limit)')
      .min(0, 'must be a whole number of e-mails per minute (0 to 100000; 0 or off: no limit)')
      .max(100_000, 'must be a whole number of e-mails per minute (0 to 100000; 0 or off: no limit)')
      .default(60),
  ),
  MAIL_SEND_CONCURRENCY: z.coerce
    .number({ message: 'must be a whole number of e-mails sent at once (1 to 32)' })
    .int('must be a whole number of e-mails sent at once (1 to 32)')
    .min(1, 'must be a whole number of e-mails sent at once (1 to 32)')
    .max(32, 'must be a whole number of e-mails sent at once (1 to 32)')
    .default(4),
  RESET_TOKEN_TTL_HOURS_STAFF_SENT: z.coerce
    .number({ message: 'must be a whole number of hours (1 to 2160)' })
    .int('must be a whole number of hours (1 to 2160)')
    .min(1, 'must be a whole number of hours (1 to 2160)')
    .max(2160, 'must be a whole number of hours (1 to 2160)')
    .default(168),
  PASSWORD_RESET_RATE_LIMIT_PER_HOUR: z.coerce
    .number({ message: 'must be a whole number of requests per hour (1 to 1000)' })
    .int('must be a whole number of requests per hour (1 to 1000)')
    .min(1, 'must be a whole number of requests per hour (1 to 1000)')
    .max(1000, 'must be a whole number of requests per hour (1 to 1000)')
    .default(5),
  PASSWORD_RESET_RATE_LIMIT_PER_HOUR_PER_IP: z.coerce
    .number({ message: 'must be a whole number of requests per hour (1 to 100000)' })
    .int('must be a whole number of requests per hour (1 to 100000)')
    .min(1, 'must be a whole number of requests per hour (1 to 100000)')
    .max(100_000, 'must be a whole number of requests per hour (1 to 100000)')
    .default(30),
  DATABASE_RETRY_MAX_DELAY_MS: z.coerce
    .number({ message: 'must be a whole number of milliseconds (10 to 600000)' })
    .int('must be a whole number of milliseconds (10 to 600000)')
    .min(10, 'must be a whole number of milliseconds (10 to 600000)')
    .max(600_000, 'must be a whole number of milliseconds (10 to 600000)')
    .default(5_000),
  DATABASE_OUTAGE_LOG_INTERVAL_MS: z.coerce
    .number({ message: 'must be a whole number of milliseconds (100 to 3600000)' })
    .int('must be a whole number of milliseconds (100 to 3600000)')
    .min(100, 'must be a whole number of milliseconds (100 to 3600000)')
    .max(3_600_000, 'must be a whole number of milliseconds (100 to 3600000)')
    .default(60_000),
  JOB_LEASE_SECONDS: z.coerce
    .number({ message: 'must be a whole number of seconds (3 to 30)' })
    .int('must be a whole number of seconds (3 to 30)')
    .min(3, 'must be a whole number of seconds (3 to 30)')
    .max(30, 'must be a whole number of seconds (3 to 30)')
    .default(30),
  READY_TIMEOUT_MS: z.coerce
    .number({ message: 'must be a whole number of milliseconds (10 to 10000)' })
    .int('must be a whole number of milliseconds (10 to 10000)')
    .min(10, 'must be a whole number of milliseconds (10 to 10000)')
    .max(10_000, 'must be a whole number of milliseconds (10 to 10000)')
    .default(100),
  LIST_STATEMENT_TIMEOUT_MS: z.coerce
    .number({ message: 'must be a whole number of milliseconds (10 to 600000)' })
    .int('must be a whole number of milliseconds (10 to 600000)')
    .min(10, 'must be a whole number of milliseconds (10 to 600000)')
    .max(600_000, 'must be a whole number of milliseconds (10 to 600000)')
    .default(3000),
}).superRefine((value, context) => {
  if (value.FILE_STORE === 's3' && !value.S3_BUCKET) context.addIssue({ code: 'custom', path: ['S3_BUCKET'], message: 'is required when FILE_STORE=s3 (the bucket that holds the files)' });
  // Otherwise each machine would keep its own files and the processes would not see each other's.
  if (value.FILE_STORE !== 's3' && value.S3_BUCKET) context.addIssue({ code: 'custom', path: ['S3_BUCKET'], message: 'is set, but FILE_STORE is not s3: set FILE_STORE=s3 to keep the files in the bucket, or remove S3_BUCKET' });
});

/** The bucket the files live in when FILE_STORE=s3. */
export type S3Settings = { bucket: string; region: string; endpoint: string | undefined; isPathStyle: boolean; prefix: string };

export type Config = {
  env: 'development' | 'production' | 'test';
  host: string;
  port: number;
  publicUrl: string | undefined;
  databaseUrl: string | undefined;
  dataDir: string;
  /** Uploaded worksheets, export files and error files (default DATA_DIR/files), unless `s3` is set. */
  fileStoreDir: string;
  /** Set when FILE_STORE=s3: the files live in this bucket, shared by every process. */
  s3: S3Settings | undefined;
  importMaxFileBytes: number;
  /** Uploaded import files are deleted this many days after the upload (the import and its report stay). */
  importFileRetentionDays: number;
  /**
   * A customers import of at least this many rows (the file's estimate) into a store of at most a
   * quarter of that builds the list and search indexes after loading (customers/deferred-indexes.ts); 0: never.
   */
  importDeferIndexesFromRows: number;
  /** `maintenance_work_mem` and `max_parallel_maintenance_workers` for those builds (workers: the server's when unset). */
  indexBuild: { memoryMb: number; parallelWorkers: number | undefined };
  /** Export files are deleted (with their list entry) this many days after they are ready. */
  exportRetentionDays: number;
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
  /** `auto`: readable lines when the output is a terminal, JSON lines (for log collectors) otherwise. */
  logFormat: z.infer<typeof envSchema>['LOG_FORMAT'];
  sessionTtlHours: number;
  loginRateLimitPerMinute: number;
  bodyLimitBytes: number;
  cookieSecure: boolean | undefined;
  /**
   * Load balancers and proxies whose X-Forwarded-For is believed (addresses or CIDR ranges):
   * behind them the client's address (for the rate limits) is the last one they add. None by default.
   */
  trustedProxies: string[];
  shopName: string;
  /** Bearer token for /metrics; without it only this machine (loopback) may read them. */
  metricsToken: string | undefined;
  /** Port of a `clientele worker`'s own /metrics and /healthz (the server uses its HTTP port). */
  metricsPort: number | undefined;
  /** Run background jobs inside `serve` (default); false when separate `clientele worker` processes do. */
  isWorkerInProcess: boolean;
  /** Mail goes out over SMTP when set; otherwise into the built-in mailbox (it does not leave the building). */
  smtpUrl: string | undefined;
  mailFrom: string | undefined;
  /** Language of e-mails to customers whose language has no template (only en and nl have). */
  mailDefaultLanguage: 'en' | 'nl';
  /** The environment's locale (LC_ALL, LC_MESSAGES or LANG), e.g. `nl_NL.UTF-8`: the CLI speaks Dutch for `nl…`. */
  locale: string | undefined;
  /** Throttle of bulk password e-mails, across all bulk sends; 0: no limit. */
  mailSendPerMinute: number;
  /** Bulk e-mails one worker sends at once (and SMTP connections it keeps open). */
  mailSendConcurrency: number;
  resetTokenTtlHoursStaffSent: number;
  /** Forgot-password requests per e-mail address per hour; more are silently not sent. */
  passwordResetRateLimitPerHour: number;
  passwordResetRateLimitPerHourPerIp: number;
  /**
   * Database outages: servers and workers retry with this capped back-off for as long as the
   * database is away (no give-up), and log it once per `logIntervalMs`.
   */
  databaseRetry: { maxDelayMs: number; logIntervalMs: number };
  /** Every job is held by a lease this long, renewed by its live worker; a dead worker's job is taken over after it runs out. */
  jobLeaseSeconds: number;
  /** /readyz answers 503 when its own connection gets no answer from PostgreSQL within this. */
  readyTimeoutMs: number;
  /**
   * The customer list and search: PostgreSQL cancels a statement after this long and the API
   * answers `too_broad` ("narrow your search"), so no search holds a pooled connection for long.
   */
  listStatementTimeoutMs: number;
  /** VAT number checks against VIES: see VIES_* in the README. */
  vies: { baseUrl: string; timeoutMs: number; requestsPerSecond: number; maxAttempts: number; retryDelayMs: number };
  /** Recurring imports: see SOURCE_* in the README. */
  sources: { credentialsKey: string | undefined; allowedHosts: string[]; fetchTimeoutMs: number; timeZone: string };
};

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Parses environment variables into a Config, or throws a ConfigError naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const name = String(issue.path[0] ?? '?');
      return `  ${name}=${JSON.stringify(env[name] ?? '')}: ${issue.message}`;
    });
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const value = parsed.data;
  return {
    env: value.NODE_ENV,
    host: value.HOST,
    port: value.PORT,
    publicUrl: value.PUBLIC_URL,
    databaseUrl: value.DATABASE_URL,
    dataDir: path.resolve(value.DATA_DIR),
    fileStoreDir: path.resolve(value.FILE_STORE_DIR ?? path.join(value.DATA_DIR, 'files')),
    s3:
      value.FILE_STORE === 's3' && value.S3_BUCKET
        ? {
            bucket: value.S3_BUCKET,
            region: value.S3_REGION ?? value.AWS_REGION ?? 'us-east-1',
            endpoint: value.S3_ENDPOINT,
            // Self-hosted services (MinIO) mostly need path-style URLs; AWS itself wants virtual-hosted ones.
            isPathStyle: value.S3_FORCE_PATH_STYLE ?? value.S3_ENDPOINT !== undefined,
            prefix: value.S3_PREFIX === undefined ? '' : value.S3_PREFIX.replace(/\/?$/, '/'),
          }
        : undefined,
    importMaxFileBytes: value.IMPORT_MAX_FILE_MB * 1024 * 1024,
    importFileRetentionDays: value.IMPORT_FILE_RETENTION_DAYS,
    importDeferIndexesFromRows: value.IMPORT_DEFER_INDEXES_FROM_ROWS,
    indexBuild: { memoryMb: value.INDEX_BUILD_MEMORY_MB, parallelWorkers: value.INDEX_BUILD_PARALLEL_WORKERS },
    exportRetentionDays: value.EXPORT_RETENTION_DAYS,
    logLevel: value.LOG_LEVEL,
    logFormat: value.LOG_FORMAT,
    sessionTtlHours: value.SESSION_TTL_HOURS,
    loginRateLimitPerMinute: value.LOGIN_RATE_LIMIT_PER_MINUTE,
    bodyLimitBytes: value.BODY_LIMIT_BYTES,
    cookieSecure: value.COOKIE_SECURE,
    trustedProxies: value.TRUST_PROXY ?? [],
    shopName: value.SHOP_NAME,
    metricsToken: value.METRICS_TOKEN,
    metricsPort: value.METRICS_PORT,
    isWorkerInProcess: value.WORKER_IN_PROCESS,
    smtpUrl: value.SMTP_URL,
    mailFrom: value.MAIL_FROM,
    mailDefaultLanguage: value.MAIL_DEFAULT_LANGUAGE,
    locale: value.LC_ALL || value.LC_MESSAGES || value.LANG || undefined,
    mailSendPerMinute: value.MAIL_SEND_PER_MINUTE,
    mailSendConcurrency: value.MAIL_SEND_CONCURRENCY,
    resetTokenTtlHoursStaffSent: value.RESET_TOKEN_TTL_HOURS_STAFF_SENT,
    passwordResetRateLimitPerHour: value.PASSWORD_RESET_RATE_LIMIT_PER_HOUR,
    passwordResetRateLimitPerHourPerIp: value.PASSWORD_RESET_RATE_LIMIT_PER_HOUR_PER_IP,
    databaseRetry: { maxDelayMs: value.DATABASE_RETRY_MAX_DELAY_MS, logIntervalMs: value.DATABASE_OUTAGE_LOG_INTERVAL_MS },
    jobLeaseSeconds: value.JOB_LEASE_SECONDS,
    readyTimeoutMs: value.READY_TIMEOUT_MS,
    listStatementTimeoutMs: value.LIST_STATEMENT_TIMEOUT_MS,
    vies: {
      baseUrl: value.VIES_BASE_URL.replace(/\/+$/, ''),
      timeoutMs: value.VIES_TIMEOUT_MS,
      requestsPerSecond: value.VIES_REQUESTS_PER_SECOND,
      maxAttempts: value.VIES_MAX_ATTEMPTS,
      retryDelayMs: value.VIES_RETRY_DELAY_MS,
    },
    sources: {
      credentialsKey: value.SOURCE_CREDENTIALS_KEY,
      allowedHosts: value.SOURCE_ALLOWED_HOSTS ?? [],
      fetchTimeoutMs: value.SOURCE_FETCH_TIMEOUT_SECONDS * 1000,
      timeZone: value.SHOP_TIME_ZONE,
    },
  };
}

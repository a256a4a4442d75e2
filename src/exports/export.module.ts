import type { Config } from '../config/config.ts';
import type { Database } from '../db/database.ts';
import type { FileStore } from '../files/file-store.ts';
import type { Queue } from '../jobs/queue.ts';
import { publicBaseUrl } from '../mail/mail.module.ts';
import type { Clock } from '../shared/clock.ts';
import type { ShopIdentity } from '../shop/shop-settings.service.ts';
import { exportToLocalFile } from './export-local-file.ts';
import { createExportRunner, type Progress } from './export-run.ts';
import { createExportJobs, exportRetryLimit } from './export.jobs.ts';
import { createExportService } from './export.service.ts';

/** The storefront's "Forgot your password?" page, for the mailing-list export's link column. */
export const resetPageUrlOf = (config: Pick<Config, 'publicUrl' | 'host' | 'port'>) =>
  `${publicBaseUrl(config)}/account/forgot-password`;

/** Builds the export feature for the composition root: runner, job and service. */
export function createExportModule(
  config: Config,
  deps: { db: Database; clock: Clock; queue: Queue; fileStore: FileStore; shop?: ShopIdentity },
) {
  const maxAttempts = exportRetryLimit + 1;
  const run = createExportRunner({
    ...deps,
    resetPageUrl: resetPageUrlOf(config),
    retentionDays: config.exportRetentionDays,
    maxAttempts,
  });
  const jobs = createExportJobs({ run });
  const service = createExportService({
    ...deps,
    jobs,
    retentionDays: config.exportRetentionDays,
    maxAttempts,
    // Progress is written every second while an attempt runs; ten quiet minutes mean it died.
    abandonedAfterMs: 10 * 60_000,
  });
  const toLocalFile = (input: unknown, outPath: string, onProgress?: (progress: Progress) => void) =>
    exportToLocalFile({ ...deps, resetPageUrl: resetPageUrlOf(config) }, input, outPath, onProgress);
  return { service, run, jobs, toLocalFile };
}

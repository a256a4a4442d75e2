import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { finished } from 'node:stream/promises';
import type { Database } from '../db/database.ts';
import type { Clock } from '../shared/clock.ts';
import type { ShopIdentity } from '../shop/shop-settings.service.ts';
import { produceFile, type Progress } from './export-run.ts';
import { validateExportRequest } from './export-request.ts';

/**
 * `clientele export --out FILE`: the same request rules and the same file as the back office's
 * export, written straight to a local path (as `FILE.partial`, renamed when complete, so a
 * stopped run never leaves a file that looks finished). No export record and no queue.
 */
export async function exportToLocalFile(
  deps: { db: Database; clock: Clock; resetPageUrl: string; shop?: ShopIdentity },
  input: unknown,
  outPath: string,
  onProgress: (progress: Progress) => void = () => {},
): Promise<Progress> {
  const { request, columns } = await validateExportRequest(deps.db.pool, input);
  const partialPath = `${outPath}.partial`;
  const file = createWriteStream(partialPath, { mode: 0o600 });
  try {
    const fileRequest = {
      ...request,
      language: request.language ?? 'en',
      columns,
      phoneCountry: request.filters.q ? (await deps.shop?.current())?.country : undefined,
      createdAt: deps.clock.now(),
    };
    const progress = await produceFile(deps.db, fileRequest, deps.resetPageUrl, file, onProgress);
    file.end();
    await finished(file);
    await rename(partialPath, outPath);
    return progress;
  } catch (error) {
    file.destroy();
    await rm(partialPath, { force: true });
    throw error;
  }
}

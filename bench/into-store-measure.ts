import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import type { Database } from '../src/db/database.ts';
import type { ImportDetail } from '../src/imports/import.schemas.ts';
import { writeImportFile } from './import-file.ts';

/**
 * Issue #20: "import of 100k new customers into a store of 1M ≤ 1.5× a COPY of those rows into the
 * indexed table". A file of new customers (another seed: other names, so other e-mail addresses;
 * external ids of their own)
 * is checked and imported into the store the size's runs left, by the same worker (the time runs from the start). The
 * floor: the customers that import wrote, taken out again and put back with one `COPY` into the
 * same table, with every index, trigger and constraint, at the same store size. Run last in a
 * size (it leaves the store 100k larger).
 */

export const intoStoreRatioLimit = 1.5;

export type IntoStoreMeasure = {
  rows: number;
  storeRows: number;
  ms: number;
  floorMs: number;
  counts: ImportDetail['counts'];
  copiedRows: number;
};

type TimedImport = (file: string) => Promise<{ detail: ImportDetail; ms: number }>;

export async function measureNewIntoStore(
  db: Database,
  options: {
    filesDir: string;
    rows: number;
    seed: number;
    timedImport: TimedImport;
    log: (line: string) => void;
  },
): Promise<IntoStoreMeasure> {
  const { filesDir, rows, seed, log } = options;
  const file = path.join(filesDir, `customers-${rows}-seed${seed + 500}-new-n.csv`);
  if (!existsSync(file)) await writeImportFile(file, { rows, seed: seed + 500, externalIdPrefix: 'N-' });
  const storeRows = Number((await db.pool.query('SELECT count(*) FROM customers')).rows[0].count);
  const imported = await options.timedImport(file);
  const importId = imported.detail.id;
  const copyFile = path.join(filesDir, `into-store-${importId}.copy`);
  const client = await db.pool.connect();
  try {
    const columns = (
      await client.query<{ name: string }>(
        `SELECT column_name AS name FROM information_schema.columns WHERE table_name = 'customers' AND column_name <> 'id' AND is_generated = 'NEVER' ORDER BY ordinal_position`,
      )
    ).rows
      .map((row) => row.name)
      .join(', ');
    await pipeline(
      client.query(
        copyTo(
          `COPY (SELECT ${columns} FROM customers WHERE last_import_id = ${Number(importId)} ORDER BY id) TO STDOUT`,
        ),
      ),
      createWriteStream(copyFile),
    );
    const { rowCount } = await client.query('DELETE FROM customers WHERE last_import_id = $1', [importId]);
    const startedAt = performance.now();
    await pipeline(
      createReadStream(copyFile),
      client.query(copyFrom(`COPY customers (${columns}) FROM STDIN`)),
    );
    const floorMs = performance.now() - startedAt;
    log(
      `  ${rows.toLocaleString('en')} new customers into a store of ${storeRows.toLocaleString('en')}: ${(imported.ms / 1000).toFixed(1)} s (floor: COPY of the ${(rowCount ?? 0).toLocaleString('en')} stored rows into the indexed table ${(floorMs / 1000).toFixed(1)} s)`,
    );
    return {
      rows,
      storeRows,
      ms: imported.ms,
      floorMs,
      counts: imported.detail.counts,
      copiedRows: rowCount ?? 0,
    };
  } finally {
    client.release();
    await rm(copyFile, { force: true });
  }
}

export function intoStoreCorrectness(measure: IntoStoreMeasure): string[] {
  const { counts, rows } = measure;
  const failures: string[] = [];
  if (counts.created + counts.updated + counts.unchanged + counts.rejected !== rows)
    failures.push(`new into store: ${JSON.stringify(counts)} does not add up to ${rows} rows`);
  // The file's own faults reject a few per cent; more means its customers clash with the store's.
  if (counts.rejected > rows * 0.1)
    failures.push(`new into store: ${counts.rejected} of ${rows} rows rejected`);
  // Another seed's names: an e-mail address the store has already is a rare coincidence.
  if (counts.created < (rows - counts.rejected) * 0.99)
    failures.push(`new into store: only ${counts.created} of ${rows - counts.rejected} valid rows created`);
  if (measure.copiedRows !== counts.created + counts.updated)
    failures.push(
      `new into store: the floor copied ${measure.copiedRows} rows, the import wrote ${counts.created + counts.updated}`,
    );
  return failures;
}

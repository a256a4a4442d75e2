/**
 * One timed export in a fresh process (so its peak RSS is its own): `node --import tsx
 * bench/export-child.ts <copy|csv|csv-semicolon|xlsx> <out-file>` with DATABASE_URL set. Prints one
 * JSON line: elapsed ms, rows, bytes, RSS when 100,000 rows were written, and peak RSS.
 * `copy` is the floor: PostgreSQL's own `COPY (SELECT …) TO STDOUT` of the very same SELECT,
 * streamed to the same kind of file, without our formatting.
 */
import { createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { finished, pipeline } from 'node:stream/promises';
import { to as copyTo } from 'pg-copy-streams';
import { createDatabase } from '../src/db/database.ts';
import { produceFile } from '../src/exports/export-run.ts';
import { exportTypes, resolveColumns } from '../src/exports/export-types.ts';
import { exportSelectSql } from '../src/exports/export.repository.ts';
import type { ExportFormat } from '../src/exports/export.schemas.ts';

const [mode, out] = process.argv.slice(2) as [ExportFormat | 'copy', string];
const db = createDatabase(process.env.DATABASE_URL!, 2);
const type = exportTypes.customers;
const { columns } = resolveColumns(type, undefined, undefined);
const megabytes = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;
let rssAt100k: number | undefined;
const startedAt = performance.now();
let rows: number;
if (mode === 'copy') {
  const client = await db.pool.connect();
  const file = createWriteStream(out);
  let lines = 0;
  // The SELECT the export itself runs: with the flags' join only when flagged values exist.
  const hasTypedValues = (await client.query<{ exists: boolean }>(type.typedValues!.anySql)).rows[0]?.exists === true;
  const source = client.query(
    copyTo(`COPY (${exportSelectSql(type, columns, undefined, hasTypedValues)}) TO STDOUT WITH (FORMAT csv, HEADER)`),
  );
  source.on('data', (chunk: Buffer) => {
    for (let index = chunk.indexOf(10); index !== -1; index = chunk.indexOf(10, index + 1)) lines++;
    if (rssAt100k === undefined && lines >= 100_000) rssAt100k = process.memoryUsage.rss();
  });
  await pipeline(source, file);
  client.release();
  rows = lines - 1;
} else {
  const file = createWriteStream(out);
  const request = {
    type: 'customers' as const,
    format: mode,
    language: 'en' as const,
    purpose: 'spreadsheet' as const,
    columns,
    filters: {},
    createdAt: new Date('2025-01-01T00:00:00Z'),
  };
  const done = await produceFile(
    db,
    request,
    'https://shop.example/account/forgot-password',
    file,
    (progress) => {
      if (rssAt100k === undefined && progress.rowsDone >= 100_000) rssAt100k = process.memoryUsage.rss();
    },
  );
  file.end();
  await finished(file);
  rows = done.rowsDone;
}
const elapsedMs = performance.now() - startedAt;
await db.close();
const { size } = await stat(out);
process.stdout.write(
  `${JSON.stringify({ mode, elapsedMs: Math.round(elapsedMs), rows, bytes: size, rssAt100kMb: rssAt100k === undefined ? null : megabytes(rssAt100k), peakRssMb: megabytes(process.resourceUsage().maxRSS * 1024) })}\n`,
);

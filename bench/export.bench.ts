/**
 * Export benchmark: `npm run bench:export [-- --rows N --smoke --json FILE --no-record]`.
 *
 * 1. Database and data: exactly as bench:search (bench-database.ts): DATABASE_URL when set,
 *    otherwise an embedded PostgreSQL in .bench/data; N customers (default 1,000,000) made with
 *    COPY, reused when the same data set is there already.
 * 2. Timing, each in a fresh process (bench/export-child.ts) so peak RSS is the export's own
 *    (floor and CSV twice, in turns; the faster run of each counts):
 *    the floor — PostgreSQL's `COPY (SELECT …) TO STDOUT WITH (FORMAT csv)` of the export's own
 *    SELECT into a file — then our CSV export and our XLSX export of all customers, all columns
 *    (all three twice, in turns).
 * 3. Checks: every file holds all N rows; CSV and XLSX are read back with the importer (the
 *    headings map exactly; the rows counted). Targets: CSV ≤ 2× the floor (issue #7), XLSX ≤ 3×
 *    the CSV export (issue #20); RSS at 100k rows and at the end are printed (flat = constant memory).
 * 4. Output: a table; the run is appended to docs/benchmarks.md (not with --smoke). `--smoke`
 *    (10,000 rows) proves the script works and its files are right: `npm test` runs it.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createDatabase, type Database } from '../src/db/database.ts';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../src/db/embedded-postgres.ts';
import { migrate } from '../src/db/migrate.ts';
import { suggestMapping } from '../src/imports/mapping.ts';
import { customerCatalogue } from '../src/imports/presets.ts';
import { readTable, type ReadSettings } from '../src/imports/read.ts';
import { ensureDataset } from './bench-database.ts';
import { machineDescription, recordResults } from './report.ts';

const { values: args } = parseArgs({
  options: {
    rows: { type: 'string' },
    seed: { type: 'string', default: '1' },
    smoke: { type: 'boolean', default: false },
    regenerate: { type: 'boolean', default: false },
    'no-record': { type: 'boolean', default: false },
    'data-dir': { type: 'string' },
    json: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});
if (args.help) {
  console.log(
    `Usage: npm run bench:export -- [--rows N] [--seed N] [--smoke] [--regenerate] [--no-record] [--data-dir DIR] [--json FILE]`,
  );
  process.exit(0);
}

type Run = {
  mode: string;
  elapsedMs: number;
  rows: number;
  bytes: number;
  rssAt100kMb: number | null;
  peakRssMb: number;
};
const isSmoke = args.smoke;
const rows = Number(args.rows ?? (isSmoke ? 10_000 : 1_000_000));
const seed = Number(args.seed);
if (!Number.isInteger(rows) || rows < 1 || !Number.isInteger(seed) || seed < 1)
  throw new Error('--rows and --seed must be whole numbers of at least 1');
const dataDir = args['data-dir'] ?? (isSmoke ? '.bench/smoke' : '.bench/data');
const log = (line: string) => process.stdout.write(`${line}\n`);
const targetRatio = 2;
const xlsxTargetRatio = 3;

function runChild(mode: string, out: string, databaseUrl: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.resolve('bench/export-child.ts'), mode, out],
      {
        env: { ...process.env, DATABASE_URL: databaseUrl },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0
        ? resolve(JSON.parse(stdout.trim().split('\n').pop()!) as Run)
        : reject(new Error(`export-child ${mode} exited with ${code}`)),
    );
  });
}

/** Reads a file back the way the importer would: the headings must all map exactly; rows are counted. */
async function checkWithImporter(
  file: string,
  settings: ReadSettings,
): Promise<{ rows: number; unmapped: string[] }> {
  const table = await readTable(file, settings);
  const mapping = suggestMapping(table.headings, customerCatalogue);
  let count = 0;
  for await (const _row of table.rows) count++;
  return {
    rows: count,
    unmapped: mapping.columns
      .filter((column) => column.confidence !== 'exact')
      .map((column) => column.heading),
  };
}

const seconds = (ms: number) => (ms / 1000).toFixed(ms < 10_000 ? 2 : 1);
const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);

function resultsTable(runs: Run[], floorMs: number): string {
  const header = [
    'export',
    'rows',
    'time s',
    'rows/s',
    'file MB',
    'vs COPY',
    'RSS at 100k MB',
    'peak RSS MB',
  ];
  const body = runs.map((run) => [
    run.mode === 'copy'
      ? 'PostgreSQL COPY … TO (floor)'
      : run.mode === 'xlsx'
        ? 'XLSX export'
        : `CSV export (${run.mode})`,
    run.rows.toLocaleString('en'),
    seconds(run.elapsedMs),
    Math.round(run.rows / (run.elapsedMs / 1000)).toLocaleString('en'),
    mb(run.bytes),
    `${(run.elapsedMs / floorMs).toFixed(2)}×`,
    run.rssAt100kMb === null ? '—' : String(run.rssAt100kMb),
    String(run.peakRssMb),
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...body.map((row) => row[column]!.length)),
  );
  const line = (cells: string[]) =>
    `| ${cells.map((cell, column) => cell.padEnd(widths[column]!)).join(' | ')} |`;
  return [
    line(header),
    `|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`,
    ...body.map(line),
  ].join('\n');
}

let exitCode = 1;
let embedded: EmbeddedDatabase | undefined;
let db: Database | undefined;
const workDir = await mkdtemp(path.join(os.tmpdir(), 'clientele-bench-export-'));
try {
  const databaseUrl =
    process.env.DATABASE_URL ?? (embedded = await startEmbeddedPostgres(path.resolve(dataDir))).url;
  log(`Database: ${process.env.DATABASE_URL ? 'DATABASE_URL' : `embedded PostgreSQL in ${dataDir}`}`);
  db = createDatabase(databaseUrl, 4);
  await migrate(db.pool);
  const dataset = await ensureDataset(db, { rows, seed, regenerate: args.regenerate }, log);
  const loadBefore = os.loadavg()[0]!.toFixed(1);
  // The floor and the exports take turns, twice, and each keeps its faster run: other work on
  // the machine then slows all alike instead of whichever happened to run during it.
  const timed: Run[] = [];
  for (const mode of [...(isSmoke ? [] : ['copy', 'csv', 'xlsx']), 'copy', 'csv', 'xlsx']) {
    log(
      `Timing ${mode === 'copy' ? 'the COPY floor' : `the ${mode.toUpperCase()} export`} of ${rows.toLocaleString('en')} customers…`,
    );
    timed.push(
      await runChild(
        mode,
        path.join(workDir, `export.${mode === 'xlsx' ? 'xlsx' : 'csv'}.${mode}`),
        databaseUrl,
      ),
    );
  }
  const fastest = (mode: string) =>
    timed.filter((run) => run.mode === mode).sort((a, b) => a.elapsedMs - b.elapsedMs)[0]!;
  const runs = ['copy', 'csv', 'xlsx'].map(fastest);
  const failures = runs
    .filter((run) => run.rows !== rows)
    .map((run) => `${run.mode}: ${run.rows} rows instead of ${rows}`);
  for (const [mode, settings] of [
    ['csv', { format: 'csv', encoding: 'utf-8-bom', delimiter: ',', quote: '"' }],
    ['xlsx', { format: 'xlsx' }],
  ] as const) {
    log(`Reading the ${mode.toUpperCase()} file back with the importer…`);
    const check = await checkWithImporter(path.join(workDir, `export.${mode}.${mode}`), settings);
    if (check.rows !== rows)
      failures.push(`${mode}: the importer read ${check.rows} rows instead of ${rows}`);
    // The company's Reverse charge flag is read-only: only staff set it, so the importer leaves it unmapped.
    const unmapped = check.unmapped.filter((heading) => heading !== 'Reverse charge');
    if (unmapped.length > 0) failures.push(`${mode}: headings not mapped exactly: ${unmapped.join(', ')}`);
  }
  const floorMs = runs[0]!.elapsedMs;
  const ratio = runs[1]!.elapsedMs / floorMs;
  const verdict = isSmoke ? '—' : ratio <= targetRatio ? 'PASS' : 'MISS';
  const xlsxRatio = runs[2]!.elapsedMs / runs[1]!.elapsedMs;
  const xlsxVerdict = isSmoke ? '—' : xlsxRatio <= xlsxTargetRatio ? 'PASS' : 'MISS';
  const xlsxLine = `XLSX export / CSV export: ${xlsxRatio.toFixed(2)}× (target ≤ ${xlsxTargetRatio}×)`;
  const postgresVersion = (await db.pool.query<{ server_version: string }>('SHOW server_version')).rows[0]!
    .server_version;
  const machine = machineDescription(postgresVersion);
  const table = resultsTable(runs, floorMs);
  log('');
  log(
    `${rows.toLocaleString('en')} customers (seed ${seed}${dataset.generatedMs === undefined ? ', reused' : ''}), ${machine}, load average ${loadBefore} → ${os.loadavg()[0]!.toFixed(1)}`,
  );
  log(table);
  log(`CSV export / COPY floor: ${ratio.toFixed(2)}× (target ≤ ${targetRatio}×) ${verdict}`);
  log(`${xlsxLine} ${xlsxVerdict}`);
  for (const failure of failures) log(`WRONG OUTPUT: ${failure}`);
  if (args.json)
    await writeFile(
      args.json,
      JSON.stringify({ rows, seed, runs, ratio, xlsxRatio, failures, machine }, null, 2),
    );
  if (!isSmoke && !args['no-record']) {
    await recordResults(path.resolve('docs/benchmarks.md'), {
      title: `Export — ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC — ${rows.toLocaleString('en')} customers`,
      lines: [
        `\`npm run bench:export\`: all customers, all ${'columns'} (the re-importable set), each export in a fresh process; the COPY floor, the CSV and the XLSX export timed twice in turns, the faster run of each shown. Machine: ${machine}; load average before ${loadBefore}, after ${os.loadavg()[0]!.toFixed(1)}.`,
        '',
        table,
        '',
        `CSV export / COPY floor: **${ratio.toFixed(2)}×** (target ≤ ${targetRatio}×): ${verdict}. ${xlsxLine.replace(': ', ': **').replace('× (', '×** (')}: ${xlsxVerdict}. ${failures.length > 0 ? `**${failures.length} wrong outputs.**` : 'Every file held every row; the importer read the CSV and XLSX back with every heading mapped exactly.'}`,
      ],
    });
    log('Appended to docs/benchmarks.md.');
  }
  exitCode = failures.length > 0 || verdict === 'MISS' || xlsxVerdict === 'MISS' ? 1 : 0;
} catch (error) {
  console.error(
    `bench:export failed: ${process.env.BENCH_DEBUG ? ((error as Error).stack ?? String(error)) : ((error as Error).message ?? String(error))}`,
  );
} finally {
  await db?.close();
  await embedded?.stop();
  await rm(workDir, { recursive: true, force: true });
}
// Explicitly: embedded-postgres installs async-exit-hook, whose beforeExit handler would exit 0.
process.exit(exitCode);

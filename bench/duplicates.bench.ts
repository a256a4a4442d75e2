/**
 * Possible duplicates benchmark: `npm run bench:duplicates [-- --rows N --smoke --no-record]`.
 *
 * 1. Database and data as bench:search (bench/bench-database.ts): N customers (default
 *    1,000,000) loaded with COPY into an embedded PostgreSQL in .bench/data (or DATABASE_URL).
 *    The data set has the duplicates chance makes (shared phone numbers, the same name at a
 *    postcode); the bench plants 1,500 more pairs it knows — 500 of each kind (Gmail variants of
 *    one mailbox, one mobile number, one name at one postcode) — and removes them at the end.
 * 2. The scan as the background job runs it (the `duplicates.scan` handler: every pass, its
 *    progress and the ranking), timed once, against its floor: the same GROUP BYs as plain
 *    counting queries in PostgreSQL, without storing a group.
 * 3. Every planted pair must be among the groups found (a missing one fails the run).
 * 4. Output: the time, the ratio to the floor, PASS/MISS against the 2-minute target of issue
 *    #17; appended to docs/benchmarks.md. Exit code 1 on a miss or a planted pair not found.
 */
import os from 'node:os';
import path from 'node:path';
import { appendFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { createDatabase, type Database } from '../src/db/database.ts';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../src/db/embedded-postgres.ts';
import { migrate } from '../src/db/migrate.ts';
import { createDuplicateService } from '../src/duplicates/duplicate.service.ts';
import { maxGroupSize, passes } from '../src/duplicates/duplicate-scan.ts';
import { unavailableQueue } from '../src/jobs/queue.ts';
import { systemClock } from '../src/shared/clock.ts';
import { ensureDataset } from './bench-database.ts';
import { machineDescription } from './report.ts';

const { values: args } = parseArgs({
  options: {
    rows: { type: 'string' },
    smoke: { type: 'boolean', default: false },
    regenerate: { type: 'boolean', default: false },
    'no-record': { type: 'boolean', default: false },
    'data-dir': { type: 'string' },
  },
});
const isSmoke = args.smoke;
const rows = Number(args.rows ?? (isSmoke ? 10_000 : 1_000_000));
const dataDir = args['data-dir'] ?? (isSmoke ? '.bench/smoke' : '.bench/data');
const targetMs = 120_000;
const planted = 500;
const plantedDomain = 'bench-duplicates.example';
const log = (line: string) => process.stdout.write(`${line}\n`);
const loadBefore = os.loadavg()[0]!.toFixed(1);

/** 500 pairs of each kind; the e-mails of the pairs' second customers are of Gmail, so they are removed by name. */
async function plant(db: Database): Promise<void> {
  await db.pool.query(
    `INSERT INTO customers (email, email_normalized, first_name, last_name, mobile, billing_postcode, billing_country, search_text)
     SELECT e, lower(e), f, l, m, p, 'NL', '' FROM (
       SELECT 'bench.dup' || i || '@gmail.com', 'Mail', 'Pair ' || i, '', '' FROM generate_series(1, $1) i
       UNION ALL SELECT 'benchdup' || i || '+shop@googlemail.com', 'Mail', 'Pair ' || i, '', '' FROM generate_series(1, $1) i
       UNION ALL SELECT 'phone' || i || '@' || $2, 'Phone', 'Pair ' || i, '+3197' || lpad(i::text, 8, '0'), '' FROM generate_series(1, $1) i
       UNION ALL SELECT 'mobile' || i || '@' || $2, 'Mobile', 'Pair ' || i, '+31 97 ' || lpad(i::text, 8, '0'), '' FROM generate_series(1, $1) i
       UNION ALL SELECT 'name' || i || '@' || $2, 'Bench', 'Namepair ' || i, '', '9' || lpad(i::text, 3, '0') || ' QQ' FROM generate_series(1, $1) i
       UNION ALL SELECT 'samename' || i || '@' || $2, 'Bench', 'Namepair ' || i, '', '9' || lpad(i::text, 3, '0') || 'qq' FROM generate_series(1, $1) i
     ) AS planted(e, f, l, m, p)`,
    [planted, plantedDomain],
  );
}

const removePlanted = (db: Database) =>
  db.pool.query(`DELETE FROM customers WHERE email LIKE '%@' || $1 OR email LIKE 'bench.dup%@gmail.com' OR email LIKE 'benchdup%@googlemail.com'`, [plantedDomain]);

let exitCode = 1;
let embedded: EmbeddedDatabase | undefined;
let db: Database | undefined;
try {
  const databaseUrl = process.env.DATABASE_URL ?? (embedded = await startEmbeddedPostgres(path.resolve(dataDir))).url;
  db = createDatabase(databaseUrl, 4);
  await migrate(db.pool);
  await removePlanted(db);
  const dataset = await ensureDataset(db, { rows, seed: 1, regenerate: args.regenerate }, log);
  await plant(db);
  await db.pool.query('ANALYZE customers');
  const total = (await db.pool.query<{ count: number }>('SELECT count(*)::int AS count FROM customers')).rows[0]!.count;

  log(`Floor: the ${passes.length} GROUP BYs as plain counting queries…`);
  const floorStarted = performance.now();
  for (const pass of passes) {
    await db.pool.query(
      `WITH k AS MATERIALIZED (${pass.keys})
       SELECT count(*) FROM (SELECT key FROM k WHERE length(key) >= 6 GROUP BY key HAVING count(DISTINCT id) BETWEEN 2 AND $1) AS shared`,
      [maxGroupSize],
    );
  }
  const floorMs = performance.now() - floorStarted;

  log(`Scanning ${total.toLocaleString('en')} customers as the background job does…`);
  const service = createDuplicateService({ db, clock: systemClock, queue: unavailableQueue });
  const { rows: scans } = await db.pool.query<{ id: string }>(`INSERT INTO duplicate_scans (steps) VALUES ($1) RETURNING id`, [passes.length + 1]);
  const scanId = Number(scans[0]!.id);
  const progress = setInterval(() => {
    void db!.pool.query<{ step: number; steps: number }>('SELECT step, steps FROM duplicate_scans WHERE id = $1', [scanId])
      .then(({ rows: [scan] }) => scan && log(`  progress: ${scan.step} of ${scan.steps} passes`));
  }, 5_000);
  const scanStarted = performance.now();
  await service.jobDefinitions[0]!.handle({ scanId }, { id: 'bench', signal: new AbortController().signal });
  const scanMs = performance.now() - scanStarted;
  clearInterval(progress);

  const { rows: [result] } = await db.pool.query<{ status: string; group_count: number }>('SELECT status, group_count FROM duplicate_scans WHERE id = $1', [scanId]);
  const { rows: found } = await db.pool.query<{ reasons: string[]; emails: string[] }>(
    `SELECT g.reasons, array_agg(c.email ORDER BY c.email) AS emails FROM duplicate_groups g JOIN customers c ON c.id = ANY(g.customer_ids)
      WHERE g.scan_id = $1 AND (c.email LIKE '%@' || $2 OR c.email LIKE '%@gmail.com' OR c.email LIKE '%@googlemail.com')
      GROUP BY g.id, g.reasons`,
    [scanId, plantedDomain],
  );
  const foundPairs = new Set(found.map((group) => [...group.emails].sort().join(' ')));
  const missing: string[] = [];
  for (let i = 1; i <= planted; i++) {
    for (const pair of [
      [`bench.dup${i}@gmail.com`, `benchdup${i}+shop@googlemail.com`],
      [`mobile${i}@${plantedDomain}`, `phone${i}@${plantedDomain}`],
      [`name${i}@${plantedDomain}`, `samename${i}@${plantedDomain}`],
    ]) if (!foundPairs.has([...pair].sort().join(' '))) missing.push(pair.join(' and '));
  }
  await removePlanted(db);
  await db.pool.query('DELETE FROM duplicate_scans');

  const postgresVersion = (await db.pool.query<{ server_version: string }>('SHOW server_version')).rows[0]!.server_version;
  const machine = machineDescription(postgresVersion);
  const seconds = (value: number) => (value / 1000).toFixed(1);
  const isPass = scanMs < targetMs;
  const header = '| work | customers | groups found | time s | floor s | time / floor | target | result |';
  const table = [
    header,
    '|------|-----------|--------------|--------|---------|--------------|--------|--------|',
    `| possible duplicates scan (job, ${passes.length + 1} steps) | ${total.toLocaleString('en')} | ${result!.group_count.toLocaleString('en')} | ${seconds(scanMs)} | ${seconds(floorMs)} | ${(scanMs / floorMs).toFixed(2)}× | < ${targetMs / 1000} s | ${isPass ? 'PASS' : 'MISS'} |`,
  ].join('\n');
  log('');
  log(`${machine}, load average ${loadBefore} → ${os.loadavg()[0]!.toFixed(1)}`);
  log(table);
  log(missing.length === 0 ? `All ${planted * 3} planted pairs were found.` : `${missing.length} planted pairs NOT found, e.g. ${missing.slice(0, 3).join('; ')}`);
  if (!isSmoke && !args['no-record']) {
    await appendFile(
      path.resolve('docs/benchmarks.md'),
      [
        '',
        `## Possible duplicates (bench:duplicates) ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC — ${total.toLocaleString('en')} customers`,
        '',
        `Machine: ${machine}; load average before the run ${loadBefore}, after ${os.loadavg()[0]!.toFixed(1)}. Data: seed 1${dataset.generatedMs === undefined ? ' (reused)' : `, generated in ${seconds(dataset.generatedMs)} s`}, plus ${planted * 3} planted pairs (${planted} each: Gmail variants, one number as phone and as mobile, written two ways, one name at one postcode written two ways). The scan is the background job's handler (every pass, progress, ranking, storing the groups); the floor is the same GROUP BYs as plain counting queries. The scan adds no column, index or trigger to \`customers\`: imports and edits do exactly the work they did before (see bench:import).`,
        '',
        table,
        '',
        missing.length === 0 ? `Every planted pair was found.` : `**${missing.length} planted pairs were not found.**`,
        '',
      ].join('\n'),
    );
    log('Appended to docs/benchmarks.md.');
  }
  exitCode = missing.length > 0 || result!.status !== 'done' || (!isSmoke && !isPass) ? 1 : 0;
} catch (error) {
  console.error(`bench:duplicates failed: ${process.env.BENCH_DEBUG ? ((error as Error).stack ?? String(error)) : ((error as Error).message ?? String(error))}`);
} finally {
  await db?.close();
  await embedded?.stop();
}
process.exit(exitCode);

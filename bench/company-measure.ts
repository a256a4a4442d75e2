import path from 'node:path';
import { rm } from 'node:fs/promises';
import type { Database } from '../src/db/database.ts';
import type { ImportDetail } from '../src/imports/import.schemas.ts';
import { writeCompanyFiles, type CompanyFileStats } from './company-file.ts';

/**
 * Issue #19: "a 100k-row file with company columns imports within 1.5× of the same file without
 * them". Both files (bench/company-file.ts) are imported in the same run, each into an emptied
 * store (customers, companies, imports), by the same worker, without a check first; `rounds`
 * times each (`--company-rounds`), the best time of each file compared.
 */

export type CompanyMeasure = {
  rows: number;
  file: CompanyFileStats;
  withoutMs: number;
  withMs: number;
  /** Every run's time; `withoutMs` and `withMs` are the best of them. */
  times: { without: number[]; with: number[] };
  without: ImportDetail['counts'];
  with: ImportDetail['counts'];
  stored: { companies: number; contacts: number; primaries: number };
};

type TimedImport = (file: string) => Promise<{ detail: ImportDetail; ms: number }>;

export async function measureCompanyColumns(
  db: Database,
  options: { filesDir: string; rows: number; seed: number; rounds: number; reset: () => Promise<void>; timedImport: TimedImport; log: (line: string) => void },
): Promise<CompanyMeasure> {
  const { filesDir, rows, seed, log } = options;
  const files = {
    withCompanies: path.join(filesDir, `customers-b2b-${rows}-seed${seed}.csv`),
    without: path.join(filesDir, `customers-b2b-${rows}-seed${seed}-no-company-columns.csv`),
  };
  const file = await writeCompanyFiles(files, rows, seed);
  try {
    // Each file `rounds` times, the order alternating (without, with, with, without, …): on a
    // shared machine the load moves under a run, and each file's best time is compared.
    const times = { without: [] as number[], with: [] as number[] };
    const counts: Partial<Record<'without' | 'with', ImportDetail['counts']>> = {};
    let stored = { companies: 0, contacts: 0, primaries: 0 };
    for (let round = 0; round < options.rounds; round += 1) {
      for (const which of round % 2 === 0 ? (['without', 'with'] as const) : (['with', 'without'] as const)) {
        await options.reset();
        const result = await options.timedImport(which === 'with' ? files.withCompanies : files.without);
        times[which].push(result.ms);
        counts[which] = result.detail.counts;
        if (which === 'with')
          stored = (
            await db.pool.query<typeof stored>(
              `SELECT (SELECT count(*) FROM companies)::int AS companies, count(*)::int AS contacts, count(*) FILTER (WHERE is_primary)::int AS primaries FROM company_contacts`,
            )
          ).rows[0]!;
        const what = which === 'with' ? `with company columns (${file.companies.toLocaleString('en')} companies, ${file.companyRows.toLocaleString('en')} contact rows)` : 'without company columns';
        log(`  B2B file ${what} ${(result.ms / 1000).toFixed(1)} s: ${JSON.stringify(result.detail.counts)}`);
      }
    }
    return { rows, file, withoutMs: Math.min(...times.without), withMs: Math.min(...times.with), times, without: counts.without!, with: counts.with!, stored };
  } finally {
    await rm(files.withCompanies, { force: true });
    await rm(files.without, { force: true });
  }
}

/** The target: judged from 100,000 rows on (smaller files are mostly a job's start-up). */
export const companyRatioLimit = 1.5;

/** What must hold whatever the times: the same customers both ways; every contact row linked, one company per company. */
export function companyCorrectness(measure: CompanyMeasure): string[] {
  const failures: string[] = [];
  const { rows, file, stored } = measure;
  const same = (key: 'created' | 'rejected') => measure.with[key] === measure.without[key];
  if (!same('created') || !same('rejected')) failures.push(`${rows}: the B2B file imported other customers with company columns than without: ${JSON.stringify(measure.with)} vs ${JSON.stringify(measure.without)}`);
  if (measure.without.companiesCreated !== 0 || measure.without.contactsLinked !== 0) failures.push(`${rows}: the file without company columns linked companies: ${JSON.stringify(measure.without)}`);
  // A contact row may be one of the file's rejected rows (~1–2 %): its company comes from the next contact, or not at all.
  const near = (value: number, of: number) => value <= of && value >= of * 0.95;
  if (!near(measure.with.companiesCreated, file.companies) || stored.companies !== measure.with.companiesCreated) failures.push(`${rows}: ${measure.with.companiesCreated} companies created (${stored.companies} stored) for ${file.companies} in the file`);
  if (!near(measure.with.contactsLinked, file.companyRows) || stored.contacts !== measure.with.contactsLinked) failures.push(`${rows}: ${measure.with.contactsLinked} contacts linked (${stored.contacts} stored) for ${file.companyRows} contact rows`);
  if (stored.primaries > stored.companies || stored.primaries < stored.companies * 0.95) failures.push(`${rows}: ${stored.primaries} primary contacts for ${stored.companies} companies`);
  if (measure.with.companiesUpdated !== 0 || measure.with.contactsChanged !== 0) failures.push(`${rows}: an import into an empty store updated companies or changed contacts: ${JSON.stringify(measure.with)}`);
  return failures;
}

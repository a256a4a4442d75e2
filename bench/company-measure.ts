import path from 'node:path';
import { rm } from 'node:fs/promises';
import type { Database } from '../src/db/database.ts';
import type { ImportDetail } from '../src/imports/import.schemas.ts';
import { writeCompanyFiles, type CompanyFileStats } from './company-file.ts';

/**
 * Issue #19: "a 100k-row file with company columns imports within 1.5× of the same file without
 * them". Both files (bench/company-file.ts) are imported in the same run, each into an emptied
 * store (customers, companies, imports), by the same worker, without a check first.
 */

export type CompanyMeasure = {
  rows: number;
  file: CompanyFileStats;
  withoutMs: number;
  withMs: number;
  without: ImportDetail['counts'];
  with: ImportDetail['counts'];
  stored: { companies: number; contacts: number; primaries: number };
};

type TimedImport = (file: string) => Promise<{ detail: ImportDetail; ms: number }>;

export async function measureCompanyColumns(
  db: Database,
  options: { filesDir: string; rows: number; seed: number; reset: () => Promise<void>; timedImport: TimedImport; log: (line: string) => void },
): Promise<CompanyMeasure> {
  const { filesDir, rows, seed, log } = options;
  const files = {
    withCompanies: path.join(filesDir, `customers-b2b-${rows}-seed${seed}.csv`),
    without: path.join(filesDir, `customers-b2b-${rows}-seed${seed}-no-company-columns.csv`),
  };
  const file = await writeCompanyFiles(files, rows, seed);
  try {
    await options.reset();
    const without = await options.timedImport(files.without);
    log(`  B2B file without company columns ${(without.ms / 1000).toFixed(1)} s: ${JSON.stringify(without.detail.counts)}`);
    await options.reset();
    const withCompanies = await options.timedImport(files.withCompanies);
    const { rows: stored } = await db.pool.query<{ companies: number; contacts: number; primaries: number }>(
      `SELECT (SELECT count(*) FROM companies)::int AS companies, count(*)::int AS contacts, count(*) FILTER (WHERE is_primary)::int AS primaries FROM company_contacts`,
    );
    log(
      `  the same with company columns (${file.companies.toLocaleString('en')} companies, ${file.companyRows.toLocaleString('en')} contact rows) ${(withCompanies.ms / 1000).toFixed(1)} s: ${JSON.stringify(withCompanies.detail.counts)}`,
    );
    return { rows, file, withoutMs: without.ms, withMs: withCompanies.ms, without: without.detail.counts, with: withCompanies.detail.counts, stored: stored[0]! };
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

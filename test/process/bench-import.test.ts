import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../support/test-database.ts';
import { runNode } from './cli-process.ts';

/**
 * The import benchmark's smoke mode on 10,000 customers: proves the script generates the
 * worksheet, imports it through a real worker process (first import, the same file again with
 * no row rewritten, 10 % changed), an address file and a B2B file with and without company
 * columns (issue #19), and prints its table. Timings are not asserted: other tests
 * run on the same machine at the same time.
 */
let workDir: string;
let database: { url: string; drop: () => Promise<void> };

beforeAll(async () => {
  workDir = await mkdtemp(path.join(os.tmpdir(), 'clientele-bench-import-'));
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.drop();
  await rm(workDir, { recursive: true, force: true });
});

type Counts = { created: number; updated: number; unchanged: number; rejected: number; addressesAdded: number; addressesChanged: number };
type CompanyCounts = Counts & { companiesCreated: number; contactsLinked: number };
type CompanyMeasure = { file: { companies: number; companyRows: number }; with: CompanyCounts; without: CompanyCounts; stored: { companies: number; contacts: number } };
type BenchResult = { results: Array<{ rows: number; first: Counts; rerun: Counts; changed: Counts; rowsRewrittenByRerun: number; workerPeakRssMb: number; addressRows: number; addresses: Counts; companies: CompanyMeasure; xlsx: { xlsxMb: number; csv: Counts; xlsx: Counts } }>; wrong: string[] };

describe('npm run bench:import -- --smoke', () => {
  it('imports 10,000 generated customers three times, an address file and a B2B file with and without company columns through a worker, and checks every count', async () => {
    const jsonFile = path.join(workDir, 'smoke.json');
    const run = await runNode(['--import', 'tsx', 'bench/import.bench.ts', '--smoke', '--data-dir', workDir, '--json', jsonFile], { DATABASE_URL: database.url }, 240_000);
    expect(run.stdout, run.stderr).toMatch(/\| import 10,000 \(start → report\)\s+\|/);
    expect(run.stdout).not.toContain('WRONG RESULT');
    expect(run.code).toBe(0);
    const { results, wrong } = JSON.parse(await readFile(jsonFile, 'utf8')) as BenchResult;
    expect(wrong).toEqual([]);
    const [size] = results;
    expect(size!.first.created + size!.first.rejected).toBe(10_000);
    expect(size!.rerun).toMatchObject({ created: 0, updated: 0, unchanged: size!.first.created });
    expect(size!.rowsRewrittenByRerun).toBe(0);
    expect(size!.changed.updated).toBeGreaterThan(size!.first.created * 0.08);
    expect(size!.workerPeakRssMb).toBeGreaterThan(0);
    // The address file: every customer's default address again (already in the book) and a new one (added).
    expect(run.stdout).toMatch(/\| address file [\d,]+ rows \(start → report\)/);
    expect(size!.addressRows).toBe(2 * size!.first.created);
    expect(size!.addresses).toMatchObject({ rejected: 0, addressesAdded: size!.first.created, addressesChanged: 0, unchanged: size!.first.created });
    // Issue #19: the B2B file with company columns and without them, each into an emptied store.
    expect(run.stdout).toMatch(/\| B2B file 10,000 with company columns\s+\| [\d.]+ s \([\d,]+ companies, [\d,]+ contacts\)\s+\| without [\d.]+ s\s+\| [\d.]+×/);
    const { companies } = size!;
    expect(companies.file.companyRows).toBeGreaterThan(10_000 * 0.25);
    expect(companies.with).toMatchObject({ created: companies.without.created, rejected: companies.without.rejected, companiesCreated: companies.stored.companies, contactsLinked: companies.stored.contacts });
    expect(companies.with.companiesCreated).toBeGreaterThan(companies.file.companies * 0.95);
    expect(companies.with.contactsLinked).toBeGreaterThan(companies.file.companyRows * 0.95);
    expect(companies.without).toMatchObject({ companiesCreated: 0, contactsLinked: 0 });
    // Issue #20: the same customers as a workbook (shared strings) import as the CSV file does.
    expect(run.stdout).toMatch(/\| XLSX file 10,000 \([\d.]+ MB, shared strings\)\s+\| [\d.]+ s\s+\| CSV [\d.]+ s\s+\| [\d.]+×/);
    expect(size!.xlsx.xlsxMb).toBeGreaterThan(0.5);
    expect(size!.xlsx.xlsx).toEqual(size!.xlsx.csv);
    expect(size!.xlsx.csv.created).toBe(size!.first.created);
  }, 240_000);
});

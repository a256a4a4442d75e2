import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../support/test-database.ts';
import { runNode } from './cli-process.ts';

/**
 * The export benchmark's smoke mode on 10,000 customers: proves the script generates the data,
 * times the COPY floor, the CSV and the XLSX export, checks every file holds every row (read back
 * with the importer) and prints its table. Timings are not asserted: the machine is busy.
 */
let workDir: string;
const drops: (() => Promise<void>)[] = [];

beforeAll(async () => {
  workDir = await mkdtemp(path.join(os.tmpdir(), 'clientele-bench-export-'));
});
afterAll(async () => {
  for (const drop of drops) await drop();
  await rm(workDir, { recursive: true, force: true });
});

describe('npm run bench:export -- --smoke', () => {
  it('exports 10,000 customers as COPY, CSV and XLSX, checks the files and prints the table', async () => {
    const database = await createTestDatabase();
    drops.push(database.drop);
    const jsonFile = path.join(workDir, 'smoke.json');
    const run = await runNode(
      ['--import', 'tsx', 'bench/export.bench.ts', '--smoke', '--json', jsonFile],
      { DATABASE_URL: database.url },
      150_000,
    );
    expect(run.stderr).toBe('');
    expect(run.code, run.stdout).toBe(0);
    expect(run.stdout).toMatch(/\| PostgreSQL COPY … TO \(floor\) \| 10,000 /);
    expect(run.stdout).toMatch(/\| CSV export \(csv\)\s+\| 10,000 /);
    expect(run.stdout).toMatch(/\| XLSX export\s+\| 10,000 /);
    expect(run.stdout).toMatch(/CSV export \/ COPY floor: \d+\.\d\d× \(target ≤ 2×\)/);
    expect(run.stdout).not.toContain('WRONG OUTPUT');
    const result = JSON.parse(await readFile(jsonFile, 'utf8')) as {
      rows: number;
      failures: string[];
      runs: { mode: string; rows: number; bytes: number; peakRssMb: number }[];
    };
    expect(result.rows).toBe(10_000);
    expect(result.failures).toEqual([]);
    expect(result.runs.map((run) => [run.mode, run.rows])).toEqual([
      ['copy', 10_000],
      ['csv', 10_000],
      ['xlsx', 10_000],
    ]);
    for (const measured of result.runs) {
      expect(measured.bytes).toBeGreaterThan(100_000);
      expect(measured.peakRssMb).toBeGreaterThan(0);
    }
  }, 180_000);
});

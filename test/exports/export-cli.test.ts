import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../process/cli-process.ts';
import { factoryCustomers, insertFactoryCustomers } from '../support/customer-factory.ts';
import { importerView } from '../support/round-trip.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';

/** `clientele export` as a real process against a real database. */
let app: TestApp;
let workDir: string;
let vipCount: number;

beforeAll(async () => {
  app = await createTestApp();
  workDir = await mkdtemp(path.join(os.tmpdir(), 'clientele-export-cli-'));
  const customers = factoryCustomers(300, { seed: 11 });
  await insertFactoryCustomers(app.services, customers);
  vipCount = customers.filter((customer) => customer.groups.includes('Clients fidèles')).length;
}, 60_000);
afterAll(async () => {
  await app?.close();
  await rm(workDir, { recursive: true, force: true });
});

describe('clientele export', () => {
  it('writes an XLSX of one group that the importer maps and reads without a single error', async () => {
    const out = path.join(workDir, 'fideles.xlsx');
    const run = await runCli(
      ['export', '--format', 'xlsx', '--out', out, '--group', 'clients FIDÈLES', '--language', 'nl'],
      { DATABASE_URL: app.databaseUrl },
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toBe(`Exported ${vipCount} rows to ${out}.`);
    const view = await importerView(out);
    expect(view.headings[0]).toBe('Clientele-ID');
    // Every column is mapped exactly, but the company's Reverse charge flag: only staff set it
    // (docs/companies.md), so the importer leaves it unmapped.
    const mapped = view.mapping.columns.filter((column) => column.heading !== 'Btw verlegd');
    expect(view.mapping.columns.find((column) => column.heading === 'Btw verlegd')?.field).toBeNull();
    expect(mapped).toHaveLength(view.headings.length - 1);
    expect(mapped.every((column) => column.confidence === 'exact')).toBe(true);
    expect(view.errors).toEqual([]);
    expect(view.drafts).toHaveLength(vipCount);
    expect(view.drafts.every((draft) => draft.values.groups?.includes('Clients fidèles'))).toBe(true);
    expect((await readdir(workDir)).filter((name) => name.endsWith('.partial'))).toEqual([]);
  }, 60_000);

  it('writes chosen columns as semicolon CSV', async () => {
    const out = path.join(workDir, 'mailing.csv');
    const run = await runCli(
      [
        'export',
        '--format',
        'csv-semicolon',
        '--out',
        out,
        '--columns',
        'email,lastName',
        '--newsletter',
        'yes',
      ],
      { DATABASE_URL: app.databaseUrl },
    );
    expect(run.code).toBe(0);
    const view = await importerView(out);
    expect(view.settings).toMatchObject({ format: 'csv', delimiter: ';', encoding: 'utf-8-bom' });
    expect(view.headings).toEqual(['E-mail', 'Last name']);
    expect(view.drafts.length).toBeGreaterThan(50);
  }, 60_000);

  it('writes raw values for a mailing platform with --for program, and guarded ones by default', async () => {
    const columns = ['--columns', 'email,firstName,lastName'];
    const raw = path.join(workDir, 'platform.csv');
    const run = await runCli(['export', '--format', 'csv', '--out', raw, '--for', 'program', ...columns], {
      DATABASE_URL: app.databaseUrl,
    });
    expect(run.code).toBe(0);
    const rawText = await readFile(raw, 'utf8');
    expect(rawText).toContain(',=SUM(1),+31 Test');
    expect(rawText).not.toContain("'=SUM(1)");
    const guarded = path.join(workDir, 'spreadsheet.csv');
    expect((await runCli(['export', '--format', 'csv', '--out', guarded, ...columns], { DATABASE_URL: app.databaseUrl })).code).toBe(0);
    expect(await readFile(guarded, 'utf8')).toContain(",'=SUM(1),'+31 Test");
    const wrong = await runCli(['export', '--format', 'csv', '--out', raw, '--for', 'printer'], { DATABASE_URL: app.databaseUrl });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('purpose');
  }, 60_000);

  it('explains a bad request in plain words, exits 1 and leaves no file', async () => {
    const out = path.join(workDir, 'bad.csv');
    const unknownColumn = await runCli(
      ['export', '--format', 'csv', '--out', out, '--columns', 'email,password'],
      { DATABASE_URL: app.databaseUrl },
    );
    expect(unknownColumn.code).toBe(1);
    expect(unknownColumn.stderr).toContain('Unknown columns: password. Choose from: id, externalId, email');
    const unknownGroup = await runCli(['export', '--format', 'csv', '--out', out, '--group', 'Nope'], {
      DATABASE_URL: app.databaseUrl,
    });
    expect(unknownGroup.code).toBe(1);
    expect(unknownGroup.stderr).toContain('There is no customer group “Nope”');
    const badFormat = await runCli(['export', '--format', 'pdf', '--out', out], {
      DATABASE_URL: app.databaseUrl,
    });
    expect(badFormat.code).toBe(1);
    expect(badFormat.stderr).toContain('format');
    expect((await readdir(workDir)).filter((name) => name.startsWith('bad'))).toEqual([]);
  }, 60_000);
});

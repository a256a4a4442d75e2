import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTable } from '../../src/imports/read.ts';
import { runCli } from '../process/cli-process.ts';
import { readSettingsOf } from '../support/round-trip.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';
import { exportToLocalFile } from './export-test-helpers.ts';

/**
 * The Addresses export (issue #16): one row per address of the book, the customer's e-mail and
 * external id, the default flags; customers with 0, 1 and 5 addresses; CSV and XLSX; EN and NL.
 */

let app: TestApp;
let workDir: string;

beforeAll(async () => {
  app = await createTestApp();
  workDir = await mkdtemp(path.join(os.tmpdir(), 'clientele-addresses-export-'));
  const { customers, addressBook } = app.services;
  await customers.create({ email: 'none@example.com', lastName: 'Zonder' });
  await customers.create({
    email: 'one@example.com', lastName: 'Een', externalId: '0042',
    billingAddress: { street: 'Kerkstraat', number: '12', extension: 'II', postcode: '3511AB', city: 'Utrecht', country: 'NL' },
  });
  const five = await customers.create({
    email: 'five@example.com', lastName: 'Vijf',
    billingAddress: { attention: 'Mw. Vijf', street: 'Laan', number: '1', postcode: '1000', city: 'Brussel', country: 'BE' },
  });
  const extra = [
    { label: 'Werk', company: 'Vijf & Zonen "B.V."', street: 'Industrieweg', number: '7', postcode: '2000', city: 'Antwerpen', country: 'BE', phone: '+32 3 123 45 67' },
    { label: 'Oma', street: 'Rue de la Paix', number: '3', postcode: '75002', city: 'Paris', country: 'FR', address2: 'Bâtiment B' },
    { label: 'Vakantie', street: 'Hauptstraße', number: '5', extension: 'b', postcode: '10115', city: 'Berlin', country: 'DE' },
    { label: 'Magazijn', street: 'Havenweg', number: '100', postcode: '3011 AA', city: 'Rotterdam', country: 'NL', region: 'Zuid-Holland' },
  ];
  const ids: number[] = [];
  for (const address of extra) ids.push((await addressBook.add(five.id, address)).address.id);
  // The default shipping address is another row than the default billing address.
  await addressBook.makeDefault(five.id, ids[3]!, 'shipping');
}, 60_000);

afterAll(async () => {
  await app?.close();
  await rm(workDir, { recursive: true, force: true });
});

async function readFile(file: string): Promise<{ headings: string[]; rows: string[][] }> {
  const table = await readTable(file, await readSettingsOf(file));
  const rows: string[][] = [];
  for await (const row of table.rows) rows.push(row.cells.map((cell) => cell ?? ''));
  return { headings: table.headings, rows };
}

const englishHeadings = [
  'E-mail', 'External ID', 'Address label', 'Attention', 'Company', 'Street', 'House number', 'House number extension',
  'Address line 2', 'Postcode', 'City', 'Region', 'Country', 'Address phone', 'Default billing address', 'Default shipping address',
];

describe('the Addresses export', () => {
  it('writes every address once, defaults first, with every value (CSV for a program, English)', async () => {
    const file = await exportToLocalFile(app, { type: 'addresses', format: 'csv', purpose: 'program', language: 'en' });
    const { headings, rows } = await readFile(file);
    expect(headings).toEqual(englishHeadings);
    const byColumn = rows.map((row) => Object.fromEntries(headings.map((heading, index) => [heading, row[index] ?? ''])));
    expect(byColumn.map((row) => row['E-mail'])).toEqual(['one@example.com', ...Array(5).fill('five@example.com')]);
    expect(byColumn[0]).toMatchObject({ 'External ID': '0042', Street: 'Kerkstraat', 'House number': '12', 'House number extension': 'II', Postcode: '3511 AB', Country: 'NL', 'Default billing address': 'yes', 'Default shipping address': 'yes' });
    expect(byColumn.slice(1).map((row) => [row['Address label'], row.City, row['Default billing address'], row['Default shipping address']])).toEqual([
      ['', 'Brussel', 'yes', 'no'],
      ['Magazijn', 'Rotterdam', 'no', 'yes'],
      ['Werk', 'Antwerpen', 'no', 'no'],
      ['Oma', 'Paris', 'no', 'no'],
      ['Vakantie', 'Berlin', 'no', 'no'],
    ]);
    expect(byColumn[3]).toMatchObject({ Company: 'Vijf & Zonen "B.V."', 'Address phone': '+32 3 123 45 67' });
    expect(byColumn[4]).toMatchObject({ 'Address line 2': 'Bâtiment B', Postcode: '75002' });
    expect(byColumn[2]).toMatchObject({ Region: 'Zuid-Holland', Postcode: '3011 AA' });
    expect(byColumn[1]).toMatchObject({ Attention: 'Mw. Vijf', Street: 'Laan' });
  });

  it('writes the same rows as XLSX with Dutch headings', async () => {
    const file = await exportToLocalFile(app, { type: 'addresses', format: 'xlsx', language: 'nl' });
    const { headings, rows } = await readFile(file);
    expect(headings).toEqual([
      'E-mail', 'Extern ID', 'Adreslabel', 'T.a.v.', 'Bedrijfsnaam', 'Straat', 'Huisnummer', 'Toevoeging',
      'Adresregel 2', 'Postcode', 'Plaats', 'Provincie', 'Land', 'Telefoon bij adres', 'Standaard factuuradres', 'Standaard afleveradres',
    ]);
    expect(rows).toHaveLength(6);
    expect(rows[0]!.slice(-2)).toEqual(['ja', 'ja']);
    expect(rows.map((row) => row[10])).toEqual(['Utrecht', 'Brussel', 'Rotterdam', 'Antwerpen', 'Paris', 'Berlin']);
    expect(rows[1]![1]).toBe('');
  });

  it('takes the addresses of the chosen customers only', async () => {
    const file = await exportToLocalFile(app, { type: 'addresses', format: 'csv', language: 'en', filters: { q: 'vijf' } });
    const { rows } = await readFile(file);
    expect(rows.map((row) => row[0])).toEqual(Array(5).fill('five@example.com'));
  });

  it('runs from the command line', async () => {
    const out = path.join(workDir, 'addresses.csv');
    const run = await runCli(['export', '--type', 'addresses', '--format', 'csv', '--out', out], { DATABASE_URL: app.databaseUrl });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toBe(`Exported 6 rows to ${out}.`);
    expect((await readFile(out)).rows).toHaveLength(6);
  }, 60_000);
});

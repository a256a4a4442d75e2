import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../support/test-database.ts';
import { runCli } from './cli-process.ts';

/** `clientele import` as a script runs it, on a database of the test cluster (DATABASE_URL). */
let database: { url: string; drop: () => Promise<void> };
let directory: string;
// A locale that is neither English nor Dutch: the messages follow the shop's default language (English).
const env = () => ({ DATABASE_URL: database.url, FILE_STORE_DIR: path.join(directory, 'files'), LANG: 'C.UTF-8', LC_ALL: '', LC_MESSAGES: '' });

beforeAll(async () => {
  database = await createTestDatabase();
  directory = await mkdtemp(path.join(os.tmpdir(), 'clientele-import-cli-'));
});
afterAll(async () => {
  await database.drop();
  await rm(directory, { recursive: true, force: true });
});

async function customerCount(): Promise<number> {
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    return Number((await client.query('SELECT count(*) FROM customers')).rows[0].count);
  } finally {
    await client.end();
  }
}

async function customerValue(email: string, column: string): Promise<unknown> {
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    return (await client.query(`SELECT ${column} AS value FROM customers WHERE email = $1`, [email])).rows[0]?.value;
  } finally {
    await client.end();
  }
}

describe('clientele import', () => {
  it('--dry-run reports what would happen, writes nothing, and exits 1 when rows would be rejected', async () => {
    const file = path.join(directory, 'klanten.csv');
    await writeFile(file, 'E-mailadres;Voornaam;Achternaam\nanna@example.nl;Anna;Bakker\ngeen-email;Bert;Bos\n');
    const result = await runCli(['import', file, '--dry-run', '--language', 'en'], { ...env(), LANG: 'nl_NL.UTF-8' }, 60_000);
    expect(result.stdout).toContain('Check: 2 rows → 1 to create, 0 to update, 0 unchanged, 1 rejected.');
    expect(result.stdout).toContain('row 3, E-mailadres: “geen-email” is not a valid e-mail address.');
    expect(result.stdout).toContain('Dry run: nothing was written.');
    expect(result.code).toBe(1);
    expect(await customerCount()).toBe(0);
  });

  it('imports, prints the summary, and exits 0 when every row was imported', async () => {
    const file = path.join(directory, 'goed.csv');
    await writeFile(file, 'E-mail,First name,Last name,Customer groups\ncarla@example.nl,Carla,Claes,VIP\n');
    const result = await runCli(['import', file, '--mode', 'create'], env(), 60_000);
    expect(result.stdout, result.stderr).toContain('Done: 1 created, 0 updated, 0 unchanged, 0 rejected.');
    expect(result.code).toBe(0);
    expect(await customerCount()).toBe(1);
  });

  it('--type companies imports a company file: one company per row, a malformed VAT number left out with a warning', async () => {
    const file = path.join(directory, 'bedrijven.csv');
    await writeFile(file, 'Company name,Chamber of Commerce number,VAT number\nCli Trading BV,50000002,\nCli Bad Vat BV,,NL12345\n');
    const result = await runCli(['import', file, '--type', 'companies', '--language', 'en'], env(), 60_000);
    expect(result.stdout, result.stderr).toContain('Type: companies');
    expect(result.stdout, result.stderr).toContain('Check: 2 rows → companies: 2 to create, 0 to update, 0 unchanged; 0 rows rejected.');
    expect(result.stdout, result.stderr).toContain('Done: companies 2 created, 0 updated, 0 unchanged; 0 rows rejected.');
    expect(result.code).toBe(0);
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const { rows } = await client.query('SELECT name, coc_number, vat_number FROM companies ORDER BY name');
      expect(rows).toEqual([
        { name: 'Cli Bad Vat BV', coc_number: '', vat_number: '' },
        { name: 'Cli Trading BV', coc_number: '50000002', vat_number: '' },
      ]);
    } finally {
      await client.end();
    }
  });

  it('refuses a file that is not a worksheet with the reason, exit code ≠ 0', async () => {
    const file = path.join(directory, 'photo.csv');
    await writeFile(file, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]));
    const result = await runCli(['import', file], env(), 60_000);
    expect(result.stderr).toContain('This is an image, not a spreadsheet.');
    expect(result.code).not.toBe(0);
  });

  it('rejects an unknown option value before touching the database', async () => {
    const result = await runCli(['import', path.join(directory, 'goed.csv'), '--mode', 'merge'], env(), 30_000);
    expect(result.stderr).toContain('Use one of: create-update, create, update.');
    expect(result.code).not.toBe(0);
  });

  it('--dry-run prints the suggested fixes with the option that accepts them; --accept-fix COLUMN:FIX accepts them', async () => {
    const file = path.join(directory, 'excel.csv');
    await writeFile(file, 'E-mail,First name,Last name,Mobile,Phone\nfixed@example.nl,Femke,Fix,612345678,201234567\n');
    const dry = await runCli(['import', file, '--dry-run'], env(), 60_000);
    expect(dry.stdout).toContain('Suggested fixes (not accepted):');
    expect(dry.stdout).toContain('Mobile: 1 × leading-zero, e.g. 612345678 → 0612345678. Accept with --accept-fix mobile:leading-zero');
    expect(dry.stdout).toContain('Accept with --accept-fix phone:leading-zero');
    expect(dry.stdout).toContain('Accept every suggested fix with --accept-all-fixes.');

    // Only the mobile column's fix accepted: the phone column still needs its own.
    const one = await runCli(['import', file, '--dry-run', '--accept-fix', 'Mobile:leading-zero'], env(), 60_000);
    expect(one.stdout).not.toContain('--accept-fix mobile:leading-zero');
    expect(one.stdout).toContain('--accept-fix phone:leading-zero');

    const every = await runCli(['import', file, '--accept-fix', 'leading-zero'], env(), 60_000);
    expect(every.stdout, every.stderr).toContain('Done: 1 created, 0 updated, 0 unchanged, 0 rejected.');
    expect(every.code).toBe(0);
    expect(await customerValue('fixed@example.nl', 'mobile')).toBe('+31 6 12345678');
  }, 120_000);

  it('--accept-all-fixes, --date-order, --phone-country and --duplicates do what the back office options do', async () => {
    const file = path.join(directory, 'belgen.csv');
    await writeFile(file, [
      'E-mail,First name,Last name,Phone,Date of birth,Notes',
      'bert@example.be,Bert,Peeters,,03/04/1980,',
      'elke@example.be,Elke,Janssens,471234567,,',
      'BERT@example.be,Bert,Peeters,023456789,,from row 4',
    ].join('\n'));
    const result = await runCli(['import', file, '--accept-all-fixes', '--date-order', 'mdy', '--phone-country', 'be', '--duplicates', 'combine'], env(), 60_000);
    expect(result.stdout, result.stderr).toContain('Done: 2 created, 0 updated, 0 unchanged, 0 rejected.');
    expect(result.stdout).toContain('row 4 combined into row 2');
    expect(await customerValue('bert@example.be', 'birth_date::text')).toBe('1980-03-04');
    expect(await customerValue('bert@example.be', 'phone')).toBe('+32 2 345 67 89');
    expect(await customerValue('bert@example.be', 'notes')).toBe('from row 4');
    expect(await customerValue('elke@example.be', 'phone')).toBe('+32 471 23 45 67');
  });

  it('speaks Dutch when the environment does (LANG=nl_NL.UTF-8): the summary, suggested fixes, warnings and duplicates', async () => {
    const file = path.join(directory, 'nederlands.csv');
    await writeFile(file, [
      'E-mail;Voornaam;Achternaam;Mobiel;Nieuwsbrief',
      'nina@example.nl;Nina;Nooit;612345678;ja',
      'olaf@example.nl;Olaf;Ooit;06-01234567;misschien',
      'NINA@example.nl;Nina;Nooit;;',
    ].join('\n'));
    const result = await runCli(['import', file, '--dry-run'], { ...env(), LANG: 'nl_NL.UTF-8' }, 60_000);
    expect(result.stdout, result.stderr).toContain('Controle: 3 rijen → 2 nieuw, 0 bij te werken, 0 ongewijzigd, 1 geweigerd.');
    expect(result.stdout).toContain('  rij 4, E-mail: Hetzelfde e-mailadres als rij 2');
    expect(result.stdout).toContain('Waarschuwingen: 2 rijen worden geïmporteerd met een waarschuwing (foute waarden: bewaard zoals getypt en gemarkeerd).');
    expect(result.stdout).toContain('  rij 3, Mobiel: “06-01234567” heeft de vorm van een telefoonnummer');
    expect(result.stdout).toContain('  rij 3, Nieuwsbrief: “misschien” is geen toestemming die we kunnen lezen.');
    expect(result.stdout).toContain('Voorgestelde correcties (niet geaccepteerd):');
    expect(result.stdout).toContain('  Mobiel: 1 × leading-zero, bijv. 612345678 → 0612345678. Accepteer met --accept-fix mobile:leading-zero');
    expect(result.stdout).toContain('  Mobiel → Mobiel (exact)');
    expect(result.stdout).toContain('Proefdraai: er is niets geschreven.');
    expect(result.stdout).not.toContain('Dry run');
  });

  it('refuses a fix for a column the file does not have, and an unknown --bad-values policy', async () => {
    const file = path.join(directory, 'goed.csv');
    const column = await runCli(['import', file, '--dry-run', '--accept-fix', 'fax:leading-zero'], env(), 60_000);
    expect(column.stderr).toContain('No imported column or field “fax” in this file.');
    expect(column.code).not.toBe(0);
    const policy = await runCli(['import', file, '--bad-values', 'ignore'], env(), 30_000);
    expect(policy.stderr).toContain('Use one of: keep, leave-out, strict.');
    expect(policy.code).not.toBe(0);
  });
});

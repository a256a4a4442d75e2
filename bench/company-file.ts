import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { base, en, Faker, nl } from '@faker-js/faker';
import { customerFieldByKey } from '../src/imports/customer-fields.ts';
import { seededRandom } from './dataset.ts';
import { importColumns, importFileRows } from './import-file.ts';

/**
 * Issue #19's import measure: the import benchmark's customers file as a B2B shop has it, with
 * company columns (Company name, Chamber of Commerce number, VAT number, Company role, Primary
 * contact), and the same file without those five columns.
 *
 * The mix: about 30 % of the rows are contacts of a Dutch company (drawn from the file's Dutch
 * rows, so the numbers are read in the right country), companies have 1–5 contacts spread over
 * nearby rows (across batches), half of the companies have a KvK number (8 digits) and an NL VAT
 * number with its check digit, some only one of the two, a quarter only a name; some later
 * contacts give only the company name. The first contact of a company is its primary contact
 * (yes), later ones no; rows of no company leave the company columns empty. Deterministic per seed.
 */

export const companyColumns = ['companyName', 'cocNumber', 'vatNumber', 'companyRole', 'isPrimaryContact'] as const;

const companyShareOfRows = 0.3;
const roles = ['Inkoper', 'Directeur', 'Administratie', 'Office manager', 'Eigenaar', ''];

type Company = { name: string; cocNumber: string; vatNumber: string; slotsLeft: number };

/** A Dutch VAT number (the form before 2020: 9 digits, the last an 11-check, then B01). */
function vatNumberOf(digits8: string): string | undefined {
  let sum = 0;
  for (let index = 0; index < 8; index += 1) sum += Number(digits8[index]) * (9 - index);
  const check = sum % 11;
  return check === 10 ? undefined : `NL${digits8}${check}B01`;
}

const nameKey = (name: string) =>
  name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '');

export type CompanyFileStats = { companies: number; companyRows: number };

/**
 * The rows of the B2B file as cell texts, in `headingsOf(true)` order; `stats` counts the
 * companies and the rows that name one.
 */
export function* companyFileRows(rows: number, seed: number, stats: CompanyFileStats): Generator<string[]> {
  const random = seededRandom(seed + 1919);
  const faker = new Faker({ locale: [nl, en, base], seed: seed * 19 + 1 });
  const basicNames = [...new Set(Array.from({ length: 3000 }, () => faker.company.name()))];
  const usedKeys = new Set<string>();
  const usedNumbers = new Set<string>();
  const open: Company[] = [];
  const column = (key: string) => importColumns.indexOf(key as (typeof importColumns)[number]);
  const [countryAt, isCompanyAt] = [column('billing.country'), column('isCompany')];
  const companyAt = [column('companyName'), column('cocNumber'), column('vatNumber')] as const;
  // Of the Dutch rows (about 55 % of the file), this share is a company's contact: 30 % of all rows.
  const dutchShare = companyShareOfRows / 0.55;
  const newCompany = (): Company => {
    const basic = basicNames[Math.floor(random() * basicNames.length)]!;
    let name = basic;
    for (let n = 2; usedKeys.has(nameKey(name)); n += 1) name = `${basic} ${n}`;
    usedKeys.add(nameKey(name));
    let digits = '';
    while (digits === '' || usedNumbers.has(digits) || !vatNumberOf(digits)) {
      digits = String(10_000_000 + Math.floor(random() * 89_999_999));
    }
    usedNumbers.add(digits);
    const numbers = random();
    stats.companies += 1;
    return {
      name,
      cocNumber: numbers < 0.65 ? digits : '',
      vatNumber: numbers < 0.5 || (numbers >= 0.65 && numbers < 0.75) ? vatNumberOf(digits)! : '',
      slotsLeft: 1 + Math.floor(random() * 5),
    };
  };
  for (const cells of importFileRows({ rows, seed })) {
    const isContact = cells[countryAt] === 'NL' && random() < dutchShare;
    let company: Company | undefined;
    let isFirst = false;
    if (isContact) {
      // Two in three contacts join a company that has contacts to come (mean 3 a company).
      if (open.length > 0 && random() < 2 / 3) company = open[Math.floor(random() * open.length)]!;
      else {
        company = newCompany();
        open.push(company);
        isFirst = true;
      }
      company.slotsLeft -= 1;
      if (company.slotsLeft === 0) open.splice(open.indexOf(company), 1);
      stats.companyRows += 1;
    }
    const nameOnly = !isFirst && random() < 0.2;
    cells[isCompanyAt] = company ? 'yes' : 'no';
    cells[companyAt[0]] = company?.name ?? '';
    cells[companyAt[1]] = company && !nameOnly ? company.cocNumber : '';
    cells[companyAt[2]] = company && !nameOnly ? company.vatNumber : '';
    const role = company ? roles[Math.floor(random() * roles.length)]! : '';
    yield [...cells, role, company ? (isFirst ? 'yes' : 'no') : ''];
  }
}

const headingOf = (key: string) => customerFieldByKey.get(key)!.headings.en;
const allColumns: readonly string[] = [...importColumns, 'companyRole', 'isPrimaryContact'];
const keptIndexes = (withCompanies: boolean) =>
  allColumns.flatMap((key, index) =>
    withCompanies || !(companyColumns as readonly string[]).includes(key) ? [index] : [],
  );

const csvCell = (value: string) => (/[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);

/**
 * Writes the B2B file with its company columns and the same file without them (same rows, same
 * order, the five company columns left out); returns how many companies and contact rows it has.
 */
export async function writeCompanyFiles(
  files: { withCompanies: string; without: string },
  rows: number,
  seed: number,
): Promise<CompanyFileStats> {
  const stats: CompanyFileStats = { companies: 0, companyRows: 0 };
  const outputs = [true, false].map((withCompanies) => ({
    out: createWriteStream(withCompanies ? files.withCompanies : files.without),
    kept: keptIndexes(withCompanies),
    chunk: [] as string[],
  }));
  const flush = async () => {
    for (const output of outputs) {
      if (output.chunk.length === 0) continue;
      if (!output.out.write(`${output.chunk.join('\n')}\n`)) await once(output.out, 'drain');
      output.chunk = [];
    }
  };
  for (const output of outputs) output.chunk.push(output.kept.map((index) => csvCell(headingOf(allColumns[index]!))).join(','));
  for (const cells of companyFileRows(rows, seed, stats)) {
    for (const output of outputs) output.chunk.push(output.kept.map((index) => csvCell(cells[index]!)).join(','));
    if (outputs[0]!.chunk.length >= 1000) await flush();
  }
  await flush();
  for (const output of outputs) {
    output.out.end();
    await once(output.out, 'finish');
  }
  return stats;
}

import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { customerFieldByKey } from '../src/imports/customer-fields.ts';
import { benchCustomers, seededRandom } from './dataset.ts';

/**
 * The import benchmark's worksheet: N customers × 25 columns with our own export headings,
 * realistic values (the search bench's generator: Dutch, Belgian, German and British names and
 * addresses, some businesses), about 5–8 % invalid rows (broken e-mail, impossible postcode,
 * birth date in the future, a phone number that is not one). Deterministic per seed, so the
 * same file can be imported twice and a "10 % changed" variant differs in exactly those rows.
 */

export const importColumns = [
  'email', 'firstName', 'nameInsertion', 'lastName', 'gender', 'birthDate', 'phone', 'mobile', 'language', 'isCompany',
  'companyName', 'cocNumber', 'vatNumber', 'billing.street', 'billing.number', 'billing.extension', 'billing.postcode',
  'billing.city', 'billing.region', 'billing.country', 'shippingSameAsBilling', 'newsletter', 'groups', 'notes', 'externalId',
] as const;

export const importHeadings = importColumns.map((key) => customerFieldByKey.get(key)!.headings.en);

/** A valid phone number of the country, in the way people type them (the search bench's random digits include unassigned ranges). */
function phoneFor(country: string, random: () => number): string {
  const digits = (count: number) => String(Math.floor(random() * 10 ** count)).padStart(count, '0');
  if (country === 'NL') return `06-${1 + Math.floor(random() * 5)}${digits(7)}`;
  if (country === 'BE') return `+32 47${digits(1)} ${digits(2)} ${digits(2)} ${digits(2)}`;
  if (country === 'DE') return `0151 ${digits(8)}`;
  return `+44 7911 ${digits(6)}`;
}

const csvCell = (value: string) => (/[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);

/** `externalIdPrefix`: another file's customers get external ids of their own (default `L-`). */
export type ImportFileOptions = { rows: number; seed: number; changedShare?: number; externalIdPrefix?: string };

/** The rows of the file as cell texts; `changedShare` of the valid rows get a new city and newsletter choice. */
export function* importFileRows({ rows, seed, changedShare = 0, externalIdPrefix = 'L-' }: ImportFileOptions): Generator<string[]> {
  const random = seededRandom(seed + 7);
  const changeRandom = seededRandom(seed + 99);
  const groups = ['VIP', 'Wholesale', 'Newsletter', 'Stamkaart'];
  let index = 0;
  for (const { record } of benchCustomers(rows, seed)) {
    const billing = record.billingAddress;
    const isChanged = changeRandom() < changedShare;
    const birthYear = 1940 + Math.floor(random() * 65);
    const cells: Record<(typeof importColumns)[number], string> = {
      email: record.email,
      firstName: record.firstName,
      nameInsertion: record.nameInsertion,
      lastName: record.lastName,
      gender: record.gender ?? '',
      birthDate: `${birthYear}-${String(1 + Math.floor(random() * 12)).padStart(2, '0')}-${String(1 + Math.floor(random() * 28)).padStart(2, '0')}`,
      phone: record.phone === '' ? '' : phoneFor(billing.country, random),
      mobile: '',
      language: record.language,
      isCompany: record.isCompany ? 'yes' : 'no',
      companyName: record.companyName,
      cocNumber: record.cocNumber,
      vatNumber: '',
      'billing.street': billing.street,
      'billing.number': billing.number,
      'billing.extension': random() < 0.1 ? 'a' : '',
      'billing.postcode': billing.postcode,
      'billing.city': isChanged ? `${billing.city} Noord` : billing.city,
      'billing.region': '',
      'billing.country': billing.country,
      shippingSameAsBilling: 'yes',
      newsletter: (isChanged ? record.emailConsent !== 'subscribed' : record.emailConsent === 'subscribed') ? 'yes' : 'no',
      groups: random() < 0.2 ? groups[Math.floor(random() * groups.length)]! : '',
      notes: random() < 0.05 ? 'Prefers delivery after 18:00, "ring twice"' : '',
      externalId: `${externalIdPrefix}${100000 + index}`,
    };
    const fault = random();
    if (fault < 0.0125) cells.email = record.email.replace('@', ' at ');
    else if (fault < 0.025) cells['billing.postcode'] = record.billingAddress.country === 'NL' ? '12345' : 'XX';
    else if (fault < 0.0375) cells.birthDate = '2099-01-01';
    else if (fault < 0.05) cells.phone = '12';
    yield importColumns.map((key) => cells[key]);
    index++;
  }
}

/** Writes the file (CSV, UTF-8, comma) and returns its size. */
export async function writeImportFile(filePath: string, options: ImportFileOptions): Promise<number> {
  const out = createWriteStream(filePath);
  let bytes = 0;
  const write = async (line: string) => {
    bytes += Buffer.byteLength(line);
    if (!out.write(line)) await once(out, 'drain');
  };
  await write(`${importHeadings.map(csvCell).join(',')}\n`);
  let chunk: string[] = [];
  for (const cells of importFileRows(options)) {
    chunk.push(cells.map(csvCell).join(','));
    if (chunk.length === 1000) {
      await write(`${chunk.join('\n')}\n`);
      chunk = [];
    }
  }
  if (chunk.length > 0) await write(`${chunk.join('\n')}\n`);
  out.end();
  await once(out, 'finish');
  return bytes;
}

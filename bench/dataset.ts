import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { base, de, en, en_GB, Faker, nl, nl_BE, type LocaleDefinition } from '@faker-js/faker';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { searchTextOf, type CustomerRecord } from '../src/customers/customer-row.ts';
import { normalizeEmail, type customerLanguages } from '../src/customers/customer.rules.ts';
import { splitNameInsertion } from '../src/customers/demo-data.ts';
import { copyField } from '../src/db/copy-text.ts';

/**
 * A million realistic customers, fast: faker fills small per-country pools of names, streets,
 * cities and companies once, then a seeded PRNG combines them row by row and COPY streams the
 * rows in. The derived columns (email_normalized, search_text) come from the same functions the
 * customer repository uses, so the indexes see exactly what the application would write.
 */
export const generatorVersion = 1;

type Language = (typeof customerLanguages)[number];
type Pools = { country: string; language: Language; phonePrefix: string; phoneDigits: number; firstNames: string[]; lastNames: string[]; streets: string[]; cities: string[]; companies: string[]; postcode: (random: () => number) => string };

const countryLocales: { country: string; share: number; locale: LocaleDefinition; language: Language; phonePrefix: string; phoneDigits: number; postcode: (random: () => number) => string }[] = [
  { country: 'NL', share: 0.55, locale: nl, language: 'nl', phonePrefix: '+31 6 ', phoneDigits: 8, postcode: (r) => `${1011 + Math.floor(r() * 8988)} ${letter(r)}${letter(r)}` },
  { country: 'BE', share: 0.2, locale: nl_BE, language: 'nl', phonePrefix: '+32 47', phoneDigits: 7, postcode: (r) => String(1000 + Math.floor(r() * 8992)) },
  { country: 'DE', share: 0.15, locale: de, language: 'de', phonePrefix: '+49 151 ', phoneDigits: 8, postcode: (r) => String(10000 + Math.floor(r() * 89999)) },
  { country: 'GB', share: 0.1, locale: en_GB, language: 'en', phonePrefix: '+44 7700 ', phoneDigits: 6, postcode: (r) => `SW${1 + Math.floor(r() * 9)} ${Math.floor(r() * 9)}${letter(r)}${letter(r)}` },
];

const letter = (random: () => number) => 'ABCEGHJLNPRTVWXZ'[Math.floor(random() * 16)]!;

/** mulberry32: a tiny, fast, seedable PRNG; Math.random cannot be seeded. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function buildPools(seed: number): Pools[] {
  return countryLocales.map((profile, index) => {
    const faker = new Faker({ locale: [profile.locale, en, base], seed: seed * 31 + index });
    const many = (size: number, make: () => string) => [...new Set(Array.from({ length: size }, make))];
    return {
      ...profile,
      firstNames: many(3000, () => faker.person.firstName()),
      lastNames: many(6000, () => faker.person.lastName()),
      streets: many(3000, () => faker.location.street()),
      cities: many(1500, () => faker.location.city()),
      companies: many(3000, () => faker.company.name()),
    };
  });
}

export const copyColumns = [
  'email', 'email_normalized', 'first_name', 'name_insertion', 'last_name', 'gender', 'phone', 'mobile', 'language',
  'is_company', 'company_name', 'coc_number', 'vat_number',
  'billing_street', 'billing_number', 'billing_postcode', 'billing_city', 'billing_country',
  'shipping_street', 'shipping_number', 'shipping_postcode', 'shipping_city', 'shipping_country',
  'newsletter', 'email_consent', 'email_consent_level', 'search_text', 'created_at', 'updated_at',
] as const;

const domains = ['example.com', 'example.net', 'example.org'];
const createdSpanMs = 3 * 365 * 24 * 3600 * 1000;
const createdEndMs = Date.UTC(2025, 0, 1);

/** Customer number `index` (0-based) of the data set with this seed, as a CustomerRecord. */
export function* benchCustomers(rows: number, seed: number): Generator<{ record: CustomerRecord; createdAt: Date }> {
  const pools = buildPools(seed);
  const random = seededRandom(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  for (let index = 0; index < rows; index += 1) {
    const roll = random();
    const pool = roll < 0.55 ? pools[0]! : roll < 0.75 ? pools[1]! : roll < 0.9 ? pools[2]! : pools[3]!;
    const firstName = pick(pool.firstNames);
    const [nameInsertion, lastName] = pool.country === 'NL' ? splitNameInsertion(pick(pool.lastNames)) : ['', pick(pool.lastNames)];
    const isCompany = random() < 0.15;
    const companyName = isCompany ? pick(pool.companies) : '';
    const slug = (text: string) => text.normalize('NFKD').replace(/[^A-Za-z0-9]/g, '').toLowerCase();
    // The row number keeps every address unique; written in base 36 it reads like a nickname suffix.
    const email = `${slug(firstName)}.${slug(nameInsertion + lastName)}${index.toString(36)}@${pick(domains)}`;
    const address = {
      attention: '', street: pick(pool.streets), number: String(1 + Math.floor(random() * 180)), extension: '', address2: '',
      postcode: pool.postcode(random), city: pick(pool.cities), region: '', country: pool.country,
    };
    const phone = random() < 0.6 ? `${pool.phonePrefix}${String(Math.floor(random() * 10 ** pool.phoneDigits)).padStart(pool.phoneDigits, '0')}` : '';
    const record: CustomerRecord = {
      email, firstName, nameInsertion, lastName, gender: random() < 0.5 ? 'female' : 'male', birthDate: null,
      phone, mobile: '', language: pool.language, isCompany, companyName,
      cocNumber: isCompany ? String(10_000_000 + Math.floor(random() * 89_999_999)) : '', vatNumber: '',
      billingAddress: address, shippingSameAsBilling: true, shippingAddress: { ...address, company: '' },
      notes: '', tags: [], externalId: null, customerSince: null,
      ...(random() < 0.4 ? { emailConsent: 'subscribed', emailConsentLevel: 'single' } : { emailConsent: 'not_set', emailConsentLevel: null }),
      emailConsentAt: null, emailConsentSource: null, smsConsent: 'not_set', smsConsentLevel: null, smsConsentAt: null, smsConsentSource: null,
    };
    yield { record, createdAt: new Date(createdEndMs - Math.floor(random() * createdSpanMs)) };
  }
}

function toCopyLine({ record, createdAt }: { record: CustomerRecord; createdAt: Date }): string {
  const billing = record.billingAddress;
  const created = createdAt.toISOString();
  const values = [
    record.email, normalizeEmail(record.email), record.firstName, record.nameInsertion, record.lastName, record.gender,
    record.phone, record.mobile, record.language, String(record.isCompany), record.companyName, record.cocNumber, record.vatNumber,
    billing.street, billing.number, billing.postcode, billing.city, billing.country,
    billing.street, billing.number, billing.postcode, billing.city, billing.country,
    String(record.emailConsent === 'subscribed'), record.emailConsent, record.emailConsentLevel, searchTextOf(record), created, created,
  ];
  return values.map(copyField).join('\t');
}

/** Streams `rows` customers into the (empty) customers table with one COPY; reports progress per batch. */
export async function copyCustomers(client: pg.PoolClient, rows: number, seed: number, onProgress: (done: number) => void): Promise<void> {
  const batchRows = 5000;
  async function* lines() {
    let batch: string[] = [];
    let done = 0;
    for (const customer of benchCustomers(rows, seed)) {
      batch.push(toCopyLine(customer));
      if (batch.length === batchRows) {
        yield `${batch.join('\n')}\n`;
        done += batch.length;
        batch = [];
        onProgress(done);
      }
    }
    if (batch.length > 0) {
      yield `${batch.join('\n')}\n`;
      onProgress(done + batch.length);
    }
  }
  const copy = client.query(copyFrom(`COPY customers (${copyColumns.join(', ')}) FROM STDIN`));
  await pipeline(Readable.from(lines()), copy);
}

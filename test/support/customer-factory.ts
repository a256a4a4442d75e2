import type { AppServices } from '../../src/app.ts';
import { customerRepository } from '../../src/customers/customer.repository.ts';
import type { CustomerRecord } from '../../src/customers/customer-row.ts';
import { normalizedCustomerSchema, type CustomerInputRaw } from '../../src/customers/customer.schemas.ts';
import { generateDemoCustomers } from '../../src/customers/demo-data.ts';

/**
 * Varied customers for export and import tests: realistic demo customers (Dutch, Belgian,
 * German, British), and every few rows one with the values that break naive exporters —
 * formula-like names (`=SUM(1)`, `+31…`, `@…`, `-…`), apostrophes that are data (`'s-Hertogenbosch`)
 * or look like a guard, Greek and Chinese names, accents, newlines, quotes, commas and
 * semicolons in notes, postcodes and ids with leading zeros, 20-digit numbers, customer groups
 * with accents. Deterministic: the same count and seed give the same customers.
 */
export type FactoryCustomer = { input: CustomerInputRaw; groups: string[] };

export const factoryGroupNames = [
  'VIP',
  'Groothandel',
  'Nieuwsbrief',
  'Vaste klanten',
  'Clients fidèles',
  'Κρήτη 2025',
] as const;

type Override = (input: CustomerInputRaw, index: number) => Partial<CustomerInputRaw>;

const germanAddress = {
  street: 'Schloßstraße',
  number: '7',
  extension: 'b',
  address2: '',
  postcode: '01067',
  city: 'Dresden',
  region: 'Sachsen',
  country: 'DE',
  attention: '',
};

const awkward: readonly Override[] = [
  () => ({ firstName: '=SUM(1)', lastName: '+31 Test' }),
  () => ({
    firstName: '@admin',
    lastName: '-Minus',
    companyName: '=HYPERLINK("http://evil.example","klik")',
  }),
  () => ({ firstName: 'Αλέξανδρος', lastName: 'Παπαδόπουλος', language: 'en' }),
  () => ({ firstName: '秀英', lastName: '王', notes: '请在下午五点后送货。' }),
  () => ({
    notes: 'Eerste regel\nTweede regel, met "aanhalingstekens"; en een puntkomma\n=1+1\n\n  ingesprongen',
  }),
  () => ({
    billingAddress: germanAddress,
    shippingSameAsBilling: true,
    phone: '',
    mobile: '',
    language: 'de',
  }),
  (_input, index) => ({
    externalId: `000${String(index).padStart(17, '0')}`,
    cocNumber: '01234567',
    vatNumber: 'NL000099998B57',
  }),
  () => ({
    firstName: "'t Hart",
    lastName: "'=al beschermd",
    phone: '',
    mobile: '+31 6 12345678',
    billingAddress: {
      ...germanAddress,
      city: "'s-Hertogenbosch",
      postcode: '5211 AB',
      country: 'NL',
      region: '',
    },
  }),
  () => ({
    firstName: 'Zoë',
    nameInsertion: "van 't",
    lastName: 'Ærøskøbing-Müller',
    notes: "'+ begint met apostrof",
  }),
  () => ({
    shippingSameAsBilling: false,
    shippingAddress: {
      ...germanAddress,
      company: 'Müller & Söhne GmbH; Lager',
      attention: 'Łukasz Żółć',
      postcode: '01069',
      street: 'Straße "Am Markt"',
    },
  }),
  () => ({ firstName: 'Tab', lastName: 'Comma, Semicolon; Pipe | "Quote"', birthDate: '1900-01-01' }),
];

/** Every `every`-th customer gets the next awkward override (a third of them by default). */
export function factoryCustomers(
  count: number,
  options: { seed?: number; today?: string; every?: number } = {},
): FactoryCustomer[] {
  const today = options.today ?? '2025-06-01';
  const every = options.every ?? 3;
  return generateDemoCustomers({ count, seed: options.seed ?? 7, today }).map((generated, index) => {
    // The demo's registration dates lie before its `today`, which tests' clocks may not reach: left out.
    const { customerSince: _customerSince, ...input } = generated.input;
    const demo = { ...generated, input };
    const groups: string[] = [...demo.groups];
    if (index % 7 === 0) groups.push('Clients fidèles');
    if (index % 11 === 0) groups.push('Κρήτη 2025');
    if (index % every !== 0) return { input: demo.input, groups };
    const override = awkward[(index / every) % awkward.length]!;
    const overridden = override(demo.input, index);
    return { input: { ...demo.input, ...overridden }, groups };
  });
}

/**
 * Inserts customers fast, in one transaction, through the same normalisation as the customer
 * service (`normalizedCustomerSchema`) and the same repository; returns their ids in order.
 */
export async function insertFactoryCustomers(
  services: Pick<AppServices, 'db' | 'groups' | 'clock'>,
  customers: readonly FactoryCustomer[],
): Promise<number[]> {
  const today = services.clock.now().toISOString().slice(0, 10);
  const schema = normalizedCustomerSchema(today);
  const existing = await services.groups.list();
  const groupIds = new Map(existing.map((group) => [group.name, group.id]));
  for (const name of new Set(customers.flatMap((customer) => customer.groups))) {
    if (!groupIds.has(name)) groupIds.set(name, (await services.groups.create({ name })).id);
  }
  const records: CustomerRecord[] = customers.map((customer) => schema.parse(customer.input));
  const now = services.clock.now();
  return services.db.transaction(async (tx) => {
    const ids: number[] = [];
    for (const [index, record] of records.entries()) {
      const id = await customerRepository.insert(tx, record, now);
      const groups = customers[index]!.groups.map((name) => groupIds.get(name)!);
      if (groups.length > 0) await customerRepository.replaceGroups(tx, id, groups, now);
      ids.push(id);
    }
    return ids;
  });
}

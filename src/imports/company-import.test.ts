import { describe, expect, it } from 'vitest';
import { newCompanyCheckState, planCheckBatch } from './company-import.ts';
import { planCompanies, type CompanyLookup, type LookupCompany, type RowCompany } from './company-links.ts';

/**
 * The check carries what earlier batches would do to companies into the next (company-import.ts)
 * and lays over each batch only what its rows can reach. Whatever the batch size, it must plan
 * what one batch of the whole file plans: the same companies created and filled in, the same
 * warnings on the same rows, every customer linked to the same company.
 */

/** mulberry32: a seeded generator, so a failing case can be replayed. */
function random(seed: number) {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const names = ['Acme', 'Beta', 'Gamma', 'Delta', 'Epsilon', ''];
const cocs = ['11111111', '22222222', '33333333', '44444444', ''];
const vats = ['NL001B01', 'NL002B01', 'NL003B01', ''];

/** Stored companies, some without a number a row may fill in; stored customers 1–4, two of them contacts. */
function stored(): CompanyLookup {
  const companies: LookupCompany[] = [
    {
      id: 1,
      name: 'Acme',
      nameKey: 'acme',
      cocCountry: 'NL',
      cocNumber: '11111111',
      vatNumber: '',
      isCreatedByImport: false,
    },
    {
      id: 2,
      name: 'Beta',
      nameKey: 'beta',
      cocCountry: 'NL',
      cocNumber: '',
      vatNumber: 'NL002B01',
      isCreatedByImport: false,
    },
    {
      id: 3,
      name: 'Gamma',
      nameKey: 'gamma',
      cocCountry: 'NL',
      cocNumber: '',
      vatNumber: '',
      isCreatedByImport: false,
    },
  ];
  return {
    companies: new Map(companies.map((company) => [company.id, { ...company }])),
    nameKeys: new Map(names.map((name) => [name, name.toLowerCase()])),
    contacts: new Map([
      [1, { companyId: 1, role: 'Owner', isPrimary: true }],
      [2, { companyId: 3, role: '', isPrimary: false }],
    ]),
    primaryOf: new Map([[1, 1]]),
  };
}

/** What company-links.repository.ts looks up for a batch: the stored companies the rows' numbers and names find, and those of the rows' stored customers. */
function storedFor(rows: readonly RowCompany[]): CompanyLookup {
  const all = stored();
  const customers = new Set(rows.map((row) => row.customer));
  const contacts = new Map([...all.contacts].filter(([customer]) => customers.has(customer)));
  const reached = new Set([...contacts.values()].map((contact) => contact.companyId));
  const companies = new Map(
    [...all.companies].filter(
      ([id, company]) =>
        reached.has(id) ||
        rows.some(
          (row) =>
            (row.cocNumber !== '' && row.cocNumber === company.cocNumber) ||
            (row.vatNumber !== '' && row.vatNumber === company.vatNumber) ||
            (row.name !== '' && row.name.toLowerCase() === company.nameKey),
        ),
    ),
  );
  const primaries = [...all.primaryOf].filter(([id]) => companies.has(id));
  for (const [, customer] of primaries) contacts.set(customer, all.contacts.get(customer)!);
  return { ...all, companies, contacts, primaryOf: new Map(primaries) };
}

function rowsOf(next: () => number, count: number): RowCompany[] {
  const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)]!;
  return Array.from({ length: count }, (_, index) => {
    const rowNumber = index + 2;
    // Mostly new customers (minus the row number); now and then a stored one, on several rows.
    const customer = next() < 0.2 ? 1 + Math.floor(next() * 4) : -rowNumber;
    const row: RowCompany = {
      rowNumber,
      customer,
      name: pick(names),
      cocCountry: 'NL',
      cocNumber: pick(cocs),
      vatNumber: pick(vats),
    };
    // Now and then the row makes its customer the primary contact (another loses it).
    return next() < 0.15 ? { ...row, isPrimary: true } : row;
  });
}

/** What a plan did, comparable across batchings: warnings by row, companies created, stored companies filled in (with the numbers they end with), and where every customer ends up (a number filled in on a company the import creates, or on a stored one twice, is one change in one batch and two across batches: not compared). */
function outcome(
  plans: ReturnType<typeof planCompanies>[],
  companies: ReadonlyMap<number, LookupCompany>,
  contacts: ReadonlyMap<number, { companyId: number; isPrimary: boolean }>,
) {
  const filledIn = new Set(
    plans.flatMap((plan) =>
      plan.updates.filter((update) => !update.isCreatedByImport).map((update) => update.companyId),
    ),
  );
  return {
    warnings: plans
      .flatMap((plan) =>
        [...plan.warnings].flatMap(([row, problems]) => problems.map((problem) => `${row}:${problem.code}`)),
      )
      .sort(),
    creates: plans.flatMap((plan) => plan.creates.map((create) => `${create.tempId}:${create.name}`)).sort(),
    filledIn: [...filledIn]
      .map((id) => `${id}:${companies.get(id)?.cocNumber}:${companies.get(id)?.vatNumber}`)
      .sort(),
    contacts: [...contacts]
      .map(
        ([customer, contact]) => `${customer}→${contact.companyId}${contact.isPrimary ? ' (primary)' : ''}`,
      )
      .sort(),
  };
}

describe('the check’s company plan across batches', () => {
  it('plans in batches of any size what it plans in one batch (500 random files)', () => {
    for (let seed = 1; seed <= 500; seed++) {
      const rows = rowsOf(random(seed), 40);
      const whole = stored();
      let tempId = -1;
      const expected = outcome([planCompanies(rows, whole, () => tempId--)], whole.companies, whole.contacts);

      const batchSize = 1 + (seed % 7);
      const state = newCompanyCheckState();
      const plans = [];
      for (let start = 0; start < rows.length; start += batchSize) {
        const batch = rows.slice(start, start + batchSize);
        plans.push(planCheckBatch(batch, storedFor(batch), state));
      }
      const contacts = new Map([...stored().contacts, ...state.contacts]);
      expect(outcome(plans, state.companies, contacts), `seed ${seed}, batches of ${batchSize}`).toEqual(
        expected,
      );
    }
  });
});

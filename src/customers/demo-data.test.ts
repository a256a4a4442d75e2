import { checkVAT, countries as vatCountries } from 'jsvat';
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import { parseCocNumber } from '../companies/company-numbers.ts';
import { describe, expect, it } from 'vitest';
import { normalizedCustomerSchema } from './customer.schemas.ts';
import { normalizeEmail } from './customer.rules.ts';
import { generateDemoCustomers, splitNameInsertion } from './demo-data.ts';

const today = '2025-06-15';
const customers = generateDemoCustomers({ count: 1000, seed: 1, today });

describe('generateDemoCustomers', () => {
  it('generates 1,000 customers that all pass the customer validation', () => {
    const schema = normalizedCustomerSchema(today);
    const rejected = customers
      .map((customer) => ({ email: customer.input.email, result: schema.safeParse(customer.input) }))
      .filter(({ result }) => !result.success)
      .map(({ email, result }) => `${email}: ${JSON.stringify(result.error?.issues.map((issue) => issue.path.join('.')))}`);
    expect(rejected).toEqual([]);
    expect(customers).toHaveLength(1000);
  });

  it('is deterministic for a seed and different for another seed', () => {
    expect(generateDemoCustomers({ count: 20, seed: 1, today })).toEqual(customers.slice(0, 20));
    const other = generateDemoCustomers({ count: 20, seed: 2, today }).map((customer) => customer.input.email);
    expect(other).not.toEqual(customers.slice(0, 20).map((customer) => customer.input.email));
  });

  it('gives every customer a different e-mail address on a reserved example domain', () => {
    const emails = customers.map((customer) => normalizeEmail(customer.input.email));
    expect(new Set(emails).size).toBe(emails.length);
    for (const email of emails) expect(email).toMatch(/@(example\.(com|net|org)|[a-z0-9]+\.example)$/);
  });

  it('mixes Dutch, Belgian, German and British customers with phone numbers valid in their country', () => {
    const byCountry = new Map<string, number>();
    for (const { input } of customers) {
      const country = input.billingAddress?.country ?? '';
      byCountry.set(country, (byCountry.get(country) ?? 0) + 1);
      for (const phone of [input.phone, input.mobile]) {
        if (phone) expect(parsePhoneNumberFromString(phone, country as CountryCode)?.isValid(), `${phone} in ${country}`).toBe(true);
      }
    }
    expect([...byCountry.keys()].sort()).toEqual(['BE', 'DE', 'GB', 'NL']);
    expect(byCountry.get('NL')).toBeGreaterThan(400);
    for (const country of ['BE', 'DE', 'GB']) expect(byCountry.get(country)).toBeGreaterThan(50);
  });

  it('has businesses with company, chamber of commerce and VAT numbers of a valid format', () => {
    const businesses = customers.filter((customer) => customer.input.isCompany);
    expect(businesses.length).toBeGreaterThan(100);
    expect(businesses.length).toBeLessThan(200);
    for (const { input } of businesses) {
      expect(input.companyName).not.toBe('');
      expect(input.cocNumber).not.toBe('');
      expect(parseCocNumber(input.cocNumber ?? '', input.billingAddress?.country ?? '').ok, input.cocNumber).toBe(true);
      expect(checkVAT(input.vatNumber ?? '', vatCountries).isValidFormat, input.vatNumber).toBe(true);
    }
  });

  it('includes name insertions, other shipping addresses, birth dates, newsletter opt-ins and group members', () => {
    const count = (test: (customer: (typeof customers)[number]) => boolean) => customers.filter(test).length;
    expect(count((c) => ['van', 'de', 'van der', 'van den', 'van de'].includes(c.input.nameInsertion ?? ''))).toBeGreaterThan(50);
    expect(count((c) => c.input.shippingSameAsBilling === false && (c.input.shippingAddress?.street ?? '') !== '')).toBeGreaterThan(50);
    expect(count((c) => (c.input.birthDate ?? null) !== null)).toBeGreaterThan(200);
    expect(count((c) => c.input.newsletter === true)).toBeGreaterThan(200);
    for (const group of ['VIP', 'Groothandel', 'Nieuwsbrief', 'Vaste klanten'] as const) {
      expect(count((c) => c.groups.includes(group)), group).toBeGreaterThan(10);
    }
    expect(customers.filter((c) => c.groups.includes('Groothandel')).every((c) => c.input.isCompany)).toBe(true);
  });
});

describe('splitNameInsertion', () => {
  it.each([
    ['van der Velden', ['van der', 'Velden']],
    ['de Vries', ['de', 'Vries']],
    ["van 't Hof", ["van 't", 'Hof']],
    ['Jansen', ['', 'Jansen']],
    ['Vandermeer', ['', 'Vandermeer']],
  ])('%s', (lastName, expected) => {
    expect(splitNameInsertion(lastName)).toEqual(expected);
  });
  it('gives most customers a registration date at the old shop within six years, more of them recent', () => {
    const dates = customers.map((customer) => customer.input.customerSince).filter((date): date is string => Boolean(date));
    expect(dates.length).toBeGreaterThan(850);
    expect(dates.length).toBeLessThan(950);
    for (const date of dates) expect(date >= '2019-06-15' && date <= today, date).toBe(true);
    const lastTwoYears = dates.filter((date) => date >= '2023-06-15').length;
    expect(lastTwoYears).toBeGreaterThan(dates.length / 2);
  });
});

import { base, de, en, en_GB, Faker, nl, nl_BE, type LocaleDefinition } from '@faker-js/faker';
import { checkVAT, countries as vatCountries } from 'jsvat';
import { getExampleNumber, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import mobileExamples from 'libphonenumber-js/mobile/examples';
import { foldForSearch } from './customer.rules.ts';
import type { CustomerInputRaw } from './customer.schemas.ts';

/**
 * Pure, seeded generator of realistic demo customers for `clientele demo`: the same seed, count
 * and `today` always give the same customers. No I/O; the CLI inserts them through the service
 * so every value passes the same validation as a customer typed into the back office.
 *
 * E-mail addresses use only reserved domains (example.com/.net/.org and the `.example` TLD,
 * RFC 2606), so a demo store can never send a password e-mail to a real person.
 */
export const demoGroupNames = ['VIP', 'Groothandel', 'Nieuwsbrief', 'Vaste klanten'] as const;
export type DemoGroupName = (typeof demoGroupNames)[number];

export type DemoCustomer = { input: CustomerInputRaw; groups: DemoGroupName[] };

type DemoCountry = 'NL' | 'BE' | 'DE' | 'GB';
type CountryProfile = {
  country: DemoCountry;
  share: number;
  locale: LocaleDefinition;
  language: 'nl' | 'de' | 'en';
  cocNumber: (faker: Faker) => string;
};

const profiles: readonly CountryProfile[] = [
  { country: 'NL', share: 0.55, locale: nl, language: 'nl', cocNumber: (f) => f.string.numeric({ length: 8, allowLeadingZeros: false }) },
  { country: 'BE', share: 0.2, locale: nl_BE, language: 'nl', cocNumber: (f) => belgianEnterpriseNumber(`0${f.string.numeric({ length: 9 }).slice(0, 7)}`) },
  { country: 'DE', share: 0.15, locale: de, language: 'de', cocNumber: (f) => `HRB ${f.string.numeric({ length: 5, allowLeadingZeros: false })}` },
  { country: 'GB', share: 0.1, locale: en_GB, language: 'en', cocNumber: (f) => f.string.numeric({ length: 8 }) },
];

/**
 * Eight digits and their two check digits (97 − the eight mod 97): a well-formed KBO/BCE number.
 * (Nine random digits are still drawn, so every other generated value stays what it was.)
 */
function belgianEnterpriseNumber(eightDigits: string): string {
  return `${eightDigits}${String(97 - (Number(eightDigits) % 97)).padStart(2, '0')}`;
}

// Longest first, so "van der Berg" splits into "van der" + "Berg" and not "van" + "der Berg".
const dutchInsertions = ['van de', 'van den', 'van der', "van 't", "in 't", 'op de', 'uit de', 'van', 'de', 'den', 'der', 'te', 'ter', 'ten', "'t"]
  .sort((a, b) => b.length - a.length);

const privateDomains = ['example.com', 'example.net', 'example.org'];
const shippingNotes = [
  'Graag bezorgen na 17:00 uur.',
  'Pakket mag bij de buren worden afgegeven.',
  'Bitte beim Nachbarn abgeben.',
  'Leave parcels in the shed, please.',
  'Bestelt vaak cadeaus voor de feestdagen.',
  'Factuur per e-mail naar de administratie.',
];

/** Splits a Dutch surname with its insertion: "van der Velden" → ["van der", "Velden"]. */
export function splitNameInsertion(lastName: string): [insertion: string, lastName: string] {
  const lower = lastName.toLowerCase();
  for (const insertion of dutchInsertions) {
    if (lower.startsWith(`${insertion} `)) return [lastName.slice(0, insertion.length), lastName.slice(insertion.length + 1)];
  }
  return ['', lastName];
}

/** Generates `count` customers; e-mail addresses are unique within one seed. */
export function generateDemoCustomers(options: { count: number; seed: number; today: string }): DemoCustomer[] {
  const fakers = new Map(profiles.map((profile) => [profile.country, new Faker({ locale: [profile.locale, en, base] })]));
  for (const [index, faker] of [...fakers.values()].entries()) faker.seed(options.seed * 101 + index);
  const picker = new Faker({ locale: [en, base] });
  picker.seed(options.seed);
  const refDate = new Date(`${options.today}T12:00:00Z`);
  const usedEmails = new Set<string>();
  const customers: DemoCustomer[] = [];
  for (let index = 0; index < options.count; index += 1) {
    const profile = pickProfile(picker.number.float({ min: 0, max: 1 }));
    customers.push(generateCustomer(fakers.get(profile.country)!, profile, refDate, usedEmails));
  }
  return customers;
}

function pickProfile(roll: number): CountryProfile {
  let cumulative = 0;
  for (const profile of profiles) {
    cumulative += profile.share;
    if (roll < cumulative) return profile;
  }
  return profiles[0]!;
}

function generateCustomer(faker: Faker, profile: CountryProfile, refDate: Date, usedEmails: Set<string>): DemoCustomer {
  const sex = faker.helpers.arrayElement(['female', 'male'] as const);
  const firstName = faker.person.firstName(sex);
  // In Flanders "Van den Broeck" is one surname; only Dutch surnames carry a separate insertion.
  const [nameInsertion, lastName] = profile.country === 'NL'
    ? splitNameInsertion(faker.person.lastName(sex))
    : ['', faker.person.lastName(sex)];
  const isCompany = faker.datatype.boolean({ probability: 0.15 });
  const companyName = isCompany ? faker.company.name() : '';
  const billingAddress = generateAddress(faker, profile.country);
  const hasOtherShipping = faker.datatype.boolean({ probability: isCompany ? 0.35 : 0.12 });
  const newsletter = faker.datatype.boolean({ probability: 0.4 });
  const isVip = faker.datatype.boolean({ probability: 0.05 });
  const isRegular = faker.datatype.boolean({ probability: 0.15 });
  const input: CustomerInputRaw = {
    email: uniqueEmail(faker, { firstName, nameInsertion, lastName, companyName }, usedEmails),
    firstName,
    nameInsertion,
    lastName,
    gender: faker.helpers.weightedArrayElement([
      { weight: 45, value: sex },
      { weight: 2, value: 'other' as const },
      { weight: 10, value: null },
    ]),
    birthDate: !isCompany && faker.datatype.boolean({ probability: 0.4 })
      ? faker.date.birthdate({ mode: 'age', min: 18, max: 88, refDate }).toISOString().slice(0, 10)
      : null,
    phone: faker.datatype.boolean({ probability: 0.6 }) ? validPhone(faker, profile.country) : '',
    mobile: faker.datatype.boolean({ probability: 0.5 }) ? validMobile(faker, profile.country) : '',
    language: profile.language,
    isCompany,
    companyName,
    cocNumber: isCompany ? profile.cocNumber(faker) : '',
    vatNumber: isCompany ? vatNumber(faker, profile.country) : '',
    billingAddress: { ...billingAddress, attention: isCompany ? `${firstName} ${lastName}` : '' },
    shippingSameAsBilling: !hasOtherShipping,
    shippingAddress: hasOtherShipping
      ? { ...generateAddress(faker, profile.country), attention: faker.person.fullName(), company: isCompany ? companyName : '' }
      : undefined,
    newsletter,
    notes: faker.datatype.boolean({ probability: 0.08 }) ? faker.helpers.arrayElement(shippingNotes) : '',
  };
  input.customerSince = customerSinceOf(input.email, refDate);
  const groups: DemoGroupName[] = [];
  if (isVip) groups.push('VIP');
  if (isCompany && faker.datatype.boolean({ probability: 0.5 })) groups.push('Groothandel');
  if (newsletter) groups.push('Nieuwsbrief');
  if (isRegular) groups.push('Vaste klanten');
  return { input, groups };
}

function generateAddress(faker: Faker, country: DemoCountry) {
  const number = faker.number.int({ min: 1, max: country === 'GB' ? 250 : 180 });
  return {
    street: faker.location.street(),
    number: String(number),
    extension: country === 'NL' && faker.datatype.boolean({ probability: 0.12 })
      ? faker.helpers.arrayElement(['A', 'B', 'bis', '1-hoog', 'II'])
      : country === 'DE' && faker.datatype.boolean({ probability: 0.08 }) ? faker.helpers.arrayElement(['a', 'b']) : '',
    address2: '',
    postcode: postcode(faker, country),
    city: faker.location.city(),
    region: country === 'GB' ? faker.location.county() : '',
    country,
  };
}

function postcode(faker: Faker, country: DemoCountry): string {
  switch (country) {
    case 'NL': // SA, SD and SS are never issued
      return `${faker.number.int({ min: 1011, max: 9999 })} ${faker.helpers.arrayElement(['AB', 'BC', 'CD', 'DE', 'EK', 'GH', 'JL', 'KM', 'LP', 'NR', 'TV', 'XZ'])}`;
    case 'BE':
      return String(faker.number.int({ min: 1000, max: 9992 }));
    case 'DE':
      return faker.string.numeric({ length: 5, allowLeadingZeros: false });
    case 'GB':
      return `${faker.helpers.arrayElement(['SW1A', 'EC2M', 'M1', 'B15', 'LS6', 'BS8', 'EH3', 'CB2', 'OX4', 'NE1'])} ${faker.number.int({ min: 1, max: 9 })}${faker.string.alpha({ length: 2, casing: 'upper', exclude: ['C', 'I', 'K', 'M', 'O', 'V'] })}`;
  }
}

function slug(text: string): string {
  return foldForSearch(text).replace(/[^a-z0-9]+/g, '');
}

function uniqueEmail(
  faker: Faker,
  name: { firstName: string; nameInsertion: string; lastName: string; companyName: string },
  usedEmails: Set<string>,
): string {
  const last = slug(`${name.nameInsertion}${name.lastName}`);
  const first = slug(name.firstName);
  const [local, domain] = name.companyName
    ? [faker.helpers.arrayElement(['info', 'inkoop', first, 'administratie']), `${slug(name.companyName).slice(0, 40) || last}.example`]
    : [faker.helpers.arrayElement([`${first}.${last}`, `${first}${last}`, `${first[0] ?? 'x'}.${last}`, `${first}_${last}`]), faker.helpers.arrayElement(privateDomains)];
  let email = `${local}@${domain}`;
  for (let suffix = 2; usedEmails.has(email); suffix += 1) email = `${local}${suffix}@${domain}`;
  usedEmails.add(email);
  return email;
}

/** Faker's own phone formats are realistic but not always valid; keep the ones libphonenumber accepts. */
function validPhone(faker: Faker, country: DemoCountry): string {
  for (let attempt = 0; attempt < 20; attempt += 1) {
    const candidate = faker.phone.number();
    if (isValidPhone(candidate, country)) return candidate;
  }
  return validMobile(faker, country);
}

/** A mobile number shaped like libphonenumber's example for the country, with random trailing digits. */
function validMobile(faker: Faker, country: DemoCountry): string {
  const example = getExampleNumber(country as CountryCode, mobileExamples);
  if (!example) throw new Error(`No example mobile number for ${country}`);
  const national = String(example.nationalNumber);
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const candidate = `+${example.countryCallingCode}${national.slice(0, -7)}${faker.string.numeric({ length: 7 })}`;
    if (isValidPhone(candidate, country)) return parsePhoneNumberFromString(candidate)!.formatNational();
  }
  return example.formatNational();
}

function isValidPhone(value: string, country: DemoCountry): boolean {
  return parsePhoneNumberFromString(value, country as CountryCode)?.isValid() ?? false;
}

/**
 * A VAT number with a valid format and, where a few tries find one, a valid check digit too
 * (random digits pass the checksum about one time in ten to one hundred).
 */
function vatNumber(faker: Faker, country: DemoCountry): string {
  const make = (): string => {
    switch (country) {
      case 'NL':
        return `NL${faker.string.numeric({ length: 9 })}B${faker.string.numeric({ length: 2, allowLeadingZeros: true })}`;
      case 'BE':
        return `BE0${faker.string.numeric({ length: 9 })}`;
      case 'DE':
        return `DE${faker.string.numeric({ length: 9, allowLeadingZeros: false })}`;
      case 'GB':
        return `GB${faker.string.numeric({ length: 9, allowLeadingZeros: false })}`;
    }
  };
  let formatValid = make();
  for (let attempt = 0; attempt < 500; attempt += 1) {
    const candidate = make();
    const checked = checkVAT(candidate, vatCountries);
    if (checked.isValid) return candidate;
    if (checked.isValidFormat) formatValid = candidate;
  }
  return formatValid;
}

const demoShopAgeDays = 6 * 365;

/**
 * When the customer registered at the (imagined) old shop: within the last six years, more of them
 * recent, as a growing shop's customers are; one in ten unknown. Derived from the e-mail address
 * (FNV-1a), not drawn from faker, so the other demo values stay what they were for a seed.
 */
function customerSinceOf(email: string, refDate: Date): string | null {
  let hash = 0x811c9dc5;
  for (let index = 0; index < email.length; index += 1) hash = Math.imul(hash ^ email.charCodeAt(index), 0x01000193) >>> 0;
  const fraction = hash / 0x1_0000_0000;
  if (fraction < 0.1) return null;
  const share = (fraction - 0.1) / 0.9;
  const daysAgo = Math.floor(demoShopAgeDays * (1 - Math.sqrt(share)));
  return new Date(refDate.getTime() - daysAgo * 86_400_000).toISOString().slice(0, 10);
}

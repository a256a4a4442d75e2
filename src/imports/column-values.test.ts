import { describe, expect, it } from 'vitest';
import { isIdHeading, profileColumn, profileColumns, valueMismatch } from './column-values.ts';
import { customerFields } from './customer-fields.ts';
import { confirmColumn, suggestMapping, unconfirmedGuesses, type Catalogue, type Mapping } from './mapping.ts';
import { addressFileCatalogue } from './address-file.ts';
import { customerCatalogue } from './presets.ts';

/**
 * Safe column matching: real platform headings (shared/platform-headings.md) with samples of
 * the values those platforms write. A field is only proposed when the values fit it.
 */

type Sample = Record<string, readonly string[]>;

/** The mapping the upload would suggest: headings in order, each with its sample values. */
function suggest(sample: Sample, catalogue: Catalogue = customerCatalogue): Mapping {
  const headings = Object.keys(sample);
  const rowCount = Math.max(0, ...Object.values(sample).map((values) => values.length));
  const rows = Array.from({ length: rowCount }, (_, row) => headings.map((heading) => sample[heading]?.[row] ?? ''));
  return suggestMapping(headings, catalogue, { profiles: profileColumns(headings.length, rows) });
}

const fieldsOf = (mapping: Mapping) => Object.fromEntries(mapping.columns.map((column) => [column.heading, column.field]));
const column = (mapping: Mapping, heading: string) => mapping.columns.find((candidate) => candidate.heading === heading);
/** The same fields without any platform preset: what headings and values alone suggest. */
const noPresets: Catalogue = { fields: customerFields, presets: [] };

const textFields = customerFields.filter((field) => ['text', 'combined', 'email', 'country'].includes(field.type) && !['externalId'].includes(field.key)).map((field) => field.key);

const magentoAddresses: Sample = {
  _website: ['base', 'base', 'base', 'base', 'base'],
  _email: ['magda@example.nl', 'magda@example.nl', 'john@example.com', 'p@example.de', 'k@example.be'],
  _entity_id: ['101', '102', '103', '104', '105'],
  city: ['Amsterdam', 'Utrecht', 'London', 'Berlin', 'Gent'],
  company: ['', 'Berg BV', '', '', ''],
  country_id: ['NL', 'NL', 'GB', 'DE', 'BE'],
  fax: ['', '', '', '', ''],
  firstname: ['Magda', 'Magda', 'John', 'Peter', 'Koen'],
  lastname: ['Berg', 'Berg', 'Smith', 'Müller', 'Peeters'],
  middlename: ['A.', '', 'J.', '', ''],
  postcode: ['1016 EE', '3511 AB', 'SW1A 1AA', '10115', '9000'],
  prefix: ['Mrs.', 'Mrs.', 'Mr.', 'Dr.', 'Mr.'],
  region: ['Noord-Holland', 'Utrecht', '', 'Berlin', ''],
  region_id: ['', '', '', '82', ''],
  street: ['Keizersgracht 313', 'Oudegracht 1', '10 Downing Street', 'Unter den Linden 5', 'Veldstraat 2'],
  suffix: ['', '', 'Jr.', '', ''],
  telephone: ['+31 20 123 4567', '', '+44 20 7946 0000', '', ''],
  vat_id: ['', 'NL123456789B01', '', '', ''],
  vat_is_valid: ['0', '1', '0', '0', '0'],
  vat_request_date: ['', '', '', '', ''],
  vat_request_id: ['', '', '', '', ''],
  vat_request_success: ['0', '1', '0', '0', '0'],
  _address_default_billing_: ['1', '', '1', '1', '1'],
  _address_default_shipping_: ['1', '1', '1', '1', '1'],
};

describe('profiling a column of values', () => {
  it.each([
    [['1', '0', '1'], { isFlags: true, isNumbers: true, isSequence: false }],
    [['Yes', 'no', 'JA', 'nee', 'true', 'False'], { isFlags: true, isNumbers: false }],
    [['12', '7', '33', '101', '5'], { isFlags: false, isNumbers: true, isSequence: false }],
    [['1001', '1002', '1005', '1009', '1010'], { isNumbers: true, isSequence: true }],
    [['12,50', '1.234,50', '-3'], { isNumbers: true, isSequence: false }],
    [['Amsterdam', '1', '0'], { isFlags: false, isNumbers: false }],
    [['', '  ', ''], { count: 0, isFlags: false, isNumbers: false }],
  ])('%j', (values, expected) => {
    expect(profileColumn(values)).toMatchObject(expected);
  });

  it('counts name insertions, and not titles or initials', () => {
    expect(profileColumn(['van der', 'de', 'Van', '', "van 't"]).insertionShare).toBe(1);
    expect(profileColumn(['Mr.', 'Mrs.', 'Dhr.']).insertionShare).toBe(0);
    expect(profileColumn(['A.', 'J.', 'van']).insertionShare).toBeCloseTo(1 / 3);
  });

  it('looks at no more than 200 non-empty values', () => {
    expect(profileColumn(Array.from({ length: 1000 }, (_, index) => String(index + 1))).count).toBe(200);
  });

  it.each([
    ['_entity_id', true], ['Internal ID', true], ['customerId', true], ['ID', true],
    ['vat_is_valid', false], ['Paid', false], ['Identity', false], ['Video', false],
  ])('%s names a record id: %s', (heading, expected) => {
    expect(isIdHeading(heading)).toBe(expected);
  });

  it('lets yes/no, number and id columns fit no word field, and numbers fit number fields', () => {
    const flags = profileColumn(['1', '1', '0']);
    const numbers = profileColumn(['12', '7', '33']);
    expect(valueMismatch('words', flags, 'x', false)).toBe('flags');
    expect(valueMismatch('words', numbers, 'x', false)).toBe('numbers');
    expect(valueMismatch('numbers', numbers, 'x', false)).toBeUndefined();
    expect(valueMismatch('words', undefined, 'customer_id', true)).toBe('ids');
    expect(valueMismatch('words', undefined, 'customer_id', false)).toBeUndefined();
    expect(valueMismatch('any', flags, 'x', true)).toBeUndefined();
  });
});

describe('Magento 2 "Customer Addresses" file', () => {
  it('is recognised as an address file: the name on the address and its default flags are read, ids and titles are not', () => {
    const mapping = suggest(magentoAddresses, addressFileCatalogue);
    expect(mapping.preset?.id).toBe('magento-addresses');
    expect(fieldsOf(mapping)).toMatchObject({
      _email: 'email', city: 'billing.city', street: 'billing.streetWithNumber', postcode: 'billing.postcode', company: 'companyName',
      _entity_id: null, prefix: null, suffix: null, middlename: null, firstname: 'firstName', lastname: 'lastName',
      _address_default_billing_: 'isDefaultBilling', _address_default_shipping_: 'isDefaultShipping', vat_is_valid: null,
    });
  });

  it('without the preset, values alone keep flags out of the street, titles out of the insertion and ids out of text fields', () => {
    const mapping = suggest(magentoAddresses, noPresets);
    const fields = fieldsOf(mapping);
    // The default flags are read as the address's default flags (issue #16), never as text.
    expect(fields._address_default_shipping_).toBe('isDefaultShipping');
    expect(fields._address_default_billing_).toBe('isDefaultBilling');
    expect(fields.prefix).not.toBe('nameInsertion');
    expect(fields.suffix).not.toBe('nameInsertion');
    expect(fields.middlename).toBe('middleName');
    for (const heading of ['_entity_id', 'region_id', 'vat_is_valid', 'vat_request_success', '_address_default_billing_', '_address_default_shipping_']) {
      expect(textFields, heading).not.toContain(fields[heading]);
    }
    expect(column(mapping, 'prefix')?.note).toMatchObject({ code: 'values_do_not_fit', params: { field: 'nameInsertion', reason: 'not_insertions' } });
  });
});

describe('Magento 2 customers file', () => {
  const customers = (middlename: readonly string[]): Sample => ({
    email: ['magda@example.nl', 'john@example.com', 'p@example.de'],
    _website: ['base', 'base', 'base'], _store: ['default', 'default', 'default'], created_in: ['Default', 'Default', 'Default'],
    firstname: ['Magda', 'John', 'Peter'], middlename, lastname: ['Berg', 'Smith', 'Bakker'],
    prefix: ['Mrs.', 'Mr.', 'Dhr.'], suffix: ['', 'Jr.', ''], gender: ['2', '1', '1'], group_id: ['1', '1', '2'],
    website_id: ['1', '1', '1'], store_id: ['1', '1', '1'], disable_auto_group_change: ['0', '0', '0'],
  });

  it('maps middle names and initials to the middle part of the first name, prefix and suffix to nothing', () => {
    expect(fieldsOf(suggest(customers(['A.', 'J.', ''])))).toMatchObject({ middlename: 'middleName', prefix: null, suffix: null, firstname: 'firstName' });
  });

  it('maps a middlename column that holds Dutch insertions to the name insertion', () => {
    expect(fieldsOf(suggest(customers(['van den', '', 'de'])))).toMatchObject({ middlename: 'nameInsertion', prefix: null });
  });
});

describe('other platforms with their values', () => {
  it('Shopify: yes/no marketing to the newsletter, the numeric customer id to the external id, figures ignored', () => {
    const mapping = suggest({
      'Customer ID': ["'7012345678901", "'7012345678902", "'7012345678903"], 'First Name': ['Anna', 'Bob', 'Cor'], 'Last Name': ['Jansen', 'Smit', 'Vos'],
      Email: ['a@example.nl', 'b@example.nl', 'c@example.nl'], 'Accepts Email Marketing': ['yes', 'no', 'yes'],
      'Default Address Company': ['', 'Smit BV', ''], 'Default Address Address1': ['Dorpsstraat 1', 'Kade 2', 'Plein 3'],
      'Default Address City': ['Delft', 'Gouda', 'Breda'], 'Default Address Zip': ["'2611 AA", "'2801 BB", "'4811 CC"],
      'Total Spent': ['12.50', '0.00', '99.95'], 'Total Orders': ['1', '0', '4'], 'Tax Exempt': ['no', 'no', 'yes'],
    });
    expect(mapping.preset?.id).toBe('shopify');
    expect(fieldsOf(mapping)).toMatchObject({
      'Customer ID': 'externalId', 'Accepts Email Marketing': 'newsletter', 'Default Address Company': 'companyName',
      'Default Address City': 'billing.city', 'Total Spent': null, 'Total Orders': null, 'Tax Exempt': null,
    });
  });

  it('WooCommerce: the ascending user ID to the external id, customer_id ignored, billing_company to the company', () => {
    const mapping = suggest({
      ID: ['1', '2', '5', '8', '13'], customer_id: ['11', '12', '15', '18', '23'], user_login: ['anna', 'bob', 'cor', 'dik', 'eva'],
      user_pass: ['$P$Babc', '$P$Bdef', '$P$Bghi', '$P$Bjkl', '$P$Bmno'], user_email: ['a@x.nl', 'b@x.nl', 'c@x.nl', 'd@x.nl', 'e@x.nl'],
      first_name: ['Anna', 'Bob', 'Cor', 'Dik', 'Eva'], last_name: ['Jansen', 'Smit', 'Vos', 'Bos', 'Mol'],
      billing_company: ['', 'Smit BV', '', '', 'Mol & Zn'], billing_address_1: ['Dorpsstraat 1', 'Kade 2', 'Plein 3', 'Laan 4', 'Weg 5'],
      billing_postcode: ['2611 AA', '2801 BB', '4811 CC', '1011 DD', '3011 EE'],
    });
    expect(mapping.preset?.id).toBe('woocommerce');
    expect(fieldsOf(mapping)).toMatchObject({ ID: 'externalId', customer_id: null, billing_company: 'companyName', first_name: 'firstName' });
  });

  it('Lightspeed (English headings in every shop language): numeric house numbers stay house numbers', () => {
    const mapping = suggest({
      'Internal ID': ['5001', '5002', '5003', '5004', '5005'], Firstname: ['Anna', 'Bob', 'Cor', 'Dik', 'Eva'], LastnamePreposition: ['van', '', 'de', '', 'van der'],
      Lastname: ['Dijk', 'Smit', 'Vries', 'Bos', 'Linden'], 'E-Mail': ['a@x.nl', 'b@x.nl', 'c@x.nl', 'd@x.nl', 'e@x.nl'], 'Customer type': ['private', 'company', 'private', 'private', 'company'],
      Company: ['', 'Smit BV', '', '', 'Linden VOF'], Streetname: ['Dorpsstraat', 'Kade', 'Plein', 'Laan', 'Weg'], Number: ['1', '22', '3', '14', '5'],
      Extension: ['', 'a', '', '2', ''], Zipcode: ['2611 AA', '2801 BB', '4811 CC', '1011 DD', '3011 EE'], City: ['Delft', 'Gouda', 'Breda', 'Amsterdam', 'Rotterdam'],
    });
    expect(mapping.preset?.id).toBe('lightspeed');
    expect(fieldsOf(mapping)).toMatchObject({
      'Internal ID': 'externalId', LastnamePreposition: 'nameInsertion', Number: 'billing.number', Extension: 'billing.extension', City: 'billing.city', 'Customer type': 'isCompany',
    });
  });

  it('a Dutch hand-made sheet: yes/no to the newsletter, but never a name, street or city from flags or numbers', () => {
    const mapping = suggest({
      'E-mailadres': ['a@x.nl', 'b@x.nl', 'c@x.nl'], Naam: ['1', '0', '1'], Straat: ['0', '1', '1'], Huisnummer: ['12', '7', '3'],
      Plaats: ['1234', '5678', '9012'], Tussenvoegsel: ['van', '', 'de'], Nieuwsbrief: ['ja', 'nee', 'ja'], Klantnummer: ['1001', '1002', '1003', '1004', '1005'],
    });
    expect(fieldsOf(mapping)).toMatchObject({
      'E-mailadres': 'email', Naam: null, Straat: null, Plaats: null, Huisnummer: 'billing.number', Tussenvoegsel: 'nameInsertion', Nieuwsbrief: 'newsletter', Klantnummer: 'externalId',
    });
    expect(column(mapping, 'Plaats')?.note).toMatchObject({ code: 'values_do_not_fit', params: { field: 'billing.city', reason: 'numbers', labelNl: 'Factuuradres plaats' } });
  });
});

describe('similar (fuzzy) matches', () => {
  it('offers the most similar field the values fit, and it waits for confirmation', () => {
    const mapping = suggest({ 'E-mail': ['a@x.nl'], 'Woonplaats klant': ['Delft'], 'Verzendadres straat actief': ['1'] });
    expect(column(mapping, 'Woonplaats klant')).toMatchObject({ field: 'billing.city', confidence: 'fuzzy' });
    expect(textFields).not.toContain(column(mapping, 'Verzendadres straat actief')?.field);
    expect(unconfirmedGuesses(mapping).map((guess) => guess.heading)).toEqual(['Woonplaats klant']);
    const confirmed = confirmColumn(mapping, 1);
    expect(confirmed.columns[1]).toMatchObject({ field: 'billing.city', confidence: 'fuzzy', isConfirmed: true });
    expect(unconfirmedGuesses(confirmed)).toEqual([]);
  });

  it('never guesses a text field for a heading ending in id', () => {
    const mapping = suggest({ 'E-mail': ['a@x.nl'], 'Bedrijf_id': ['BV-1'], 'Plaats_id': ['x7'] });
    expect(textFields).not.toContain(column(mapping, 'Bedrijf_id')?.field);
    expect(textFields).not.toContain(column(mapping, 'Plaats_id')?.field);
  });

  it('takes a saved mapping as the user made it, values or not', () => {
    const headings = ['Mail', 'Code'];
    const mapping = suggestMapping(headings, customerCatalogue, { saved: { mail: 'email', code: 'billing.city' }, profiles: [profileColumn(['a@x.nl']), profileColumn(['1', '0'])] });
    expect(fieldsOf(mapping)).toEqual({ Mail: 'email', Code: 'billing.city' });
  });
});

describe('an explicit name insertion heading', () => {
  it('keeps “Tussenvoegsel” with insertions we do not list, but a similar heading with titles gets no insertion', () => {
    expect(fieldsOf(suggest({ 'E-mail': ['a@x.nl', 'b@x.nl'], Tussenvoegsel: ['v.d.', 'vd'] })).Tussenvoegsel).toBe('nameInsertion');
    expect(fieldsOf(suggest({ 'E-mail': ['a@x.nl', 'b@x.nl'], prefix: ['Mr.', 'Mrs.'] }, noPresets)).prefix).toBeNull();
  });
});

import { describe, expect, it } from 'vitest';
import { splitFullName, splitStreetWithNumber } from './combined-columns.ts';
import { customerFields } from './customer-fields.ts';
import {
  columnLetter,
  detectPreset,
  headingSimilarity,
  missingRequired,
  normalizeHeading,
  remapColumn,
  suggestMapping,
  toSavedMapping,
  type Mapping,
} from './mapping.ts';
import { customerCatalogue, customerPresets } from './presets.ts';

/** Headings as the platforms write them (shared/platform-headings.md). */
const platformHeadings = {
  lightspeed:
    'Internal ID,Registered,Language,Firstname,LastnamePreposition,Lastname,E-Mail,Phone,Mobile,Customer type,Company,Coc number,Vat number,Attn,Streetname,Address 2,Number,Extension,Zipcode,City,Region,Country,Shipping Attn,Shipping company,Shipping Streetname,Shipping Address 2,Shipping Number,Shipping Extension,Shipping Zipcode,Shipping City,Shipping Region,Shipping Country,Groups,Date of birth,Gender,Confirmed',
  shopify:
    'Customer ID,First Name,Last Name,Email,Accepts Email Marketing,Default Address Company,Default Address Address1,Default Address Address2,Default Address City,Default Address Province Code,Default Address Country Code,Default Address Zip,Default Address Phone,Phone,Accepts SMS Marketing,Total Spent,Total Orders,Note,Tax Exempt,Tags',
  'shopify-legacy':
    'First Name,Last Name,Email,Accepts Email Marketing,Company,Address1,Address2,City,Province,Province Code,Country,Country Code,Zip,Phone,Accepts SMS Marketing,Total Spent,Total Orders,Tags,Note,Tax Exempt',
  magento:
    'email,_website,_store,confirmation,created_at,created_in,disable_auto_group_change,dob,firstname,gender,group_id,lastname,middlename,password_hash,prefix,reward_update_notification,reward_warning_notification,rp_token,rp_token_created_at,store_id,suffix,taxvat,updated_at,website_id,password',
  woocommerce:
    'ID,customer_id,user_login,user_pass,user_nicename,user_email,user_url,user_registered,display_name,first_name,last_name,roles,locale,billing_first_name,billing_last_name,billing_company,billing_address_1,billing_address_2,billing_city,billing_postcode,billing_country,billing_state,billing_email,billing_phone,shipping_first_name,shipping_last_name,shipping_company,shipping_address_1,shipping_address_2,shipping_city,shipping_postcode,shipping_country,shipping_state',
} as const;

const fieldsOf = (mapping: Mapping) => Object.fromEntries(mapping.columns.map((column) => [column.heading, column.field]));

describe('normalizeHeading and columnLetter', () => {
  it.each([
    ['E-mailadres', 'emailadres'],
    [' E_MAIL adres ', 'emailadres'],
    ['Geboortedatum*', 'geboortedatum'],
    ['T.a.v.', 'tav'],
    ['Straße', 'strae'],
    ['Tél.', 'tel'],
  ])('%j → %j', (heading, expected) => {
    expect(normalizeHeading(heading)).toBe(expected);
  });

  it.each([[0, 'A'], [25, 'Z'], [26, 'AA'], [27, 'AB'], [701, 'ZZ'], [702, 'AAA']])('column %i is %s', (index, letter) => {
    expect(columnLetter(index)).toBe(letter);
  });
});

describe('suggestMapping: our own export headings', () => {
  const exported = customerFields.filter((field) => field.isExported);

  it.each(['en', 'nl'] as const)('maps every %s export heading exactly', (language) => {
    const mapping = suggestMapping(exported.map((field) => field.headings[language]), customerCatalogue);
    expect(mapping.preset).toBeUndefined();
    for (const [index, column] of mapping.columns.entries()) {
      expect(column, column.heading).toMatchObject({ field: exported[index]?.key, confidence: 'exact', score: 1 });
    }
  });
});

describe('suggestMapping: hand-made English and Dutch headings', () => {
  it.each([
    ['E-mailadres', 'email'], ['Emailadres', 'email'], ['Email address', 'email'], ['Voornaam', 'firstName'], ['Tussenvoegsel', 'nameInsertion'],
    ['Achternaam', 'lastName'], ['Surname', 'lastName'], ['Naam', 'fullName'], ['Telefoon', 'phone'], ['Tel.', 'phone'], ['Mobiel', 'mobile'],
    ['GSM', 'mobile'], ['Bedrijfsnaam', 'companyName'], ['Bedrijf', 'companyName'], ['KvK-nummer', 'cocNumber'], ['KvK', 'cocNumber'],
    ['BTW-nummer', 'vatNumber'], ['Straat', 'billing.street'], ['Huisnummer', 'billing.number'], ['Toevoeging', 'billing.extension'],
    ['Adres', 'billing.streetWithNumber'], ['Postcode', 'billing.postcode'], ['Zip code', 'billing.postcode'], ['Plaats', 'billing.city'],
    ['Woonplaats', 'billing.city'], ['Provincie', 'billing.region'], ['Land', 'billing.country'], ['Afleveradres postcode', 'shipping.postcode'],
    ['Leveradres plaats', 'shipping.city'], ['Delivery street', 'shipping.street'], ['Factuuradres land', 'billing.country'],
    ['Geslacht', 'gender'], ['Aanhef', 'gender'], ['Geboortedatum', 'birthDate'], ['Date of birth', 'birthDate'], ['Taal', 'language'],
    ['Nieuwsbrief', 'newsletter'], ['Klantgroep', 'groups'], ['Klantnummer', 'externalId'], ['Opmerkingen', 'notes'],
  ])('%j → %s', (heading, field) => {
    const [column] = suggestMapping([heading], customerCatalogue).columns;
    expect(column?.field).toBe(field);
    expect(['exact', 'alias']).toContain(column?.confidence);
  });
});

describe('suggestMapping: platform presets', () => {
  it.each(Object.entries(platformHeadings))('detects %s from its headings', (preset, headings) => {
    expect(suggestMapping(headings.split(','), customerCatalogue).preset?.id).toBe(preset);
  });

  it('maps a Lightspeed export, including the Dutch name insertion and both addresses', () => {
    const fields = fieldsOf(suggestMapping(platformHeadings.lightspeed.split(','), customerCatalogue));
    expect(fields).toMatchObject({
      'Internal ID': 'externalId', LastnamePreposition: 'nameInsertion', 'E-Mail': 'email', 'Customer type': 'isCompany', 'Coc number': 'cocNumber',
      Streetname: 'billing.street', Number: 'billing.number', Extension: 'billing.extension', Zipcode: 'billing.postcode', Country: 'billing.country',
      'Shipping company': 'shipping.company', 'Shipping Streetname': 'shipping.street', 'Shipping Zipcode': 'shipping.postcode',
      Groups: 'groups', 'Date of birth': 'birthDate', Gender: 'gender', Registered: 'customerSince', Confirmed: null,
    });
  });

  it('maps Shopify: combined address line, customer phone as mobile, figures ignored with a note', () => {
    const mapping = suggestMapping(platformHeadings.shopify.split(','), customerCatalogue);
    expect(fieldsOf(mapping)).toMatchObject({
      'Customer ID': 'externalId', 'Default Address Address1': 'billing.streetWithNumber', 'Default Address Zip': 'billing.postcode',
      'Default Address Country Code': 'billing.country', 'Default Address Phone': 'phone', Phone: 'mobile', Tags: 'tags',
      'Accepts Email Marketing': 'newsletter', 'Accepts SMS Marketing': 'smsConsent', 'Total Spent': null, 'Total Orders': null, 'Tax Exempt': null,
    });
    expect(mapping.columns.find((column) => column.heading === 'Total Spent')?.note?.code).toBe('ignored_by_preset');
  });

  it('maps the older Shopify template, keeping one of Country / Country Code', () => {
    expect(fieldsOf(suggestMapping(platformHeadings['shopify-legacy'].split(','), customerCatalogue))).toMatchObject({
      Address1: 'billing.streetWithNumber', Province: 'billing.region', 'Province Code': null, Country: null, 'Country Code': 'billing.country', Zip: 'billing.postcode', Phone: 'phone',
    });
    expect(detectPreset(['First Name', 'Last Name', 'Email', 'Accepts Marketing', 'Address1', 'Province Code', 'Country Code', 'Zip'], customerPresets)?.id).toBe('shopify-legacy');
  });

  it('maps Magento and never imports its plain-text password column', () => {
    const headings = [...platformHeadings.magento.split(','), '_address_street', '_address_postcode', '_address_country_id', '_address_vat_id'];
    const mapping = suggestMapping(headings, customerCatalogue);
    expect(fieldsOf(mapping)).toMatchObject({
      email: 'email', dob: 'birthDate', middlename: 'nameInsertion', password_hash: 'passwordHash', taxvat: 'vatNumber', password: null,
      group_id: null, _address_street: 'billing.streetWithNumber', _address_postcode: 'billing.postcode', _address_vat_id: null,
    });
    expect(mapping.columns.find((column) => column.heading === '_address_vat_id')?.note?.code).toBe('field_already_mapped');
  });

  it('maps WooCommerce with the account e-mail and the WordPress password hash', () => {
    expect(fieldsOf(suggestMapping(platformHeadings.woocommerce.split(','), customerCatalogue))).toMatchObject({
      ID: 'externalId', user_email: 'email', billing_email: null, user_pass: 'passwordHash', locale: 'language', first_name: 'firstName',
      billing_address_1: 'billing.streetWithNumber', billing_postcode: 'billing.postcode', billing_phone: 'phone', shipping_address_1: 'shipping.streetWithNumber',
      shipping_company: 'shipping.company', user_login: null,
    });
  });

  it('does not see a preset in a file with only one or two of its headings', () => {
    expect(suggestMapping(['Email', 'Firstname', 'Zipcode', 'Tags'], customerCatalogue).preset).toBeUndefined();
  });
});

describe('suggestMapping: conflicts and fuzzy matches', () => {
  it('never maps two columns to one field: the second gets null and a note naming the first', () => {
    const mapping = suggestMapping(['Email', 'First name', 'Email', 'Last name', 'Last name'], customerCatalogue);
    expect(mapping.columns.map((column) => column.field)).toEqual(['email', 'firstName', null, 'lastName', null]);
    expect(mapping.columns[2]?.note).toMatchObject({ code: 'field_already_mapped', params: { field: 'email', otherIndex: 0 } });
  });

  it('lets an exact heading win over a weaker match further left', () => {
    const mapping = suggestMapping(['E-mail adress', 'E-mail'], customerCatalogue);
    expect(mapping.columns.map((column) => column.field)).toEqual([null, 'email']);
  });

  it('prefers separate name columns over a full-name column', () => {
    const mapping = suggestMapping(['Naam', 'Voornaam', 'Achternaam'], customerCatalogue);
    expect(mapping.columns.map((column) => column.field)).toEqual([null, 'firstName', 'lastName']);
    expect(mapping.columns[0]?.note?.code).toBe('field_already_mapped');
  });

  it('suggests fuzzy matches with a visible score, below 1', () => {
    const mapping = suggestMapping(['E-mail adress', 'Voornaam klant', 'Geboorte dat.', 'Kleur'], customerCatalogue);
    const [email, firstName, birthDate, colour] = mapping.columns;
    expect(email).toMatchObject({ field: 'email', confidence: 'fuzzy' });
    expect(firstName).toMatchObject({ field: 'firstName', confidence: 'fuzzy' });
    expect(birthDate).toMatchObject({ field: 'birthDate', confidence: 'fuzzy' });
    for (const column of [email, firstName, birthDate]) expect(column?.score).toBeGreaterThan(0.7);
    for (const column of [email, firstName, birthDate]) expect(column?.score).toBeLessThan(1);
    expect(colour).toMatchObject({ field: null, confidence: 'none', score: 0 });
  });

  it('never guesses the Clientele ID column that decides which customer is updated', () => {
    expect(suggestMapping(['Clientele number'], customerCatalogue).columns[0]?.field).not.toBe('id');
    expect(suggestMapping(['Clientele ID'], customerCatalogue).columns[0]?.field).toBe('id');
  });

  it('notes columns without a heading', () => {
    expect(suggestMapping(['Email', ''], customerCatalogue).columns[1]?.note?.code).toBe('no_heading');
  });

  it('scores similar headings', () => {
    expect(headingSimilarity('Emailadress', 'emailadres')).toBeGreaterThan(0.9);
    expect(headingSimilarity('Kleur', 'Postcode')).toBeLessThan(0.5);
    expect(headingSimilarity('Nr', 'Nr.')).toBe(1);
  });
});

describe('saved mappings, manual changes and required fields', () => {
  it('uses a saved mapping before anything else, including "ignore"', () => {
    const saved = toSavedMapping(remapColumn(suggestMapping(['Mail', 'Naam', 'Kleur'], customerCatalogue), 2, 'notes', customerCatalogue));
    const mapping = suggestMapping(['Mail', 'Naam', 'Kleur', 'Extra'], customerCatalogue, { saved: { ...saved, naam: null } });
    expect(mapping.columns.map((column) => [column.field, column.confidence])).toEqual([
      ['email', 'saved'], [null, 'saved'], ['notes', 'saved'], [null, 'none'],
    ]);
  });

  it('moves a field to the column the user chose and clears it elsewhere', () => {
    const mapping = remapColumn(suggestMapping(['Telefoon', 'Mobiel'], customerCatalogue), 1, 'phone', customerCatalogue);
    expect(mapping.columns.map((column) => column.field)).toEqual([null, 'phone']);
    expect(mapping.columns[0]?.note?.code).toBe('moved_to_other_column');
    expect(mapping.columns[1]?.confidence).toBe('manual');
  });

  it('lists required fields that no column fills; a full-name column fills first and last name', () => {
    expect(missingRequired(suggestMapping(['Voornaam', 'Plaats'], customerCatalogue), customerCatalogue)).toEqual(['email', 'lastName']);
    expect(missingRequired(suggestMapping(['E-mail', 'Naam'], customerCatalogue), customerCatalogue)).toEqual([]);
    expect(missingRequired(suggestMapping(['E-mail'], customerCatalogue), customerCatalogue, ['email'])).toEqual([]);
  });
});

describe('splitFullName', () => {
  it.each([
    ['Jan Jansen', 'Jan', '', 'Jansen'],
    ['Jan van der Berg', 'Jan', 'van der', 'Berg'],
    ['Jan Willem de Groot', 'Jan Willem', 'de', 'Groot'],
    ['Anna van den Heuvel-de Vries', 'Anna', 'van den', 'Heuvel-de Vries'],
    ["Kees 't Hart", 'Kees', "'t", 'Hart'],
    ['Piet ter Horst', 'Piet', 'ter', 'Horst'],
    ['Ria ten Cate', 'Ria', 'ten', 'Cate'],
    ['Els van \'t Hof', 'Els', "van 't", 'Hof'],
    ['Hans von der Heide', 'Hans', 'von der', 'Heide'],
    ['Berg, Jan van der', 'Jan', 'van der', 'Berg'],
    ['Jansen, Jan', 'Jan', '', 'Jansen'],
    ['J.P. Balkenende', 'J.P.', '', 'Balkenende'],
    ['Jan P. Jansen', 'Jan P.', '', 'Jansen'],
    ['Madonna', '', '', 'Madonna'],
    ['  Jan   de  Vries ', 'Jan', 'de', 'Vries'],
    ['', '', '', ''],
  ])('%j → %j / %j / %j', (name, firstName, nameInsertion, lastName) => {
    expect(splitFullName(name)).toEqual({ firstName, nameInsertion, lastName });
  });
});

describe('splitStreetWithNumber', () => {
  it.each([
    ['Keizersgracht 313-II', 'Keizersgracht', '313', 'II', ''],
    ['Hoofdstraat 12a', 'Hoofdstraat', '12', 'a', ''],
    ['Hoofdstraat 12 A', 'Hoofdstraat', '12', 'A', ''],
    ['Prinsengracht 263-H', 'Prinsengracht', '263', 'H', ''],
    ['Rue de la Paix 5 bis', 'Rue de la Paix', '5', 'bis', ''],
    ['Kerkstraat 12 bus 3', 'Kerkstraat', '12', 'bus 3', ''],
    ['2e Helmersstraat 12', '2e Helmersstraat', '12', '', ''],
    ['Laan 1940-1945 12', 'Laan 1940-1945', '12', '', ''],
    ['Straße des 17. Juni 135', 'Straße des 17. Juni', '135', '', ''],
    ['10 Downing Street', 'Downing Street', '10', '', ''],
    ['221B Baker Street', 'Baker Street', '221', 'B', ''],
    ['Keizersgracht\n313\nII', 'Keizersgracht', '313', 'II', ''], // Magento street lines
    ['Keizersgracht 313\n2nd floor', 'Keizersgracht', '313', '', '2nd floor'],
    ['Dorpsstraat', 'Dorpsstraat', '', '', ''],
    ['', '', '', '', ''],
  ])('%j → %j %j %j / %j', (value, street, number, extension, address2) => {
    expect(splitStreetWithNumber(value)).toEqual({ street, number, extension, address2 });
  });
});

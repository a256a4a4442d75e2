import { describe, expect, it } from 'vitest';
import {
  cleanCell,
  detectDateOrder,
  excelSerialToIso,
  formatPostcode,
  guardCellForExport,
  hasReplacedLetters,
  isScientificNotation,
  kvkLeadingZerosLost,
  keepCellForImport,
  parseBooleanCell,
  parseDateCell,
  parseEmailCell,
  parseGenderCell,
  parseIntegerCell,
  parseLanguageCell,
  parseListCell,
  quoteListItem,
  parsePasswordHashCell,
  parsePhoneCell,
  parsePostcodeCell,
  parseTextCell,
  type CellResult,
} from './cells.ts';

const value = <T>(result: CellResult<T>) => (result.ok ? result.value : `error:${result.error.code}`);

describe('cleanCell', () => {
  it.each([
    ['  Jan  ', 'Jan'],
    ["'+31612345678", '+31612345678'], // Shopify phone
    ["'1234AB", '1234AB'], // Shopify postcode
    ["'0612345678", '0612345678'],
    ["'=SUM(A1:A3)", '=SUM(A1:A3)'], // our export's formula guard, undone
    ["'-10", '-10'],
    ["'@home", '@home'],
    ["'+", '+'],
    ['="0612345678"', '0612345678'], // Excel forced-text trick
    ['="say ""hi"""', 'say "hi"'],
    ["'s-Hertogenbosch", "'s-Hertogenbosch"], // an apostrophe before a letter is data
    ["'t Hart", "'t Hart"],
    ["''=cmd", "'=cmd"], // only one apostrophe is removed: the export doubles it for such values
    ["'''x", "''x"],
    ['=1+1', '=1+1'], // a bare formula is kept as text, never evaluated
  ])('%j → %j', (raw, expected) => {
    expect(cleanCell(raw)).toBe(expected);
  });
});

describe('guardCellForExport', () => {
  it.each([
    ['=SUM(A1)', "'=SUM(A1)"],
    ['+31612345678', "'+31612345678"],
    ['-', "'-"],
    ['@home', "'@home"],
    ['0612345678', '0612345678'],
    ["'s-Hertogenbosch", "'s-Hertogenbosch"],
    ["'=x", "''=x"],
    ["'0612", "''0612"],
    ['Jan', 'Jan'],
  ])('guards %j as %j', (raw, expected) => {
    expect(guardCellForExport(raw)).toBe(expected);
  });

  it('is undone exactly by the import', () => {
    const values = ['=1+1', '+31 6 1234', '-5', '@x', "'s-Gravenhage", "'t Zandt", "'=x", "''y", "'0", "'", "''", '0031', 'Jan', "'+31"];
    for (const original of values) expect(cleanCell(guardCellForExport(original))).toBe(original);
  });
});

describe('keepCellForImport', () => {
  it('adds no formula guard, and is undone exactly by the import', () => {
    expect(keepCellForImport('=SUM(1)')).toBe('=SUM(1)');
    expect(keepCellForImport('+31 6 12345678')).toBe('+31 6 12345678');
    const values = ['=1+1', '+31 6 1234', '-5', '@x', "'s-Gravenhage", "'=x", "''y", "'0", "'", "''", 'Jan', "'+31", '="0612"'];
    for (const original of values) expect(cleanCell(keepCellForImport(original))).toBe(original);
  });
});

describe('parseBooleanCell', () => {
  it.each([
    ['yes', true], ['Ja', true], ['TRUE', true], ['waar', true], ['WAAR', true], ['1', true], ['x', true], ['X', true], ['j', true], ['y', true],
    ['no', false], ['Nee', false], ['false', false], ['ONWAAR', false], ['0', false], ['n', false],
    ['', null], ['  ', null],
  ])('%j → %j', (raw, expected) => {
    expect(value(parseBooleanCell(raw))).toBe(expected);
  });

  it('knows field words such as Lightspeed customer types and Shopify marketing states', () => {
    expect(value(parseBooleanCell('company', 'isCompany'))).toBe(true);
    expect(value(parseBooleanCell('Particulier', 'isCompany'))).toBe(false);
    expect(value(parseBooleanCell('subscribed', 'newsletter'))).toBe(true);
    expect(value(parseBooleanCell('not_subscribed', 'newsletter'))).toBe(false);
    expect(value(parseBooleanCell('company', 'newsletter'))).toBe('error:boolean_invalid');
  });

  it('rejects other words with a message listing what works', () => {
    const result = parseBooleanCell('maybe');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatchObject({ code: 'boolean_invalid', params: { value: 'maybe' } });
    if (!result.ok) expect(result.error.message).toContain('ja/nee');
  });
});

describe('parseDateCell', () => {
  it.each([
    ['1980-05-01', '1980-05-01'],
    ['1980/5/1', '1980-05-01'],
    ['1980-05-01T00:00:00', '1980-05-01'], // how read.ts writes XLSX date-times
    ['01-05-1980', '1980-05-01'], // day first with dashes
    ['1-5-1980', '1980-05-01'],
    ['01.05.1980', '1980-05-01'],
    ['13/05/1980', '1980-05-13'], // day > 12: must be day/month
    ['05/13/1980', '1980-05-13'], // month/day: second part > 12
    ['07/07/1980', '1980-07-07'], // the same either way
    ['29221', '1980-01-01'], // Excel serial number
    ['29221.75', '1980-01-01'],
    ['61', '1900-03-01'], // after Excel's phantom 1900-02-29
    ['', null],
  ])('%j → %j', (raw, expected) => {
    expect(value(parseDateCell(raw))).toBe(expected);
  });

  it.each([
    ['01/05/1980', 'date_ambiguous'],
    ['01-05-80', 'date_two_digit_year'],
    ['1/5/80', 'date_two_digit_year'],
    ['1980', 'date_year_only'],
    ['31-02-1980', 'date_invalid'],
    ['1980-13-01', 'date_invalid'],
    ['gisteren', 'date_invalid'],
    ['19800501', 'date_invalid'],
  ])('%j is reported as %s, not guessed', (raw, code) => {
    expect(value(parseDateCell(raw))).toBe(`error:${code}`);
  });

  it('reads ambiguous slash dates in the order the file uses', () => {
    expect(value(parseDateCell('01/05/1980', { dateOrder: 'dmy' }))).toBe('1980-05-01');
    expect(value(parseDateCell('01/05/1980', { dateOrder: 'mdy' }))).toBe('1980-01-05');
    // Dashes are always day first, whatever the slash order.
    expect(value(parseDateCell('01-05-1980', { dateOrder: 'mdy' }))).toBe('1980-05-01');
  });

  it('learns the date order of a column from its unambiguous values', () => {
    expect(detectDateOrder(['01/05/1980', '25/12/1990'])).toBe('dmy');
    expect(detectDateOrder(['01/05/1980', '12/25/1990'])).toBe('mdy');
    expect(detectDateOrder(['13/01/1980', '12/25/1990'])).toBe('mixed');
    expect(detectDateOrder(['01/05/1980', '1980-05-01', ''])).toBe('unknown');
  });

  it('converts Excel serial numbers in the 1900 date system', () => {
    expect(excelSerialToIso(1)).toBe('1900-01-01');
    expect(excelSerialToIso(59)).toBe('1900-02-28');
    expect(excelSerialToIso(45292)).toBe('2024-01-01');
  });
});

describe('parseGenderCell and parseLanguageCell', () => {
  it.each([
    ['male', 'male'], ['M', 'male'], ['man', 'male'], ['Dhr.', 'male'], ['de heer', 'male'], ['Mr.', 'male'],
    ['female', 'female'], ['F', 'female'], ['V', 'female'], ['vrouw', 'female'], ['Mevr.', 'female'], ['Mevrouw', 'female'], ['mrs', 'female'],
    ['other', 'other'], ['anders', 'other'], ['X', 'other'], ['non-binary', 'other'],
    ['onbekend', null], ['', null],
    ['robot', 'error:invalid_choice'],
  ])('gender %j → %j', (raw, expected) => {
    expect(value(parseGenderCell(raw))).toBe(expected);
  });

  const supported = ['en', 'nl', 'de', 'fr', 'es', 'it'];
  it.each([
    ['nl', 'nl'], ['NL', 'nl'], ['nl_NL', 'nl'], ['nl-BE', 'nl'], ['Nederlands', 'nl'], ['Dutch', 'nl'], ['Vlaams', 'nl'],
    ['en', 'en'], ['English', 'en'], ['Engels', 'en'], ['en_US', 'en'], ['Duits', 'de'], ['Deutsch', 'de'], ['Français', 'fr'], ['Spaans', 'es'],
    ['', ''], ['Klingon', 'error:language_unknown'], ['pt', 'error:language_unknown'],
  ])('language %j → %j', (raw, expected) => {
    expect(value(parseLanguageCell(raw, supported))).toBe(expected);
  });
});

describe('Excel damage', () => {
  it.each(['3.16123E+10', '3,16123E+10', '1.23457e+07', '6E+8'])('%s is scientific notation', (raw) => {
    expect(isScientificNotation(raw)).toBe(true);
  });
  it.each(['0612345678', '1016 EE', 'SW1A 1AA', '+31612345678', 'E12'])('%s is not', (raw) => {
    expect(isScientificNotation(raw)).toBe(false);
  });

  it('rejects phones and postcodes in scientific notation with a message that explains Excel did it', () => {
    const phone = parsePhoneCell('3,16123E+10', 'NL');
    expect(phone.ok).toBe(false);
    if (!phone.ok) expect(phone.error.code).toBe('excel_scientific_notation');
    if (!phone.ok) expect(phone.error.message).toContain('Excel');
    expect(value(parsePostcodeCell('1.0115E+4', 'DE'))).toBe('error:excel_scientific_notation');
  });

  it('suggests, but does not apply, the leading zero Excel removed from a Dutch mobile number', () => {
    const result = parsePhoneCell('612345678', 'NL');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatchObject({ code: 'leading_zero_lost', suggestion: '0612345678', params: { suggestion: '0612345678' } });
    expect(value(parsePhoneCell('612345678', 'NL', true))).toBe('+31 6 12345678');
    expect(value(parsePhoneCell('612345678', '', true))).toBe('+31 6 12345678'); // no country: the shop's default, NL
    expect(value(parsePhoneCell('201234567', 'NL'))).toBe('error:leading_zero_lost'); // Amsterdam landline
    expect(value(parsePhoneCell('470123456', 'BE'))).toBe('error:leading_zero_lost'); // Belgian mobile
  });

  it('reads a number whose + was dropped as international when that is the only valid reading', () => {
    expect(value(parsePhoneCell('31612345678', 'NL'))).toBe('+31 6 12345678');
  });

  it('suggests the leading zero of German, French and US postcodes', () => {
    const result = parsePostcodeCell('1067', 'DE');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatchObject({ code: 'leading_zero_lost', suggestion: '01067' });
    expect(value(parsePostcodeCell('1067', 'DE', 'NL', true))).toBe('01067');
    expect(value(parsePostcodeCell('1000', 'BE'))).toBe('1000'); // Belgian postcodes have four digits
  });
});

describe('parsePhoneCell', () => {
  it.each([
    ['0612345678', 'NL', '+31 6 12345678'],
    ['06-12345678', 'NL', '+31 6 12345678'],
    ['+31 (0)6 1234 5678', 'NL', '+31 6 12345678'],
    ['0031612345678', 'NL', '+31 6 12345678'],
    ['020-1234567', 'NL', '+31 20 123 4567'],
    ['0470 12 34 56', 'BE', '+32 470 12 34 56'],
    ['+49 30 1234567', 'NL', '+49 30 1234567'],
    ['07911 123456', 'GB', '+44 7911 123456'],
    ['', 'NL', ''],
    ['12', 'NL', 'error:phone_invalid'],
    ['call me', 'NL', 'error:phone_invalid'],
  ])('%j in %s → %j', (raw, country, expected) => {
    expect(value(parsePhoneCell(raw, country))).toBe(expected);
  });
});

describe('parsePostcodeCell', () => {
  it.each([
    ['1016ee', 'NL', '1016 EE'], // written the Dutch way, as the customer API does
    ['1016 EE', 'NL', '1016 EE'],
    ['1016  ee', 'NL', '1016 EE'],
    ['9000', 'BE', '9000'],
    ['10115', 'DE', '10115'],
    ['75001', 'FR', '75001'],
    ['sw1a1aa', 'GB', 'SW1A 1AA'],
    ['NW1 6XE', 'GB', 'NW1 6XE'],
    ['10001-1234', 'US', '10001-1234'],
    ['8001', 'CH', '8001'], // not checked
    ['', 'NL', ''],
    ['1016', 'NL', 'error:postcode_invalid'],
    ['0123 AB', 'NL', 'error:postcode_invalid'],
    ['123', 'BE', 'error:postcode_invalid'],
    ['ABCDE', 'DE', 'error:postcode_invalid'],
    ['12345', 'GB', 'error:postcode_invalid'],
  ])('%j in %s → %j', (raw, country, expected) => {
    expect(value(parsePostcodeCell(raw, country))).toBe(expected);
  });

  it('formats a postcode without a country only when it is a postcode of the default country', () => {
    expect(value(parsePostcodeCell('1016ee', '', 'NL'))).toBe('1016 EE');
    expect(value(parsePostcodeCell('10115', '', 'NL'))).toBe('10115');
    expect(formatPostcode('ec1a1bb', 'GB')).toBe('EC1A 1BB');
  });
});

describe('parseEmailCell', () => {
  it.each([
    [' Jan.Jansen@Example.NL ', 'jan.jansen@example.nl'],
    ["o'brien@example.ie", "o'brien@example.ie"],
    ['info@münchen.de', 'info@münchen.de'], // internationalised domain
    ['info@xn--mnchen-3ya.de', 'info@münchen.de'], // the same domain in its ASCII form
    ['INFO@MÜNCHEN.DE', 'info@münchen.de'],
    ['klant@bücher.example', 'klant@bücher.example'],
    ['', ''],
    ['jan', 'error:email_invalid'],
    ['jan@', 'error:email_invalid'],
    ['@example.com', 'error:email_invalid'],
    ['jan@example', 'error:email_invalid'],
    ['jan jansen@example.com', 'error:email_invalid'],
    ['jörg@example.com', 'error:email_invalid'], // non-ASCII before the @
    ['<script>@example.com', 'error:email_invalid'],
    // The URL parser behind domainToASCII drops tabs and line breaks: they must not vanish silently.
    ['fien@example.com\tFien\tFaber', 'error:email_invalid'],
    ['anna@exa\r\nmple.com', 'error:email_invalid'],
    ['anna@example.com\nBcc: all@evil.example', 'error:email_invalid'],
  ])('%j → %j', (raw, expected) => {
    expect(value(parseEmailCell(raw))).toBe(expected);
  });

  it('rejects addresses longer than 254 characters', () => {
    expect(value(parseEmailCell(`${'a'.repeat(64)}@${'b'.repeat(60)}.${'c'.repeat(60)}.${'d'.repeat(60)}.example`))).toBe('error:too_long');
  });
});

describe('text, list, integer and password cells', () => {
  it('collapses white space in single-line text and checks the length', () => {
    expect(value(parseTextCell('Jan\n  van   Dijk', 100))).toBe('Jan van Dijk');
    expect(value(parseTextCell('line 1\r\nline 2', 100, true))).toBe('line 1\nline 2');
    expect(value(parseTextCell('x'.repeat(31), 30))).toBe('error:too_long');
    expect(value(parseTextCell('<script>alert(1)</script>', 100))).toBe('<script>alert(1)</script>'); // stored as text
  });

  it('splits lists on comma, semicolon and bar, without empty items or duplicates', () => {
    expect(value(parseListCell('VIP, Wholesale;  retail |vip,,'))).toEqual(['VIP', 'Wholesale', 'retail']);
    expect(value(parseListCell(''))).toEqual([]);
    expect(value(parseListCell('x'.repeat(101)))).toBe('error:too_long');
  });

  it('reads whole numbers', () => {
    expect(value(parseIntegerCell('42'))).toBe(42);
    expect(value(parseIntegerCell(''))).toBe(null);
    expect(value(parseIntegerCell('4.2'))).toBe('error:integer_invalid');
    expect(value(parseIntegerCell('0'))).toBe('error:integer_invalid');
    expect(value(parseIntegerCell('1E+15'))).toBe('error:excel_scientific_notation');
  });

  it.each([
    ['$2y$10$abcdefghijklmnopqrstuuJ1tT0xXH/kXp9ZqWCYIVPwZRc3qYBSy', 'bcrypt'],
    ['$wp$2y$10$abcdefghijklmnopqrstuuJ1tT0xXH/kXp9ZqWCYIVPwZRc3qYBSy', 'wordpress'],
    ['$P$BZ1kUHzFiF0Nh3.ZUzUFr5CERcHpq81', 'phpass'],
    ['$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$hashhashhashhash', 'argon2'],
    [`${'a'.repeat(64)}:${'b'.repeat(32)}:1`, 'magento2'],
    [`${'a'.repeat(64)}:${'b'.repeat(32)}:3_32_2_67108864`, 'magento2'],
    // Magento 1 / 2 without a version: hash:salt, md5 (32) or sha256 (64) by length.
    [`${'c'.repeat(32)}:salt`, 'magento2'],
    [`${'d'.repeat(64)}:Xy9`, 'magento2'],
  ])('recognises the password hash %s as %s', (hash, algorithm) => {
    expect(value(parsePasswordHashCell(hash))).toEqual({ hash, algorithm });
  });

  it('refuses an unknown password hash without repeating it', () => {
    const result = parsePasswordHashCell('secret123');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe('password_hash_unknown');
    if (!result.ok) expect(result.error.message).not.toContain('secret123');
  });
});

describe('spreadsheet damage and values in unused ranges', () => {
  it.each([
    ['06-01234567', 'NL', 'error:phone_unassigned'],
    ['0671234567', 'NL', 'error:phone_unassigned'],
    ['06 91234567', 'NL', 'error:phone_unassigned'],
    ['06-12345678', 'NL', '+31 6 12345678'],
    ['12', 'NL', 'error:phone_invalid'],
  ])('phone %s in %s → %s', (input, country, expected) => {
    expect(value(parsePhoneCell(input, country))).toBe(expected);
  });

  it.each([
    ['1234 SA', 'error:postcode_not_issued'],
    ['1234sd', 'error:postcode_not_issued'],
    ['1234 SS', 'error:postcode_not_issued'],
    ['1234 SB', '1234 SB'],
    ['0123 AB', 'error:postcode_invalid'],
  ])('Dutch postcode %s → %s', (input, expected) => {
    expect(value(parsePostcodeCell(input, 'NL'))).toBe(expected);
  });

  it.each([
    ['1234567', 'NL', '01234567'],
    ['123', 'NL', '00000123'],
    ['12345678', 'NL', undefined],
    ['01234567', 'NL', undefined],
    ['1234567', 'BE', undefined],
    ['12A4567', 'NL', undefined],
  ])('KvK number %s in %s lost its zeros: %s', (input, country, expected) => {
    expect(kvkLeadingZerosLost(input, country)).toBe(expected);
  });

  it.each([
    ['Bj?rn', true],
    ['?zt?rk', true],
    ['Jos?', true],
    ['Björn', false],
    ['?', false],
    ['Jan ? Piet', false],
  ])('%s has letters an ANSI save replaced: %s', (input, expected) => {
    expect(hasReplacedLetters(input)).toBe(expected);
  });
});

describe('list cells with quoted items (the exporter quotes names holding a separator)', () => {
  it.each([
    ['"Smith, Jones & Co", "A;B", "Pipe | Line", Plain', ['Smith, Jones & Co', 'A;B', 'Pipe | Line', 'Plain']],
    ['"Say ""cheese"""; Say "hi"', ['Say "cheese"', 'Say "hi"']],
    ['"unterminated, item', ['unterminated, item']],
  ])('%s', (cell, expected) => {
    expect(parseListCell(cell)).toEqual({ ok: true, value: expected });
  });

  it('quotes exactly the names that would split, and reads them back', () => {
    const names = ['Smith, Jones', 'A;B', 'Pipe | Line', '"Quoted"', 'Say "cheese"', 'Plain'];
    expect(names.map(quoteListItem)).toEqual(['"Smith, Jones"', '"A;B"', '"Pipe | Line"', '"""Quoted"""', 'Say "cheese"', 'Plain']);
    expect(parseListCell(names.map(quoteListItem).join(', '))).toEqual({ ok: true, value: names });
  });
});

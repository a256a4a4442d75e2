import { describe, expect, it } from 'vitest';
import {
  foldForSearch,
  normalizeEmail,
  normalizePostcode,
  parseBirthDate,
  parseCountry,
  parsePhone,
  parseVatNumber,
} from './customer.rules.ts';

describe('normalizeEmail', () => {
  it.each([
    ['  Jan@Example.COM ', 'jan@example.com'],
    ['\tjan@example.com\n', 'jan@example.com'],
    ['ÉMILE@X.NL', 'émile@x.nl'],
    // "e" + combining acute accent (NFD, as macOS keyboards may send it) is the same address as "é".
    ['e\u0301mile@x.nl', 'émile@x.nl'],
    ['E\u0301MILE@X.NL', 'émile@x.nl'],
  ])('%j → %j', (input, expected) => {
    expect(normalizeEmail(input)).toBe(expected);
  });

  it('gives one identity for the composed and decomposed spelling', () => {
    expect(normalizeEmail('e\u0301mile@x.nl')).toBe(normalizeEmail('\u00e9mile@x.nl'));
    expect(normalizeEmail('e\u0301mile@x.nl')).toHaveLength('émile@x.nl'.length);
  });
});

describe('foldForSearch', () => {
  it.each([
    ['Élodie  Müller', 'elodie muller'],
    ['  Søren ', 'søren'],
    ['Ĳsselmeer', 'ijsselmeer'],
    ['ÇA VA', 'ca va'],
  ])('%j → %j', (input, expected) => {
    expect(foldForSearch(input)).toBe(expected);
  });
});

describe('parseCountry', () => {
  it.each([
    ['NL', 'NL'],
    ['nl', 'NL'],
    ['nld', 'NL'],
    ['NLD', 'NL'],
    ['Netherlands', 'NL'],
    ['the Netherlands', 'NL'],
    ['Nederland', 'NL'],
    ['Duitsland', 'DE'],
    ['Germany', 'DE'],
    ['België', 'BE'],
    ['Belgie', 'BE'],
    ['belgium', 'BE'],
    ['United Kingdom', 'GB'],
    ['Verenigd Koninkrijk', 'GB'],
    ['  fr ', 'FR'],
    ['', ''],
  ])('%j → %j', (input, expected) => {
    expect(parseCountry(input)).toEqual({ ok: true, value: expected });
  });

  it.each(['narnia', 'XX', 'ZZZ', 'Nether', '12'])('refuses %j', (input) => {
    expect(parseCountry(input)).toEqual({ ok: false, error: 'country_unknown' });
  });
});

describe('parsePhone', () => {
  it.each([
    ['06 12345678', 'NL', '+31 6 12345678'],
    ['0612345678', 'NL', '+31 6 12345678'],
    ['020-1234567', 'NL', '+31 20 123 4567'],
    ['+32 470 12 34 56', 'NL', '+32 470 12 34 56'],
    ['0470 12 34 56', 'BE', '+32 470 12 34 56'],
    ['+49 30 123456', 'NL', '+49 30 123456'],
    // An unknown country falls back to reading national numbers as Dutch.
    ['06 1234 5678', '', '+31 6 12345678'],
    ['', 'NL', ''],
  ])('%j in %j → %j', (input, country, expected) => {
    expect(parsePhone(input, country)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['garbage', 'NL'],
    ['12', 'NL'],
    ['06 123', 'NL'],
    ['+31 6 1234567890123', 'NL'],
  ])('refuses %j', (input, country) => {
    expect(parsePhone(input, country)).toEqual({ ok: false, error: 'phone_invalid' });
  });
});

describe('parseVatNumber', () => {
  it.each([
    ['NL000099998B57', 'NL000099998B57'],
    ['nl 0000.99998.b57', 'NL000099998B57'],
    ['DE123456789', 'DE123456789'],
    ['BE0123456789', 'BE0123456789'],
    ['', ''],
  ])('%j → %j', (input, expected) => {
    expect(parseVatNumber(input)).toEqual({ ok: true, value: expected });
  });

  it.each(['hello', 'NL123', '000099998B57', 'XX123456789'])('refuses %j', (input) => {
    expect(parseVatNumber(input)).toEqual({ ok: false, error: 'vat_invalid' });
  });
});

describe('parseBirthDate (today is 2024-06-15)', () => {
  const today = '2024-06-15';
  it.each([
    ['1980-06-15', '1980-06-15'],
    ['15-06-1980', '1980-06-15'],
    ['5/6/1980', '1980-06-05'],
    ['05.06.1980', '1980-06-05'],
    ['2024-02-29', '2024-02-29'],
    ['1900-01-01', '1900-01-01'],
    ['2024-06-15', '2024-06-15'],
    ['', null],
    ['  ', null],
  ])('%j → %j', (input, expected) => {
    expect(parseBirthDate(input, today)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['31-02-2024', 'date_invalid'],
    ['2023-02-29', 'date_invalid'],
    ['2024-13-01', 'date_invalid'],
    ['1980-6-5', 'date_invalid'],
    ['yesterday', 'date_invalid'],
    ['2024-06-16', 'date_in_future'],
    ['01-01-2030', 'date_in_future'],
    ['1899-12-31', 'date_too_old'],
  ])('refuses %j with %s', (input, code) => {
    expect(parseBirthDate(input, today)).toEqual({ ok: false, error: code });
  });
});

describe('normalizePostcode', () => {
  it.each([
    ['1234ab', 'NL', '1234 AB'],
    ['1234 ab', 'NL', '1234 AB'],
    [' 1234AB ', 'NL', '1234 AB'],
    ['12345', 'NL', '12345'],
    ['1234ab', 'BE', '1234AB'],
    ['sw1a 1aa', 'GB', 'SW1A 1AA'],
    ['', 'NL', ''],
  ])('%j in %j → %j', (input, country, expected) => {
    expect(normalizePostcode(input, country)).toBe(expected);
  });
});

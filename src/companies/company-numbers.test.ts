import { describe, expect, it } from 'vitest';
import { numberProblemMessage, parseCocNumber, parseCompanyVatNumber } from './company-numbers.ts';

describe('parseCocNumber: accepted and normalised', () => {
  it.each([
    // NL, KvK: 8 digits; spaces, dots and hyphens go.
    ['12345678', 'NL', '12345678'],
    [' 1234 5678 ', 'NL', '12345678'],
    ['1234.5678', 'NL', '12345678'],
    ['01234567', 'nl', '01234567'],
    // BE, KBO/BCE: 10 digits with the mod-97 check, written 0123.456.749.
    ['0123456749', 'BE', '0123.456.749'],
    ['0123.456.749', 'BE', '0123.456.749'],
    ['0123 456 749', 'BE', '0123.456.749'],
    ['BE 0403.170.701', 'BE', '0403.170.701'],
    ['403170701', 'BE', '0403.170.701'],
    // DE, Handelsregister: HRA/HRB and a number, the court optional (before or after).
    ['HRB 12345', 'DE', 'HRB 12345'],
    ['hrb12345', 'DE', 'HRB 12345'],
    ['HRA 987', 'DE', 'HRA 987'],
    ['HRB 12345 B', 'DE', 'HRB 12345 B'],
    ['HRB 12345, Amtsgericht München', 'DE', 'HRB 12345, Amtsgericht München'],
    ['Amtsgericht München HRB 12345', 'DE', 'HRB 12345, Amtsgericht München'],
    ['HRB 12345 (AG Köln)', 'DE', 'HRB 12345, AG Köln'],
    // Elsewhere: free text, spaces collapsed.
    ['RCS Paris B 123  456 789', 'FR', 'RCS Paris B 123 456 789'],
    ['12345678', '', '12345678'],
    ['', 'NL', ''],
    ['   ', 'BE', ''],
  ])('%j in %s → %j', (input, country, expected) => {
    expect(parseCocNumber(input, country)).toEqual({ ok: true, value: expected });
  });
});

describe('parseCocNumber: refused, with the form that was expected', () => {
  it.each([
    [
      '1234567',
      'NL',
      'kvk_invalid',
      'KvK number must be 8 digits, like 12345678.',
      'Een KvK-nummer bestaat uit 8 cijfers, zoals 12345678.',
    ],
    [
      '123456789',
      'NL',
      'kvk_invalid',
      'KvK number must be 8 digits, like 12345678.',
      'Een KvK-nummer bestaat uit 8 cijfers, zoals 12345678.',
    ],
    [
      '1234567a',
      'NL',
      'kvk_invalid',
      'KvK number must be 8 digits, like 12345678.',
      'Een KvK-nummer bestaat uit 8 cijfers, zoals 12345678.',
    ],
    [
      '0123456748',
      'BE',
      'kbo_invalid',
      'KBO/BCE enterprise number must be 10 digits starting with 0 or 1, with valid check digits, like 0123.456.749.',
      'Een KBO-ondernemingsnummer bestaat uit 10 cijfers, begint met 0 of 1 en heeft geldige controlecijfers, zoals 0123.456.749.',
    ],
    [
      '2123456749',
      'BE',
      'kbo_invalid',
      'KBO/BCE enterprise number must be 10 digits starting with 0 or 1, with valid check digits, like 0123.456.749.',
      'Een KBO-ondernemingsnummer bestaat uit 10 cijfers, begint met 0 of 1 en heeft geldige controlecijfers, zoals 0123.456.749.',
    ],
    [
      '12345',
      'BE',
      'kbo_invalid',
      'KBO/BCE enterprise number must be 10 digits starting with 0 or 1, with valid check digits, like 0123.456.749.',
      'Een KBO-ondernemingsnummer bestaat uit 10 cijfers, begint met 0 of 1 en heeft geldige controlecijfers, zoals 0123.456.749.',
    ],
    [
      '12345',
      'DE',
      'handelsregister_invalid',
      'Handelsregister number must be HRA or HRB followed by a number, like HRB 12345 (the court may follow: HRB 12345, Amtsgericht München).',
      'Een Handelsregister-nummer bestaat uit HRA of HRB en een nummer, zoals HRB 12345 (de rechtbank mag erachter: HRB 12345, Amtsgericht München).',
    ],
    [
      'HRC 12345',
      'DE',
      'handelsregister_invalid',
      'Handelsregister number must be HRA or HRB followed by a number, like HRB 12345 (the court may follow: HRB 12345, Amtsgericht München).',
      'Een Handelsregister-nummer bestaat uit HRA of HRB en een nummer, zoals HRB 12345 (de rechtbank mag erachter: HRB 12345, Amtsgericht München).',
    ],
    [
      'x'.repeat(41),
      'FR',
      'coc_too_long',
      'A company registration number can have at most 40 characters.',
      'Een inschrijvingsnummer kan hoogstens 40 tekens hebben.',
    ],
  ])('%j in %s → %s', (input, country, code, english, dutch) => {
    const parsed = parseCocNumber(input, country);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.error.code).toBe(code);
    expect(parsed.error.params.value).toBe(input);
    expect(numberProblemMessage(parsed.error, 'en')).toBe(english);
    expect(numberProblemMessage(parsed.error, 'nl')).toBe(dutch);
  });
});

describe('parseCompanyVatNumber', () => {
  it.each([
    ['NL000099998B57', 'NL', 'NL000099998B57'],
    ['nl 0000.99998.b57', 'NL', 'NL000099998B57'],
    // The country prefix added when the company's country is known.
    ['000099998B57', 'NL', 'NL000099998B57'],
    ['0123.456.749', 'BE', 'BE0123456749'],
    ['136695976', 'DE', 'DE136695976'],
    ['094259216', 'GR', 'EL094259216'],
    ['U13585627', 'AT', 'ATU13585627'],
    // A number with its own prefix keeps it, whatever the company's country.
    ['BE0403170701', 'NL', 'BE0403170701'],
    ['FR 40 303 265 045', '', 'FR40303265045'],
    ['', 'NL', ''],
  ])('%j (country %s) → %j', (input, country, expected) => {
    expect(parseCompanyVatNumber(input, country)).toEqual({ ok: true, value: expected });
  });

  it.each([
    // Right form, wrong check digits.
    ['NL123456789B01', 'NL', 'NL000099998B57'],
    ['BE0123456748', 'BE', 'BE0123456749'],
    // Wrong form; the example is of the prefix's country, else of the company's.
    ['NL00009999B57', 'NL', 'NL000099998B57'],
    ['DE12345', 'NL', 'DE136695976'],
    ['12345', 'BE', 'BE0123456749'],
    ['12345', '', 'NL000099998B57'],
  ])('%j (country %s) is refused with the example %s', (input, country, example) => {
    const parsed = parseCompanyVatNumber(input, country);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.error.code).toBe('vat_invalid_form');
    expect(parsed.error.message.en).toBe(
      `VAT number must start with its country code and have that country’s form and check digits, like ${example}.`,
    );
    expect(parsed.error.message.nl).toBe(
      `Een btw-nummer begint met de landcode en heeft de vorm en controlecijfers van dat land, zoals ${example}.`,
    );
  });
});

import { describe, expect, it } from 'vitest';
import { parsePostcodeCell } from '../imports/phone-postcode-cells.ts';
import { formatPostcode, postcodeFormats } from './postcode-formats.ts';

describe('postcodes of the EU, EFTA, the UK and the US', () => {
  it('has an example for every country that fits its own pattern', () => {
    for (const [country, format] of Object.entries(postcodeFormats)) expect(format.pattern.test(format.example), country).toBe(true);
    for (const country of ['AT', 'BE', 'BG', 'CY', 'CZ', 'DE', 'DK', 'EE', 'ES', 'FI', 'FR', 'GR', 'HR', 'HU', 'IE', 'IT', 'LT', 'LU', 'LV', 'MT', 'NL', 'PL', 'PT', 'RO', 'SE', 'SI', 'SK', 'GB']) {
      expect(postcodeFormats[country], country).toBeDefined();
    }
  });

  it.each([
    ['1016ee', 'NL', '1016 EE'],
    ['NL-1016 EE', 'NL', '1016 EE'],
    ['D-10115', 'DE', '10115'],
    ['00950', 'PL', '00-950'],
    ['1000001', 'PT', '1000-001'],
    ['11000', 'CZ', '110 00'],
    ['81101', 'SK', '811 01'],
    ['11455', 'SE', '114 55'],
    ['10557', 'GR', '105 57'],
    ['1050', 'LV', 'LV-1050'],
    ['lv 1050', 'LV', 'LV-1050'],
    ['01100', 'LT', 'LT-01100'],
    ['L-1009', 'LU', '1009'],
    ['d02x285', 'IE', 'D02 X285'],
    ['vlt1117', 'MT', 'VLT 1117'],
    ['sw1a1aa', 'GB', 'SW1A 1AA'],
    ['G11AA', 'GB', 'G1 1AA'],
    ['123456789', 'US', '12345-6789'],
    ['B-1000', 'BE', '1000'],
  ])('writes %s (%s) as %s', (typed, country, written) => {
    expect(formatPostcode(typed, country)).toBe(written);
    expect(parsePostcodeCell(typed, country)).toEqual({ ok: true, value: written });
  });

  it('keeps a postcode that does not fit as typed, and says what the country writes', () => {
    expect(parsePostcodeCell('12-34', 'PL')).toMatchObject({ ok: false, error: { code: 'postcode_invalid', params: { value: '12-34', country: 'PL', example: '00-950' } } });
    expect(parsePostcodeCell('9999', 'ES')).toMatchObject({ ok: false, error: { code: 'leading_zero_lost', suggestion: '09999' } });
    expect(parsePostcodeCell('8001', 'IT')).toMatchObject({ ok: false, error: { code: 'leading_zero_lost', suggestion: '08001' } });
    expect(parsePostcodeCell('60-1234', 'ES')).toMatchObject({ ok: false, error: { code: 'postcode_invalid' } });
  });

  it('leaves countries it has no table for as typed', () => {
    expect(parsePostcodeCell('  ab-12 ', 'JP')).toEqual({ ok: true, value: 'AB-12' });
  });
});

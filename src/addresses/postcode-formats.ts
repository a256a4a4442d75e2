/**
 * How each country of the EU and EFTA, the UK and the US writes its postcodes (issue #16 point 5):
 * the pattern a postcode must fit and the way it is written (NL `1016 EE`, PL `00-950`,
 * PT `1000-001`, CZ/SK/SE/GR `110 00`, LV `LV-1050`, IE `D02 X285`…). Typed forms that carry the
 * same digits — without the space or hyphen, with an old country prefix (`D-10115`, `NL-1016EE`,
 * `L-1234`) — are written the country's way; a postcode that still does not fit is kept as typed
 * and reported (a warning, or a rejection under *strict*). Countries not listed are not checked.
 * Sources: the Universal Postal Union's addressing guides per country.
 */

type PostcodeFormat = {
  pattern: RegExp;
  example: string;
  /** The compact form (upper case, no spaces or hyphens, prefix gone) written the country's way. */
  write?: (compact: string) => string;
  /** A prefix that belongs to the postcode (LV-, LT-). */
  prefix?: string;
};

const digits = (count: number, example: string): PostcodeFormat => ({ pattern: new RegExp(`^\\d{${count}}$`), example });
/** `12345` → `123 45` (CZ, SK, SE, GR). */
const split3 = (example: string): PostcodeFormat => ({
  pattern: /^\d{3} \d{2}$/,
  example,
  write: (compact) => (/^\d{5}$/.test(compact) ? `${compact.slice(0, 3)} ${compact.slice(3)}` : compact),
});
const prefixed = (prefix: string, count: number, example: string): PostcodeFormat => ({
  pattern: new RegExp(`^${prefix}-\\d{${count}}$`),
  example,
  prefix,
  write: (compact) => (new RegExp(`^\\d{${count}}$`).test(compact) ? `${prefix}-${compact}` : compact),
});

export const postcodeFormats: Readonly<Record<string, PostcodeFormat>> = {
  AT: digits(4, '1010'),
  BE: { pattern: /^[1-9]\d{3}$/, example: '1000' },
  BG: digits(4, '1000'),
  CH: digits(4, '8001'),
  CY: digits(4, '1010'),
  CZ: split3('110 00'),
  DE: digits(5, '10115'),
  DK: digits(4, '1050'),
  EE: digits(5, '10111'),
  ES: { pattern: /^(?:0[1-9]|[1-4]\d|5[0-2])\d{3}$/, example: '28001' },
  FI: digits(5, '00100'),
  FR: digits(5, '75001'),
  GB: {
    pattern: /^[A-Z]{1,2}\d[A-Z\d]? \d[A-Z]{2}$/,
    example: 'SW1A 1AA',
    write: (compact) => (/^[A-Z0-9]{5,7}$/.test(compact) ? `${compact.slice(0, -3)} ${compact.slice(-3)}` : compact),
  },
  GR: split3('105 57'),
  HR: digits(5, '10000'),
  HU: digits(4, '1051'),
  IE: {
    pattern: /^[AC-FHKNPRTV-Y]\d[\dW] [AC-FHKNPRTV-Y\d]{4}$/,
    example: 'D02 X285',
    write: (compact) => (/^[A-Z\d]{7}$/.test(compact) ? `${compact.slice(0, 3)} ${compact.slice(3)}` : compact),
  },
  IS: digits(3, '101'),
  IT: digits(5, '00184'),
  LI: { pattern: /^94(?:8[5-9]|9[0-8])$/, example: '9490' },
  LT: prefixed('LT', 5, 'LT-01100'),
  LU: digits(4, '1009'),
  LV: prefixed('LV', 4, 'LV-1050'),
  MT: {
    pattern: /^[A-Z]{3} \d{4}$/,
    example: 'VLT 1117',
    write: (compact) => (/^[A-Z]{3}\d{4}$/.test(compact) ? `${compact.slice(0, 3)} ${compact.slice(3)}` : compact),
  },
  NL: {
    pattern: /^[1-9]\d{3} (?!SA|SD|SS)[A-Z]{2}$/,
    example: '1016 EE',
    write: (compact) => (/^\d{4}[A-Z]{2}$/.test(compact) ? `${compact.slice(0, 4)} ${compact.slice(4)}` : compact),
  },
  NO: digits(4, '0150'),
  PL: { pattern: /^\d{2}-\d{3}$/, example: '00-950', write: (compact) => (/^\d{5}$/.test(compact) ? `${compact.slice(0, 2)}-${compact.slice(2)}` : compact) },
  PT: { pattern: /^\d{4}-\d{3}$/, example: '1000-001', write: (compact) => (/^\d{7}$/.test(compact) ? `${compact.slice(0, 4)}-${compact.slice(4)}` : compact) },
  RO: digits(6, '010011'),
  SE: split3('114 55'),
  SI: digits(4, '1000'),
  SK: split3('811 01'),
  US: { pattern: /^\d{5}(?:-\d{4})?$/, example: '10001', write: (compact) => (/^\d{9}$/.test(compact) ? `${compact.slice(0, 5)}-${compact.slice(5)}` : compact) },
};

/** Countries whose postcodes may start with 0, which a spreadsheet drops (`1067` for DE `01067`). */
export const leadingZeroCountries: ReadonlySet<string> = new Set(['DE', 'ES', 'FI', 'FR', 'IT', 'US']);

/**
 * The postcode written the country's way, when its characters allow it; otherwise trimmed and in
 * upper case (never other characters than typed, so a postcode that does not fit stays as typed).
 */
export function formatPostcode(value: string, country: string): string {
  const typed = value.trim().toUpperCase().replace(/\s+/g, ' ');
  const format = postcodeFormats[country];
  if (!format) return typed;
  if (format.pattern.test(typed)) return typed;
  const compact = typed.replace(/[\s-]+/g, '');
  // As typed without spaces and hyphens, then without an old international prefix (D-10115,
  // NL-1016 EE, L-1234) or the country's own (LV-1050): Glasgow's G1 1AA keeps its G.
  const withoutPrefix = compact.replace(new RegExp(`^(?:${country}|${country.charAt(0)})(?=\\d)`), '');
  for (const candidate of [compact, withoutPrefix]) {
    const written = format.write ? format.write(candidate) : candidate;
    if (format.pattern.test(written)) return written;
  }
  return typed;
}

import { ok } from '../shared/result.ts';
import { fail, type CellResult } from './cell-result.ts';

/** Pure: date cells of the import — the file's date order, Excel serial numbers, and dates as yyyy-mm-dd. */

/** What the file's dates look like: day first, month first, or undecided/contradictory. */
export type DateOrder = 'dmy' | 'mdy';

const dmyPattern = /^(\d{1,2})([-./])(\d{1,2})\2(\d{2}|\d{4})$/;

/**
 * Looks at a column's values: one slash date with a first part above 12 proves day/month/year,
 * one with a second part above 12 proves month/day/year. `mixed` when both occur.
 */
export function detectDateOrder(values: Iterable<string>): DateOrder | 'unknown' | 'mixed' {
  let isDmy = false;
  let isMdy = false;
  for (const value of values) {
    const match = dmyPattern.exec(value.trim());
    if (!match) continue;
    if (Number(match[1]) > 12) isDmy = true;
    if (Number(match[3]) > 12) isMdy = true;
  }
  return isDmy && isMdy ? 'mixed' : isDmy ? 'dmy' : isMdy ? 'mdy' : 'unknown';
}

function isoDate(year: number, month: number, day: number): string | undefined {
  const date = new Date(Date.UTC(year, month - 1, day));
  if (year < 1 || date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  return date.toISOString().slice(0, 10);
}

/** Excel's 1900 date system: serial 1 = 1900-01-01, with Lotus' non-existent 1900-02-29 as 60. */
export function excelSerialToIso(serial: number): string {
  const days = Math.floor(serial) - (serial < 60 ? 1 : 2);
  return new Date(Date.UTC(1900, 0, 1) + days * 86_400_000).toISOString().slice(0, 10);
}

export type DateCellOptions = { dateOrder?: DateOrder };

/**
 * Dates as `yyyy-mm-dd`, `dd-mm-yyyy`, `dd.mm.yyyy`, `dd/mm/yyyy` and Excel serial numbers.
 * With `-` and `.` the day comes first (nobody writes 12-31-1980 in our markets). With `/` the
 * order must be clear from the value or from `dateOrder`; otherwise the date is reported as
 * ambiguous instead of guessed. Two-digit years are reported, not guessed.
 */
export function parseDateCell(value: string, options: DateCellOptions = {}): CellResult<string | null> {
  const text = value.trim();
  if (text === '') return ok(null);
  const invalid = () => fail('date_invalid', `“${text}” is not a date we can read. Use day-month-year (31-12-1980) or year-month-day (1980-12-31).`, { value: text });
  const iso = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/.exec(text);
  if (iso) {
    const date = isoDate(Number(iso[1]), Number(iso[2]), Number(iso[3]));
    return date === undefined ? invalid() : ok(date);
  }
  if (/^\d{4}$/.test(text) && Number(text) >= 1900 && Number(text) <= 2100) {
    return fail('date_year_only', `“${text}” is only a year; a full date is needed.`, { value: text });
  }
  if (/^\d{2,5}(?:\.\d+)?$/.test(text) && Number(text) >= 61 && Number(text) < 2_958_466) return ok(excelSerialToIso(Number(text)));
  const parts = dmyPattern.exec(text);
  if (!parts) return invalid();
  const [first, separator, second, year] = [Number(parts[1]), parts[2], Number(parts[3]), parts[4] ?? ''];
  if (year.length === 2) {
    return fail('date_two_digit_year', `“${text}” has a two-digit year; write the year in full (e.g. 1980) so it is not guessed.`, { value: text });
  }
  let order: DateOrder | undefined = separator === '/' ? options.dateOrder : 'dmy';
  if (separator === '/' && first > 12 && second <= 12) order = 'dmy';
  if (separator === '/' && second > 12 && first <= 12) order = 'mdy';
  if (order === undefined && first !== second) {
    return fail('date_ambiguous', `“${text}” could be day/month/year or month/day/year. Write it as ${year}-mm-dd, or choose the date order of this file.`, { value: text });
  }
  const [day, month] = order === 'mdy' ? [second, first] : [first, second];
  const date = isoDate(Number(year), month, day);
  return date === undefined ? invalid() : ok(date);
}

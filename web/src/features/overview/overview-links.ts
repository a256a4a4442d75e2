import type { MonthCount } from '../../../../src/overview/overview.schemas.ts';

/**
 * Where each figure of the overview leads: the customer list (or the imports / bulk sends list)
 * filtered to exactly the customers counted, through the lists' own URL filters.
 */
export type Period = { key: string; from: string; before: string; count: number };

const firstDay = (year: number, monthIndex: number) => new Date(Date.UTC(year, monthIndex, 1)).toISOString().slice(0, 10);

/**
 * The months between the first and the last with customers, empty months included; when that
 * spans more than three years, whole years instead (a bar per month would be too thin to read).
 */
export function periodsOf(months: readonly MonthCount[]): { periods: Period[]; isByYear: boolean } {
  if (months.length === 0) return { periods: [], isByYear: false };
  const counts = new Map(months.map((item) => [item.month, item.count]));
  const [firstYear, firstMonth] = months[0]!.month.split('-').map(Number) as [number, number];
  const [lastYear, lastMonth] = months.at(-1)!.month.split('-').map(Number) as [number, number];
  const span = (lastYear - firstYear) * 12 + (lastMonth - firstMonth) + 1;
  if (span > 36) {
    const periods: Period[] = [];
    for (let year = firstYear; year <= lastYear; year += 1) {
      const count = months.filter((item) => item.month.startsWith(`${year}-`)).reduce((sum, item) => sum + item.count, 0);
      periods.push({ key: String(year), from: firstDay(year, 0), before: firstDay(year + 1, 0), count });
    }
    return { periods, isByYear: true };
  }
  return {
    periods: Array.from({ length: span }, (_, index) => {
      const monthIndex = firstMonth - 1 + index;
      const key = firstDay(firstYear, monthIndex).slice(0, 7);
      return { key, from: firstDay(firstYear, monthIndex), before: firstDay(firstYear, monthIndex + 1), count: counts.get(key) ?? 0 };
    }),
    isByYear: false,
  };
}

export type TimeBasis = 'since' | 'created';

export const customersInPeriodLink = (basis: TimeBasis, period: Pick<Period, 'from' | 'before'>): string =>
  basis === 'since'
    ? `/customers?${new URLSearchParams({ sinceFrom: period.from, sinceBefore: period.before })}`
    : `/customers?${new URLSearchParams({ createdFrom: period.from, createdBefore: period.before })}`;

/** `-` lists the customers without a country. */
export const customersInCountryLink = (country: string): string => `/customers?${new URLSearchParams({ country: country === '' ? '-' : country })}`;

export const newsletterLink = (isSubscribed: boolean): string => `/customers?newsletter=${isSubscribed}`;

/** The imports list takes a from/to day range (both included). */
export function importsInMonthLink(month: string): string {
  const [year, monthNumber] = month.split('-').map(Number) as [number, number];
  const lastDay = new Date(Date.UTC(year, monthNumber, 0)).toISOString().slice(0, 10);
  return `/imports?${new URLSearchParams({ from: `${month}-01`, to: lastDay })}`;
}

/** "March 2025" / "maart 2025", or the year alone. */
export function periodLabel(key: string, language: string, style: 'long' | 'short' = 'long'): string {
  if (/^\d{4}$/.test(key)) return key;
  const [year, month] = key.split('-').map(Number) as [number, number];
  return new Intl.DateTimeFormat(language === 'nl' ? 'nl-NL' : 'en-GB', { month: style, year: 'numeric', timeZone: 'UTC' }).format(
    new Date(Date.UTC(year, month - 1, 1)),
  );
}

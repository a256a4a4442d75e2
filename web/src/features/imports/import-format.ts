import type { TFunction } from 'i18next';
import { formatLocale } from '../customers/customer-display.ts';

/** Numbers, sizes, durations and dates as the import screens write them. */

export const formatNumber = (value: number, language: string): string =>
  new Intl.NumberFormat(formatLocale(language)).format(value);

export function formatBytes(bytes: number, language: string): string {
  const format = (value: number, unit: string) =>
    `${new Intl.NumberFormat(formatLocale(language), { maximumFractionDigits: value < 10 ? 1 : 0 }).format(value)} ${unit}`;
  if (bytes < 1024) return format(bytes, 'B');
  if (bytes < 1024 * 1024) return format(bytes / 1024, 'KB');
  return format(bytes / 1024 / 1024, 'MB');
}

/** "2 min 5 s", "1 h 3 min", "less than a second". */
export function formatDuration(seconds: number, t: TFunction): string {
  const rounded = Math.round(seconds);
  if (rounded < 1) return t('imports.duration.underSecond');
  const hours = Math.floor(rounded / 3600);
  const minutes = Math.floor((rounded % 3600) / 60);
  const rest = rounded % 60;
  if (hours > 0) return t('imports.duration.hoursMinutes', { hours, minutes });
  if (minutes > 0) return t('imports.duration.minutesSeconds', { minutes, seconds: rest });
  return t('imports.duration.seconds', { seconds: rest });
}

/** Column letters as a spreadsheet shows them: 0 → A, 25 → Z, 26 → AA. */
export function columnLetter(index: number): string {
  let letters = '';
  for (let rest = index + 1; rest > 0; rest = Math.floor((rest - 1) / 26)) {
    letters = String.fromCharCode(65 + ((rest - 1) % 26)) + letters;
  }
  return letters;
}

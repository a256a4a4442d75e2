/**
 * One field in PostgreSQL's COPY text format: \N is NULL; backslash, tab, newline and carriage
 * return are escaped; booleans as t/f, dates as ISO timestamps. (The exporter's
 * `parseCopyLine` in exports/export-format.ts reads this format back.)
 */
export function copyField(value: unknown): string {
  if (value === null || value === undefined) return '\\N';
  if (typeof value === 'boolean') return value ? 't' : 'f';
  if (value instanceof Date) return value.toISOString();
  return String(value).replace(/[\\\t\n\r]/g, (character) => ({ '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' })[character] ?? character);
}

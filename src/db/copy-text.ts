/**
 * One field in PostgreSQL's COPY text format: \N is NULL; backslash, tab, newline and carriage
 * return are escaped; booleans as t/f, dates as ISO timestamps, text arrays as array literals. (The exporter's
 * `parseCopyLine` in exports/export-format.ts reads this format back.)
 */
export function copyField(value: unknown): string {
  if (value === null || value === undefined) return '\\N';
  if (typeof value === 'boolean') return value ? 't' : 'f';
  if (value instanceof Date) return value.toISOString();
  // A text array as an array literal, each element quoted: {"VIP","a \"b\""}.
  const text = Array.isArray(value) ? `{${value.map((item) => `"${String(item).replace(/[\\"]/g, (character) => `\\${character}`)}"`).join(',')}}` : String(value);
  // Most values have nothing to escape; testing first spares a replace (and a string) per value.
  return needsEscape.test(text) ? text.replace(escapable, (character) => escapes[character] ?? character) : text;
}

const needsEscape = /[\\\t\n\r]/;
const escapable = /[\\\t\n\r]/g;
const escapes: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

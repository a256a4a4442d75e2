import { InvalidArgumentError } from 'commander';
import { suggestedFixCodes, type SuggestedFixCode } from '../imports/cells.ts';
import { customerFields } from '../imports/customer-fields.ts';
import type { CheckResult, ImportDetail } from '../imports/import.schemas.ts';
import { normalizeHeading } from '../imports/mapping.ts';
import { cliMessages, type CliMessages } from './cli-messages.ts';

/**
 * `clientele import` options that the back office sets in step Check: the suggested fixes to
 * accept (one fix everywhere, one fix in one column, or all), resolved against the uploaded
 * file's mapping into the `acceptedFixes` import option.
 */

/** The name a fix has on the command line: `leading_zero_lost` → `leading-zero`. */
export const fixOptionName = (code: SuggestedFixCode): string => code.replace(/_lost$/, '').replace(/_/g, '-');

function fixCodeOf(name: string): SuggestedFixCode {
  const code = suggestedFixCodes.find((candidate) => fixOptionName(candidate) === name.trim().toLowerCase() || candidate === name.trim());
  if (!code) throw new InvalidArgumentError(`There is no fix “${name}”. Use one of: ${suggestedFixCodes.map(fixOptionName).join(', ')}.`);
  return code;
}

/** `leading-zero` or `COLUMN:leading-zero`; checked when the option is read, resolved once the file is mapped. */
export function parseAcceptFix(value: string, previous: string[] = []): string[] {
  const separator = value.lastIndexOf(':');
  fixCodeOf(separator === -1 ? value : value.slice(separator + 1));
  return [...previous, value];
}

/** The field a column reference names: a field key (`mobile`, `billing.postcode`), a heading of ours, or a heading of the file. */
function fieldOf(reference: string, detail: ImportDetail): string {
  const wanted = normalizeHeading(reference);
  const mapped = detail.mapping.columns.filter((column) => column.field !== null);
  const byFileHeading = mapped.find((column) => normalizeHeading(column.heading) === wanted);
  if (byFileHeading?.field) return byFileHeading.field;
  const field = customerFields.find((candidate) => [candidate.key, candidate.headings.en, candidate.headings.nl].some((name) => normalizeHeading(name) === wanted));
  if (field && mapped.some((column) => column.field === field.key)) return field.key;
  throw new InvalidArgumentError(`No imported column or field “${reference}” in this file. Use a heading of the file or a field such as ${mapped.map((column) => column.field).slice(0, 3).join(', ')}.`);
}

/** `--accept-fix` and `--accept-all-fixes` as the `acceptedFixes` option: a fix without a column applies to every imported column. */
export function acceptedFixesOf(detail: ImportDetail, fixes: readonly string[], isAll: boolean): Record<string, SuggestedFixCode[]> {
  const accepted: Record<string, SuggestedFixCode[]> = {};
  const add = (field: string, code: SuggestedFixCode) => {
    const codes = (accepted[field] ??= []);
    if (!codes.includes(code)) codes.push(code);
  };
  const everyField = [...new Set(detail.mapping.columns.flatMap((column) => (column.field === null ? [] : [column.field])))];
  for (const fix of fixes) {
    const separator = fix.lastIndexOf(':');
    const code = fixCodeOf(separator === -1 ? fix : fix.slice(separator + 1));
    if (separator === -1) for (const field of everyField) add(field, code);
    else add(fieldOf(fix.slice(0, separator), detail), code);
  }
  if (isAll) for (const field of everyField) for (const code of suggestedFixCodes) add(field, code);
  return accepted;
}

/** The dry run's suggested fixes, each with the option that accepts it. */
export function describeSuggestedFixes(fixes: CheckResult['suggestedFixes'], label: (field: string) => string, say: CliMessages = cliMessages('en')): string[] {
  if (fixes.length === 0) return [];
  const lines = fixes.map((fix) => {
    const examples = fix.examples.map((example) => `${example.value} → ${example.suggestion}`).join(', ');
    const column = fix.column && normalizeHeading(fix.column) !== normalizeHeading(label(fix.field)) ? say.fixColumn(fix.column) : '';
    return say.fix(`${label(fix.field)}${column}`, fix.count, fixOptionName(fix.code), examples, `${fix.field}:${fixOptionName(fix.code)}`);
  });
  return [say.fixesTitle, ...lines, say.fixAll];
}

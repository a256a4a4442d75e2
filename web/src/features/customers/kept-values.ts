import type { CustomerFlag } from '../../../../src/flags/flag.schemas.ts';

/**
 * Values an import kept as typed (open flags), by the form path they show in. The server refuses
 * a save only for values it changes, so while such a field still holds its stored value the form
 * shows the flag's reason as a warning, not an error; once edited, normal validation applies.
 */
export function keptValueReasons(flags: readonly CustomerFlag[]): ReadonlyMap<string, string> {
  return new Map(flags.map((flag) => [formPathOfFlag(flag.field), flag.message]));
}

/** `billing.postcode` (the import's field name) → `billingAddress.postcode` (the form's path). */
export function formPathOfFlag(field: string): string {
  return field.replace(/^billing\./, 'billingAddress.').replace(/^shipping\./, 'shippingAddress.');
}

/** The warning for a field, while it holds the value the customer was loaded with. */
export function keptValueReason(
  reasons: ReadonlyMap<string, string>,
  path: string,
  value: unknown,
  initialValue: unknown,
): string | undefined {
  const reason = reasons.get(path);
  return reason !== undefined && typeof value === 'string' && value !== '' && value === initialValue ? reason : undefined;
}

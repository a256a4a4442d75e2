import { parsePostcodeCell, type CellError } from '../imports/cells.ts';
import { parseField, spreadsheetDamage } from '../imports/field-values.ts';
import type { CustomerRecord } from './customer-row.ts';

/**
 * The customer form reads values as the import does (issue #22, point 6): where the import keeps a
 * value as typed and flags it, the form saves it as typed and flags it too, with the import's own
 * rule, code and message; where the import formats a value, the form formats it the same way.
 * The import's cell parsers are used as they are, not copied (src/imports/cells.ts).
 */
export type FormWarning = {
  /** The import's flattened field key (`billing.postcode`), as import flags name it. */
  field: string;
  /** The customers column the value is stored in. */
  columnName: string;
  value: string;
  code: CellError['code'];
  message: string;
  params: CellError['params'];
};

const addresses = [
  { key: 'billingAddress', field: 'billing' },
  { key: 'shippingAddress', field: 'shipping' },
] as const;

/**
 * Postcodes checked per country as the import checks them (`shopCountry` for an address without
 * one): "1234ab" becomes "1234 AB"; "1234 ABC" in NL or "3972 SA" (letters never given out) is
 * kept as typed, with a warning. Returns the record with the formatted postcodes.
 */
export function checkPostcodes(record: CustomerRecord, shopCountry: string): { record: CustomerRecord; warnings: FormWarning[] } {
  const checked = { ...record, billingAddress: { ...record.billingAddress }, shippingAddress: { ...record.shippingAddress } };
  const warnings: FormWarning[] = [];
  for (const { key, field } of addresses) {
    if (key === 'shippingAddress' && checked.shippingSameAsBilling) {
      checked.shippingAddress.postcode = checked.billingAddress.postcode;
      continue;
    }
    const address = checked[key];
    if (address.postcode === '') continue;
    const parsed = parsePostcodeCell(address.postcode, address.country, shopCountry);
    if (parsed.ok) address.postcode = parsed.value;
    else {
      const { code, message, params } = parsed.error;
      warnings.push({ field: `${field}.postcode`, columnName: `${field}_postcode`, value: address.postcode, code, message, params });
    }
  }
  return { record: checked, warnings };
}

/**
 * The other values the import keeps as typed and flags when they do not fit (issue #22, point 6):
 * phone and mobile numbers, the VAT number and the countries, read by the import's own field
 * parser (`parseField`). A KvK number that lost its leading zeros is saved as typed with the
 * import's warning too.
 */
const checkedLikeImport = [
  { path: 'phone', field: 'phone', columnName: 'phone' },
  { path: 'mobile', field: 'mobile', columnName: 'mobile' },
  { path: 'vatNumber', field: 'vatNumber', columnName: 'vat_number' },
  { path: 'billingAddress.country', field: 'billing.country', columnName: 'billing_country' },
  { path: 'shippingAddress.country', field: 'shipping.country', columnName: 'shipping_country' },
] as const;

export type HeldBack = FormWarning & { path: string };

/**
 * Takes out of a customer's input the values that do not fit, so the form's validation does not
 * refuse them; `putBack` then writes them, as typed, into the validated record. Values that fit
 * are formatted as the import formats them (phones in international form, VAT numbers compact,
 * countries as their code).
 */
export function holdBackMisfits(input: unknown, shopCountry: string): { input: unknown; held: HeldBack[] } {
  if (input === null || typeof input !== 'object') return { input, held: [] };
  const copy = structuredClone(input) as Record<string, unknown>;
  const read = (path: string) => path.split('.').reduce<unknown>((value, key) => (value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined), copy);
  const write = (path: string, value: unknown) => {
    const [first, second] = path.split('.') as [string, string | undefined];
    if (second === undefined) copy[first] = value;
    else if (copy[first] !== null && typeof copy[first] === 'object') (copy[first] as Record<string, unknown>)[second] = value;
  };
  const options = { mode: 'create-update', blank: 'keep', today: '9999-12-31', defaultCountry: shopCountry } as const;
  const countryOf = (path: string) => {
    const parsed = parseField('billing.country', String(read(path) ?? ''), options, { billing: '', shipping: '' });
    return parsed.ok ? String(parsed.value) : '';
  };
  const countries = { billing: countryOf('billingAddress.country'), shipping: countryOf('shippingAddress.country') };
  const held: HeldBack[] = [];
  for (const { path, field, columnName } of checkedLikeImport) {
    const value = read(path);
    if (typeof value !== 'string' || value.trim() === '') continue;
    const parsed = parseField(field, value.trim(), options, countries);
    if (parsed.ok) {
      write(path, parsed.value);
      continue;
    }
    const { code, message, params } = parsed.error;
    held.push({ path, field, columnName, value: value.trim(), code, message, params });
    write(path, '');
  }
  const coc = read('cocNumber');
  if (typeof coc === 'string' && coc.trim() !== '') {
    const damage = spreadsheetDamage('cocNumber', coc.trim(), { text: coc.trim() } as Parameters<typeof spreadsheetDamage>[2], options, countries);
    if (damage) held.push({ path: 'cocNumber', field: 'cocNumber', columnName: 'coc_number', value: coc.trim(), code: damage.code as FormWarning['code'], message: damage.message, params: damage.params });
  }
  return { input: copy, held };
}

/** The held-back values written into the validated record, as typed (a billing country also where shipping follows billing). */
export function putBack(record: CustomerRecord, held: readonly HeldBack[]): CustomerRecord {
  const result = { ...record, billingAddress: { ...record.billingAddress }, shippingAddress: { ...record.shippingAddress } };
  for (const { path, value } of held) {
    const [first, second] = path.split('.') as [string, string | undefined];
    if (second === undefined) (result as Record<string, unknown>)[first] = value;
    else {
      (result[first as 'billingAddress'] as Record<string, unknown>)[second] = value;
      if (first === 'billingAddress' && result.shippingSameAsBilling) (result.shippingAddress as Record<string, unknown>)[second] = value;
    }
  }
  return result;
}

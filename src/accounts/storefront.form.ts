import type { DetailsValues } from './storefront.pages.ts';

export type FormBody = Record<string, string | string[] | undefined>;

/** One text field of a url-encoded form ('' when missing; the first value when repeated). */
export function field(body: FormBody | undefined, name: string): string {
  const value = body?.[name];
  const text = Array.isArray(value) ? (value[0] ?? '') : (value ?? '');
  return text.slice(0, 10_000);
}

const detailKeys = [
  'firstName',
  'nameInsertion',
  'lastName',
  'phone',
  'companyName',
  'cocNumber',
  'vatNumber',
] as const;
const addressKeys = [
  'attention',
  'street',
  'number',
  'extension',
  'address2',
  'postcode',
  'city',
  'region',
  'country',
] as const;

export function detailsFromForm(body: FormBody): DetailsValues {
  const values: DetailsValues = {
    isCompany: field(body, 'isCompany') === 'true',
    shippingSameAsBilling: field(body, 'shippingSameAsBilling') === 'true',
  };
  for (const key of detailKeys) values[key] = field(body, key);
  for (const key of addressKeys) values[`billingAddress.${key}`] = field(body, `billingAddress.${key}`);
  for (const key of [...addressKeys, 'company'] as const)
    values[`shippingAddress.${key}`] = field(body, `shippingAddress.${key}`);
  return values;
}

/** The customer fields a customer may change themselves; e-mail, notes, groups and the rest stay staff-only. */
export function patchFromValues(values: DetailsValues): Record<string, unknown> {
  const address = (prefix: string, keys: readonly string[]) =>
    Object.fromEntries(keys.map((key) => [key, String(values[`${prefix}.${key}`] ?? '')]));
  return {
    ...Object.fromEntries(detailKeys.map((key) => [key, String(values[key] ?? '')])),
    isCompany: values.isCompany === true,
    shippingSameAsBilling: values.shippingSameAsBilling === true,
    billingAddress: address('billingAddress', addressKeys),
    shippingAddress: address('shippingAddress', [...addressKeys, 'company']),
  };
}

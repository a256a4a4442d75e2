import { parsePostcodeCell, type CellError } from '../imports/cells.ts';
import type { CustomerRecord } from './customer.repository.ts';

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

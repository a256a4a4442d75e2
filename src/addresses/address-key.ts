import { foldForSearch, parseCountry } from '../customers/customer.rules.ts';
import type { BookAddressFields } from './address-book.schemas.ts';

/**
 * When are two addresses the same place? After normalising case, accents, spaces and
 * punctuation, the postcode's format (`1234ab` = `1234 AB`) and the country (`Nederland` = `NL`):
 * the same street, house number, extension, second line, postcode, city and country. The label,
 * the name on it, the company and the phone are not part of it: a row that differs only there
 * changes that address instead of adding another. Importing the same file twice therefore adds
 * nothing.
 */
export function addressMatchKey(address: Pick<BookAddressFields, 'street' | 'number' | 'extension' | 'address2' | 'postcode' | 'city' | 'country'>): string {
  const plain = (value: string) => foldForSearch(value).replace(/[^\p{L}\p{N}]+/gu, '');
  const country = parseCountry(address.country);
  return [
    plain(address.street),
    plain(address.number),
    plain(address.extension),
    plain(address.address2),
    plain(address.postcode),
    plain(address.city),
    country.ok ? country.value : plain(address.country),
  ].join('|');
}

/** An address with nothing in it (no part but perhaps a label) is no address. */
export function isEmptyAddress(address: Partial<BookAddressFields>): boolean {
  return ['attention', 'company', 'street', 'number', 'extension', 'address2', 'postcode', 'city', 'region', 'country']
    .every((part) => (address[part as keyof BookAddressFields] ?? '') === '');
}

import type { BookAddressFields } from './address-book.schemas.ts';

/**
 * An address on the lines people write it on — the name on it, the company, the street with its
 * number ("Kerkstraat 12-II", "Laan 1 bis", but "Hauptstraße 5b"), the second line, postcode and
 * city, region, country — without empty lines. Shared by the back office and the storefront;
 * `countryName` gives the country in the reader's language.
 */
export function addressLines(address: Omit<BookAddressFields, 'label' | 'phone'>, countryName: (code: string) => string): string[] {
  const separator = /^[a-z]$/i.test(address.extension) ? '' : /^[a-z]{2,}$/.test(address.extension) ? ' ' : '-';
  const number = address.extension === '' ? address.number : `${address.number}${separator}${address.extension}`;
  return [
    address.attention,
    address.company,
    [address.street, number].filter(Boolean).join(' '),
    address.address2,
    [address.postcode, address.city].filter(Boolean).join(' '),
    address.region,
    address.country === '' ? '' : countryName(address.country),
  ].filter((line) => line !== '');
}

import type { CustomerListItem } from '../../../../src/customers/customer.schemas.ts';

type Named = Pick<CustomerListItem, 'firstName' | 'nameInsertion' | 'lastName'>;

/** "Jan van der Berg": first name, tussenvoegsel and last name, skipping empty parts. */
export function fullName(customer: Named): string {
  return [customer.firstName, customer.nameInsertion, customer.lastName]
    .map((part) => part.trim())
    .filter(Boolean)
    .join(' ');
}

/** What a person calls this customer: their name, else the company, else the e-mail address. */
export function displayName(customer: Named & Pick<CustomerListItem, 'companyName' | 'email'>): string {
  return fullName(customer) || customer.companyName || customer.email;
}

/**
 * The locale for dates and numbers. English uses British conventions (23 Nov 2026, 24-hour clock),
 * which is what a European shop expects; American month-first dates would be misread.
 */
export function formatLocale(language: string): string {
  return language === 'en' ? 'en-GB' : language;
}

export function formatDate(iso: string, language: string, withTime = false): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(
    formatLocale(language),
    withTime ? { dateStyle: 'medium', timeStyle: 'short' } : { dateStyle: 'medium' },
  ).format(date);
}

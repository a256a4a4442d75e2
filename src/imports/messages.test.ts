import { describe, expect, it } from 'vitest';
import { localizeMessage } from './messages.ts';

describe('import messages in Dutch', () => {
  it('names the field a date in the future belongs to', () => {
    const problem = (field: string) => ({ code: 'date_in_future', field, message: 'in the future', params: { value: '2031-01-01' } });
    expect(localizeMessage(problem('birthDate'), 'nl')).toBe('De geboortedatum ligt in de toekomst.');
    expect(localizeMessage(problem('customerSince'), 'nl')).toBe('De datum bij ‘Klant sinds’ ligt in de toekomst.');
    expect(localizeMessage(problem('customerSince'), 'en')).toBe('in the future');
  });
});

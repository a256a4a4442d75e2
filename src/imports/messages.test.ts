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

describe('the CoC number warning in Dutch', () => {
  it('names the form of the register, from the number checks of companies', () => {
    const warning = { code: 'coc_invalid', message: '“1234”: KvK number must be 8 digits, like 12345678.', params: { value: '1234', example: '12345678', form: 'kvk_invalid' } };
    expect(localizeMessage(warning, 'nl')).toBe('“1234”: Een KvK-nummer bestaat uit 8 cijfers, zoals 12345678.');
    expect(localizeMessage(warning, 'en')).toBe('“1234”: KvK number must be 8 digits, like 12345678.');
  });
});


describe('the note on a Companies export column an import does not read, in Dutch', () => {
  it('names the column (it has no preset to name)', () => {
    const note = { code: 'ignored_by_preset', message: '“Contactpersonen” is only written by the export…', params: { heading: 'Contactpersonen', reason: 'export_only' } };
    expect(localizeMessage(note, 'nl')).toBe('Niet geïmporteerd: alleen de export schrijft “Contactpersonen”; een import verandert het niet.');
  });
  it('says why for the Reverse charge column: only staff set it', () => {
    const note = { code: 'ignored_by_preset', message: '“Btw verlegd” is only written by the export…', params: { heading: 'Btw verlegd', reason: 'staff_only' } };
    expect(localizeMessage(note, 'nl')).toBe('Niet geïmporteerd: alleen de export schrijft “Btw verlegd”; een import verandert het niet: btw verlegd zet alleen een medewerker.');
  });
});

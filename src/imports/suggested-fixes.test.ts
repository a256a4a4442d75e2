import { describe, expect, it } from 'vitest';
import { emailWithoutStrayCharacters, parseEmailCell, parsePhoneCell } from './cells.ts';
import { localizeMessage } from './messages.ts';
import { phoneInShopCountry } from './phone-postcode-cells.ts';
import { suggestMapping } from './mapping.ts';
import { customerCatalogue } from './presets.ts';
import { validateRow, type RowError } from './validate.ts';

/**
 * Suggested fixes beyond the lost leading zero (issue #18, point 1): an e-mail address a stray
 * character spoils, and a phone number written without its country code. Both stay refusals (or
 * warnings): the suggestion is only applied when someone applies it.
 */

describe('an e-mail address with a stray character', () => {
  it.each([
    ['jan@example.nl.', 'jan@example.nl'],
    ['jan@example.nl..', 'jan@example.nl'],
    ['jan@example.nl,', 'jan@example.nl'],
    ['jan@example.nl;', 'jan@example.nl'],
    ['jan@example.nl .', 'jan@example.nl'],
    ['jan @example.nl', 'jan@example.nl'],
    ['jan@ example.nl', 'jan@example.nl'],
    ['jan @ example . nl', 'jan@example.nl'],
    ['jan.\u00A0jansen@example.nl', 'jan.jansen@example.nl'],
    ['Jan.Jansen @Example.NL.', 'Jan.Jansen@Example.NL'], // the suggestion keeps the case as typed
    ['jan\u200B@example.nl', 'jan@example.nl'], // a zero-width space from a copied web page
    ['mailto:jan@example.nl', 'jan@example.nl'],
  ])('%j → %j', (typed, suggestion) => {
    expect(emailWithoutStrayCharacters(typed)).toBe(suggestion);
    const parsed = parseEmailCell(typed);
    expect(parsed).toEqual({
      ok: false,
      error: expect.objectContaining({
        code: 'email_invalid',
        suggestion,
        params: expect.objectContaining({ suggestion }),
      }),
    });
  });

  it.each([
    [' jan@example.nl ', 'jan@example.nl'], // spaces around it were never a problem: trimmed
    ['\u00A0jan@example.nl\u00A0', 'jan@example.nl'],
  ])('%j is read as it is: %j', (typed, email) => {
    expect(parseEmailCell(typed)).toEqual({ ok: true, value: email });
    expect(emailWithoutStrayCharacters(typed)).toBeUndefined();
  });

  it.each([
    'jan jansen@example.com', // two words: which one is meant is a guess
    'fien@example.com\tFien\tFaber', // cells run together
    'anna@example.com\nBcc: all@evil.example', // a header injection
    'jan@example', // no domain ending: nothing stray to take away
    'jan@@example.nl',
    'jörg @example.com', // without the space still not an address mail servers take
    '.',
    'mailto:',
  ])('%j gets no suggestion', (typed) => {
    expect(emailWithoutStrayCharacters(typed)).toBeUndefined();
    const parsed = parseEmailCell(typed);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error.suggestion).toBeUndefined();
  });

  it('says what is wrong and what is meant, in English and Dutch', () => {
    const parsed = parseEmailCell('jan@example.nl.');
    if (parsed.ok) throw new Error('expected a refusal');
    expect(parsed.error.message).toBe(
      '“jan@example.nl.” has a character that does not belong in an e-mail address (a dot or comma at the end, a space); did you mean jan@example.nl?',
    );
    expect(localizeMessage({ ...parsed.error, field: 'email' }, 'nl')).toBe(
      'In “jan@example.nl.” staat een teken dat niet in een e-mailadres hoort (een punt of komma aan het eind, een spatie); bedoelde je jan@example.nl?',
    );
    // Without a suggestion the message is the plain one.
    const plain = parseEmailCell('jan@example');
    if (plain.ok) throw new Error('expected a refusal');
    expect(localizeMessage(plain.error, 'nl')).toBe('“jan@example” is geen geldig e-mailadres.');
  });
});

describe('a phone number without its country code', () => {
  it.each([
    // number, the row's country, the shop's country → suggestion
    ['0612345678', 'BE', 'NL', '+31 6 12345678'],
    ['06-12345678', 'BE', 'NL', '+31 6 12345678'],
    ['020 123 4567', 'BE', 'NL', '+31 20 123 4567'],
    ['0470 12 34 56', 'NL', 'BE', '+32 470 12 34 56'],
    ['07911 123456', 'NL', 'GB', '+44 7911 123456'],
  ])('%j in a row of %s, shop in %s → %j', (typed, rowCountry, shopCountry, suggestion) => {
    expect(phoneInShopCountry(typed, rowCountry, shopCountry)).toBe(suggestion);
    expect(parsePhoneCell(typed, rowCountry, false, shopCountry)).toEqual({
      ok: false,
      error: expect.objectContaining({
        code: 'phone_invalid',
        suggestion,
        params: { value: typed, country: rowCountry, shopCountry, suggestion },
      }),
    });
  });

  it.each([
    ['0612345678', 'NL', 'NL', '+31 6 12345678'], // the shop's own country: read, nothing to suggest
    ['0470 12 34 56', 'BE', 'NL', '+32 470 12 34 56'], // reads in the row's country
    ['+31 6 12345678', 'BE', 'NL', '+31 6 12345678'], // has its country code
  ])('%j in a row of %s (shop %s) is read: %j', (typed, rowCountry, shopCountry, phone) => {
    expect(parsePhoneCell(typed, rowCountry, false, shopCountry)).toEqual({ ok: true, value: phone });
  });

  it.each([
    ['12', 'BE', 'NL'], // reads nowhere
    ['+32 6 1234', 'BE', 'NL'], // has a country code: not ours to change
    ['call me', 'BE', 'NL'],
    ['0612345678', 'BE', ''], // no shop country known
  ])('%j in a row of %s (shop %j) gets no suggestion', (typed, rowCountry, shopCountry) => {
    expect(phoneInShopCountry(typed, rowCountry, shopCountry)).toBeUndefined();
    const parsed = parsePhoneCell(typed, rowCountry, false, shopCountry);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error.suggestion).toBeUndefined();
  });

  it('says which countries it read the number in, in English and Dutch', () => {
    const parsed = parsePhoneCell('0612345678', 'BE', false, 'NL');
    if (parsed.ok) throw new Error('expected a refusal');
    expect(parsed.error.message).toBe(
      "“0612345678” is not a valid phone number in BE, the row's country; as a number in NL without its country code it is +31 6 12345678.",
    );
    expect(localizeMessage(parsed.error, 'nl')).toBe(
      '“0612345678” is geen geldig telefoonnummer in BE, het land van de rij; als nummer in NL zonder landnummer is het +31 6 12345678.',
    );
  });
});

describe('suggestions in a validated row', () => {
  const fileMapping = suggestMapping(
    ['E-mail', 'First name', 'Last name', 'Phone', 'Country'],
    customerCatalogue,
  );
  const options = {
    mode: 'create-update',
    blank: 'keep',
    today: '2026-12-01',
    defaultCountry: 'NL',
  } as const;
  const problemsOf = (
    cells: string[],
    extra: Partial<Parameters<typeof validateRow>[2]> = {},
  ): { isRejected: boolean; problems: RowError[] } => {
    const result = validateRow({ rowNumber: 2, cells }, fileMapping, { ...options, ...extra });
    return result.ok
      ? { isRejected: false, problems: result.value.warnings }
      : { isRejected: true, problems: result.error };
  };

  it('rejects a row whose e-mail address has a stray dot, with the fix on the e-mail cell', () => {
    const { isRejected, problems } = problemsOf(['jan@example.nl.', 'Jan', 'Jansen', '', 'NL']);
    expect(isRejected).toBe(true);
    expect(problems).toEqual([
      expect.objectContaining({
        field: 'email',
        columnIndex: 0,
        code: 'email_invalid',
        value: 'jan@example.nl.',
        suggestion: 'jan@example.nl',
      }),
    ]);
  });

  it('keeps a phone without its country code as typed (a warning) with the fix, and imports nothing else', () => {
    const { isRejected, problems } = problemsOf(['jan@example.nl', 'Jan', 'Jansen', '0612345678', 'BE']);
    expect(isRejected).toBe(false);
    expect(problems).toEqual([
      expect.objectContaining({
        field: 'phone',
        columnIndex: 3,
        code: 'phone_invalid',
        suggestion: '+31 6 12345678',
        isWarning: true,
        isFlagged: true,
      }),
    ]);
    const result = validateRow(
      { rowNumber: 2, cells: ['jan@example.nl', 'Jan', 'Jansen', '0612345678', 'BE'] },
      fileMapping,
      options,
    );
    expect(result.ok && result.value.values.phone).toBe('0612345678'); // kept as typed, as before
  });

  it('rejects a row whose phone is its match key, with the fix', () => {
    const { isRejected, problems } = problemsOf(['jan@example.nl', 'Jan', 'Jansen', '0612345678', 'BE'], {
      matchOn: 'phone',
    });
    expect(isRejected).toBe(true);
    expect(problems).toEqual([
      expect.objectContaining({ field: 'phone', code: 'phone_invalid', suggestion: '+31 6 12345678' }),
    ]);
    // The import's phone country is the shop's when it chose one.
    expect(
      problemsOf(['jan@example.nl', 'Jan', 'Jansen', '0470 12 34 56', 'NL'], {
        matchOn: 'phone',
        defaultCountry: 'BE',
      }).problems[0]?.suggestion,
    ).toBe('+32 470 12 34 56');
  });
});

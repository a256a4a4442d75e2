import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { suggestMapping, type Mapping } from './mapping.ts';
import { customerCatalogue } from './presets.ts';
import { readTable, type RawRow } from './read.ts';
import { sniffFile, sniffHeadBytes } from './sniff.ts';
import { createDuplicateDetector, validateRow, type CustomerDraft, type RowError, type ValidateOptions } from './validate.ts';

const today = '2024-06-01';
// Most tables below check what makes a value bad, so they run strict (a bad value rejects the row);
// what the other policies do with such values is tested in "bad values the customer can do without".
const defaults: ValidateOptions = { mode: 'create-update', blank: 'keep', today, badValues: 'strict' };

/** The pipeline's pure part on a fixture: sniff → read → map → duplicates → validate. */
async function importFixture(name: string, options: Partial<ValidateOptions> = {}) {
  const filePath = new URL(`./fixtures/${name}`, import.meta.url).pathname;
  const bytes = readFileSync(filePath);
  const sniffed = sniffFile(bytes.subarray(0, sniffHeadBytes), name, bytes.length);
  if (sniffed.refused) throw new Error(sniffed.refused.message);
  const settings = { format: 'csv', encoding: sniffed.encoding, delimiter: sniffed.delimiter, quote: sniffed.quote } as const;
  const table = await readTable(filePath, settings, sniffed.headerRowIndex + 1);
  const mapping = suggestMapping(table.headings, customerCatalogue);
  const duplicates = createDuplicateDetector(mapping);
  const drafts: CustomerDraft[] = [];
  const errors: RowError[] = [];
  for await (const row of table.rows) {
    const duplicate = duplicates.check(row);
    const result = validateRow(row, mapping, { ...defaults, ...options });
    if (duplicate) errors.push(duplicate);
    else if (result.ok) drafts.push(result.value);
    else errors.push(...result.error);
  }
  return { mapping, drafts, errors };
}

const mappingFor = (headings: string[]): Mapping => suggestMapping(headings, customerCatalogue);
const row = (cells: string[], rowNumber = 2): RawRow => ({ rowNumber, cells });

function validate(headings: string[], cells: string[], options: Partial<ValidateOptions> = {}) {
  return validateRow(row(cells), mappingFor(headings), { ...defaults, ...options });
}

function draftOf(headings: string[], cells: string[], options: Partial<ValidateOptions> = {}): CustomerDraft {
  const result = validate(headings, cells, options);
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  return result.value;
}

function errorsOf(headings: string[], cells: string[], options: Partial<ValidateOptions> = {}): RowError[] {
  const result = validate(headings, cells, options);
  if (result.ok) throw new Error(`expected errors, got ${JSON.stringify(result.value)}`);
  return result.error;
}

describe('fixtures through sniff, read, mapping and validation', () => {
  it('imports a Dutch Excel file (CP1252, semicolons) with names, address, phone, date and yes/no in Dutch', async () => {
    const { drafts, errors } = await importFixture('dutch-excel-cp1252.csv');
    expect(errors).toEqual([]);
    expect(drafts.map((draft) => draft.rowNumber)).toEqual([2, 3, 4]);
    expect(drafts[0]).toMatchObject({
      match: { on: 'email', value: 'renee.jansen@example.nl' },
      values: {
        firstName: 'Renée', nameInsertion: 'van der', lastName: 'Jansen', phone: '+31 20 123 4567', birthDate: '1980-03-05', newsletter: 'subscribed', gender: 'female',
        billingAddress: { street: 'Keizersgracht', number: '313', extension: 'II', postcode: '1016 EE', city: 'Amsterdam', country: 'NL' },
      },
      originals: { phone: '020-1234567', 'billing.country': 'Nederland' },
      missingForNew: [],
    });
    expect(drafts[1]?.values).toMatchObject({ firstName: 'Zoë', lastName: 'Müller', newsletter: 'unsubscribed', gender: 'female', billingAddress: { street: 'Straße des 17. Juni', country: 'DE', postcode: '10115' } });
    expect(drafts[2]?.values).toMatchObject({ firstName: 'Jürgen', lastName: 'Große', newsletter: 'subscribed', gender: 'male', billingAddress: { city: 'München', extension: 'a', country: 'DE' } });
    expect(drafts[2]?.presentFields).not.toContain('phone'); // blank cell, blank = keep
  });

  it('imports a UTF-16 "Unicode text" file from Excel', async () => {
    const { drafts } = await importFixture('utf16le-bom-tab.txt');
    expect(drafts.map((draft) => [draft.values.firstName, draft.values.lastName, draft.values.billingAddress?.city])).toEqual([
      ['Élodie', 'De Smet', 'Gent'],
      ['Hans', 'Weiß', 'Köln'],
    ]);
  });

  it('numbers rows below title rows as the user sees them', async () => {
    const { drafts } = await importFixture('title-rows.csv');
    expect(drafts.map((draft) => [draft.rowNumber, draft.values.email, draft.values.phone])).toEqual([
      [5, 't1@example.nl', '+31 6 12345678'],
      [6, 't2@example.nl', '+31 6 87654321'],
    ]);
  });

  it('imports a Shopify export: apostrophes removed, address line split, Tags as tags (groups are what Lightspeed and Magento call groups)', async () => {
    const { mapping, drafts, errors } = await importFixture('shopify-export.csv');
    expect(mapping.preset?.id).toBe('shopify');
    expect(errors).toEqual([]);
    expect(drafts[0]?.values).toMatchObject({
      externalId: '7012345678901', firstName: 'Sanne', lastName: 'de Wit', newsletter: 'subscribed', notes: 'Likes tulips', tags: ['VIP', 'Wholesale'],
      phone: '+31 20 123 4567', mobile: '+31 6 12345678',
      billingAddress: { street: 'Prinsengracht', number: '263', extension: 'H', postcode: '1016 GV', city: 'Amsterdam', region: 'NH', country: 'NL' },
    });
    expect(drafts[1]?.values).toMatchObject({ companyName: 'Peeters BV', newsletter: 'unsubscribed', billingAddress: { street: 'Kerkstraat', number: '12', extension: 'bus 3', postcode: '9000', country: 'BE' } });
  });

  it('imports the older Shopify template', async () => {
    const { mapping, drafts } = await importFixture('shopify-legacy.csv');
    expect(mapping.preset?.id).toBe('shopify-legacy');
    expect(drafts[0]?.values).toMatchObject({ billingAddress: { street: 'Dorpsstraat', number: '7', extension: 'a', postcode: '8011 AA', region: 'Overijssel', country: 'NL' }, phone: '+31 38 123 4567' });
  });

  it('imports a Lightspeed export and works out whether the shipping address differs', async () => {
    const { mapping, drafts, errors } = await importFixture('lightspeed-export.csv');
    expect(mapping.preset?.id).toBe('lightspeed');
    expect(errors).toEqual([]);
    expect(drafts[0]?.values).toMatchObject({
      externalId: '1001', language: 'nl', nameInsertion: 'van', isCompany: true, cocNumber: '12345678', vatNumber: 'NL123456789B01', groups: ['Wholesale'],
      birthDate: '1979-08-15', gender: 'male', shippingSameAsBilling: true, billingAddress: { street: 'Oudegracht', number: '100', extension: 'bis', postcode: '3511 AB' },
    });
    expect(drafts[1]?.values).toMatchObject({
      language: 'en', isCompany: false, mobile: '+44 7911 123456', shippingSameAsBilling: false,
      billingAddress: { postcode: 'NW1 6XE', country: 'GB' }, shippingAddress: { company: 'Office Ltd', street: 'High Street', postcode: 'SW1A 1AA' },
    });
  });

  it('imports a Magento composite file: street lines split, hash kept, the extra address row explained', async () => {
    const { mapping, drafts, errors } = await importFixture('magento-composite.csv');
    expect(mapping.preset?.id).toBe('magento');
    expect(drafts.map((draft) => draft.rowNumber)).toEqual([2, 4]);
    expect(drafts[0]?.values).toMatchObject({
      firstName: 'Magda', nameInsertion: 'van den', lastName: 'Berg', gender: 'female', birthDate: '1985-04-12', phone: '+31 20 123 4567',
      password: { algorithm: 'magento2' }, billingAddress: { street: 'Keizersgracht', number: '313', extension: 'II', postcode: '1016 EE', region: 'Noord-Holland' },
    });
    expect(drafts[1]?.values).toMatchObject({ nameInsertion: "'t", lastName: 'Hart', companyName: 'Hart BV', vatNumber: 'NL123456789B01' });
    expect(errors).toMatchObject([{ rowNumber: 3, code: 'extra_address_row', field: 'email' }]);
  });

  it('imports a WooCommerce export with its WordPress password hash and locale', async () => {
    const { mapping, drafts, errors } = await importFixture('woocommerce-users.csv');
    expect(mapping.preset?.id).toBe('woocommerce');
    expect(errors).toEqual([]);
    expect(drafts[0]?.values).toMatchObject({
      externalId: '17', email: 'wim@example.nl', language: 'nl', password: { algorithm: 'phpass' }, phone: '+31 70 123 4567', shippingSameAsBilling: true,
      billingAddress: { street: 'Lange Voorhout', number: '9', postcode: '2514 EA', city: 'Den Haag', region: 'ZH' },
    });
  });

  it('reports Excel damage with suggestions, and applies a suggestion only once accepted', async () => {
    const { drafts, errors } = await importFixture('excel-damage.csv');
    expect(errors.map((error) => [error.rowNumber, error.column, error.code, error.suggestion])).toEqual([
      [2, 'Mobiel', 'leading_zero_lost', '0612345678'],
      [3, 'Mobiel', 'excel_scientific_notation', undefined],
      [3, 'KvK-nummer', 'excel_scientific_notation', undefined],
    ]);
    expect(drafts.map((draft) => [draft.rowNumber, draft.values.mobile, draft.values.billingAddress?.postcode, draft.values.cocNumber, draft.values.notes])).toEqual([
      [4, '+31 6 12345678', '1016 EE', '01234567', '=HYPERLINK("http://x")'],
      [5, '+31 6 12345678', '1016 EE', undefined, '-geen'],
    ]);
    const accepted = await importFixture('excel-damage.csv', { acceptedFixes: { mobile: ['leading_zero_lost'] } });
    expect(accepted.drafts.find((draft) => draft.rowNumber === 2)?.values).toMatchObject({ mobile: '+31 6 12345678', billingAddress: { postcode: '1016 EE' } });
    expect(accepted.drafts.find((draft) => draft.rowNumber === 2)?.originals).toMatchObject({ mobile: '612345678', 'billing.postcode': '1016ee' });
  });

  it('rejects the later row of the same e-mail address, naming the first', async () => {
    const { drafts, errors } = await importFixture('duplicate-emails.csv');
    expect(drafts.map((draft) => draft.values.email)).toEqual(['dup@example.com', 'unique@example.com']);
    expect(errors).toMatchObject([{ rowNumber: 4, code: 'duplicate_in_file', column: 'Email', params: { firstRow: 2 }, message: expect.stringContaining('row 2') }]);
  });

  it('takes the first of two columns with the same heading', async () => {
    const { drafts } = await importFixture('duplicate-headings.csv');
    expect(drafts[0]?.values).toMatchObject({ email: 'd@example.com', firstName: 'Dani', lastName: 'Dek' });
  });
});

describe('validateRow options', () => {
  const headings = ['E-mail', 'Voornaam', 'Achternaam', 'Geslacht', 'Nieuwsbrief', 'Klantgroepen', 'Geboortedatum'];

  it('leaves blank cells out of the draft when blanks keep the stored value', () => {
    const draft = draftOf(headings, ['a@example.com', 'Ann', '', '', '', '', '']);
    expect(draft.presentFields).toEqual(['email', 'firstName']);
    expect(draft.values).toEqual({ email: 'a@example.com', firstName: 'Ann' });
    expect(draft.missingForNew).toEqual(['lastName']);
  });

  it('clears blank cells to a new customer’s defaults when blanks clear, except the e-mail', () => {
    const draft = draftOf(headings, ['a@example.com', 'Ann', '', '', '', '', ''], { blank: 'clear' });
    // Consent is no value a blank cell clears: an empty cell is no evidence of anything.
    expect(draft.values).toEqual({ email: 'a@example.com', firstName: 'Ann', lastName: '', gender: null, groups: [], birthDate: null });
    expect(draft.missingForNew).toEqual(['lastName']);
  });

  it('requires e-mail, first and last name for new customers in create mode', () => {
    expect(errorsOf(['E-mail', 'Voornaam', 'Achternaam'], ['a@example.com', '', ''], { mode: 'create' })).toMatchObject([
      { field: 'firstName', code: 'required', column: 'Voornaam', columnIndex: 1, message: 'First name is required for a new customer.' },
      { field: 'lastName', code: 'required', column: 'Achternaam' },
    ]);
    expect(errorsOf(['E-mail'], ['a@example.com'], { mode: 'create', requiredForNew: ['email', 'firstName'] })).toMatchObject([
      { field: 'firstName', code: 'required', column: null, columnIndex: null },
    ]);
    expect(draftOf(['E-mail'], ['a@example.com'], { mode: 'update' }).missingForNew).toEqual(['firstName', 'lastName']);
  });

  it('needs the value customers are matched on', () => {
    // With the match key, the row also hears what else a new customer would lack: every problem at once.
    expect(errorsOf(['E-mail', 'Voornaam'], ['', 'Ann'])).toMatchObject([{ field: 'email', code: 'required', column: 'E-mail' }, { field: 'lastName', code: 'required' }]);
    // Without an e-mail column at all, the import cannot start: just say that.
    expect(errorsOf(['Voornaam'], ['Ann'])).toMatchObject([{ field: 'email', code: 'required', column: null }]);
    expect(draftOf(['Clientele ID', 'Voornaam'], ['42', 'Ann'], { matchOn: 'id', mode: 'update' }).match).toEqual({ on: 'id', value: 42 });
    expect(errorsOf(['Clientele ID', 'Voornaam'], ['', 'Ann'], { matchOn: 'id', mode: 'update' })).toMatchObject([{ field: 'id', code: 'required', message: expect.stringContaining('Clientele ID') }]);
    expect(draftOf(['Klantnummer', 'E-mail'], ['K-001', ''], { matchOn: 'externalId', mode: 'update' }).match).toEqual({ on: 'externalId', value: 'K-001' });
  });

  it('collects every problem of a row, with column, value and message', () => {
    const errors = errorsOf(['E-mail', 'Voornaam', 'Geboortedatum', 'Nieuwsbrief', 'Land', 'Postcode'], ['not-an-email', 'x'.repeat(101), '31-12-2030', 'misschien', 'Atlantis', '1234']);
    expect(errors.map((error) => [error.field, error.code, error.column, error.value])).toEqual([
      ['billing.country', 'country_unknown', 'Land', 'Atlantis'],
      ['email', 'email_invalid', 'E-mail', 'not-an-email'],
      ['firstName', 'too_long', 'Voornaam', 'x'.repeat(101)],
      ['birthDate', 'date_in_future', 'Geboortedatum', '31-12-2030'],
      ['newsletter', 'consent_invalid', 'Nieuwsbrief', 'misschien'],
      ['lastName', 'required', null, ''],
    ]);
    expect(errors.every((error) => error.rowNumber === 2 && error.message.length > 0)).toBe(true);
  });

  it('checks postcodes and reads phones in the country of the row, wherever the country column is', () => {
    const draft = draftOf(['Postcode', 'Telefoon', 'E-mail', 'Land'], ['9000', '0470 12 34 56', 'b@example.be', 'België']);
    expect(draft.values).toMatchObject({ phone: '+32 470 12 34 56', billingAddress: { postcode: '9000', country: 'BE' } });
    expect(errorsOf(['Postcode', 'E-mail', 'Land'], ['9000', 'n@example.nl', 'NL'])).toMatchObject([{ field: 'billing.postcode', code: 'postcode_invalid' }]);
  });

  it('reads slash dates in the order chosen for the file, and reports them as ambiguous otherwise', () => {
    expect(errorsOf(['E-mail', 'Geboortedatum'], ['a@example.com', '03/05/1980'])).toMatchObject([{ code: 'date_ambiguous' }]);
    expect(draftOf(['E-mail', 'Geboortedatum'], ['a@example.com', '03/05/1980'], { dateOrder: 'mdy' }).values.birthDate).toBe('1980-03-05');
  });

  it('splits a full-name column and a street-with-number column', () => {
    const draft = draftOf(['E-mail', 'Naam', 'Adres', 'Adresregel 2'], ['a@example.com', 'Jan van der Berg', 'Keizersgracht 313-II\nachterhuis', '']);
    expect(draft.values).toMatchObject({ firstName: 'Jan', nameInsertion: 'van der', lastName: 'Berg', billingAddress: { street: 'Keizersgracht', number: '313', extension: 'II', address2: 'achterhuis' } });
    expect(draft.missingForNew).toEqual([]);
  });

  it('sets every part of a filled combined column, so "Jan Dijk" clears a stored insertion', () => {
    const draft = draftOf(['E-mail', 'Naam', 'Adres'], ['a@example.com', 'Jan Dijk', 'Keizersgracht 313']);
    expect(draft.values).toMatchObject({ nameInsertion: '', billingAddress: { street: 'Keizersgracht', number: '313', extension: '' } });
    expect(draft.presentFields).toEqual(expect.arrayContaining(['firstName', 'nameInsertion', 'lastName', 'billing.extension']));
    expect(draftOf(['E-mail', 'Naam'], ['a@example.com', '']).presentFields).toEqual(['email']);
  });

  it('stores HTML in names as text, and accepts internationalised e-mail domains', () => {
    const draft = draftOf(['E-mail', 'Voornaam', 'Achternaam'], ['info@bücher.example', '<script>alert(1)</script>', '<b>Bold</b>']);
    expect(draft.values).toMatchObject({ email: 'info@bücher.example', firstName: '<script>alert(1)</script>', lastName: '<b>Bold</b>' });
  });

  it('never repeats a password hash in an error', () => {
    const [error] = errorsOf(['E-mail', 'Password hash'], ['a@example.com', 'plaintext-password']);
    expect(error).toMatchObject({ field: 'passwordHash', code: 'password_hash_unknown', value: '(hidden)' });
    expect(JSON.stringify(error)).not.toContain('plaintext-password');
  });

  it('a cell that was too long to read: rejects under strict or for a name, else keeps its start flagged or leaves it out', () => {
    const mapping = mappingFor(['E-mail', 'Achternaam', 'Notities']);
    const issue = (columnIndex: number) => ({ code: 'cell_too_long' as const, message: 'Too long.', params: { columnIndex, length: 40_000, max: 32_768 } });
    const longRow = { rowNumber: 7, cells: ['a@example.com', 'Bos', 'x'.repeat(32_768)], issues: [issue(2)] };
    expect(validateRow(longRow, mapping, defaults)).toMatchObject({ ok: false, error: [{ rowNumber: 7, code: 'cell_too_long', column: 'Notities', field: 'notes' }] });

    const kept = validateRow(longRow, mapping, { ...defaults, badValues: 'keep-flagged' });
    expect(kept.ok && kept.value.values.notes).toBe('x'.repeat(10_000));
    expect(kept.ok && kept.value.warnings).toMatchObject([{ code: 'cell_too_long', field: 'notes', isWarning: true, isFlagged: true, params: { kept: 10_000 } }]);
    expect(kept.ok && kept.value.warnings[0]?.message).toBe('Too long. Its first 10000 characters are kept.');

    const leftOut = validateRow(longRow, mapping, { ...defaults, badValues: 'leave-out' });
    expect(leftOut.ok && leftOut.value.presentFields).not.toContain('notes');
    expect(leftOut.ok && leftOut.value.warnings).toMatchObject([{ code: 'cell_too_long', isWarning: true }]);
    expect(leftOut.ok && leftOut.value.warnings[0]?.isFlagged).toBeUndefined();

    const longName = { rowNumber: 8, cells: ['b@example.com', 'y'.repeat(32_768), 'ok'], issues: [issue(1)] };
    expect(validateRow(longName, mapping, { ...defaults, badValues: 'keep-flagged' })).toMatchObject({ ok: false, error: [{ code: 'cell_too_long', field: 'lastName' }] });
  });
});

describe('createDuplicateDetector', () => {
  it('compares normalised e-mail addresses, also of rows that fail for another reason', () => {
    const detector = createDuplicateDetector(mappingFor(['E-mail', 'Geboortedatum']));
    expect(detector.check(row(['Jan@Example.com', 'nonsense'], 2))).toBeUndefined();
    expect(detector.check(row(['info@xn--mnchen-3ya.de', ''], 3))).toBeUndefined();
    expect(detector.check(row(['  jan@example.COM ', ''], 9))).toMatchObject({ rowNumber: 9, code: 'duplicate_in_file', params: { firstRow: 2 } });
    expect(detector.check(row(['info@münchen.de', ''], 10))).toMatchObject({ params: { firstRow: 3 } });
    expect(detector.check(row(['', ''], 11))).toBeUndefined();
    expect(detector.check(row(['not an e-mail', ''], 12))).toBeUndefined();
  });

  it('uses the id or external id when customers are matched on it', () => {
    const detector = createDuplicateDetector(mappingFor(['Klantnummer', 'E-mail']), 'externalId');
    expect(detector.check(row(['K1', 'a@example.com'], 2))).toBeUndefined();
    expect(detector.check(row(['K1', 'b@example.com'], 3))).toMatchObject({ field: 'externalId', params: { firstRow: 2 } });
  });

  it('uses the phone number as one number however it is written, when customers are matched on it', () => {
    const detector = createDuplicateDetector(mappingFor(['Telefoon', 'E-mail']), 'phone');
    expect(detector.check(row(['+31 6 12345678', 'a@example.com'], 2))).toBeUndefined();
    expect(detector.check(row(['+31612345678', 'b@example.com'], 3))).toMatchObject({ field: 'phone', params: { firstRow: 2 } });
  });

  it('matched on external ID, else e-mail address: keys a row by its external ID, or by its e-mail address when it has none', () => {
    const detector = createDuplicateDetector(mappingFor(['Klantnummer', 'E-mail']), 'externalIdThenEmail');
    expect(detector.check(row(['K1', 'a@example.com'], 2))).toBeUndefined();
    expect(detector.check(row(['', 'b@example.com'], 3))).toBeUndefined();
    // Another customer number with the same e-mail address is another key (the plan sees any conflict).
    expect(detector.check(row(['K2', 'b@example.com'], 4))).toBeUndefined();
    expect(detector.check(row(['', 'B@example.com'], 5))).toMatchObject({ field: 'email', params: { firstRow: 3 } });
    expect(detector.check(row(['K1', 'c@example.com'], 6))).toMatchObject({ field: 'externalId', params: { firstRow: 2 } });
    expect(detector.isKeyBlank(row(['', ''], 7))).toBe(true);
    expect(detector.isKeyBlank(row(['', 'd@example.com'], 8))).toBe(false);
  });
});

describe('the match key of a row', () => {
  it('is the phone number in E.164 (else the mobile number), read with the default country', () => {
    expect(draftOf(['E-mail', 'Telefoon'], ['a@example.nl', '06-12345678'], { matchOn: 'phone', defaultCountry: 'NL' }).match).toEqual({ on: 'phone', value: '+31612345678' });
    expect(draftOf(['E-mail', 'Mobiel'], ['a@example.nl', '0031 6 1234 5678'], { matchOn: 'phone', defaultCountry: 'NL' }).match).toEqual({ on: 'phone', value: '+31612345678' });
  });

  it('is the external ID with the e-mail address to fall back on, or the e-mail address of a row without an external ID', () => {
    const headings = ['Klantnummer', 'E-mail', 'Voornaam', 'Achternaam'];
    expect(draftOf(headings, ['K1', 'a@example.nl', 'A', 'B'], { matchOn: 'externalIdThenEmail' }).match).toEqual({ on: 'externalId', value: 'K1', fallback: { on: 'email', value: 'a@example.nl' } });
    expect(draftOf(headings, ['', 'a@example.nl', 'A', 'B'], { matchOn: 'externalIdThenEmail' }).match).toEqual({ on: 'email', value: 'a@example.nl' });
    const result = validate(headings, ['', '', 'A', 'B'], { matchOn: 'externalIdThenEmail' });
    expect(result.ok ? [] : result.error.map((error) => [error.field, error.code, error.params.reason])).toContainEqual(['externalId', 'required', 'match_either']);
  });
});

describe('bad values the customer can do without', () => {
  const headings = ['E-mail', 'Voornaam', 'Achternaam', 'Mobiel', 'Postcode', 'Land', 'Geboortedatum', 'Geslacht', 'Password hash'];
  const cells = ['a@example.nl', 'Ann', 'Smit', '06-01234567', '1234 SA', 'NL', '31-02-1980', 'kat', 'secret123'];
  const codes = (errors: readonly RowError[]) => errors.map((error) => [error.field, error.code, error.isFlagged === true]);
  const expected = (isFlagged: boolean) => [
    ['mobile', 'phone_unassigned', isFlagged],
    ['billing.postcode', 'postcode_not_issued', isFlagged],
    ['birthDate', 'date_invalid', isFlagged],
    ['gender', 'invalid_choice', isFlagged],
    ['passwordHash', 'password_hash_unknown', false],
  ];

  it('keeps text values as typed and flags them, flags what cannot be stored, drops an unverifiable hash (keep-flagged)', () => {
    const draft = draftOf(headings, cells, { badValues: 'keep-flagged' });
    expect(draft.values).toMatchObject({ mobile: '06-01234567', billingAddress: { postcode: '1234 SA', country: 'NL' } });
    expect(draft.values).not.toHaveProperty('birthDate');
    expect(draft.values).not.toHaveProperty('gender');
    expect(draft.values).not.toHaveProperty('password');
    expect(codes(draft.warnings)).toEqual(expected(true));
    expect(draft.warnings.every((warning) => warning.isWarning === true && warning.rowNumber === 2)).toBe(true);
  });

  it('leaves the bad values out (leave-out)', () => {
    const draft = draftOf(headings, cells, { badValues: 'leave-out' });
    expect(draft.values.mobile).toBeUndefined();
    expect(draft.values.billingAddress).toEqual({ country: 'NL' });
    expect(codes(draft.warnings)).toEqual(expected(false));
  });

  it('rejects the row for them, every problem at once (strict)', () => {
    expect(errorsOf(headings, cells).map((error) => [error.field, error.code])).toEqual(expected(false).map(([field, code]) => [field, code]));
  });

  it('still rejects a row without its match key or required names, listing its warnings too', () => {
    const errors = errorsOf(headings, ['not-an-email', 'Ann', '', '06-01234567', '', '', '', '', ''], { badValues: 'keep-flagged' });
    expect(errors.map((error) => [error.field, error.code, error.isWarning === true])).toEqual([
      ['email', 'email_invalid', false],
      ['lastName', 'required', false],
      ['mobile', 'phone_unassigned', true],
    ]);
  });

  it('keeps a KvK number without its leading zeros as typed with a suggested fix, and pads it once accepted', () => {
    const draft = draftOf(['E-mail', 'KvK-nummer'], ['a@example.nl', '1234567'], { badValues: 'keep-flagged' });
    expect(draft.values.cocNumber).toBe('1234567');
    expect(draft.warnings).toMatchObject([{ field: 'cocNumber', code: 'leading_zero_lost', suggestion: '01234567', isFlagged: true }]);
    const fixed = draftOf(['E-mail', 'KvK-nummer'], ['a@example.nl', '1234567'], { acceptedFixes: { cocNumber: ['leading_zero_lost'] } });
    expect(fixed.values.cocNumber).toBe('01234567');
    expect(fixed.warnings).toEqual([]);
    // No leading zeros to suggest for a Belgian number: it is checked as a KBO/BCE number instead.
    expect(draftOf(['E-mail', 'KvK-nummer', 'Land'], ['a@example.be', '1234567', 'BE']).warnings).toMatchObject([{ field: 'cocNumber', code: 'coc_invalid' }]);
  });

  it.each([
    ['NL', '1234567a', 'KvK number must be 8 digits, like 12345678.'],
    ['BE', '0123.456.748', 'KBO/BCE enterprise number must be 10 digits starting with 0 or 1, with valid check digits, like 0123.456.749.'],
    ['DE', '12345', 'Handelsregister number must be HRA or HRB followed by a number, like HRB 12345 (the court may follow: HRB 12345, Amtsgericht München).'],
  ])('keeps a CoC number not in the form of %s’s register as typed, with a warning naming the form', (country, value, message) => {
    const draft = draftOf(['E-mail', 'KvK-nummer', 'Land'], ['a@example.eu', value, country]);
    expect(draft.values.cocNumber).toBe(value);
    expect(draft.warnings).toMatchObject([{ field: 'cocNumber', code: 'coc_invalid', message: `“${value}”: ${message}`, isFlagged: true }]);
  });

  it('leaves a CoC number that fits its register as typed, in any spelling, without a warning', () => {
    for (const [country, value] of [['NL', '1234 5678'], ['BE', '0123.456.749'], ['DE', 'HRB 12345, AG Köln'], ['GB', '01234567']]) {
      const draft = draftOf(['E-mail', 'KvK-nummer', 'Land'], ['a@example.eu', value!, country!]);
      expect(draft.values.cocNumber, value).toBe(value);
      expect(draft.warnings, value).toEqual([]);
    }
  });

  it('warns about a ? where an ANSI save replaced a letter', () => {
    const draft = draftOf(['E-mail', 'Voornaam', 'Achternaam', 'Plaats'], ['a@example.nl', 'Bj?rn', 'Smit', 'K?ln'], { badValues: 'keep-flagged' });
    expect(draft.values).toMatchObject({ firstName: 'Bj?rn', billingAddress: { city: 'K?ln' } });
    expect(draft.warnings.map((warning) => [warning.field, warning.code])).toEqual([
      ['firstName', 'letters_replaced'],
      ['billing.city', 'letters_replaced'],
    ]);
  });

  it('names the extra cells of a ragged row instead of dropping them silently', () => {
    const draft = validateRow({ rowNumber: 7, cells: ['a@example.nl', 'Ann', 'Smit', 'Amsterdam', '', 'extra'] }, mappingFor(['E-mail', 'Voornaam', 'Achternaam']), defaults);
    if (!draft.ok) throw new Error('expected a draft');
    expect(draft.value.warnings).toMatchObject([{ code: 'extra_cells', rowNumber: 7, value: 'Amsterdam | extra', params: { count: 2 } }]);
    expect(draft.value.warnings[0]?.message).toContain('column 4: “Amsterdam”, column 6: “extra”');
  });
});


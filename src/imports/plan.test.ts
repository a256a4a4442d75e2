import { describe, expect, it } from 'vitest';
import type { Customer } from '../customers/customer.schemas.ts';
import { suggestMapping } from './mapping.ts';
import { newCustomerRecord, planBatch, type PlanOptions, type StoredCustomer, type StoredLookup } from './plan.ts';
import { customerCatalogue } from './presets.ts';
import { validateRow, type CustomerDraft, type ValidateOptions } from './validate.ts';

const validateOptions: ValidateOptions = { mode: 'create-update', blank: 'keep', today: '2026-12-01' };
const planOptions: PlanOptions = { mode: 'create-update', matchOn: 'email', groups: 'add', protectedFields: [], unknownGroups: 'create' };

function drafts(headings: string[], rows: string[][], options: Partial<ValidateOptions> = {}) {
  const mapping = suggestMapping(headings, customerCatalogue);
  const result = rows.map((cells, index) => {
    const validated = validateRow({ rowNumber: index + 2, cells }, mapping, { ...validateOptions, ...options });
    if (!validated.ok) throw new Error(JSON.stringify(validated.error));
    return validated.value;
  });
  return { mapping, drafts: result };
}

function stored(id: number, overrides: Partial<Customer> = {}, extra: Partial<StoredCustomer> = {}): StoredCustomer {
  const record = newCustomerRecord(`customer${id}@example.com`);
  return { ...record, id, passwordState: 'none', groups: [], createdAt: '', updatedAt: '', passwordHash: null, searchText: 'old', ...overrides, ...extra } as StoredCustomer;
}

function lookupOf(customers: StoredCustomer[], groupNames: string[] = []): StoredLookup {
  return {
    byEmail: new Map(customers.map((customer) => [customer.email.toLowerCase(), customer])),
    byId: new Map(customers.map((customer) => [customer.id, customer])),
    byExternalId: new Map(customers.filter((customer) => customer.externalId).map((customer) => [customer.externalId!, customer])),
    groupNames: new Set(groupNames),
  };
}

const plan = (input: { mapping: ReturnType<typeof suggestMapping>; drafts: CustomerDraft[] }, customers: StoredCustomer[], options: Partial<PlanOptions> = {}, groups: string[] = []) =>
  planBatch(input.drafts, lookupOf(customers, groups), { ...planOptions, ...options }, input.mapping);

describe('planBatch', () => {
  it('creates new customers with defaults for what the file does not say', () => {
    const [row] = plan(drafts(['E-mail', 'First name', 'Last name'], [['new@example.com', 'Nina', 'Nieuw']]), []);
    expect(row).toMatchObject({ kind: 'create', record: { email: 'new@example.com', firstName: 'Nina', lastName: 'Nieuw', emailConsent: 'not_set', shippingSameAsBilling: true } });
  });

  it('leaves a customer whose values are the same unchanged, even when the e-mail is spelled in other capitals', () => {
    const customer = stored(1, { email: 'Anna@Example.com', firstName: 'Anna', lastName: 'Bakker' });
    const [row] = plan(drafts(['E-mail', 'First name', 'Last name'], [['anna@example.com', 'Anna', 'Bakker']]), [customer]);
    expect(row).toEqual({ kind: 'unchanged', rowNumber: 2, customerId: 1, warnings: [], flags: [] });
  });

  it('updates field by field, keeping the previous values (and the search text) for undo', () => {
    const customer = stored(1, { email: 'anna@example.com', firstName: 'Anna', lastName: 'Bakker', phone: '+31 20 123 4567' });
    const [row] = plan(drafts(['E-mail', 'Last name', 'Phone'], [['anna@example.com', 'de Boer', '+31 6 87654321']]), [customer]);
    expect(row).toMatchObject({
      kind: 'update',
      customerId: 1,
      changes: [
        { field: 'lastName', before: 'Bakker', after: 'de Boer' },
        { field: 'phone', before: '+31 20 123 4567', after: '+31 6 87654321' },
      ],
      previous: { last_name: 'Bakker', phone: '+31 20 123 4567', search_text: 'old' },
    });
  });

  it('never overwrites protected fields on update', () => {
    const customer = stored(1, { email: 'anna@example.com', firstName: 'Anna', notes: 'VIP at the counter' });
    const [row] = plan(drafts(['E-mail', 'First name', 'Notes'], [['anna@example.com', 'Annie', 'from the old shop']]), [customer], { protectedFields: ['notes'] });
    expect(row).toMatchObject({ kind: 'update', changes: [{ field: 'firstName', before: 'Anna', after: 'Annie' }] });
  });

  it.each([
    ['create', 'exists_create_only'],
    ['update', undefined],
  ] as const)('mode %s with an existing customer', (mode, code) => {
    const customer = stored(1, { email: 'anna@example.com', firstName: 'Anna' });
    const [row] = plan(drafts(['E-mail', 'First name'], [['anna@example.com', 'Annie']]), [customer], { mode });
    if (code) expect(row).toMatchObject({ kind: 'reject', errors: [{ code, field: 'email', column: 'E-mail' }] });
    else expect(row?.kind).toBe('update');
  });

  it('update-only mode rejects unknown customers; create-and-update rejects new ones without a name', () => {
    const input = drafts(['E-mail'], [['nobody@example.com']]);
    expect(plan(input, [], { mode: 'update' })[0]).toMatchObject({ kind: 'reject', errors: [{ code: 'not_found_update_only' }] });
    expect(plan(input, [])[0]).toMatchObject({ kind: 'reject', errors: [{ code: 'required', field: 'firstName' }, { code: 'required', field: 'lastName' }] });
  });

  it('rejects an identity conflict and names both customers, instead of guessing', () => {
    const anna = stored(1, { email: 'anna@example.com' });
    const bert = stored(2, { email: 'bert@example.com', externalId: 'B-2' });
    const [idConflict] = plan(drafts(['Clientele ID', 'E-mail', 'First name'], [['2', 'anna@example.com', 'X']]), [anna, bert]);
    expect(idConflict).toMatchObject({ kind: 'reject', errors: [{ code: 'identity_conflict', field: 'id', message: expect.stringMatching(/#2 \(bert@example.com\).*#1 \(anna@example.com\)/) }] });
    const [externalConflict] = plan(drafts(['E-mail', 'External ID'], [['anna@example.com', 'B-2']]), [anna, bert]);
    expect(externalConflict).toMatchObject({ kind: 'reject', errors: [{ code: 'identity_conflict', field: 'externalId', params: { kind: 'external_taken', other: 2 } }] });
  });

  it('matching on Clientele ID can change an e-mail address, unless another customer has it', () => {
    const anna = stored(1, { email: 'anna@example.com' });
    const bert = stored(2, { email: 'bert@example.com' });
    const input = drafts(['Clientele ID', 'E-mail'], [['1', 'anna.new@example.com'], ['2', 'anna@example.com']], { matchOn: 'id' });
    const [changed, taken] = plan(input, [anna, bert], { matchOn: 'id' });
    expect(changed).toMatchObject({ kind: 'update', changes: [{ field: 'email', before: 'anna@example.com', after: 'anna.new@example.com' }] });
    expect(taken).toMatchObject({ kind: 'reject', errors: [{ code: 'identity_conflict', params: { kind: 'email_taken', other: 1 } }] });
  });

  it('two rows of one batch cannot give the same external id to two customers', () => {
    const input = drafts(['E-mail', 'First name', 'Last name', 'External ID'], [['a@example.com', 'A', 'A', 'X-1'], ['b@example.com', 'B', 'B', 'X-1']]);
    const [first, second] = plan(input, []);
    expect(first?.kind).toBe('create');
    expect(second).toMatchObject({ kind: 'reject', errors: [{ code: 'identity_conflict', params: { kind: 'external_claimed', firstRow: 2 } }] });
  });

  it('adds file groups to the stored ones, or replaces them; unknown groups are created or rejected', () => {
    const customer = stored(1, { email: 'anna@example.com', groups: [{ id: 7, name: 'Newsletter' }] });
    const input = drafts(['E-mail', 'Customer groups'], [['anna@example.com', 'VIP, newsletter']]);
    expect(plan(input, [customer])[0]).toMatchObject({ kind: 'update', groupNames: ['Newsletter', 'VIP'], previousGroupIds: [7], changes: [{ field: 'groups', before: 'Newsletter', after: 'Newsletter, VIP' }] });
    expect(plan(input, [customer], { groups: 'replace' })[0]).toMatchObject({ kind: 'update', groupNames: ['VIP', 'newsletter'] });
    expect(plan(drafts(['E-mail', 'Customer groups'], [['anna@example.com', 'Newsletter']]), [customer], { groups: 'replace' })[0]?.kind).toBe('unchanged');
    expect(plan(input, [customer], { unknownGroups: 'reject' }, ['newsletter'])[0]).toMatchObject({ kind: 'reject', errors: [{ code: 'group_unknown', params: { groups: 'VIP' } }] });
  });

  it('imports a password hash only for customers who did not choose a password themselves', () => {
    const hash = '$2y$10$abcdefghijklmnopqrstuuABCDEFGHIJKLMNOPQRSTUVWXYZ01234';
    const input = drafts(['E-mail', 'Password hash'], [['anna@example.com', hash]]);
    const waiting = stored(1, { email: 'anna@example.com', passwordState: 'none' });
    expect(plan(input, [waiting])[0]).toMatchObject({ kind: 'update', password: { hash, algorithm: 'bcrypt' } });
    const chosen = stored(1, { email: 'anna@example.com', passwordState: 'set' }, { passwordHash: '$argon2id$v=19$…' });
    expect(plan(input, [chosen])[0]?.kind).toBe('unchanged');
  });

  it('reports every identity conflict of a row at once', () => {
    const anna = stored(1, { email: 'anna@example.com' });
    const bert = stored(2, { email: 'bert@example.com', externalId: 'B-2' });
    const [row] = plan(drafts(['Clientele ID', 'E-mail', 'External ID'], [['2', 'anna@example.com', 'B-2']]), [anna, bert]);
    expect(row).toMatchObject({ kind: 'reject', errors: [{ field: 'id', params: { kind: 'id_other' } }, { field: 'externalId', params: { kind: 'external_taken' } }] });
  });

  it('keeps the stored external id when the file lost its leading zeros, and the stored name when an ANSI save put ? in it', () => {
    const bjorn = stored(1, { email: 'bjorn@example.se', firstName: 'Björn', lastName: '', externalId: '000123' });
    const [row] = plan(drafts(['E-mail', 'First name', 'Last name', 'External ID'], [['bjorn@example.se', 'Bj?rn', '?berg', '123']]), [bjorn]);
    expect(row).toMatchObject({ kind: 'update', changes: [{ field: 'lastName', before: '', after: '?berg' }] });
    if (row?.kind !== 'update') throw new Error('expected an update');
    expect(row.warnings.map((warning) => [warning.field, warning.code, warning.isFlagged ?? false])).toEqual([
      ['firstName', 'letters_replaced', false],
      ['lastName', 'letters_replaced', true],
      ['externalId', 'external_id_zeros_lost', false],
    ]);
    // The flag remembers what the column holds, so a corrected value closes it.
    expect(row.flags).toEqual([expect.objectContaining({ field: 'lastName', value: '?berg', storedValue: '?berg' })]);
  });

  it('flags what a new customer was imported with, and says what the column holds', () => {
    const [row] = plan(drafts(['E-mail', 'First name', 'Last name', 'Mobile', 'Date of birth'], [['a@example.com', 'A', 'B', '06-01234567', '31-02-1980']]), []);
    if (row?.kind !== 'create') throw new Error('expected a create');
    expect(row.flags.map((flag) => [flag.field, flag.value, flag.storedValue])).toEqual([
      ['mobile', '06-01234567', '06-01234567'],
      ['birthDate', '31-02-1980', null],
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import { parseWith } from '../shared/validation.ts';
import {
  customerCreateSchema,
  customerListQuerySchema,
  customerPatchSchema,
  groupInputSchema,
  groupMembershipSchema,
  normalizedCustomerSchema,
} from './customer.schemas.ts';

const today = '2024-06-15';
const validate = (input: Record<string, unknown>) =>
  parseWith(normalizedCustomerSchema(today), { email: 'jan@example.com', ...input });

describe('normalizedCustomerSchema', () => {
  it('normalises a complete customer', () => {
    const result = validate({
      email: '  Jan@Example.com ',
      firstName: ' Jan ',
      phone: '06 12345678',
      mobile: '+32 470 123456',
      vatNumber: 'nl 0000.99998.b57',
      birthDate: '15-06-1980',
      billingAddress: {
        street: 'Dorpsstraat',
        number: '1',
        postcode: '1234ab',
        city: 'Utrecht',
        country: 'Nederland',
      },
      shippingSameAsBilling: false,
      shippingAddress: { company: 'Acme', postcode: '1000', city: 'Brussel', country: 'België' },
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value).toMatchObject({
      email: 'Jan@Example.com',
      firstName: 'Jan',
      phone: '+31 6 12345678',
      vatNumber: 'NL000099998B57',
      birthDate: '1980-06-15',
      billingAddress: { postcode: '1234 AB', country: 'NL', city: 'Utrecht' },
      shippingAddress: { company: 'Acme', postcode: '1000', country: 'BE' },
    });
    // National numbers are read in the billing country; a foreign one needs its country code.
    expect(result.value.mobile).toBe('+32 470 12 34 56');
  });

  it('fills in defaults for a customer that is only an e-mail address', () => {
    const result = validate({});
    expect(result).toMatchObject({
      ok: true,
      value: {
        firstName: '',
        gender: null,
        birthDate: null,
        language: '',
        isCompany: false,
        emailConsent: 'not_set',
        externalId: null,
      },
    });
  });

  it('copies the billing address to shipping when "shipping same as billing" is on', () => {
    const result = validate({
      billingAddress: { street: 'Dorpsstraat', city: 'Utrecht', country: 'NL' },
      shippingSameAsBilling: true,
      shippingAddress: { street: 'Elsewhere 1', city: 'Gent', country: 'BE', company: 'Old' },
    });
    expect(result.ok && result.value.shippingAddress).toEqual({
      ...(result.ok && result.value.billingAddress),
      company: '',
    });
  });

  it('keeps HTML as plain text', () => {
    const result = validate({ firstName: '<script>alert(1)</script>', notes: '<b>VIP</b> & "friends"' });
    expect(result).toMatchObject({
      ok: true,
      value: { firstName: '<script>alert(1)</script>', notes: '<b>VIP</b> & "friends"' },
    });
  });

  it.each([
    ['email', 'email_invalid', { email: 'not an e-mail' }],
    ['email', 'email_invalid', { email: 'jan@@example.com' }],
    ['email', 'email_invalid', { email: '' }],
    ['phone', 'phone_invalid', { phone: 'garbage' }],
    ['mobile', 'phone_invalid', { mobile: '12' }],
    ['billingAddress.country', 'country_unknown', { billingAddress: { country: 'narnia' } }],
    [
      'shippingAddress.country',
      'country_unknown',
      { shippingSameAsBilling: false, shippingAddress: { country: 'Mordor' } },
    ],
    ['vatNumber', 'vat_invalid', { vatNumber: 'hello' }],
    ['birthDate', 'date_invalid', { birthDate: '31-02-2024' }],
    ['birthDate', 'date_in_future', { birthDate: '2024-06-16' }],
    ['birthDate', 'date_too_old', { birthDate: '1899-12-31' }],
    ['firstName', 'too_long', { firstName: 'x'.repeat(101) }],
    ['notes', 'too_long', { notes: 'x'.repeat(10_001) }],
    ['gender', 'invalid_choice', { gender: 'unknown' }],
    ['language', 'invalid_choice', { language: 'xx' }],
    ['isCompany', 'invalid_type', { isCompany: 'yes' }],
    ['billingAddress.city', 'invalid_type', { billingAddress: { city: 42 } }],
  ])('%s: %s', (field, code, input) => {
    const result = validate(input);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error[field]).toMatchObject({ code, message: expect.any(String) });
  });

  it('reports every normalisation problem at once', () => {
    const result = validate({
      phone: 'abc',
      vatNumber: 'hello',
      birthDate: '2030-01-01',
      billingAddress: { country: 'narnia' },
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(
      Object.fromEntries(Object.entries(result.error).map(([field, error]) => [field, error.code])),
    ).toEqual({
      phone: 'phone_invalid',
      vatNumber: 'vat_invalid',
      birthDate: 'date_in_future',
      'billingAddress.country': 'country_unknown',
    });
  });

  it.each([
    'émile@exemple.fr',
    'e\u0301mile@x.nl',
    'ÉMILE@X.NL',
    'jan.de.vries+shop@mail.example.co.uk',
    "o'brien@example.ie",
  ])('accepts the e-mail address %j', (email) => {
    expect(validate({ email }).ok).toBe(true);
  });

  it.each(['a@b', 'a b@c.nl', '<script>@x.nl', 'jan@x', 'jan@.nl'])(
    'refuses the e-mail address %j',
    (email) => {
      expect(validate({ email })).toMatchObject({ ok: false, error: { email: { code: 'email_invalid' } } });
    },
  );
});

describe('customerPatchSchema', () => {
  it('keeps only the fields sent, without filling in defaults', () => {
    expect(customerPatchSchema.parse({ billingAddress: { city: ' Utrecht ' } })).toEqual({
      billingAddress: { city: 'Utrecht' },
    });
    expect(customerPatchSchema.parse({})).toEqual({});
    expect(customerPatchSchema.parse({ gender: null, groupIds: [1, 2] })).toEqual({
      gender: null,
      groupIds: [1, 2],
    });
  });

  it('applies the same field rules as a complete customer', () => {
    expect(parseWith(customerPatchSchema, { email: 'nope', firstName: 'x'.repeat(101) })).toMatchObject({
      ok: false,
      error: { email: { code: 'email_invalid' }, firstName: { code: 'too_long' } },
    });
  });
});

describe('customerCreateSchema', () => {
  it('accepts group ids and refuses non-positive ones', () => {
    expect(customerCreateSchema.parse({ email: 'a@example.com', groupIds: [3] }).groupIds).toEqual([3]);
    expect(parseWith(customerCreateSchema, { email: 'a@example.com', groupIds: [0] })).toMatchObject({
      ok: false,
      error: { 'groupIds.0': { code: expect.any(String) } },
    });
  });
});

describe('customerListQuerySchema', () => {
  it('reads query-string values and fills in defaults', () => {
    expect(customerListQuerySchema.parse({ groupId: '4', limit: '7' })).toEqual({
      groupId: 4,
      limit: 7,
      sort: 'createdAt',
      direction: 'desc',
    });
  });

  it.each([
    { limit: '0' },
    { limit: '201' },
    { sort: 'password' },
    { direction: 'up' },
    { groupId: '-1' },
    { groupId: 'x' },
  ])('refuses %j', (query) => {
    expect(customerListQuerySchema.safeParse(query).success).toBe(false);
  });
});

describe('groups', () => {
  it('needs a group name', () => {
    expect(parseWith(groupInputSchema, { name: '   ' })).toMatchObject({
      ok: false,
      error: { name: { code: 'required' } },
    });
    expect(groupInputSchema.parse({ name: ' VIP ' })).toEqual({ name: 'VIP' });
  });

  it('takes either customer ids or a search filter for bulk membership changes', () => {
    expect(groupMembershipSchema.parse({ customerIds: [1, 2] })).toEqual({ customerIds: [1, 2] });
    expect(groupMembershipSchema.parse({ filter: { q: 'müller', groupId: '2' } })).toEqual({
      filter: { q: 'müller', groupId: 2 },
    });
    expect(groupMembershipSchema.safeParse({ customerIds: [] }).success).toBe(false);
    expect(groupMembershipSchema.safeParse({}).success).toBe(false);
  });
});

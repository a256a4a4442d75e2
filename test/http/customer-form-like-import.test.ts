import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { suggestMapping } from '../../src/imports/mapping.ts';
import { customerCatalogue } from '../../src/imports/presets.ts';
import { validateRow } from '../../src/imports/validate.ts';
import { createTestApp, type StaffAgent, type TestApp } from '../support/test-app.ts';

/**
 * The customer form validates like the import (issue #22, point 6): the same postcode goes
 * through an import row and through the form's API, and both give the same verdict — formatted
 * the same way, or kept as typed with the same warning (a flag on the customer, as an import's
 * kept value), never refused by one and accepted silently by the other.
 */
let app: TestApp;
let staff: StaffAgent;
beforeAll(async () => {
  app = await createTestApp();
  staff = await app.loginAsStaff();
});
afterAll(() => app.close());

type Verdict = { stored: string; warning: string | null };

function importVerdict(postcode: string, country: string): Verdict {
  const mapping = suggestMapping(['E-mail', 'First name', 'Last name', 'Billing postcode', 'Billing country'], customerCatalogue);
  const result = validateRow({ rowNumber: 2, cells: ['a@example.com', 'Anna', 'Bakker', postcode, country] }, mapping, {
    mode: 'create-update',
    blank: 'keep',
    today: '2026-12-01',
    defaultCountry: 'NL',
  });
  if (!result.ok) throw new Error(`the import rejected the row: ${JSON.stringify(result.error)}`);
  const warning = result.value.warnings.find((candidate) => candidate.field === 'billing.postcode');
  const billing = result.value.values.billingAddress as { postcode?: string } | undefined;
  return { stored: billing?.postcode ?? '', warning: warning?.code ?? null };
}

let formCount = 0;
async function formVerdict(postcode: string, country: string): Promise<Verdict> {
  formCount += 1;
  const created = await staff.request({
    method: 'POST',
    url: '/api/v1/customers',
    payload: { email: `form${formCount}@example.com`, firstName: 'Anna', lastName: 'Bakker', billingAddress: { postcode, country } },
  });
  expect(created.statusCode, created.body).toBe(201);
  const customer = created.json<{ id: number; billingAddress: { postcode: string } }>();
  const flags = (await staff.request({ method: 'GET', url: `/api/v1/customers/${customer.id}/flags` })).json<{ items: Array<{ field: string; code: string }> }>();
  return { stored: customer.billingAddress.postcode, warning: flags.items.find((flag) => flag.field === 'billing.postcode')?.code ?? null };
}

describe('a postcode in the customer form and in an import', () => {
  it.each([
    ['1234ab', 'NL', { stored: '1234 AB', warning: null }],
    ['2312AV', '', { stored: '2312 AV', warning: null }],
    ['1234 ABC', 'NL', { stored: '1234 ABC', warning: 'postcode_invalid' }],
    ['3972 SA', 'NL', { stored: '3972 SA', warning: 'postcode_not_issued' }],
    ['1000', 'BE', { stored: '1000', warning: null }],
    ['ABC', 'BE', { stored: 'ABC', warning: 'postcode_invalid' }],
    ['10115', 'DE', { stored: '10115', warning: null }],
    ['SW1A1AA', 'GB', { stored: 'SW1A 1AA', warning: null }],
    ['75-001', 'PL', { stored: '75-001', warning: null }],
  ] as const)('%s (%s): the same verdict in both', async (postcode, country, expected) => {
    expect(importVerdict(postcode, country)).toEqual(expected);
    expect(await formVerdict(postcode, country)).toEqual(expected);
  });

  it('a kept postcode stays flagged until it is corrected, and saving other fields leaves the flag alone', async () => {
    const created = await staff.request({
      method: 'POST',
      url: '/api/v1/customers',
      payload: { email: 'kept@example.com', firstName: 'Kees', lastName: 'Smit', billingAddress: { postcode: '3972 SA', country: 'NL' } },
    });
    const { id } = created.json<{ id: number }>();
    const flags = async () => (await staff.request({ method: 'GET', url: `/api/v1/customers/${id}/flags` })).json<{ items: Array<{ field: string; message: string }> }>().items;
    expect(await flags()).toEqual([expect.objectContaining({ field: 'billing.postcode', message: expect.stringContaining('never given out') })]);
    expect((await staff.request({ method: 'PATCH', url: `/api/v1/customers/${id}`, payload: { firstName: 'Kees-Jan' } })).statusCode).toBe(200);
    expect(await flags()).toHaveLength(1);
    const corrected = await staff.request({ method: 'PATCH', url: `/api/v1/customers/${id}`, payload: { billingAddress: { postcode: '3972sb' } } });
    expect(corrected.json()).toMatchObject({ billingAddress: { postcode: '3972 SB' } });
    expect(await flags()).toEqual([]);
  });
});

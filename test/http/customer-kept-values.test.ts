import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type StaffAgent, type TestApp } from '../support/test-app.ts';
import { customerByEmail, importFile } from '../imports/import-helpers.ts';

let app: TestApp;
let staff: StaffAgent;
let annaId: number;

beforeAll(async () => {
  app = await createTestApp();
  await app.services.startWorkers();
  staff = await app.loginAsStaff();
  // The default "keep as typed and flag": a phone in a range not in use and a postcode with SA.
  const file = 'Firstname;Lastname;E-Mail;Phone;Streetname;Number;Zipcode;City;Country\r\nAnna;Bakker;anna@example.nl;06-01234567;Dorpsstraat;1;1234 SA;Utrecht;NL\r\n';
  const detail = await importFile(staff, 'kept.csv', file);
  expect(detail.counts).toMatchObject({ created: 1, warned: 1 });
  annaId = (await customerByEmail(app, 'anna@example.nl'))!.id;
});
afterAll(() => app.close());

async function openFlags(): Promise<string[]> {
  const response = await staff.request({ method: 'GET', url: `/api/v1/customers/${annaId}/flags` });
  expect(response.statusCode, response.body).toBe(200);
  return (response.json() as { items: Array<{ field: string }> }).items.map((flag) => flag.field);
}

const patch = (payload: Record<string, unknown>) => staff.request({ method: 'PATCH', url: `/api/v1/customers/${annaId}`, payload });

describe('saving a customer with values kept as typed by an import', () => {
  it('saves a change to another field and leaves the kept values and their flags as they are', async () => {
    expect(await openFlags()).toEqual(['billing.postcode', 'phone']);
    const saved = await patch({ lastName: 'Bakker-de Wit' });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json()).toMatchObject({ lastName: 'Bakker-de Wit', phone: '06-01234567', billingAddress: { postcode: '1234 SA' } });
    const anna = await customerByEmail(app, 'anna@example.nl');
    expect(anna).toMatchObject({ lastName: 'Bakker-de Wit', phone: '06-01234567', billingAddress: { postcode: '1234 SA' } });
    expect(await openFlags()).toEqual(['billing.postcode', 'phone']);
  });

  it('saves a changed value that does not fit as typed, flagged, as the import does (issue #22 point 6)', async () => {
    const saved = await patch({ phone: '06-0123', firstName: 'Annie' });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json()).toMatchObject({ firstName: 'Annie', phone: '06-0123' });
    expect(await openFlags()).toEqual(['billing.postcode', 'phone']);
    const flag = (await app.services.db.pool.query<{ value: string; stored_value: string }>(
      "SELECT value, stored_value FROM customer_flags WHERE customer_id = $1 AND field = 'phone'", [annaId])).rows[0];
    expect(flag).toEqual({ value: '06-0123', stored_value: '06-0123' });
    // A value that cannot be stored at all is still refused, and nothing of the save is written.
    const refused = await patch({ birthDate: '31-02-1990', firstName: 'Anna' });
    expect(refused.statusCode).toBe(422);
    expect(refused.json()).toMatchObject({ error: { fields: { birthDate: { code: 'date_invalid' } } } });
    expect(await customerByEmail(app, 'anna@example.nl')).toMatchObject({ firstName: 'Annie' });
    expect((await patch({ firstName: 'Anna' })).statusCode).toBe(200);
  });

  it('saves a corrected phone, which closes its flag only', async () => {
    const fixed = await patch({ phone: '06-12345678' });
    expect(fixed.statusCode, fixed.body).toBe(200);
    expect(fixed.json()).toMatchObject({ phone: '+31 6 12345678', billingAddress: { postcode: '1234 SA' } });
    expect(await openFlags()).toEqual(['billing.postcode']);
  });

  it('writes only the fields the user changed: an unchanged valid but non-standard value keeps its stored form and its flag', async () => {
    // A value stored as typed that validation would write otherwise (1234sa → 1234 SA), flagged.
    await app.services.db.pool.query("UPDATE customers SET billing_postcode = '1234sa', shipping_postcode = '1234sa', mobile = '0612345678' WHERE id = $1", [annaId]);
    await app.services.db.pool.query("UPDATE customer_flags SET stored_value = '1234sa' WHERE customer_id = $1 AND field = 'billing.postcode'", [annaId]);
    expect(await openFlags()).toEqual(['billing.postcode']);
    // The back-office form sends every field as it read them, with one edit.
    const read = (await staff.request({ method: 'GET', url: `/api/v1/customers/${annaId}` })).json() as Record<string, unknown>;
    const form = Object.fromEntries(Object.entries(read).filter(([key]) => !['id', 'groups', 'createdAt', 'updatedAt', 'passwordState', 'lastImportId', 'version'].includes(key)));
    const before = read.updatedAt;
    const saved = await patch({ ...form, firstName: 'Annemiek', version: read.version });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json()).toMatchObject({ firstName: 'Annemiek', mobile: '0612345678', billingAddress: { postcode: '1234sa' }, shippingAddress: { postcode: '1234sa' } });
    expect(await openFlags()).toEqual(['billing.postcode']);
    const { rows } = await app.services.db.pool.query('SELECT billing_postcode, mobile FROM customers WHERE id = $1', [annaId]);
    expect(rows[0]).toEqual({ billing_postcode: '1234sa', mobile: '0612345678' });

    // Saving it again unchanged writes nothing; a changed value is normalised as before.
    const again = await patch({ ...form, firstName: 'Annemiek' });
    expect((again.json() as { updatedAt: unknown }).updatedAt).toBe((saved.json() as { updatedAt: unknown }).updatedAt);
    expect((saved.json() as { updatedAt: unknown }).updatedAt).not.toBe(before);
    const changed = await patch({ billingAddress: { postcode: '5678ab' } });
    expect(changed.json()).toMatchObject({ billingAddress: { postcode: '5678 AB' }, mobile: '0612345678' });
    expect(await openFlags()).toEqual([]);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasCustomersNotCreatedBy } from '../../src/imports/probable-duplicates.ts';
import { createTestApp, type StaffAgent, type TestApp } from '../support/test-app.ts';
import { importFile, rowsWarnedOf } from './import-helpers.ts';

/**
 * Probable duplicates (a new customer with a stored customer's phone number) are looked for among
 * the customers stored before the import. A first import into an empty store has none: its runs
 * skip the lookup (probable-duplicates.ts), and the next import looks again.
 */

let app: TestApp;
let staff: StaffAgent;

beforeAll(async () => {
  app = await createTestApp();
  await app.services.startWorkers();
  staff = await app.loginAsStaff();
}, 60_000);
afterAll(() => app.close());

const probableDuplicateRows = async (importId: number) =>
  (await rowsWarnedOf(staff, importId, 'probable_duplicate')).map((row) => row.rowNumber);

describe('probable duplicates of a first import', () => {
  it('finds none in an empty store, and the next import finds the customers the first one made', async () => {
    const first = await importFile(
      staff,
      'first.csv',
      [
        'E-mail,First name,Last name,Phone',
        'eerste@shop.test,Eerste,Klant,06 1111 2222',
        'tweede@shop.test,Tweede,Klant,06 1111 2222',
      ].join('\n'),
      { phoneCountry: 'NL' },
    );
    expect(first.counts).toMatchObject({ created: 2 });
    expect(await probableDuplicateRows(first.id)).toEqual([]);
    expect(await hasCustomersNotCreatedBy(app.services.db.pool, first.id)).toBe(false);

    const second = await importFile(
      staff,
      'second.csv',
      ['E-mail,First name,Last name,Phone', 'derde@shop.test,Derde,Klant,+31 6 11112222'].join('\n'),
      { phoneCountry: 'NL' },
    );
    expect(second.counts).toMatchObject({ created: 1 });
    expect(await probableDuplicateRows(second.id)).toEqual([2]);
    expect(await hasCustomersNotCreatedBy(app.services.db.pool, second.id)).toBe(true);

    // A customer someone else adds counts for the first import too, from its next run on.
    await app.services.customers.create({ email: 'balie@shop.test', lastName: 'Balie' });
    expect(await hasCustomersNotCreatedBy(app.services.db.pool, first.id)).toBe(true);
  });
});

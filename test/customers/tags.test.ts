import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type StaffAgent, type TestApp } from '../support/test-app.ts';
import { customerByEmail, fixture, importFile, post, uploadOk, waitForStatus } from '../imports/import-helpers.ts';

/**
 * Issue #17, point 2: free tags per customer — in the API (set, filter, bulk add and remove),
 * in the import (a Tags column with a per-row tags command: add, replace, remove; Shopify's
 * Tags), in the export (one cell that round-trips tags holding commas and spaces) and in undo.
 */

let app: TestApp;
let staff: StaffAgent;

beforeAll(async () => {
  app = await createTestApp();
  await app.services.startWorkers();
  staff = await app.loginAsStaff();
}, 60_000);
afterAll(() => app.close());

const api = async (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: Record<string, unknown>) =>
  staff.request({ method, url: `/api/v1${url}`, ...(payload && { payload }) });
const tagsOf = async (email: string) => (await customerByEmail(app, email))?.tags;
const listed = async (query: string) =>
  ((await api('GET', `/customers?${query}&sort=email&direction=asc`)).json() as { items: { email: string }[] }).items.map((item) => item.email);

describe('tags in the API', () => {
  it('keeps one of each tag whatever its case (the first spelling), filters the list by tag, and changes them in bulk', async () => {
    const created = await api('POST', '/customers', { email: 'ann@tags.test', lastName: 'Ann', tags: [' VIP ', 'vip', 'Black  Friday, 2024', ''] });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json().tags).toEqual(['VIP', 'Black Friday, 2024']);
    await api('POST', '/customers', { email: 'bob@tags.test', lastName: 'Bob', tags: ['wholesale'] });
    await api('POST', '/customers', { email: 'cas@tags.test', lastName: 'Cas' });
    expect(await listed('tag=vip')).toEqual(['ann@tags.test']);
    expect(await listed('tag=BLACK%20FRIDAY%2C%202024')).toEqual(['ann@tags.test']);

    const bob = (await customerByEmail(app, 'bob@tags.test'))!;
    const bulk = await api('POST', '/customers/bulk/tags', { selection: { filter: { q: 'tags.test' } }, add: ['Wholesale', 'Newsletter 2025'], remove: ['vip'], expectedCount: 3 });
    expect(bulk.statusCode, bulk.body).toBe(200);
    expect(bulk.json()).toEqual({ changed: 3, unchanged: 0 });
    expect(await tagsOf('ann@tags.test')).toEqual(['Black Friday, 2024', 'Wholesale', 'Newsletter 2025']);
    expect(await tagsOf('bob@tags.test')).toEqual(['wholesale', 'Newsletter 2025']);
    expect(await tagsOf('cas@tags.test')).toEqual(['Wholesale', 'Newsletter 2025']);
    expect((await customerByEmail(app, 'bob@tags.test'))?.version).toBe(bob.version + 1);
    // Nothing to change: nobody written.
    const again = await api('POST', '/customers/bulk/tags', { selection: { customerIds: [bob.id] }, add: ['WHOLESALE'] });
    expect(again.json()).toEqual({ changed: 0, unchanged: 1 });
    expect((await customerByEmail(app, 'bob@tags.test'))?.version).toBe(bob.version + 1);
    expect((await api('POST', '/customers/bulk/tags', { selection: { customerIds: [bob.id] } })).statusCode).toBe(422);
  });

  it('never loses a staff save and a bulk tag change made at the same time', async () => {
    const customer = (await api('POST', '/customers', { email: 'race@tags.test', firstName: 'Before', lastName: 'Race', tags: ['one'] })).json();
    for (let round = 0; round < 5; round += 1) {
      const [save, bulk] = await Promise.all([
        api('PATCH', `/customers/${customer.id}`, { firstName: `Staff ${round}` }),
        api('POST', '/customers/bulk/tags', { selection: { customerIds: [customer.id] }, add: [`round ${round}`] }),
      ]);
      expect(save.statusCode, save.body).toBe(200);
      expect(bulk.statusCode, bulk.body).toBe(200);
    }
    expect(await customerByEmail(app, 'race@tags.test')).toMatchObject({
      firstName: 'Staff 4', tags: ['one', 'round 0', 'round 1', 'round 2', 'round 3', 'round 4'],
    });
  });
});

describe('tags in the import', () => {
  it('adds by default, replaces or removes per row, leaves the tags of a row whose command it cannot read, and undo puts them back', async () => {
    await app.services.customers.create({ email: 'dirk@tags.test', lastName: 'Dirk', tags: ['Old', 'Keep'] });
    await app.services.customers.create({ email: 'eva@tags.test', lastName: 'Eva', tags: ['Old', 'Keep'] });
    await app.services.customers.create({ email: 'fem@tags.test', lastName: 'Fem', tags: ['Old', 'Keep'] });
    await app.services.customers.create({ email: 'gijs@tags.test', lastName: 'Gijs', tags: ['Old'] });
    const file = [
      'E-mail,First name,Last name,Tags,Tags command',
      'dirk@tags.test,,Dirk,"New, Second one",',
      'eva@tags.test,,Eva,Only this,replace',
      'fem@tags.test,,Fem,OLD,verwijderen',
      'gijs@tags.test,,Gijs,Other,remvoe',
      'hans@tags.test,Hans,Hans,"Fresh; Tag|Three",',
    ].join('\n');
    const done = await importFile(staff, 'tags.csv', file);
    expect(done.counts).toMatchObject({ created: 1, updated: 3, unchanged: 1, rejected: 0, warned: 1 });
    expect(await tagsOf('dirk@tags.test')).toEqual(['Old', 'Keep', 'New', 'Second one']);
    expect(await tagsOf('eva@tags.test')).toEqual(['Only this']);
    expect(await tagsOf('fem@tags.test')).toEqual(['Keep']);
    expect(await tagsOf('gijs@tags.test')).toEqual(['Old']);
    expect(await tagsOf('hans@tags.test')).toEqual(['Fresh', 'Tag', 'Three']);
    const warnings = (await api('GET', `/imports/${done.id}/warnings`)).body;
    expect(warnings).toContain('remvoe');

    expect((await post(staff, `/api/v1/imports/${done.id}/undo`)).statusCode).toBe(202);
    await waitForStatus(staff, done.id, ['undone']);
    expect(await tagsOf('dirk@tags.test')).toEqual(['Old', 'Keep']);
    expect(await tagsOf('eva@tags.test')).toEqual(['Old', 'Keep']);
    expect(await tagsOf('fem@tags.test')).toEqual(['Old', 'Keep']);
    expect(await customerByEmail(app, 'hans@tags.test')).toBeUndefined();
  });

  it("reads Shopify's Tags column as tags, not as customer groups", async () => {
    const uploaded = await uploadOk(staff, 'shopify-export.csv', fixture('shopify-export.csv'));
    expect(uploaded.mapping.columns.find((column) => column.heading === 'Tags')?.field).toBe('tags');
  });

  it('round-trips tags holding commas, quotes and spaces through an export: importing it back changes nothing', async () => {
    await app.services.customers.create({ email: 'round@tags.test', lastName: 'Round', tags: ['Black Friday, 2024', 'say "hi"', 'semi;colon', 'pipe|d', '  spaced   out '] });
    const before = await customerByEmail(app, 'round@tags.test');
    expect(before?.tags).toEqual(['Black Friday, 2024', 'say "hi"', 'semi;colon', 'pipe|d', 'spaced out']);
    const exported = await api('POST', '/exports', { type: 'customers', format: 'csv', filters: { q: 'round@tags.test' } });
    expect(exported.statusCode, exported.body).toBe(202);
    let file = '';
    for (let attempt = 0; attempt < 200 && file === ''; attempt += 1) {
      const download = await api('GET', `/exports/${exported.json().id as string}/download`);
      if (download.statusCode === 200) file = download.body;
      else await new Promise((resolve) => setTimeout(resolve, 100));
    }
    // One cell: a tag holding , ; | (or starting with a quote) in double quotes; the CSV quotes the cell around it.
    expect(file).toContain('"""Black Friday, 2024"", say ""hi"", ""semi;colon"", ""pipe|d"", spaced out"');
    const done = await importFile(staff, 'tags-round-trip.csv', file);
    expect(done.counts).toMatchObject({ created: 0, updated: 0, unchanged: 1, rejected: 0 });
    expect(await customerByEmail(app, 'round@tags.test')).toEqual(before);
  });
});

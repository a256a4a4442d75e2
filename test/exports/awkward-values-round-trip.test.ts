import { createReadStream } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExportFormat } from '../../src/exports/export.schemas.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';
import { exportToLocalFile } from './export-test-helpers.ts';

/**
 * Values that used to change on the way back (issue #15): group names with , ; and |, runs of
 * spaces and CR LF in notes, & and &amp; in text. Export → import (groups replaced) = 0 changes,
 * in CSV and XLSX, and the customers keep exactly their groups.
 */
let app: TestApp;
const awkwardGroups = ['Smith, Jones & Co', 'A;B', 'Pipe | Line', 'Say "cheese"', 'Plain'];

beforeAll(async () => {
  app = await createTestApp();
  const groups = new Map<string, number>();
  for (const name of awkwardGroups) groups.set(name, (await app.services.groups.create({ name })).id);
  const customers = [
    { email: 'groups@round.test', firstName: 'Gerda', lastName: 'Groep', groupIds: [groups.get('Smith, Jones & Co')!, groups.get('A;B')!, groups.get('Pipe | Line')!, groups.get('Say "cheese"')!] },
    { email: 'plain@round.test', firstName: 'Piet', lastName: 'Plain', groupIds: [groups.get('Plain')!] },
    { email: 'notes@round.test', firstName: 'Nora', lastName: 'Notes', notes: 'line one\r\nline  two   with runs\r\n\r\n    indented', groupIds: [] },
    { email: 'amp@round.test', firstName: 'Ben &amp; Jerry', lastName: 'Tom & Jerry', companyName: 'A &lt;b&gt; &amp;amp;', notes: 'R&amp;D < & > "x"', groupIds: [] },
  ];
  for (const customer of customers) await app.services.customers.create(customer);
});
afterAll(() => app?.close());

async function reimport(file: string, format: ExportFormat) {
  const imports = app.services.imports;
  const uploaded = await imports.upload(createReadStream(file), `round-trip.${format === 'xlsx' ? 'xlsx' : 'csv'}`, { id: null, name: 'round trip', language: 'en' });
  const options = { blank: 'clear', groups: 'replace', matchOn: 'id' } as const;
  const checked = await imports.check(uploaded.id, options, 'en', { isInline: true });
  await imports.start(uploaded.id, options, 'en', { isInline: true });
  await imports.runInline(uploaded.id);
  return { check: checked.check!.result!, done: await imports.detail(uploaded.id, 'en') };
}

describe.each(['csv', 'csv-semicolon', 'xlsx'] as const)('awkward values exported as %s', (format) => {
  it('come back unchanged, and the customers keep their real groups', async () => {
    const file = await exportToLocalFile(app, { type: 'customers', format, language: 'en' });
    const { check, done } = await reimport(file, format);
    expect(check.changes).toEqual([]);
    expect(check).toMatchObject({ rows: 4, created: 0, updated: 0, unchanged: 4, rejected: 0, groupsToCreate: [] });
    expect(done.counts).toEqual({ created: 0, updated: 0, unchanged: 4, rejected: 0, warned: 0, passwordsDropped: 0, addressesAdded: 0, addressesChanged: 0, addressesRemoved: 0, deleted: 0, ignored: 0, companiesCreated: 0, companiesUpdated: 0, contactsLinked: 0, contactsChanged: 0 });
    const gerda = await app.services.customers.findByEmail('groups@round.test');
    expect(gerda?.groups.map((group) => group.name).sort()).toEqual(['A;B', 'Pipe | Line', 'Say "cheese"', 'Smith, Jones & Co']);
    expect((await app.services.customers.findByEmail('notes@round.test'))?.notes).toBe('line one\nline  two   with runs\n\n    indented');
    expect(await app.services.customers.findByEmail('amp@round.test')).toMatchObject({ firstName: 'Ben &amp; Jerry', companyName: 'A &lt;b&gt; &amp;amp;', notes: 'R&amp;D < & > "x"' });
  });
});

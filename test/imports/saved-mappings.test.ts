import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SavedMappingItem, SavedMappingUse } from '../../src/imports/import.schemas.ts';
import { createTestApp, type StaffAgent, type TestApp } from '../support/test-app.ts';
import { post, uploadOk } from './import-helpers.ts';

/**
 * Issue #18, saved mappings managed: listed with how many imports used each and when, renamed
 * (a name another one has is refused), deleted, and the imports that used one listed — an
 * import uses a mapping when it was applied at upload or in step Fields, or saved from it.
 */

let app: TestApp;
let staff: StaffAgent;

beforeAll(async () => {
  app = await createTestApp();
  staff = await app.loginAsStaff();
});
afterAll(() => app.close());

const sheet = ['Mail,Voornaam,Achternaam,Kleur', 'a@shop.test,Ann,Smit,rood'].join('\n');
const list = async () => (await staff.request({ method: 'GET', url: '/api/v1/import-mappings' })).json() as SavedMappingItem[];
const uses = async (id: number) => (await staff.request({ method: 'GET', url: `/api/v1/import-mappings/${id}/imports` })).json() as SavedMappingUse[];

describe('saved mappings', () => {
  it('count the imports that used them: the one saved from, one applied at upload, one applied in step Fields', async () => {
    const first = await uploadOk(staff, 'kleuren.csv', sheet);
    const saved = await post(staff, '/api/v1/import-mappings', { name: 'Kleurenlijst', importId: first.id });
    expect(saved.statusCode, saved.body).toBe(201);
    const mapping = saved.json() as SavedMappingItem;
    expect(mapping).toMatchObject({ name: 'Kleurenlijst', importCount: 1 });

    // The same headings again: applied at upload.
    const second = await uploadOk(staff, 'kleuren-2.csv', sheet);
    expect(second.mapping.savedMapping).toEqual({ id: mapping.id, name: 'Kleurenlijst' });
    // Other headings: applied by hand in step Fields.
    const third = await uploadOk(staff, 'anders.csv', ['E-mail,Voornaam,Achternaam', 'b@shop.test,Bo,Bos'].join('\n'));
    expect(third.mapping.savedMapping).toBeUndefined();
    const applied = await staff.request({ method: 'PUT', url: `/api/v1/imports/${third.id}/mapping`, payload: { columns: [], savedMappingId: mapping.id } });
    expect(applied.statusCode, applied.body).toBe(200);

    const [item] = await list();
    expect(item).toMatchObject({ id: mapping.id, importCount: 3, lastUsedAt: expect.any(String) });
    expect((await uses(mapping.id)).map((use) => use.fileName)).toEqual(['anders.csv', 'kleuren-2.csv', 'kleuren.csv']);
  });

  it('are renamed, and a name another saved mapping has is refused', async () => {
    const upload = await uploadOk(staff, 'nieuwsbrief.csv', ['E-mail,Nieuwsbrief', 'c@shop.test,ja'].join('\n'));
    const other = (await post(staff, '/api/v1/import-mappings', { name: 'Nieuwsbrief', importId: upload.id })).json() as SavedMappingItem;
    const renamed = await staff.request({ method: 'PATCH', url: `/api/v1/import-mappings/${other.id}`, payload: { name: 'Nieuwsbrieflijst 2026' } });
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect(renamed.json()).toMatchObject({ id: other.id, name: 'Nieuwsbrieflijst 2026', importCount: 1 });
    const taken = await staff.request({ method: 'PATCH', url: `/api/v1/import-mappings/${other.id}`, payload: { name: '  kleurenLIJST ' } });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().error.message).toContain('There is already a saved mapping called');
    const empty = await staff.request({ method: 'PATCH', url: `/api/v1/import-mappings/${other.id}`, payload: { name: ' ' } });
    expect(empty.statusCode).toBe(422);
    expect((await list()).map((mapping) => mapping.name)).toEqual(['Kleurenlijst', 'Nieuwsbrieflijst 2026']);
  });

  it('are deleted; the imports that used one keep their mapping', async () => {
    const [, other] = await list();
    const [use] = await uses(other!.id);
    expect((await staff.request({ method: 'DELETE', url: `/api/v1/import-mappings/${other!.id}` })).statusCode).toBe(204);
    expect((await list()).map((mapping) => mapping.name)).toEqual(['Kleurenlijst']);
    expect((await staff.request({ method: 'GET', url: `/api/v1/import-mappings/${other!.id}/imports` })).statusCode).toBe(404);
    const detail = (await staff.request({ method: 'GET', url: `/api/v1/imports/${use!.id}` })).json();
    expect(detail.mapping.columns.map((column: { field: string | null }) => column.field)).toEqual(['email', 'newsletter']);
  });
});

import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ExportRecord } from '../../src/exports/export.schemas.ts';
import { createExport, exportAndDownload, useExportApi } from './export-api-fixture.ts';

/** Exports' life over the REST API: bad requests, who may download, delete, expiry, notifications, options. */
const ctx = useExportApi();

describe('export lifecycle over the REST API', () => {
  it('answers bad requests with field-level 422s and creates nothing', async () => {
    const before = (await ctx.staff.request({ method: 'GET', url: '/api/v1/exports?limit=100' })).json().items
      .length;
    const cases: [Record<string, unknown>, string][] = [
      [{ type: 'products', format: 'csv' }, 'type'],
      [{ type: 'customers', format: 'pdf' }, 'format'],
      [{ type: 'customers', format: 'csv', columns: ['email', 'password'] }, 'columns'],
      [{ type: 'customers', format: 'csv', columns: [] }, 'columns'],
      [{ type: 'customers', format: 'csv', filters: { createdSince: '31-12-2024' } }, 'filters.createdSince'],
      [{ type: 'customers', format: 'csv', filters: { colour: 'red' } }, 'filters'],
      [{ type: 'customers', format: 'csv', filters: { groupId: 999_999 } }, 'filters.groupId'],
      [{ type: 'customer-groups', format: 'csv', filters: { newsletter: true } }, 'filters.newsletter'],
      [{ type: 'customer-groups', format: 'csv', preset: 'mailing-list' }, 'preset'],
    ];
    for (const [payload, field] of cases) {
      const response = await createExport(ctx.staff, payload);
      expect(response.statusCode, JSON.stringify(payload)).toBe(422);
      expect(response.json().error.code).toBe('invalid_input');
      expect(Object.keys(response.json().error.fields ?? {}), JSON.stringify(payload)).toContain(field);
    }
    expect(
      (await ctx.staff.request({ method: 'GET', url: '/api/v1/exports?limit=100' })).json().items,
    ).toHaveLength(before);
  });

  it('keeps files from anyone without a staff session and from guessed ids', async () => {
    const { record } = await exportAndDownload(ctx, { type: 'customers', format: 'csv' });
    const anonymous = await ctx.app.http.inject({ method: 'GET', url: record.downloadUrl! });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.body).not.toContain('jan@example.com');
    expect(
      (await ctx.staff.request({ method: 'GET', url: `/api/v1/exports/${randomUUID()}/download` }))
        .statusCode,
    ).toBe(404);
    expect((await ctx.staff.request({ method: 'GET', url: '/api/v1/exports/1/download' })).statusCode).toBe(
      422,
    );
    // Every staff user may use every export (there is one shop).
    expect((await ctx.dutchStaff.request({ method: 'GET', url: record.downloadUrl! })).statusCode).toBe(200);
  });

  it('deletes an export and its file; expired exports disappear with their files', async () => {
    const { record } = await exportAndDownload(ctx, { type: 'customers', format: 'xlsx' });
    const keyOf = async (id: string) =>
      (
        await ctx.app.services.db.pool.query<{ file_key: string }>(
          'SELECT file_key FROM exports WHERE id = $1',
          [id],
        )
      ).rows[0]?.file_key;
    const key = (await keyOf(record.id))!;
    expect(await ctx.app.services.fileStore.sizeOf(key)).toBe(record.sizeBytes);
    expect(
      (await ctx.staff.request({ method: 'DELETE', url: `/api/v1/exports/${record.id}` })).statusCode,
    ).toBe(204);
    expect(await ctx.app.services.fileStore.sizeOf(key)).toBeUndefined();
    expect((await ctx.staff.request({ method: 'GET', url: `/api/v1/exports/${record.id}` })).statusCode).toBe(
      404,
    );

    const kept = await exportAndDownload(ctx, { type: 'customers', format: 'csv' });
    const keptKey = (await keyOf(kept.record.id))!;
    ctx.clock.current = new Date(new Date(kept.record.expiresAt!).getTime() + 1000);
    const list = (await ctx.staff.request({ method: 'GET', url: '/api/v1/exports?limit=100' })).json() as {
      items: ExportRecord[];
    };
    expect(list.items.map((item) => item.id)).not.toContain(kept.record.id);
    expect(await ctx.app.services.fileStore.sizeOf(keptKey)).toBeUndefined();
  });

  it('notifies the staff user who asked, once', async () => {
    const { record } = await exportAndDownload(ctx, { type: 'customers', format: 'csv', notify: true });
    const notifications = (
      await ctx.staff.request({ method: 'GET', url: '/api/v1/exports/notifications' })
    ).json();
    expect(notifications).toMatchObject({ pending: 0, items: [{ id: record.id, status: 'ready' }] });
    expect(
      (await ctx.dutchStaff.request({ method: 'GET', url: '/api/v1/exports/notifications' })).json().items,
    ).toEqual([]);
    const seen = await ctx.staff.request({
      method: 'POST',
      url: '/api/v1/exports/notifications/seen',
      payload: { ids: [record.id] },
    });
    expect(seen.statusCode).toBe(204);
    expect(
      (await ctx.staff.request({ method: 'GET', url: '/api/v1/exports/notifications' })).json().items,
    ).toEqual([]);
  });

  it('describes what can be exported in the staff user’s language, and documents the routes in OpenAPI', async () => {
    const options = (await ctx.dutchStaff.request({ method: 'GET', url: '/api/v1/exports/options' })).json();
    const customers = options.types.find((type: { id: string }) => type.id === 'customers');
    expect(customers.columns.find((column: { key: string }) => column.key === 'billing.postcode')).toEqual({
      key: 'billing.postcode',
      group: 'billing',
      heading: 'Factuuradres postcode',
      isDefault: true,
    });
    expect(customers.presets).toEqual([
      {
        id: 'mailing-list',
        columns: ['email', 'firstName', 'lastName', 'language', 'newsletter', 'emailConsentAt', 'emailConsentSource', 'passwordResetLink'],
      },
    ]);
    expect(options).toMatchObject({ formats: ['csv', 'csv-semicolon', 'xlsx'], retentionDays: 7 });
    const openapi = (await ctx.app.http.inject({ method: 'GET', url: '/api/docs/json' })).json();
    for (const path of [
      '/api/v1/exports',
      '/api/v1/exports/{id}',
      '/api/v1/exports/{id}/download',
      '/api/v1/exports/options',
    ])
      expect(Object.keys(openapi.paths)).toContain(path);
  });
});

import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, expect } from 'vitest';
import type { ExportRecord } from '../../src/exports/export.schemas.ts';
import { createTestApp, type StaffAgent, type TestApp } from '../support/test-app.ts';

/**
 * The export API tests' shared setting: a test app with a movable clock, an English and a Dutch
 * staff user, a VIP group and three customers with awkward values, created a day apart.
 * The queue's workers are not started: `finish` runs each export's job handler in the test.
 */
export type ExportApiContext = {
  app: TestApp;
  staff: StaffAgent;
  dutchStaff: StaffAgent;
  clock: { current: Date; now: () => Date };
  groupId: number;
};

const customers = (groupId: number) => [
  {
    email: 'jan@example.com',
    firstName: '=SUM(1)',
    lastName: 'Jansen',
    phone: '+31 20 123 4567',
    language: 'nl',
    newsletter: true,
    groupIds: [groupId],
    billingAddress: { postcode: '1016 EE', city: 'Amsterdam', country: 'NL' },
  },
  {
    email: 'anna@example.de',
    firstName: '@Anna',
    lastName: '-Müller',
    language: 'de',
    billingAddress: { postcode: '01067', city: 'Dresden', country: 'DE' },
    externalId: '00012345678901234567',
    notes: 'Regel 1\nRegel 2; "citaat", komma',
  },
  {
    email: 'zoe@example.co.uk',
    firstName: 'Zoë',
    lastName: 'Ωμέγα 王',
    language: 'en',
    newsletter: true,
    billingAddress: { postcode: 'SW1A 1AA', city: 'London', country: 'GB' },
    cocNumber: '01234567',
  },
];

/** Registers the file's beforeAll/afterAll; the context is filled in before the first test. */
export function useExportApi(): ExportApiContext {
  const clock = { current: new Date('2025-03-01T10:00:00Z'), now: () => clock.current };
  const context = { clock } as ExportApiContext;
  beforeAll(async () => {
    // Sessions outlive the retention period: the expiry test moves the clock past it.
    context.app = await createTestApp(
      { EXPORT_RETENTION_DAYS: '7', SESSION_TTL_HOURS: '2000', PUBLIC_URL: 'https://shop.example' },
      { clock },
    );
    context.staff = await context.app.loginAsStaff();
    context.dutchStaff = await context.app.loginAsStaff({ language: 'nl' });
    context.groupId = (await context.app.services.groups.create({ name: 'VIP' })).id;
    for (const customer of customers(context.groupId)) {
      await context.app.services.customers.create(customer);
      clock.current = new Date(clock.current.getTime() + 86_400_000);
    }
    await context.app.services.db.pool.query(
      `UPDATE customers SET last_import_id = 42 WHERE email = 'anna@example.de'`,
    );
  }, 60_000);
  afterAll(async () => {
    await context.app?.close();
  });
  return context;
}

export const createExport = (agent: StaffAgent, payload: Record<string, unknown>) =>
  agent.request({ method: 'POST', url: '/api/v1/exports', payload });

/** Runs the export's job handler here, then reads its status over the API. */
export async function finish(
  context: ExportApiContext,
  id: string,
  agent = context.staff,
): Promise<ExportRecord> {
  await context.app.services.runExport(id);
  return (await agent.request({ method: 'GET', url: `/api/v1/exports/${id}` })).json() as ExportRecord;
}

export async function exportAndDownload(
  context: ExportApiContext,
  payload: Record<string, unknown>,
  agent = context.staff,
) {
  const response = await createExport(agent, payload);
  expect(response.statusCode, response.body).toBe(202);
  const record = await finish(context, response.json().id, agent);
  expect(record.status, JSON.stringify(record.failure)).toBe('ready');
  const download = await agent.request({ method: 'GET', url: record.downloadUrl! });
  expect(download.statusCode).toBe(200);
  return { record, download };
}

export const csvRows = (body: Buffer, delimiter = ',') =>
  parse(body, { bom: true, delimiter, relax_column_count: true }) as string[][];

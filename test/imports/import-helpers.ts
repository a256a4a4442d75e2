import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import type { ImportDetail } from '../../src/imports/import.schemas.ts';
import type { StaffAgent, TestApp } from '../support/test-app.ts';

/** Helpers for import tests: upload a file through the API and wait for the background jobs. */

export const fixture = (name: string): Buffer => readFileSync(path.resolve(import.meta.dirname, '../../src/imports/fixtures', name));

export async function upload(agent: StaffAgent, fileName: string, body: Buffer | string): Promise<LightMyRequestResponse> {
  return agent.request({
    method: 'POST',
    url: `/api/v1/imports?fileName=${encodeURIComponent(fileName)}`,
    headers: { 'content-type': 'application/octet-stream' },
    payload: typeof body === 'string' ? Buffer.from(body, 'utf8') : body,
  });
}

export async function uploadOk(agent: StaffAgent, fileName: string, body: Buffer | string): Promise<ImportDetail> {
  const response = await upload(agent, fileName, body);
  expect(response.statusCode, response.body).toBe(201);
  return response.json() as ImportDetail;
}

export async function getImport(agent: StaffAgent, id: number): Promise<ImportDetail> {
  const response = await agent.request({ method: 'GET', url: `/api/v1/imports/${id}` });
  expect(response.statusCode, response.body).toBe(200);
  return response.json() as ImportDetail;
}

/** Polls until the import reaches one of the statuses (the test app's workers run the jobs), at most `timeoutMs`. */
export async function waitForStatus(agent: StaffAgent, id: number, statuses: readonly ImportDetail['status'][], timeoutMs = 20_000): Promise<ImportDetail> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const detail = await getImport(agent, id);
    if (statuses.includes(detail.status)) return detail;
    if (Date.now() > deadline) throw new Error(`Import ${id} is ${detail.status}, not ${statuses.join('/')}, after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export async function post(agent: StaffAgent, url: string, payload?: unknown): Promise<LightMyRequestResponse> {
  return agent.request({ method: 'POST', url, ...(payload !== undefined && { payload: payload as Record<string, unknown> }) });
}

/** Check → checked, with these options (the start must send the same, or none): an import starts only once checked. */
export async function checkOk(agent: StaffAgent, id: number, options: Record<string, unknown> = {}, timeoutMs?: number): Promise<ImportDetail> {
  const checked = await post(agent, `/api/v1/imports/${id}/check`, options);
  expect(checked.statusCode, checked.body).toBe(202);
  return waitForStatus(agent, id, ['checked'], timeoutMs);
}

/** Upload → check → start → done, with default options unless given. */
export async function importFile(agent: StaffAgent, fileName: string, body: Buffer | string, options: Record<string, unknown> = {}): Promise<ImportDetail> {
  const uploaded = await uploadOk(agent, fileName, body);
  await checkOk(agent, uploaded.id, options);
  const started = await post(agent, `/api/v1/imports/${uploaded.id}/start`);
  expect(started.statusCode, started.body).toBe(202);
  return waitForStatus(agent, uploaded.id, ['done', 'done_with_errors', 'failed']);
}

/** The rows an import wrote with a warning of this code (its warnings list, first page of 100). */
export async function rowsWarnedOf(agent: StaffAgent, importId: number, code: string): Promise<{ rowNumber: number; message: string }[]> {
  const response = await agent.request({ method: 'GET', url: `/api/v1/imports/${importId}/warnings?limit=100` });
  expect(response.statusCode, response.body).toBe(200);
  const items = (response.json() as { items: { rowNumber: number; errors: { code: string; message: string }[] }[] }).items;
  return items.flatMap((item) => item.errors.filter((error) => error.code === code).slice(0, 1).map((error) => ({ rowNumber: item.rowNumber, message: error.message })));
}

export async function customerByEmail(app: TestApp, email: string) {
  return app.services.customers.findByEmail(email);
}

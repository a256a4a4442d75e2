import type { AddressInfo } from 'node:net';
import { createTestApp, type TestApp } from './test-app.ts';

export type LiveServer = {
  /** http://127.0.0.1:<port> */
  baseUrl: string;
  services: TestApp['services'];
  close: () => Promise<void>;
};

/**
 * The real HTTP server (API and built back office) listening on 127.0.0.1 on a free port, on a
 * fresh database of the run's embedded PostgreSQL, for tests that drive a real browser.
 * Built on createTestApp so the browser tests run the very same wiring as the HTTP tests.
 */
export async function startLiveServer(env: Record<string, string> = {}): Promise<LiveServer> {
  const app = await createTestApp(env);
  try {
    await app.http.listen({ host: '127.0.0.1', port: 0 });
  } catch (error) {
    await app.close();
    throw error;
  }
  const { port } = app.http.server.address() as AddressInfo;
  return { baseUrl: `http://127.0.0.1:${port}`, services: app.services, close: () => app.close() };
}

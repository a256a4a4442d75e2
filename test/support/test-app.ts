import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { createFileStore, createServices, type AppServices, type AppOverrides } from '../../src/app.ts';
import { loadConfig, type Config } from '../../src/config/config.ts';
import { createDatabase } from '../../src/db/database.ts';
import { createHttpServer } from '../../src/http/server.ts';
import { createPgBossQueue } from '../../src/jobs/pg-boss.queue.ts';
import { systemClock } from '../../src/shared/clock.ts';
import { sessionCookie } from '../../src/http/auth.ts';
import { createTestDatabase } from './test-database.ts';

export type TestApp = {
  services: AppServices;
  http: FastifyInstance;
  config: Config;
  databaseUrl: string;
  /** Creates a staff user and returns an agent whose requests carry its session cookie and CSRF token. */
  loginAsStaff: (overrides?: { email?: string; language?: 'en' | 'nl'; role?: 'admin' | 'staff' }) => Promise<StaffAgent>;
  close: () => Promise<void>;
};

export type StaffAgent = {
  csrfToken: string;
  cookie: string;
  request: (options: InjectOptions) => Promise<LightMyRequestResponse>;
};

let staffCounter = 0;

/** The real app (services + HTTP server) on a fresh database of the run's embedded cluster. */
export async function createTestApp(
  env: Record<string, string> = {},
  overrides: AppOverrides = {},
): Promise<TestApp> {
  const database = await createTestDatabase();
  const fileStoreDir = await mkdtemp(path.join(os.tmpdir(), 'clientele-test-files-'));
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATABASE_URL: database.url, FILE_STORE_DIR: fileStoreDir, ...env });
  const db = createDatabase(database.url, 5);
  // A real pg-boss queue on the test database; workers start only when a test calls
  // `services.queue.startWorkers()`, so tests decide when jobs run.
  // Idle workers poll every half second (pg-boss's least; 1 s in the app): a job a test waits
  // for starts sooner. The lease is the app's (JOB_LEASE_SECONDS), as in the worker processes a test starts.
  const queue = overrides.queue ?? (await createPgBossQueue(database.url, () => {}, { pollingIntervalSeconds: 0.5, leaseSeconds: config.jobLeaseSeconds }));
  const fileStore = overrides.fileStore ?? (await createFileStore(config, overrides.clock ?? systemClock));
  const services = createServices(config, db, { ...overrides, queue, fileStore });
  await queue.register(...services.jobDefinitions);
  const http = await createHttpServer(services);
  await http.ready();

  return {
    services,
    http,
    config,
    databaseUrl: database.url,
    async loginAsStaff(options = {}) {
      staffCounter += 1;
      const email = options.email ?? `staff${staffCounter}@example.com`;
      const password = 'correct horse battery staple';
      await services.staff.createUser({ email, name: `Staff ${staffCounter}`, password, language: options.language ?? 'en', role: options.role ?? 'admin' });
      const login = await http.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password } });
      if (login.statusCode !== 200) throw new Error(`test login failed: ${login.body}`);
      const token = login.cookies.find((cookie) => cookie.name === sessionCookie)?.value ?? '';
      const { csrfToken } = login.json() as { csrfToken: string };
      const cookie = `${sessionCookie}=${token}`;
      return {
        csrfToken,
        cookie,
        request: (request) =>
          http.inject({
            ...request,
            headers: { cookie, 'x-csrf-token': csrfToken, ...(request.headers ?? {}) },
          }),
      };
    },
    async close() {
      services.stopWorkers();
      await http.close();
      await queue.stop();
      await db.close();
      await database.drop();
      await rm(fileStoreDir, { recursive: true, force: true });
    },
  };
}

import { defineConfig } from 'vitest/config';

/**
 * Files that call the app in-process (pure units, API-level tests, and the import, export, queue,
 * customer and address tests, which run their jobs in the test process) share one process per
 * worker: the app's modules are loaded once per worker instead of once per file, which was close
 * to half the CPU of a small API test file (docs/testing.md). Browser, process and fault tests
 * keep a fresh process per file: they start browsers, child processes, servers and clusters.
 */
const sharedProcess = [
  'src/**/*.test.ts',
  'test/http/**/*.test.ts',
  'test/companies/**/*.test.ts',
  'test/accounts/**/*.test.ts',
  'test/mail/**/*.test.ts',
  'test/security/**/*.test.ts',
  'test/shop/**/*.test.ts',
  'test/ui/**/*.test.ts',
  'test/imports/**/*.test.ts',
  'test/exports/**/*.test.ts',
  'test/customers/**/*.test.ts',
  'test/addresses/**/*.test.ts',
  'test/jobs/**/*.test.ts',
];

export default defineConfig({
  test: {
    globalSetup: ['test/support/global-setup.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // Unit and integration tests share one embedded PostgreSQL cluster per project.
    env: { LOG_LEVEL: 'silent' },
    projects: [
      { extends: true, test: { name: 'shared-process', include: sharedProcess, isolate: false } },
      { extends: true, test: { name: 'own-process', include: ['test/**/*.test.ts'], exclude: sharedProcess } },
    ],
  },
});

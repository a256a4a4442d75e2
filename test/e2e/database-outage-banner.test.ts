import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessionCookie } from '../../src/http/auth.ts';
import { killCli, startCli, type RunningCli } from '../process/cli-process.ts';
import { launchBrowser, openPage, uiTimeoutMs } from '../support/browser.ts';
import { connect, type Connection } from '../support/reference-import.ts';
import { startSeparateCluster, type SeparateCluster } from '../support/separate-cluster.ts';

/**
 * The back office while PostgreSQL is really stopped, in English and Dutch: a banner says the
 * database is unreachable and that Clientele keeps retrying; once the database is back the banner
 * goes and the screen loads again by itself, without a reload.
 */
const password = 'a long enough password';
const texts = {
  en: { locale: 'en-GB', customers: 'Customers', banner: 'Database unreachable, retrying', loadError: 'The database cannot be reached right now.' },
  nl: { locale: 'nl-NL', customers: 'Klanten', banner: 'Database onbereikbaar, we blijven het proberen', loadError: 'De database is nu niet bereikbaar.' },
} as const;
let workDir: string;
let cluster: SeparateCluster;
let connection: Connection | undefined;
let server: RunningCli | undefined;
let browser: Browser;
let baseUrl: string;

beforeAll(async () => {
  workDir = await mkdtemp(path.join(os.tmpdir(), 'clientele-outage-banner-'));
  [cluster, browser] = await Promise.all([startSeparateCluster(), launchBrowser()]);
  const fileStoreDir = path.join(workDir, 'files');
  connection = await connect(cluster.url, fileStoreDir);
  for (const language of ['en', 'nl'] as const) {
    await connection.services.staff.createUser({ email: `${language}@example.com`, name: `Staff ${language}`, password, language });
  }
  await connection.close();
  connection = undefined;
  server = startCli(['serve'], { DATABASE_URL: cluster.url, FILE_STORE_DIR: fileStoreDir, HOST: '127.0.0.1', PORT: '0', WORKER_IN_PROCESS: 'false' });
  baseUrl = (await server.waitFor(/Back office: (http:\/\/127\.0\.0\.1:\d+)\/admin/, 60_000))[1]!;
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await killCli(server);
  await connection?.close().catch(() => {});
  await cluster?.destroy();
  await rm(workDir, { recursive: true, force: true });
}, 60_000);

async function loggedInPage(language: keyof typeof texts): Promise<Page> {
  const login = await fetch(`${baseUrl}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: `${language}@example.com`, password }) });
  expect(login.status).toBe(200);
  const token = login.headers.getSetCookie().find((cookie) => cookie.startsWith(`${sessionCookie}=`))!.split(';')[0]!.split('=')[1]!;
  const { page, context } = await openPage(browser, { locale: texts[language].locale });
  await context.addCookies([{ name: sessionCookie, value: token, url: baseUrl }]);
  await page.goto(`${baseUrl}/admin/customers`);
  await page.getByRole('heading', { name: texts[language].customers, level: 1 }).waitFor();
  return page;
}

describe('the back office during a database outage', () => {
  it('shows "database unreachable, retrying" in English and Dutch, and recovers by itself', async () => {
    const pages = { en: await loggedInPage('en'), nl: await loggedInPage('nl') };
    for (const page of Object.values(pages)) await expect(page.getByRole('alert').count()).resolves.toBe(0);

    await cluster.stop();
    for (const [language, page] of Object.entries(pages) as Array<[keyof typeof texts, Page]>) {
      await page.reload();
      const banner = page.getByRole('alert').filter({ hasText: texts[language].banner });
      await banner.waitFor({ timeout: 30_000 });
      await page.getByText(texts[language].loadError).waitFor();
      if (process.env.SCREENSHOT_DIR) await page.screenshot({ path: path.join(process.env.SCREENSHOT_DIR, `outage-banner-${language}.png`) });
    }

    await cluster.start();
    for (const [language, page] of Object.entries(pages) as Array<[keyof typeof texts, Page]>) {
      // The banner polls /readyz every 3 s; the list comes back without a reload.
      await page.getByRole('heading', { name: texts[language].customers, level: 1 }).waitFor({ timeout: uiTimeoutMs + 20_000 });
      await expect(page.getByText(texts[language].banner).count()).resolves.toBe(0);
    }
  }, 120_000);
});

import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AxeBuilder } from '@axe-core/playwright';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const chromiumPath = '/usr/bin/chromium';
const builtIndex = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist/web/index.html');

/**
 * Every wait in the browser tests is bounded by this, so a broken screen fails in bounded time.
 * 20 s, not 10: on a 2-core machine running the whole suite at a load average of 10, a list
 * screen once took longer than 10 s to show its first row (waits end as soon as it shows).
 */
export const uiTimeoutMs = 20_000;

/**
 * Chromium from Debian, headless. Fails (never skips) when the browser or the built UI is missing:
 * a browser test that silently does not run proves nothing.
 */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(chromiumPath)) {
    throw new Error(`Chromium is missing at ${chromiumPath}. Install it with: apt-get install -y chromium`);
  }
  if (!existsSync(builtIndex)) {
    throw new Error(
      `The back office is not built (${builtIndex} is missing). Run: npm run build:web (npm test does this first).`,
    );
  }
  return chromium.launch({
    executablePath: chromiumPath,
    timeout: 30_000,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export type BrowserSession = { context: BrowserContext; page: Page; pageErrors: string[] };

/** A fresh, cookie-less browser context and page with bounded timeouts; collects uncaught page errors. */
export async function openPage(browser: Browser, options: { locale?: string } = {}): Promise<BrowserSession> {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 900 },
    locale: options.locale ?? 'en-GB',
  });
  context.setDefaultTimeout(uiTimeoutMs);
  context.setDefaultNavigationTimeout(uiTimeoutMs);
  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  return { context, page, pageErrors };
}

/** Accessibility problems axe rates serious or critical, as short readable lines. */
export async function seriousAccessibilityViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).analyze();
  return result.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map(
      (violation) =>
        `${violation.id} (${violation.impact}): ${violation.help} — ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`,
    );
}

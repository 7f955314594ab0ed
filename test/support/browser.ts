import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { PERMISSIONS, signToken } from '../../src/auth/tokens.js';
import { createTestkit, jwtKey, type Testkit } from './testkit.js';

/** Debian's chromium (apt-get install chromium); .ci/run installs it when missing. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * A page on which every request that would leave this machine is aborted and recorded, so a test
 * both proves the page works offline and can assert that it did not even try to go out.
 */
export async function offlinePage(browser: Browser): Promise<{ page: Page; blocked: string[]; consoleErrors: string[] }> {
  const page = await browser.newPage();
  const blocked: string[] = [];
  const consoleErrors: string[] = [];
  await page.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if ((url.protocol === 'http:' || url.protocol === 'https:' || url.protocol === 'ws:') && !LOCAL_HOSTS.has(url.hostname)) {
      blocked.push(url.href);
      return route.abort('blockedbyclient');
    }
    return route.continue();
  });
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  return { page, blocked, consoleErrors };
}

/**
 * A gateway holding `records` whose pages carry a development token of tenant acme (as `npm start`
 * in embedded mode gives them one), and a browser; both set up before the file's tests and closed after.
 */
export function gatewayWithBrowser(records: string[]) {
  const context = {} as { kit: Testkit; browser: Browser };
  beforeAll(async () => {
    const developmentToken = await signToken(jwtKey, { sub: 'developer', tenantId: 'acme', permissions: [PERMISSIONS.apiAccess] });
    context.kit = await createTestkit(records, { developmentToken });
    context.browser = await launchBrowser();
  });
  afterAll(async () => {
    await context.browser?.close();
    await context.kit?.close();
  });
  return context;
}

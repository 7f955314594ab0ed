import type { Browser, Locator } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PERMISSIONS, signToken } from '../../src/server/auth.js';
import { launchBrowser, offlinePage } from '../support/browser.js';
import { REPORT_FIXTURE } from '../support/report-fixture.js';
import { createTestkit, jwtKey, type Testkit } from '../support/testkit.js';

let kit: Testkit;
let browser: Browser;
beforeAll(async () => {
  const developerToken = await signToken(jwtKey, { sub: 'developer', tenantId: 'acme', permissions: [PERMISSIONS.apiAccess] });
  kit = await createTestkit(REPORT_FIXTURE, { graphiqlToken: developerToken });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await kit.close();
});

/** Monaco renders spaces as no-break spaces. */
const textOf = async (locator: Locator) => (await locator.innerText()).replaceAll('\u00a0', ' ');

describe('GraphiQL at /graphql', () => {
  it('loads with no internet, shows the first query with the development token, and runs it', async () => {
    const { page, blocked } = await offlinePage(browser);
    await page.goto(kit.url.replace('localhost', '127.0.0.1'));
    await expect.poll(() => page.title(), { timeout: 20_000 }).toBe('AutoCall Reports');
    const editor = page.locator('.graphiql-query-editor');
    await expect.poll(() => textOf(editor), { timeout: 20_000 }).toContain('query Campaigns');
    expect(await textOf(editor)).toContain('campaigns(first: 10)');

    await page.locator('.graphiql-execute-button').click();
    const response = page.locator('.graphiql-response');
    await expect.poll(() => textOf(response), { timeout: 20_000 }).toContain('Renewal Q3');
    const text = await textOf(response);
    expect(text).toContain('"totalCount": 3');
    expect(text).toContain('"answerRatePct": "60.00"');
    expect(text).not.toContain('"errors"');
    expect(blocked).toEqual([]);
    await page.close();
  });
});

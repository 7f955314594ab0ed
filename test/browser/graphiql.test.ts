import type { Locator } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { PERMISSIONS } from '../../src/auth/tokens.js';
import { gatewayWithBrowser, offlinePage } from '../support/browser.js';
import { call, lead } from '../support/fixtures.js';
import { REPORT_FIXTURE } from '../support/report-fixture.js';

const gateway = gatewayWithBrowser(REPORT_FIXTURE);

/** Monaco renders spaces as no-break spaces. */
const textOf = async (locator: Locator) => (await locator.innerText()).replaceAll('\u00a0', ' ');

describe('GraphiQL at /graphql', () => {
  it('loads with no internet, shows the first query with the development token, and runs it', async () => {
    const { page, blocked } = await offlinePage(gateway.browser);
    await page.goto(gateway.kit.url.replace('localhost', '127.0.0.1'));
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

  it('shows each push of a campaignUpdated subscription as it arrives', async () => {
    const { page, blocked } = await offlinePage(gateway.browser);
    await page.goto(gateway.kit.url.replace('localhost', '127.0.0.1'));
    const editor = page.locator('.graphiql-query-editor');
    await expect.poll(() => textOf(editor), { timeout: 20_000 }).toContain('query Campaigns');
    // Replace the editor's text as a paste does: typed key by key, the editor would close brackets itself.
    await editor.click();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.insertText('subscription Live { campaignUpdated(id: "5") { name kpis(from: "2026-06-01T00:00:00Z", to: "2026-07-01T00:00:00Z") { dialed } } }');
    await expect.poll(() => textOf(editor), { timeout: 20_000 }).toContain('subscription Live');
    const response = page.locator('.graphiql-response');
    await page.locator('.graphiql-execute-button').click();
    // GraphiQL picks up the new operation's name a moment after the text changes; on a busy machine
    // the click can come first and ask for the old "Campaigns": then it is run again.
    await expect
      .poll(async () => {
        const text = await textOf(response);
        if (text.includes('Cannot infer operation Campaigns')) await page.locator('.graphiql-execute-button').click();
        return text;
      }, { timeout: 20_000, interval: 1_000 })
      .toContain('"dialed": 10');

    const ingestToken = await gateway.kit.token({ permissions: [PERMISSIONS.ingest] });
    const busy = call('GQ-C1', 5, 'GQ-1', {
      started_at: '2026-06-20T02:00:00Z', answered_at: null, ended_at: '2026-06-20T02:00:00Z', result: 'busy',
      hangup_cause: 'USER_BUSY', billsec: 0, dtmf: null, script_path: null, transfer: null, disposition: null,
    });
    const ingested = await fetch(gateway.kit.url.replace('/graphql', '/ingest'), {
      method: 'POST',
      headers: { 'content-type': 'application/x-ndjson', authorization: `Bearer ${ingestToken}` },
      body: [lead('GQ-1', 5), busy].map((record) => JSON.stringify(record)).join('\n'),
    });
    expect(ingested.status).toBe(200);
    await expect.poll(() => textOf(response), { timeout: 20_000 }).toContain('"dialed": 11');
    expect(await textOf(response)).toContain('"name": "Renewal Q3"');
    expect(blocked).toEqual([]);
    await page.close();
  });
});

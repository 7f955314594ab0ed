import { describe, expect, it } from 'vitest';
import { gatewayWithBrowser, offlinePage } from '../support/browser.js';
import { REPORT_FIXTURE } from '../support/report-fixture.js';

const gateway = gatewayWithBrowser(REPORT_FIXTURE);

describe('The REST docs page at /api/docs', () => {
  it('shows every route with no internet and runs one with the development token', async () => {
    const { page, blocked, consoleErrors } = await offlinePage(gateway.browser);
    await page.goto(gateway.kit.url.replace('localhost', '127.0.0.1').replace('/graphql', '/api/docs'));
    await expect.poll(() => page.locator('.opblock').count(), { timeout: 20_000 }).toBe(9);
    expect(await page.locator('.info .title').innerText()).toContain('AutoCall Reports REST API');
    const paths = await page.locator('.opblock-summary-path').allInnerTexts();
    expect(paths.map((path) => path.replaceAll('\u200b', ''))).toContain('/api/autocall/campaigns/{id}/reports/kpis');

    // Open kpis, fill in the campaign and run it: the answer is the API's own.
    const kpis = page.locator('#operations-Reports-getKpis');
    await kpis.locator('.opblock-summary').click();
    await kpis.locator('input[placeholder="id"]').fill('5');
    await kpis.locator('.execute').click();
    const body = kpis.locator('.responses-wrapper .live-responses-table .response-col_description pre').first();
    await expect.poll(() => body.innerText().catch(() => ''), { timeout: 20_000 }).toContain('"answer_rate_pct": "60.00"');
    expect(await kpis.locator('.live-responses-table tbody .response-col_status').first().innerText()).toContain('200');
    expect(blocked).toEqual([]);
    expect(consoleErrors).toEqual([]);
    await page.close();
  });
});

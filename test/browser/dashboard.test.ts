import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DateTime } from 'luxon';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoLines } from '../../src/demo/generator.js';
import { buildApp, type App } from '../../src/server/app.js';
import { PERMISSIONS, signToken } from '../../src/auth/tokens.js';
import { launchBrowser, offlinePage } from '../support/browser.js';
import { call, lead } from '../support/fixtures.js';
import { createTestkit, jwtKey, type Testkit } from '../support/testkit.js';
import { LocalExportStore } from '../../src/exports/local-store.js';

let kit: Testkit;
let browser: Browser;
let origin: string;
beforeAll(async () => {
  const lines: string[] = [];
  for await (const line of demoLines({ tenantId: 'acme', leadsPerCampaign: 300 })) lines.push(line);
  const developmentToken = await signToken(jwtKey, { sub: 'developer', tenantId: 'acme', permissions: [PERMISSIONS.apiAccess] });
  kit = await createTestkit([], { developmentToken });
  await kit.importLines(lines, 5_000);
  origin = new URL(kit.url).origin.replace('localhost', '127.0.0.1');
  browser = await launchBrowser();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await kit?.close();
});

const count = (value: number) => value.toLocaleString('en-US');
const text = (page: Page, selector: string) => page.locator(selector).innerText();
const kpi = (page: Page, field: string) => text(page, `[data-kpi="${field}"]`);
/** The trend chart's data as Chart.js holds it. */
const chartData = (page: Page) =>
  page.evaluate(() => {
    const chart = (globalThis as any).Chart.getChart(document.getElementById('trend-chart'));
    return { labels: chart.data.labels as string[], dialed: chart.data.datasets[0].data as number[], answered: chart.data.datasets[1].data as number[] };
  });

const REPORTS = `query Reports(
  $from: DateTime, $to: DateTime, $fromDay: Date, $toDay: Date, $zone: TimeZone, $granularity: TrendGranularity!,
  $compareFrom: DateTime, $compareTo: DateTime
) {
  campaignComparison(campaignIds: ["5", "8", "12"], from: $compareFrom, to: $compareTo) { campaignId campaignName metricValue }
  campaign(id: "5") {
    kpis(from: $from, to: $to, timezone: $zone) {
      dialed answered answerRatePct avgCallDurationSec busy totalLeads transferSuccessRatePct
      talkTimePercentiles { p50 p90 } previousPeriod { dialed answered answerRatePct }
    }
    trend(from: $fromDay, to: $toDay, timezone: $zone, granularity: $granularity) { bucket dialed answered }
    heatmap(from: $from, to: $to, timezone: $zone) { dayOfWeek hour value }
    funnel(from: $from, to: $to) { stage count dropRatePct }
    hangup(from: $from, to: $to) { byHangupCause { hangupCause count pct } }
    dtmf(from: $from, to: $to) { totalAnswered withDtmfInput noInput noInputRatePct byDigit { digit label count pct } byScriptPath { path count } }
  }
}`;

interface Reports {
  kpis: Record<string, any>;
  trend: { bucket: string; dialed: number; answered: number }[];
  heatmap: { dayOfWeek: number; hour: number; value: number }[];
  funnel: { stage: string; count: number; dropRatePct: string | null }[];
  hangup: { byHangupCause: { hangupCause: string; count: number; pct: string }[] };
  dtmf: {
    totalAnswered: number; withDtmfInput: number; noInput: number; noInputRatePct: string | null;
    byDigit: { digit: string; label: string | null; count: number; pct: string }[];
    byScriptPath: { path: string; count: number }[];
  };
  comparison: { campaignId: string; campaignName: string; metricValue: string | null }[];
  /** Whether the page should show the previous period's figures ("—" when it lies before the campaign). */
  previousShown: boolean;
}

/** The reports of a window; the comparison of the picked window (none: each campaign's whole span). */
const reports = async (variables: Record<string, unknown> = {}, previousShown = true): Promise<Reports> => {
  const data = await kit.data<{ campaign: Omit<Reports, 'comparison' | 'previousShown'>; campaignComparison: Reports['comparison'] }>(
    REPORTS,
    { granularity: 'DAY', compareFrom: variables.from, compareTo: variables.to, ...variables },
  );
  return { ...data.campaign, comparison: data.campaignComparison, previousShown };
};

/**
 * What the default view shows: the days of the campaign's first and latest calls in Ho Chi Minh
 * City, as the API states them; the previous period lies before the campaign, and the comparison
 * takes each campaign's whole span.
 */
async function defaultView(): Promise<Reports> {
  const { campaign } = await kit.data<{ campaign: { firstCallAt: string; lastCallAt: string } }>('{ campaign(id: "5") { firstCallAt lastCallAt } }');
  const zone = 'Asia/Ho_Chi_Minh';
  const day = (iso: string) => DateTime.fromISO(iso, { zone }).toISODate()!;
  const fromDay = day(campaign.firstCallAt);
  const toDay = day(campaign.lastCallAt);
  const start = (localDay: string) => DateTime.fromISO(localDay, { zone });
  return reports(
    { fromDay, toDay, from: start(fromDay).toISO(), to: start(toDay).plus({ days: 1 }).toISO(), compareFrom: null, compareTo: null },
    false,
  );
}

/** Everything on screen matches the reports the API gives for the same window. */
async function expectPageShows(page: Page, expected: Reports) {
  expect(await kpi(page, 'dialed')).toBe(count(expected.kpis.dialed as number));
  expect(await kpi(page, 'answered')).toBe(count(expected.kpis.answered as number));
  expect(await kpi(page, 'answerRatePct')).toBe(`${expected.kpis.answerRatePct} %`);
  expect(await kpi(page, 'avgCallDurationSec')).toBe(`${expected.kpis.avgCallDurationSec} s`);
  expect(await kpi(page, 'transferSuccessRatePct')).toBe(`${expected.kpis.transferSuccessRatePct} %`);
  expect(await kpi(page, 'busy')).toBe(count(expected.kpis.busy as number));
  expect(await kpi(page, 'totalLeads')).toBe(count(expected.kpis.totalLeads as number));
  const { p50, p90 } = expected.kpis.talkTimePercentiles;
  expect(await kpi(page, 'talkTimePercentiles')).toBe(p50 === null ? '–' : `${p50} s / ${p90} s`);
  const previous = expected.kpis.previousPeriod;
  expect(await text(page, '[data-previous="dialed"]')).toBe(expected.previousShown ? count(previous.dialed) : '—');
  expect(await text(page, '[data-previous="answered"]')).toBe(expected.previousShown ? count(previous.answered) : '—');
  expect(await text(page, '[data-previous="answerRatePct"]')).toBe(
    !expected.previousShown ? '—' : previous.answerRatePct === null ? '–' : `${previous.answerRatePct} %`,
  );

  const chart = await chartData(page);
  expect(chart.dialed).toEqual(expected.trend.map((bucket) => bucket.dialed));
  expect(chart.answered).toEqual(expected.trend.map((bucket) => bucket.answered));

  expect(await page.locator('#heatmap td').count()).toBe(168);
  for (const cell of expected.heatmap) {
    expect(await text(page, `#heatmap td[data-day="${cell.dayOfWeek}"][data-hour="${cell.hour}"]`)).toBe(count(cell.value));
  }
  for (const stage of expected.funnel) {
    const row = (await text(page, `#funnel tr[data-stage="${stage.stage}"]`)).split('\t').map((cell) => cell.trim());
    expect(row).toEqual([stage.stage, '', count(stage.count), stage.dropRatePct === null ? '' : `${stage.dropRatePct} % lost`]);
  }
  const causes = await page.locator('#hangup tr').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-cause')));
  expect(causes).toEqual(expected.hangup.byHangupCause.map((cause) => cause.hangupCause));
  for (const cause of expected.hangup.byHangupCause) {
    expect(await text(page, `#hangup tr[data-cause="${cause.hangupCause}"] td:nth-child(3)`)).toBe(count(cause.count));
    expect(await text(page, `#hangup tr[data-cause="${cause.hangupCause}"] td:nth-child(4)`)).toBe(`${cause.pct} %`);
  }

  const { dtmf } = expected;
  expect(await text(page, '#dtmf-summary')).toBe(
    `${count(dtmf.totalAnswered)} answered · ${count(dtmf.withDtmfInput)} pressed a key · ${count(dtmf.noInput)} no input (${dtmf.noInputRatePct} %)`,
  );
  const rows = (selector: string) =>
    page.locator(`${selector} tr`).evaluateAll((trs) => trs.map((tr) => [...tr.children].map((cell) => (cell as HTMLElement).innerText.trim())));
  expect(await rows('#dtmf-digits')).toEqual(
    dtmf.byDigit.map((digit) => [digit.label ? `${digit.digit} · ${digit.label}` : digit.digit, '', count(digit.count), `${digit.pct} %`]),
  );
  expect(await rows('#dtmf-paths')).toEqual(dtmf.byScriptPath.map((path) => [path.path, '', count(path.count), '']));
  await expect.poll(() => rows('#comparison'), { timeout: 20_000 }).toEqual(
    expected.comparison.map((row) => [row.campaignName, '', row.metricValue === null ? '–' : `${row.metricValue} %`, '']),
  );
  expect(await page.locator('#comparison tr.current').getAttribute('data-campaign')).toBe('5');
}

async function openDashboard(url = `${origin}/`) {
  const opened = await offlinePage(browser);
  await opened.page.goto(url);
  await expect.poll(() => text(opened.page, '#status'), { timeout: 20_000 }).toMatch(/^Live · updated \d\d:\d\d:\d\d/);
  return opened;
}

describe('the dashboard at /', () => {
  it('renders the demo campaign from the installed packages alone, with the development token', async () => {
    const { page, blocked, consoleErrors } = await openDashboard();
    expect(await page.title()).toBe('AutoCall Reports dashboard');
    const campaigns = await page.locator('#campaign option').allInnerTexts();
    expect(campaigns).toEqual(['Renewal Q3 (#5)', 'Cross-sell Q3 (#8)', 'Win-back churned (#12)']);
    expect(await page.locator('#campaign').inputValue()).toBe('5');
    expect(await page.locator('#zone').inputValue()).toBe('Asia/Ho_Chi_Minh');
    // The whole campaign: every June call, and a trend from the day of its first call to that of
    // its latest (not on to today), which the page states; no previous period before the campaign.
    const expected = await defaultView();
    expect(expected.kpis.dialed).toBe((await reports()).kpis.dialed);
    expect(expected.kpis.dialed).toBeGreaterThan(300);
    const labels = (await chartData(page)).labels;
    expect([labels[0], labels.at(-1)]).toEqual([expected.trend[0]!.bucket, expected.trend.at(-1)!.bucket]);
    expect([labels[0], labels.at(-1)!.slice(0, 7)]).toEqual(['2026-06-01', '2026-06']);
    expect(await text(page, '#window-note')).toBe(`Whole campaign: 2026-06-01 to ${labels.at(-1)}, its first to its latest call`);
    await expectPageShows(page, expected);
    // DTMF with the script's labels, and the three campaigns side by side.
    expect(expected.dtmf.byDigit.find((digit) => digit.digit === '1')?.label).toBeTruthy();
    expect(expected.comparison).toHaveLength(3);
    expect(await page.locator('#funnel tr').count()).toBe(6);
    // Coloured by value: the busiest hour darkest (hsl 212 75% 38%), an hour with no calls lightest (96%).
    const busiest = expected.heatmap.reduce((best, cell) => (cell.value > best.value ? cell : best));
    const colour = (day: number, hour: number) =>
      page.locator(`#heatmap td[data-day="${day}"][data-hour="${hour}"]`).evaluate((cell) => getComputedStyle(cell).backgroundColor);
    expect(await colour(busiest.dayOfWeek, busiest.hour)).toBe('rgb(24, 92, 170)');
    expect(await colour(0, 3)).toBe('rgb(237, 244, 252)');
    expect(blocked).toEqual([]);
    expect(consoleErrors).toEqual([]);
    await page.close();
  });

  it('follows an ingest on screen without a reload', async () => {
    const { page, consoleErrors } = await openDashboard();
    const before = await defaultView();
    await page.evaluate(() => ((globalThis as any).sameDocument = true));

    const ingestToken = await kit.token({ permissions: [PERMISSIONS.ingest] });
    // Saturday 2026-06-20, 09:00 in Ho Chi Minh City.
    const busy = call('DASH-C1', 5, 'DASH-1', {
      started_at: '2026-06-20T02:00:00Z', answered_at: null, ended_at: '2026-06-20T02:00:30Z', result: 'busy',
      hangup_cause: 'USER_BUSY', billsec: 0, dtmf: null, script_path: null, transfer: null, disposition: null,
    });
    const ingested = await fetch(`${origin}/ingest`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-ndjson', authorization: `Bearer ${ingestToken}` },
      body: [lead('DASH-1', 5), busy].map((record) => JSON.stringify(record)).join('\n'),
    });
    expect(ingested.status).toBe(200);

    await expect.poll(() => kpi(page, 'dialed'), { timeout: 20_000 }).toBe(count((before.kpis.dialed as number) + 1));
    const after = await defaultView();
    expect(after.kpis.busy).toBe((before.kpis.busy as number) + 1);
    expect(after.kpis.totalLeads).toBe((before.kpis.totalLeads as number) + 1);
    const saturdayNine = (cells: Reports['heatmap']) => cells.find((cell) => cell.dayOfWeek === 6 && cell.hour === 9)!.value;
    expect(saturdayNine(after.heatmap)).toBe(saturdayNine(before.heatmap) + 1);
    await expectPageShows(page, after);

    // A call of a later day (Thursday 2026-07-02, 09:00 there) carries the whole-campaign view on to that day.
    const july = call('DASH-C2', 5, 'DASH-1', {
      started_at: '2026-07-02T02:00:00Z', answered_at: null, ended_at: '2026-07-02T02:00:30Z', result: 'no_answer',
      hangup_cause: 'NO_ANSWER', billsec: 0, dtmf: null, script_path: null, transfer: null, disposition: null,
    });
    const later = await fetch(`${origin}/ingest`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-ndjson', authorization: `Bearer ${ingestToken}` },
      body: JSON.stringify(july),
    });
    expect(later.status).toBe(200);
    await expect.poll(async () => (await chartData(page)).labels.at(-1), { timeout: 20_000 }).toBe('2026-07-02');
    const july2 = await defaultView();
    expect(july2.trend.at(-1)).toMatchObject({ bucket: '2026-07-02', dialed: 1 });
    await expect.poll(() => kpi(page, 'dialed'), { timeout: 20_000 }).toBe(count(july2.kpis.dialed as number));
    await expectPageShows(page, july2);
    expect(await page.evaluate(() => (globalThis as any).sameDocument)).toBe(true);
    expect(consoleErrors).toEqual([]);
    await page.close();
  });

  it('shows the window and zone picked, keeps them in the address, and reports bad ones', async () => {
    const { page, consoleErrors } = await openDashboard();
    await page.locator('#zone').selectOption('America/New_York');
    await page.locator('#granularity').selectOption('HOUR');
    await page.locator('#from').fill('2026-06-08');
    await page.locator('#to').fill('2026-06-14');
    // New York days: 2026-06-08T00:00-04:00 up to the end of 2026-06-14, hour by hour (168 hours).
    const expected = await reports({
      zone: 'America/New_York', granularity: 'HOUR', fromDay: '2026-06-08', toDay: '2026-06-14',
      from: '2026-06-08T04:00:00Z', to: '2026-06-15T04:00:00Z',
    });
    expect(expected.trend).toHaveLength(168);
    // The week before (June 1-7) has calls too, so the previous period's figures are not all zero.
    expect(expected.kpis.previousPeriod.dialed).toBeGreaterThan(0);
    await expect.poll(async () => (await chartData(page)).labels.length, { timeout: 20_000 }).toBe(168);
    await expect.poll(() => kpi(page, 'dialed'), { timeout: 20_000 }).toBe(count(expected.kpis.dialed as number));
    expect((await chartData(page)).labels[0]).toBe('06-08 00:00');
    await expectPageShows(page, expected);
    expect(new URL(page.url()).search).toBe('?campaign=5&zone=America%2FNew_York&from=2026-06-08&to=2026-06-14&granularity=HOUR&metric=DIALED&compare=ANSWER_RATE_PCT');

    // A reload shows the same view.
    await page.reload();
    await expect.poll(() => kpi(page, 'dialed'), { timeout: 20_000 }).toBe(count(expected.kpis.dialed as number));
    expect(await page.locator('#zone').inputValue()).toBe('America/New_York');

    // ISO weeks: Monday 2026-06-08 to Sunday 2026-06-14 is one of them.
    await page.locator('#granularity').selectOption('WEEK');
    await expect.poll(async () => (await chartData(page)).labels, { timeout: 20_000 }).toEqual(['2026-06-08']);
    expect((await chartData(page)).dialed).toEqual([expected.kpis.dialed]);
    await page.locator('#granularity').selectOption('HOUR');

    // Hour buckets over more than 31 days: the gateway's message is shown.
    await page.locator('#from').fill('2026-05-01');
    await expect.poll(() => text(page, '#error'), { timeout: 20_000 }).toContain('HOUR covers at most 31 days');
    expect(await page.locator('#error').isVisible()).toBe(true);
    expect(consoleErrors).toEqual([]);
    await page.close();
  });

  it('asks for a token when the gateway has no development token, and again when one is refused; runs where only trusted documents do', async () => {
    // PERSISTED_DOCUMENTS=require and a token without autocall_explore: any query text would be refused.
    const app: App = buildApp({
      db: kit.db,
      jwtKey,
      exportStore: new LocalExportStore(fs.mkdtempSync(path.join(os.tmpdir(), 'autocall-exports-'))),
      trustedDocuments: { mode: 'require', apq: false },
    });
    const url = (await app.start(0)).replace('localhost', '127.0.0.1');
    try {
      const { page, blocked } = await offlinePage(browser);
      await page.goto(`${url}/`);
      await expect.poll(() => page.locator('#token-form').isVisible(), { timeout: 20_000 }).toBe(true);
      expect(await page.locator('#reports').isVisible()).toBe(false);

      await page.locator('#token').fill('not-a-token');
      await page.locator('#token-form button').click();
      await expect.poll(() => page.locator('#token-form').isVisible(), { timeout: 20_000 }).toBe(true);
      expect(await text(page, '#token-reason')).toMatch(/token/i);

      await page.locator('#token').fill(`Bearer ${await kit.token()}`);
      await page.locator('#token-form button').click();
      await expect.poll(() => text(page, '#status'), { timeout: 20_000 }).toMatch(/^Live · updated/);
      expect(await kpi(page, 'dialed')).toBe(count((await reports()).kpis.dialed as number));
      expect(blocked).toEqual([]);
      await page.close();
    } finally {
      await app.stop();
    }
  });
});

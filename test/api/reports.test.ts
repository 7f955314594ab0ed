import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPORT_FIXTURE } from '../support/report-fixture.js';
import { createTestkit, type Testkit } from '../support/testkit.js';

let kit: Testkit;
beforeAll(async () => {
  kit = await createTestkit(REPORT_FIXTURE);
});
afterAll(() => kit.close());

const JUNE = 'from: "2026-06-01T00:00:00Z", to: "2026-07-01T00:00:00Z"';
const KPI_FIELDS = `totalLeads dialed answered noAnswer busy failed abandoned answerRatePct avgCallDurationSec
  totalTalkTimeSec dtmfDistribution { key count } transferToQueueCount transferSuccessRatePct computedAt`;

async function campaignReport(id: string, selection: string) {
  const data = await kit.data(`{ campaign(id: "${id}") { ${selection} } }`);
  return data.campaign;
}

describe('Campaign.firstCallAt and lastCallAt', () => {
  it('give when the first and the latest call started, null without calls, in one statement for many campaigns', async () => {
    const spans: string[] = [];
    const stop = kit.db.queryLog.observe((sql) => void (sql.includes('call_attempt') && spans.push(sql)));
    const data = await kit.data<any>('{ campaigns(first: 10) { edges { node { id firstCallAt lastCallAt } } } }').finally(stop);
    expect(data.campaigns.edges.map((edge: any) => edge.node)).toEqual([
      { id: '5', firstCallAt: '2026-06-01T02:00:00.000Z', lastCallAt: '2026-06-06T02:00:00.000Z' },
      { id: '8', firstCallAt: null, lastCallAt: null },
      { id: '20', firstCallAt: '2026-03-08T07:30:00.000Z', lastCallAt: '2026-11-01T06:45:00.000Z' },
    ]);
    expect(spans).toHaveLength(1);
  });
});

describe('Campaign.kpis', () => {
  it('counts every attempt of the window, several per lead', async () => {
    const before = Date.now();
    const { kpis } = await campaignReport('5', `kpis(${JUNE}) { ${KPI_FIELDS} }`);
    expect({ ...kpis, computedAt: undefined }).toEqual({
      totalLeads: 5,
      dialed: 10,
      answered: 6,
      noAnswer: 1,
      busy: 1,
      failed: 1,
      abandoned: 1,
      answerRatePct: '60.00',
      avgCallDurationSec: 41,
      totalTalkTimeSec: 248,
      dtmfDistribution: [
        { key: '1', count: 3 },
        { key: '2', count: 1 },
        { key: '9', count: 1 },
        { key: 'no_input', count: 1 },
      ],
      transferToQueueCount: 2,
      transferSuccessRatePct: '66.67',
      computedAt: undefined,
    });
    expect(Date.parse(kpis.computedAt)).toBeGreaterThanOrEqual(before - 1000);
  });

  it('includes from and excludes to', async () => {
    const { kpis } = await campaignReport('5', `kpis(from: "2026-06-02T10:00:00+07:00", to: "2026-06-03T11:00:00+07:00") { ${KPI_FIELDS} }`);
    expect(kpis).toMatchObject({
      totalLeads: 5,
      dialed: 4,
      answered: 3,
      noAnswer: 0,
      busy: 1,
      failed: 0,
      abandoned: 0,
      answerRatePct: '75.00',
      avgCallDurationSec: 47,
      totalTalkTimeSec: 141,
      dtmfDistribution: [
        { key: '1', count: 1 },
        { key: '2', count: 1 },
        { key: '9', count: 1 },
      ],
      transferToQueueCount: 0,
      transferSuccessRatePct: '0.00',
    });
  });

  it('defaults the window to the campaign start and now, counting leads imported since', async () => {
    const { kpis } = await campaignReport('5', `kpis { totalLeads dialed }`);
    expect(kpis).toEqual({ totalLeads: 6, dialed: 10 });
  });

  it('reads from and to without an offset as local times in its timezone, Asia/Ho_Chi_Minh by default', async () => {
    // June 2 in Hồ Chí Minh City (UTC+7) is 2026-06-01T17:00Z to 2026-06-02T17:00Z: C-3 and C-4, not C-5 at 17:30Z.
    const report = await campaignReport(
      '5',
      `local: kpis(from: "2026-06-02", to: "2026-06-03") { dialed }
       utc: kpis(from: "2026-06-02", to: "2026-06-03", timezone: "UTC") { dialed }
       utcTimes: kpis(from: "2026-06-02T00:00:00", to: "2026-06-02T17:30:00", timezone: "UTC") { dialed }
       offsetWins: kpis(from: "2026-06-02T00:00:00Z", to: "2026-06-03T00:00:00Z", timezone: "Asia/Ho_Chi_Minh") { dialed }
       tenPastTen: kpis(from: "2026-06-02T10:10:00", to: "2026-06-03") { dialed }
       hangup(from: "2026-06-02", to: "2026-06-03") { totalCalls }`,
    );
    expect(report).toEqual({
      local: { dialed: 2 },
      utc: { dialed: 3 },
      utcTimes: { dialed: 2 },
      offsetWins: { dialed: 3 },
      tenPastTen: { dialed: 1 },
      hangup: { totalCalls: 2 },
    });
  });

  it('is all zeros and nulls for a campaign without calls', async () => {
    const { kpis } = await campaignReport('8', `kpis(${JUNE}) { ${KPI_FIELDS} }`);
    expect({ ...kpis, computedAt: undefined }).toEqual({
      totalLeads: 0, dialed: 0, answered: 0, noAnswer: 0, busy: 0, failed: 0, abandoned: 0,
      answerRatePct: null, avgCallDurationSec: null, totalTalkTimeSec: 0, dtmfDistribution: [],
      transferToQueueCount: 0, transferSuccessRatePct: null, computedAt: undefined,
    });
  });
});

describe('Campaign.trend', () => {
  const FIELDS = 'bucket dialed answered answerRatePct avgDurationSec transferCount';

  it('buckets local days in Hồ Chí Minh City by default, empty days included', async () => {
    const { trend } = await campaignReport('5', `trend(from: "2026-06-01", to: "2026-06-04") { ${FIELDS} }`);
    expect(trend).toEqual([
      { bucket: '2026-06-01', dialed: 2, answered: 1, answerRatePct: '50.00', avgDurationSec: 42, transferCount: 1 },
      { bucket: '2026-06-02', dialed: 2, answered: 1, answerRatePct: '50.00', avgDurationSec: 30, transferCount: 0 },
      { bucket: '2026-06-03', dialed: 3, answered: 3, answerRatePct: '100.00', avgDurationSec: 44, transferCount: 0 },
      { bucket: '2026-06-04', dialed: 0, answered: 0, answerRatePct: null, avgDurationSec: null, transferCount: 0 },
    ]);
  });

  it('moves a call to the day it started on in the given zone', async () => {
    const { trend } = await campaignReport('5', `trend(from: "2026-06-02", to: "2026-06-03", timezone: "UTC") { bucket dialed }`);
    expect(trend).toEqual([
      { bucket: '2026-06-02', dialed: 3 },
      { bucket: '2026-06-03', dialed: 2 },
    ]);
  });

  it('buckets hours with their offset', async () => {
    const { trend } = await campaignReport('5', `trend(from: "2026-06-01", to: "2026-06-01", granularity: HOUR) { ${FIELDS} }`);
    expect(trend).toHaveLength(24);
    expect(trend.filter((bucket: any) => bucket.dialed > 0)).toEqual([
      { bucket: '2026-06-01T09:00:00+07:00', dialed: 2, answered: 1, answerRatePct: '50.00', avgDurationSec: 42, transferCount: 1 },
    ]);
    expect(trend[0].bucket).toBe('2026-06-01T00:00:00+07:00');
  });

  it('has 25 New York hours on the fall-back day, the repeated 01:00 twice', async () => {
    const { trend } = await campaignReport('20', `trend(from: "2026-11-01", to: "2026-11-01", granularity: HOUR, timezone: "America/New_York") { bucket dialed answered }`);
    expect(trend).toHaveLength(25);
    expect(trend.slice(0, 4)).toEqual([
      { bucket: '2026-11-01T00:00:00-04:00', dialed: 0, answered: 0 },
      { bucket: '2026-11-01T01:00:00-04:00', dialed: 1, answered: 1 },
      { bucket: '2026-11-01T01:00:00-05:00', dialed: 2, answered: 1 },
      { bucket: '2026-11-01T02:00:00-05:00', dialed: 0, answered: 0 },
    ]);
    expect(trend[24].bucket).toBe('2026-11-01T23:00:00-05:00');
  });

  it('has 23 New York hours on the spring-forward day', async () => {
    const { trend } = await campaignReport('20', `trend(from: "2026-03-08", to: "2026-03-08", granularity: HOUR, timezone: "America/New_York") { bucket dialed }`);
    expect(trend).toHaveLength(23);
    expect(trend.slice(1, 4)).toEqual([
      { bucket: '2026-03-08T01:00:00-05:00', dialed: 0 },
      { bucket: '2026-03-08T03:00:00-04:00', dialed: 1 },
      { bucket: '2026-03-08T04:00:00-04:00', dialed: 0 },
    ]);
  });

  it('counts a whole New York day of 25 hours', async () => {
    const { trend } = await campaignReport('20', `trend(from: "2026-10-31", to: "2026-11-02", timezone: "America/New_York") { bucket dialed answered avgDurationSec }`);
    expect(trend).toEqual([
      { bucket: '2026-10-31', dialed: 0, answered: 0, avgDurationSec: null },
      { bucket: '2026-11-01', dialed: 3, answered: 2, avgDurationSec: 16 },
      { bucket: '2026-11-02', dialed: 0, answered: 0, avgDurationSec: null },
    ]);
  });
});

describe('Campaign.hangup', () => {
  it('counts attempts by cause, count descending then name, shares summing to 100', async () => {
    const { hangup } = await campaignReport('5', `hangup(${JUNE}) { totalCalls byHangupCause { hangupCause count pct } }`);
    expect(hangup).toEqual({
      totalCalls: 10,
      byHangupCause: [
        { hangupCause: 'NORMAL_CLEARING', count: 6, pct: '60.00' },
        { hangupCause: 'CALL_REJECTED', count: 1, pct: '10.00' },
        { hangupCause: 'NO_ANSWER', count: 1, pct: '10.00' },
        { hangupCause: 'ORIGINATOR_CANCEL', count: 1, pct: '10.00' },
        { hangupCause: 'USER_BUSY', count: 1, pct: '10.00' },
      ],
    });
  });

  it('apportions thirds to exactly 100.00', async () => {
    const { hangup } = await campaignReport('20', `hangup { totalCalls byHangupCause { hangupCause count pct } }`);
    expect(hangup).toEqual({
      totalCalls: 4,
      byHangupCause: [
        { hangupCause: 'NORMAL_CLEARING', count: 2, pct: '50.00' },
        { hangupCause: 'NO_ANSWER', count: 1, pct: '25.00' },
        { hangupCause: 'USER_BUSY', count: 1, pct: '25.00' },
      ],
    });
    const { hangup: cut } = await campaignReport('20', `hangup(from: "2026-11-01T00:00:00Z") { byHangupCause { hangupCause pct } }`);
    expect(cut.byHangupCause).toEqual([
      { hangupCause: 'NORMAL_CLEARING', pct: '66.67' },
      { hangupCause: 'NO_ANSWER', pct: '33.33' },
    ]);
  });

  it('is empty for a campaign without calls', async () => {
    expect(await campaignReport('8', `hangup { totalCalls byHangupCause { hangupCause } }`)).toEqual({ hangup: { totalCalls: 0, byHangupCause: [] } });
  });
});

describe('Campaign.heatmap', () => {
  it('has 168 cells in weekday × hour order with local hours', async () => {
    const { heatmap } = await campaignReport('5', `heatmap(metric: ANSWER_RATE_PCT, ${JUNE}) { dayOfWeek hour dialed answered answerRatePct value }`);
    expect(heatmap).toHaveLength(168);
    expect(heatmap.map((cell: any) => [cell.dayOfWeek, cell.hour])).toEqual(
      Array.from({ length: 168 }, (_, index) => [Math.floor(index / 24), index % 24]),
    );
    expect(heatmap.filter((cell: any) => cell.dialed > 0)).toEqual([
      { dayOfWeek: 1, hour: 9, dialed: 2, answered: 1, answerRatePct: '50.00', value: 50 },
      { dayOfWeek: 2, hour: 10, dialed: 2, answered: 1, answerRatePct: '50.00', value: 50 },
      { dayOfWeek: 3, hour: 0, dialed: 1, answered: 1, answerRatePct: '100.00', value: 100 },
      { dayOfWeek: 3, hour: 9, dialed: 1, answered: 1, answerRatePct: '100.00', value: 100 },
      { dayOfWeek: 3, hour: 11, dialed: 1, answered: 1, answerRatePct: '100.00', value: 100 },
      { dayOfWeek: 5, hour: 8, dialed: 1, answered: 0, answerRatePct: '0.00', value: 0 },
      { dayOfWeek: 5, hour: 9, dialed: 1, answered: 1, answerRatePct: '100.00', value: 100 },
      { dayOfWeek: 6, hour: 9, dialed: 1, answered: 0, answerRatePct: '0.00', value: 0 },
    ]);
    expect(heatmap[0]).toEqual({ dayOfWeek: 0, hour: 0, dialed: 0, answered: 0, answerRatePct: null, value: null });
  });

  it('carries dialed by default and follows the zone through DST', async () => {
    const { heatmap } = await campaignReport('20', `heatmap(timezone: "America/New_York") { dayOfWeek hour dialed value }`);
    expect(heatmap.filter((cell: any) => cell.dialed > 0)).toEqual([
      { dayOfWeek: 0, hour: 1, dialed: 3, value: 3 },
      { dayOfWeek: 0, hour: 3, dialed: 1, value: 1 },
    ]);
    const { heatmap: answered } = await campaignReport('20', `heatmap(metric: ANSWERED, timezone: "America/New_York") { value }`);
    expect(answered[1].value).toBe(2);
  });
});

describe('Campaign.dtmf', () => {
  it('splits answered attempts by key, labels the script\'s keys and lists IVR paths', async () => {
    const { dtmf } = await campaignReport(
      '5',
      `dtmf(${JUNE}) { totalAnswered withDtmfInput noInput noInputRatePct byDigit { digit count pct label } byScriptPath { path count } }`,
    );
    expect(dtmf).toEqual({
      totalAnswered: 6,
      withDtmfInput: 5,
      noInput: 1,
      noInputRatePct: '16.67',
      byDigit: [
        { digit: '1', count: 3, pct: '60.00', label: 'Đồng ý chuyển agent' },
        { digit: '2', count: 1, pct: '20.00', label: 'Không quan tâm' },
        { digit: '9', count: 1, pct: '20.00', label: null },
      ],
      byScriptPath: [
        { path: 'intro → press_1 → queue_sales', count: 3 },
        { path: 'intro → invalid_input → hangup', count: 1 },
        { path: 'intro → no_input → hangup', count: 1 },
        { path: 'intro → press_2 → playback_polite → hangup', count: 1 },
      ],
    });
  });

  it('is zeros and nulls without answered calls', async () => {
    const { dtmf } = await campaignReport('8', `dtmf { totalAnswered withDtmfInput noInput noInputRatePct byDigit { digit } byScriptPath { path } }`);
    expect(dtmf).toEqual({ totalAnswered: 0, withDtmfInput: 0, noInput: 0, noInputRatePct: null, byDigit: [], byScriptPath: [] });
  });
});

describe('Campaign.funnel', () => {
  it('counts distinct leads, each stage a subset of the one before', async () => {
    const { funnel } = await campaignReport('5', `funnel(${JUNE}) { stage count dropRatePct }`);
    expect(funnel).toEqual([
      { stage: 'Imported lead', count: 5, dropRatePct: null },
      { stage: 'Dialed', count: 5, dropRatePct: '0.00' },
      { stage: 'Answered', count: 4, dropRatePct: '20.00' },
      { stage: 'Pressed valid DTMF', count: 3, dropRatePct: '25.00' },
      { stage: 'Transferred to agent', count: 2, dropRatePct: '33.33' },
      { stage: 'Agent disposed', count: 1, dropRatePct: '50.00' },
    ]);
  });

  it('only counts what happened in the window', async () => {
    const { funnel } = await campaignReport('5', `funnel(from: "2026-06-02T00:00:00Z", to: "2026-06-04T00:00:00Z") { count }`);
    expect(funnel.map((stage: any) => stage.count)).toEqual([5, 5, 4, 2, 0, 0]);
  });

  it('is all zeros for a campaign without leads', async () => {
    const { funnel } = await campaignReport('8', `funnel { count dropRatePct }`);
    expect(funnel).toEqual(Array.from({ length: 6 }, () => ({ count: 0, dropRatePct: null })));
  });
});

describe('Query.campaignComparison', () => {
  const compare = (args: string) =>
    kit.execute(`{ campaignComparison(${args}) { campaignId campaignName metricValue } }`);

  it('orders by the metric descending, nulls last', async () => {
    expect((await compare(`campaignIds: ["8", "20", "5"], ${JUNE}`)).data).toEqual({
      campaignComparison: [
        { campaignId: '5', campaignName: 'Renewal Q3', metricValue: '60.00' },
        { campaignId: '8', campaignName: 'Cross-sell Q3', metricValue: null },
        { campaignId: '20', campaignName: 'New York pilot', metricValue: null },
      ],
    });
  });

  it('compares average talk time and transfer rate with two decimals', async () => {
    expect((await compare(`campaignIds: ["5", "20"], metric: AVG_DURATION_SEC`)).data).toEqual({
      campaignComparison: [
        { campaignId: '5', campaignName: 'Renewal Q3', metricValue: '41.33' },
        { campaignId: '20', campaignName: 'New York pilot', metricValue: '15.50' },
      ],
    });
    expect((await compare(`campaignIds: ["20", "5"], metric: TRANSFER_RATE_PCT`)).data).toEqual({
      campaignComparison: [
        { campaignId: '5', campaignName: 'Renewal Q3', metricValue: '33.33' },
        { campaignId: '20', campaignName: 'New York pilot', metricValue: '0.00' },
      ],
    });
  });

  it('refuses ids the caller cannot see with the same message, unknown or another tenant\'s', async () => {
    const foreign = await compare(`campaignIds: ["5", "12"]`);
    const unknown = await compare(`campaignIds: ["5", "404"]`);
    expect(foreign.errors?.map((error) => [error.message, error.extensions?.code])).toEqual([['Campaign "12" not found', 'NOT_FOUND']]);
    expect(unknown.errors?.map((error) => [error.message, error.extensions?.code])).toEqual([['Campaign "404" not found', 'NOT_FOUND']]);
  });

  it('refuses more than 100 ids', async () => {
    const ids = Array.from({ length: 101 }, (_, index) => `"${index + 1}"`).join(', ');
    const response = await compare(`campaignIds: [${ids}]`);
    expect(response.errors?.[0]).toMatchObject({
      message: 'Argument "campaignIds" may name at most 100 campaigns, got 101',
      extensions: { code: 'BAD_USER_INPUT', argumentName: 'campaignIds' },
    });
  });
});

describe('report arguments', () => {
  const errorOf = async (query: string) => (await kit.execute(query)).errors?.map((e) => ({ message: e.message, ...e.extensions }));

  it('refuses from after to, naming from', async () => {
    expect(await errorOf(`{ campaign(id: "5") { kpis(from: "2026-07-01T00:00:00Z", to: "2026-06-01T00:00:00Z") { dialed } } }`)).toEqual([
      { message: 'Argument "from" (2026-07-01T00:00:00.000Z) must not be after "to" (2026-06-01T00:00:00.000Z)', code: 'BAD_USER_INPUT', argumentName: 'from' },
    ]);
    expect(await errorOf(`{ campaign(id: "5") { trend(from: "2026-06-02", to: "2026-06-01") { bucket } } }`)).toEqual([
      { message: 'Argument "from" (2026-06-02) must not be after "to" (2026-06-01)', code: 'BAD_USER_INPUT', argumentName: 'from' },
    ]);
  });

  it('refuses HOUR buckets over more than 31 days, naming granularity', async () => {
    expect(await errorOf(`{ campaign(id: "5") { trend(from: "2026-06-01", to: "2026-07-31", granularity: HOUR) { bucket } } }`)).toEqual([
      { message: 'Argument "granularity" HOUR covers at most 31 days; this window has 61', code: 'BAD_USER_INPUT', argumentName: 'granularity' },
    ]);
  });

  it('refuses an unknown zone and malformed values, naming the argument', async () => {
    const [zone] = (await errorOf(`{ campaign(id: "5") { heatmap(timezone: "Europe/Atlantis") { value } } }`))!;
    expect(zone).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'timezone' });
    expect(zone!.message).toMatch(/^Argument "timezone" has an invalid value: /);
    const [day] = (await errorOf(`{ campaign(id: "5") { trend(from: "2026-02-30") { bucket } } }`))!;
    expect(day).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'from' });
    const [instant] = (await errorOf(`{ campaign(id: "5") { kpis(to: "2026-06-01T24:61:00") { dialed } } }`))!;
    expect(instant).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'to' });
    const [ancient] = (await errorOf(`{ campaign(id: "5") { trend(from: "0001-01-01", to: "0001-01-02") { bucket } } }`))!;
    expect(ancient).toEqual({
      message: 'Argument "from" has an invalid value: Date cannot represent "0001-01-01": Year 1 is outside 1900-9999 (expected e.g. 2026-06-30)',
      code: 'BAD_USER_INPUT',
      argumentName: 'from',
    });
    const [ancientInstant] = (await errorOf(`{ campaign(id: "5") { kpis(from: "0001-01-01T00:00:00Z") { dialed } } }`))!;
    expect(ancientInstant).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'from' });
  });
});

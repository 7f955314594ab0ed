import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/demo/random.js';
import { call, campaign, lead } from '../support/fixtures.js';
import { createTestkit, ndjson, type Testkit } from '../support/testkit.js';

// previousPeriod, talkTimePercentiles and dispositions against values the test works out itself
// from the calls it imports (and, for the percentiles, PostgreSQL's own percentile_disc), on
// windows that cross New York's spring-forward day and in Kathmandu's +05:45.

const next = seededRandom(20261202);
const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;

const SPAN = [Date.UTC(2026, 2, 1), Date.UTC(2026, 3, 10)];
const DISPOSITIONS = ['interested', 'callback', 'not_interested', 'sale'];

interface Attempt {
  startedAt: number;
  result: string;
  billsec: number;
  disposition: string | null;
}

const attempts: Attempt[] = Array.from({ length: 1_500 }, () => {
  const result = pick(['answered', 'answered', 'answered', 'no_answer', 'busy']);
  const answered = result === 'answered';
  return {
    startedAt: SPAN[0]! + Math.floor(next() * (SPAN[1]! - SPAN[0]!)),
    result,
    // Many repeated values, so ranks fall inside runs of equal seconds.
    billsec: answered ? Math.floor(next() * next() * 240) : 0,
    disposition: answered && next() < 0.4 ? pick(DISPOSITIONS) : null,
  };
});

const records = ndjson(
  campaign(5, 'Spring', 'acme', { started_at: new Date(SPAN[0]!).toISOString() }),
  ...Array.from({ length: 100 }, (_, i) => lead(`IN-${i}`, 5, { imported_at: '2026-02-20T00:00:00Z' })),
  ...attempts.map((attempt, i) =>
    call(`IN-C${i}`, 5, `IN-${i % 100}`, {
      started_at: new Date(attempt.startedAt).toISOString(),
      answered_at: attempt.result === 'answered' ? new Date(attempt.startedAt + 3_000).toISOString() : null,
      ended_at: new Date(attempt.startedAt + 3_000 + attempt.billsec * 1_000).toISOString(),
      result: attempt.result,
      billsec: attempt.billsec,
      hangup_cause: attempt.result === 'busy' ? 'USER_BUSY' : 'NORMAL_CLEARING',
      dtmf: null,
      script_path: null,
      transfer: attempt.disposition ? { queue: 'sales', status: 'success' } : null,
      disposition: attempt.disposition,
    }),
  ),
);

// ---- the expected values, worked out here ----

const inWindow = (from: string, to: string) => attempts.filter((a) => a.startedAt >= Date.parse(from) && a.startedAt < Date.parse(to));

/** Nearest rank: the ⌈p·n/100⌉-th smallest value. */
function nearestRank(values: number[], p: number) {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.ceil((p * sorted.length) / 100) - 1]!;
}
const percentilesOf = (from: string, to: string) => {
  const talk = inWindow(from, to).filter((a) => a.result === 'answered').map((a) => a.billsec);
  return { p50: nearestRank(talk, 50), p90: nearestRank(talk, 90), p95: nearestRank(talk, 95), p99: nearestRank(talk, 99) };
};

/** Shares in hundredths that sum to 10,000: floors first, then one more each to the largest remainders. */
function shares(counts: number[]) {
  const total = counts.reduce((a, b) => a + b, 0);
  const floors = counts.map((count) => Math.floor((count * 10_000) / total));
  const order = counts.map((count, i) => i).sort((a, b) => ((counts[b]! * 10_000) % total) - ((counts[a]! * 10_000) % total) || a - b);
  let left = 10_000 - floors.reduce((a, b) => a + b, 0);
  for (const i of order) if (left-- > 0) floors[i]! += 1;
  return floors.map((hundredths) => (hundredths / 100).toFixed(2));
}
function dispositionsOf(from: string, to: string) {
  const counts = new Map<string, number>();
  for (const a of inWindow(from, to)) if (a.disposition) counts.set(a.disposition, (counts.get(a.disposition) ?? 0) + 1);
  const sorted = [...counts].sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1));
  const pcts = shares(sorted.map(([, count]) => count));
  return {
    totalDisposed: sorted.reduce((sum, [, count]) => sum + count, 0),
    byDisposition: sorted.map(([disposition, count], i) => ({ disposition, count, pct: pcts[i] })),
  };
}
const kpisOf = (from: string, to: string) => {
  const window = inWindow(from, to);
  const answered = window.filter((a) => a.result === 'answered');
  return { dialed: window.length, answered: answered.length, totalTalkTimeSec: answered.reduce((sum, a) => sum + a.billsec, 0) };
};

let kit: Testkit;
beforeAll(async () => {
  kit = await createTestkit(records);
}, 120_000);
afterAll(() => kit.close());

const KPIS = `query Kpis($from: DateTime, $to: DateTime, $zone: TimeZone) {
  campaign(id: "5") {
    kpis(from: $from, to: $to, timezone: $zone) {
      dialed answered totalTalkTimeSec talkTimePercentiles { p50 p90 p95 p99 }
      previousPeriod { dialed answered totalTalkTimeSec talkTimePercentiles { p50 p90 p95 p99 } previousPeriod { dialed } }
    }
  }
}`;

/** The same windows as instants, worked out by hand: [local from, local to) and the one before. */
const WINDOWS = [
  {
    name: 'New York, two days across spring-forward (47 hours)',
    args: { from: '2026-03-07T00:00:00', to: '2026-03-09T00:00:00', zone: 'America/New_York' },
    window: ['2026-03-07T05:00:00Z', '2026-03-09T04:00:00Z'],
    previous: ['2026-03-05T06:00:00Z', '2026-03-07T05:00:00Z'],
  },
  {
    name: 'Kathmandu (+05:45), from 09:30 on a day to midnight two days later',
    args: { from: '2026-04-01T09:30:00', to: '2026-04-03T00:00:00', zone: 'Asia/Kathmandu' },
    window: ['2026-04-01T03:45:00Z', '2026-04-02T18:15:00Z'],
    previous: ['2026-03-30T13:15:00Z', '2026-04-01T03:45:00Z'], // 38 h 30 min before
  },
  {
    name: 'a month in UTC',
    args: { from: '2026-03-10T00:00:00Z', to: '2026-04-09T00:00:00Z', zone: 'UTC' },
    window: ['2026-03-10T00:00:00Z', '2026-04-09T00:00:00Z'],
    previous: ['2026-02-08T00:00:00Z', '2026-03-10T00:00:00Z'],
  },
] as const;

describe('CampaignKpis.previousPeriod and talkTimePercentiles', () => {
  for (const { name, args, window, previous } of WINDOWS) {
    it(`match the calls of the window and the one before: ${name}`, async () => {
      const { campaign: result } = await kit.data(KPIS, args);
      const expected = {
        ...kpisOf(window[0], window[1]),
        talkTimePercentiles: percentilesOf(window[0], window[1]),
        previousPeriod: { ...kpisOf(previous[0], previous[1]), talkTimePercentiles: percentilesOf(previous[0], previous[1]), previousPeriod: null },
      };
      expect(expected.answered).toBeGreaterThan(20);
      expect(result.kpis).toEqual(expected);

      // PostgreSQL's percentile_disc over the raw rows says the same.
      const [disc] = await kit.db.prisma.$queryRawUnsafe<{ p: number[] }[]>(
        `SELECT percentile_disc(ARRAY[0.5, 0.9, 0.95, 0.99]) WITHIN GROUP (ORDER BY billsec) AS p
         FROM call_attempt WHERE campaign_id = 5 AND result = 'answered' AND started_at >= $1::timestamptz AND started_at < $2::timestamptz`,
        window[0],
        window[1],
      );
      expect(Object.values(result.kpis.talkTimePercentiles)).toEqual(disc!.p);
    });
  }

  it('are null when nothing was answered, and previousPeriod is one level deep', async () => {
    const { campaign: result } = await kit.data(KPIS, { from: '2025-01-01T00:00:00Z', to: '2025-01-02T00:00:00Z' });
    expect(result.kpis).toEqual({
      dialed: 0, answered: 0, totalTalkTimeSec: 0, talkTimePercentiles: { p50: null, p90: null, p95: null, p99: null },
      previousPeriod: { dialed: 0, answered: 0, totalTalkTimeSec: 0, talkTimePercentiles: { p50: null, p90: null, p95: null, p99: null }, previousPeriod: null },
    });
  });
});

describe('Campaign.dispositions', () => {
  const DISPOSITION_QUERY = `query D($from: DateTime, $to: DateTime) {
    campaign(id: "5") { dispositions(from: $from, to: $to) { totalDisposed byDisposition { disposition count pct } } }
  }`;

  for (const [name, from, to] of [
    ['Kathmandu days given with their offset', '2026-03-20T00:00:00+05:45', '2026-03-27T00:00:00+05:45'],
    ['New York across spring-forward', '2026-03-07T00:00:00-05:00', '2026-03-09T00:00:00-04:00'],
    ['the whole campaign', undefined, undefined],
  ] as const) {
    it(`counts the attempts that carry one, shares summing to 100.00: ${name}`, async () => {
      const { campaign: result } = await kit.data(DISPOSITION_QUERY, { from, to });
      const expected = dispositionsOf(from ?? new Date(SPAN[0]!).toISOString(), to ?? new Date().toISOString());
      expect(expected.totalDisposed).toBeGreaterThan(5);
      expect(result.dispositions).toEqual(expected);
      const sum = result.dispositions.byDisposition.reduce((total: number, item: { pct: string }) => total + Math.round(Number(item.pct) * 100), 0);
      expect(sum).toBe(10_000);
    });
  }

  it('is empty for a window without dispositions, and names a bad argument', async () => {
    const { campaign: result } = await kit.data(DISPOSITION_QUERY, { from: '2025-01-01T00:00:00Z', to: '2025-01-02T00:00:00Z' });
    expect(result.dispositions).toEqual({ totalDisposed: 0, byDisposition: [] });
    const refused = await kit.execute(DISPOSITION_QUERY, { variables: { from: '2026-04-02T00:00:00Z', to: '2026-04-01T00:00:00Z' } });
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'from' });
  });
});

describe('trend buckets: start and end, quarter hours, ISO weeks and months', () => {
  const TREND = `query T($from: Date, $to: Date, $zone: TimeZone, $granularity: TrendGranularity!) {
    campaign(id: "5") { trend(from: $from, to: $to, timezone: $zone, granularity: $granularity) { bucket start end dialed answered avgDurationSec } }
  }`;
  type Bucket = { bucket: string; start: string; end: string; dialed: number; answered: number; avgDurationSec: number | null };
  const trend = async (variables: Record<string, string>) => (await kit.data<{ campaign: { trend: Bucket[] } }>(TREND, variables)).campaign.trend;

  /** Each bucket holds exactly the attempts that started in [start, end), and the buckets tile the range. */
  function expectCounts(buckets: Bucket[], from: string, to: string) {
    expect(buckets[0]!.start).toBe(from);
    expect(buckets.at(-1)!.end).toBe(to);
    buckets.forEach((bucket, i) => {
      if (i > 0) expect(bucket.start).toBe(buckets[i - 1]!.end);
      const inside = inWindow(bucket.start, bucket.end);
      const answered = inside.filter((a) => a.result === 'answered');
      const talk = answered.reduce((sum, a) => sum + a.billsec, 0);
      expect([bucket.dialed, bucket.answered, bucket.avgDurationSec], bucket.bucket).toEqual([
        inside.length, answered.length, answered.length ? Math.floor((2 * talk + answered.length) / (2 * answered.length)) : null,
      ]);
    });
    expect(buckets.reduce((sum, bucket) => sum + bucket.dialed, 0)).toBe(inWindow(from, to).length);
  }

  it('QUARTER_HOUR in New York on the spring-forward day: 92 quarters, 01:45 -05:00 then 03:00 -04:00', async () => {
    const buckets = await trend({ from: '2026-03-08', to: '2026-03-08', zone: 'America/New_York', granularity: 'QUARTER_HOUR' });
    expect(buckets).toHaveLength(92);
    expect(buckets.slice(7, 9).map((b) => [b.bucket, b.start, b.end])).toEqual([
      ['2026-03-08T01:45:00-05:00', '2026-03-08T06:45:00.000Z', '2026-03-08T07:00:00.000Z'],
      ['2026-03-08T03:00:00-04:00', '2026-03-08T07:00:00.000Z', '2026-03-08T07:15:00.000Z'],
    ]);
    expectCounts(buckets, '2026-03-08T05:00:00.000Z', '2026-03-09T04:00:00.000Z');
  });

  it('QUARTER_HOUR in Kathmandu (+05:45) over two days', async () => {
    const buckets = await trend({ from: '2026-03-20', to: '2026-03-21', zone: 'Asia/Kathmandu', granularity: 'QUARTER_HOUR' });
    expect(buckets).toHaveLength(192);
    expect(buckets[1]).toMatchObject({ bucket: '2026-03-20T00:15:00+05:45', start: '2026-03-19T18:30:00.000Z', end: '2026-03-19T18:45:00.000Z' });
    expectCounts(buckets, '2026-03-19T18:15:00.000Z', '2026-03-21T18:15:00.000Z');
  });

  it('DAY in Havana, whose clocks skip from midnight to 01:00 on 2026-03-08: that day starts at 01:00', async () => {
    const buckets = await trend({ from: '2026-03-07', to: '2026-03-09', zone: 'America/Havana', granularity: 'DAY' });
    expect(buckets.map((b) => [b.bucket, b.start, b.end])).toEqual([
      ['2026-03-07', '2026-03-07T05:00:00.000Z', '2026-03-08T05:00:00.000Z'],
      ['2026-03-08', '2026-03-08T05:00:00.000Z', '2026-03-09T04:00:00.000Z'],
      ['2026-03-09', '2026-03-09T04:00:00.000Z', '2026-03-10T04:00:00.000Z'],
    ]);
    expectCounts(buckets, '2026-03-07T05:00:00.000Z', '2026-03-10T04:00:00.000Z');
  });

  it('WEEK in New York: ISO weeks labelled by their Monday, the first and last clipped to the range', async () => {
    // Wednesday 2026-03-04 to Tuesday 2026-03-24; the second week holds the spring-forward Sunday.
    const buckets = await trend({ from: '2026-03-04', to: '2026-03-24', zone: 'America/New_York', granularity: 'WEEK' });
    expect(buckets.map((b) => [b.bucket, b.start, b.end])).toEqual([
      ['2026-03-02', '2026-03-04T05:00:00.000Z', '2026-03-09T04:00:00.000Z'],
      ['2026-03-09', '2026-03-09T04:00:00.000Z', '2026-03-16T04:00:00.000Z'],
      ['2026-03-16', '2026-03-16T04:00:00.000Z', '2026-03-23T04:00:00.000Z'],
      ['2026-03-23', '2026-03-23T04:00:00.000Z', '2026-03-25T04:00:00.000Z'],
    ]);
    expectCounts(buckets, '2026-03-04T05:00:00.000Z', '2026-03-25T04:00:00.000Z');
  });

  it('MONTH in Kathmandu, clipped to the range', async () => {
    const buckets = await trend({ from: '2026-02-25', to: '2026-04-05', zone: 'Asia/Kathmandu', granularity: 'MONTH' });
    expect(buckets.map((b) => [b.bucket, b.start, b.end])).toEqual([
      ['2026-02', '2026-02-24T18:15:00.000Z', '2026-02-28T18:15:00.000Z'],
      ['2026-03', '2026-02-28T18:15:00.000Z', '2026-03-31T18:15:00.000Z'],
      ['2026-04', '2026-03-31T18:15:00.000Z', '2026-04-05T18:15:00.000Z'],
    ]);
    expectCounts(buckets, '2026-02-24T18:15:00.000Z', '2026-04-05T18:15:00.000Z');
  });

  it('DAY says a New York fall-back day is 25 hours long', async () => {
    const buckets = await trend({ from: '2026-11-01', to: '2026-11-01', zone: 'America/New_York', granularity: 'DAY' });
    expect(buckets).toEqual([{ bucket: '2026-11-01', start: '2026-11-01T04:00:00.000Z', end: '2026-11-02T05:00:00.000Z', dialed: 0, answered: 0, avgDurationSec: null }]);
  });

  it('refuses QUARTER_HOUR over 7 days and WEEK over 3 years, naming the argument', async () => {
    const refusal = async (variables: Record<string, string>) => (await kit.execute(TREND, { variables })).errors?.[0];
    expect(await refusal({ from: '2026-03-01', to: '2026-03-08', granularity: 'QUARTER_HOUR' })).toMatchObject({
      message: 'Argument "granularity" QUARTER_HOUR covers at most 7 days; this window has 8',
      extensions: { code: 'BAD_USER_INPUT', argumentName: 'granularity' },
    });
    expect((await refusal({ from: '2024-01-01', to: '2027-01-01', granularity: 'WEEK' }))?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'to' });
  });
});

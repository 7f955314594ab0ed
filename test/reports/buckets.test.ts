import { describe, expect, it } from 'vitest';
import { planTrend, type Granularity } from '../../src/reports/buckets.js';
import { buildHeatmap } from '../../src/reports/heatmap.js';
import { buildTrend } from '../../src/reports/trend.js';
import { dayRangeWindow, resolveDayRange, resolveWindow } from '../../src/reports/window.js';

type Range = Parameters<typeof planTrend>[0];
const bucketLabels = (range: Range, granularity: Granularity) => planTrend(range, granularity).buckets.map((bucket) => bucket.label);
/** Buckets as [label, start, end] with ISO instants, for comparing with values worked out by hand. */
const spans = (range: Range, granularity: Granularity) =>
  planTrend(range, granularity).buckets.map((bucket) => [bucket.label, bucket.start.toISOString(), bucket.end.toISOString()]);

describe('trend buckets', () => {
  it('lists every day of the range, both ends included', () => {
    expect(bucketLabels({ firstDay: '2026-06-28', lastDay: '2026-07-01', zone: 'Asia/Ho_Chi_Minh' }, 'day')).toEqual([
      '2026-06-28', '2026-06-29', '2026-06-30', '2026-07-01',
    ]);
  });

  it('lists local hours with their offset', () => {
    const labels = bucketLabels({ firstDay: '2026-06-28', lastDay: '2026-06-28', zone: 'Asia/Ho_Chi_Minh' }, 'hour');
    expect(labels).toHaveLength(24);
    expect(labels[0]).toBe('2026-06-28T00:00:00+07:00');
    expect(labels[9]).toBe('2026-06-28T09:00:00+07:00');
  });

  it('has 23 hours on the New York spring-forward day and 25 on the fall-back day', () => {
    const spring = bucketLabels({ firstDay: '2026-03-08', lastDay: '2026-03-08', zone: 'America/New_York' }, 'hour');
    expect(spring).toHaveLength(23);
    expect(spring.slice(1, 3)).toEqual(['2026-03-08T01:00:00-05:00', '2026-03-08T03:00:00-04:00']);
    const fall = bucketLabels({ firstDay: '2026-11-01', lastDay: '2026-11-01', zone: 'America/New_York' }, 'hour');
    expect(fall).toHaveLength(25);
    expect(fall.slice(0, 4)).toEqual([
      '2026-11-01T00:00:00-04:00', '2026-11-01T01:00:00-04:00', '2026-11-01T01:00:00-05:00', '2026-11-01T02:00:00-05:00',
    ]);
  });

  it('labels hours west of UTC and in zones whose offset is not whole hours', () => {
    const kolkata = bucketLabels({ firstDay: '2026-06-28', lastDay: '2026-06-28', zone: 'Asia/Kolkata' }, 'hour');
    expect([kolkata[0], kolkata[23]]).toEqual(['2026-06-28T00:00:00+05:30', '2026-06-28T23:00:00+05:30']);
    const kathmandu = bucketLabels({ firstDay: '2026-06-28', lastDay: '2026-06-28', zone: 'Asia/Kathmandu' }, 'hour');
    expect(kathmandu[13]).toBe('2026-06-28T13:00:00+05:45');
    const honolulu = bucketLabels({ firstDay: '2026-12-31', lastDay: '2026-12-31', zone: 'Pacific/Honolulu' }, 'hour');
    expect([honolulu[0], honolulu[23]]).toEqual(['2026-12-31T00:00:00-10:00', '2026-12-31T23:00:00-10:00']);
  });

  it('list quarter hours with their offset, also at +05:45 and across a DST change', () => {
    const kathmandu = bucketLabels({ firstDay: '2026-06-28', lastDay: '2026-06-28', zone: 'Asia/Kathmandu' }, 'quarter_hour');
    expect(kathmandu).toHaveLength(96);
    expect(kathmandu.slice(36, 38)).toEqual(['2026-06-28T09:00:00+05:45', '2026-06-28T09:15:00+05:45']);
    const spring = spans({ firstDay: '2026-03-08', lastDay: '2026-03-08', zone: 'America/New_York' }, 'quarter_hour');
    expect(spring).toHaveLength(92);
    expect(spring.slice(7, 9)).toEqual([
      ['2026-03-08T01:45:00-05:00', '2026-03-08T06:45:00.000Z', '2026-03-08T07:00:00.000Z'],
      ['2026-03-08T03:00:00-04:00', '2026-03-08T07:00:00.000Z', '2026-03-08T07:15:00.000Z'],
    ]);
  });

  it('say which instants each covers: a New York fall-back day is 25 hours', () => {
    expect(spans({ firstDay: '2026-10-31', lastDay: '2026-11-02', zone: 'America/New_York' }, 'day')).toEqual([
      ['2026-10-31', '2026-10-31T04:00:00.000Z', '2026-11-01T04:00:00.000Z'],
      ['2026-11-01', '2026-11-01T04:00:00.000Z', '2026-11-02T05:00:00.000Z'],
      ['2026-11-02', '2026-11-02T05:00:00.000Z', '2026-11-03T05:00:00.000Z'],
    ]);
  });

  it('start a day at its first midnight where the clock reads midnight twice, and after the gap where it skips it', () => {
    // Havana sets its clocks back from 01:00 to 00:00 on 2026-11-01, and on 2026-03-08 forward from 00:00 to 01:00.
    expect(spans({ firstDay: '2026-10-31', lastDay: '2026-11-01', zone: 'America/Havana' }, 'day')).toEqual([
      ['2026-10-31', '2026-10-31T04:00:00.000Z', '2026-11-01T04:00:00.000Z'],
      ['2026-11-01', '2026-11-01T04:00:00.000Z', '2026-11-02T05:00:00.000Z'],
    ]);
    const fallBack = bucketLabels({ firstDay: '2026-11-01', lastDay: '2026-11-01', zone: 'America/Havana' }, 'hour');
    expect(fallBack).toHaveLength(25);
    expect(fallBack.slice(0, 3)).toEqual(['2026-11-01T00:00:00-04:00', '2026-11-01T00:00:00-05:00', '2026-11-01T01:00:00-05:00']);
    expect(spans({ firstDay: '2026-03-08', lastDay: '2026-03-09', zone: 'America/Havana' }, 'day')).toEqual([
      ['2026-03-08', '2026-03-08T05:00:00.000Z', '2026-03-09T04:00:00.000Z'],
      ['2026-03-09', '2026-03-09T04:00:00.000Z', '2026-03-10T04:00:00.000Z'],
    ]);
    expect(bucketLabels({ firstDay: '2026-03-08', lastDay: '2026-03-08', zone: 'America/Havana' }, 'hour')[0]).toBe('2026-03-08T01:00:00-04:00');
  });

  it('group days into ISO weeks labelled by their Monday, the first and last clipped to the range', () => {
    // 2026-03-04 is a Wednesday; New York springs forward on Sunday 2026-03-08.
    expect(spans({ firstDay: '2026-03-04', lastDay: '2026-03-17', zone: 'America/New_York' }, 'week')).toEqual([
      ['2026-03-02', '2026-03-04T05:00:00.000Z', '2026-03-09T04:00:00.000Z'],
      ['2026-03-09', '2026-03-09T04:00:00.000Z', '2026-03-16T04:00:00.000Z'],
      ['2026-03-16', '2026-03-16T04:00:00.000Z', '2026-03-18T04:00:00.000Z'],
    ]);
  });

  it('group days into months, the first and last clipped to the range', () => {
    expect(spans({ firstDay: '2026-01-30', lastDay: '2026-03-02', zone: 'Asia/Kathmandu' }, 'month')).toEqual([
      ['2026-01', '2026-01-29T18:15:00.000Z', '2026-01-31T18:15:00.000Z'],
      ['2026-02', '2026-01-31T18:15:00.000Z', '2026-02-28T18:15:00.000Z'],
      ['2026-03', '2026-02-28T18:15:00.000Z', '2026-03-02T18:15:00.000Z'],
    ]);
  });

  it('refuse quarter hours over more than 7 days, and days, weeks or months over 3 years', () => {
    expect(() => bucketLabels({ firstDay: '2026-06-01', lastDay: '2026-06-08', zone: 'UTC' }, 'quarter_hour')).toThrow(
      'Argument "granularity" QUARTER_HOUR covers at most 7 days; this window has 8',
    );
    for (const granularity of ['day', 'week', 'month'] as const) {
      expect(() => bucketLabels({ firstDay: '2024-01-01', lastDay: '2027-01-01', zone: 'UTC' }, granularity)).toThrow(
        'Argument "to" must be less than 3 years after "from" (2024-01-01): at most 2026-12-31',
      );
    }
  });

  it('refuses hour buckets over more than 31 days', () => {
    expect(() => bucketLabels({ firstDay: '2026-06-01', lastDay: '2026-07-02', zone: 'UTC' }, 'hour')).toThrow(
      'Argument "granularity" HOUR covers at most 31 days; this window has 32',
    );
  });
});

describe('windows', () => {
  it('map a New York day to its 23 real hours', () => {
    const range = resolveDayRange({ from: '2026-03-08', to: '2026-03-08' }, 'America/New_York', null, new Date());
    const { from, to } = dayRangeWindow(range);
    expect([from.toISOString(), to.toISOString()]).toEqual(['2026-03-08T05:00:00.000Z', '2026-03-09T04:00:00.000Z']);
  });

  it('default to the campaign start and now, and refuse from after to', () => {
    const start = new Date('2026-06-01T01:00:00Z');
    const now = new Date('2026-06-30T08:00:00Z');
    expect(resolveWindow({}, start, now)).toEqual({ from: start, to: now });
    expect(resolveDayRange({}, 'Asia/Ho_Chi_Minh', start, now)).toEqual({ firstDay: '2026-06-01', lastDay: '2026-06-30', zone: 'Asia/Ho_Chi_Minh' });
    expect(() => resolveWindow({ from: now, to: start }, null, now)).toThrow(
      'Argument "from" (2026-06-30T08:00:00.000Z) must not be after "to" (2026-06-01T01:00:00.000Z)',
    );
    expect(() => resolveDayRange({ from: '2026-06-02', to: '2026-06-01' }, 'UTC', null, now)).toThrow(
      'Argument "from" (2026-06-02) must not be after "to" (2026-06-01)',
    );
  });
});

describe('buildTrend', () => {
  it('fills empty buckets and reproduces the REST sample rates', () => {
    const range = { firstDay: '2026-06-27', lastDay: '2026-06-29', zone: 'Asia/Ho_Chi_Minh' };
    const trend = buildTrend(planTrend(range, 'day').buckets, [
      { step: 1, dialed: 1200, answered: 780, talkSec: 31_980, transfers: 460 },
      { step: 2, dialed: 1612, answered: 1098, talkSec: 47_214, transfers: 642 },
    ]);
    expect(trend).toEqual([
      { bucket: '2026-06-27', start: new Date('2026-06-26T17:00:00Z'), end: new Date('2026-06-27T17:00:00Z'), dialed: 0, answered: 0, answerRatePct: null, avgDurationSec: null, transferCount: 0 },
      { bucket: '2026-06-28', start: new Date('2026-06-27T17:00:00Z'), end: new Date('2026-06-28T17:00:00Z'), dialed: 1200, answered: 780, answerRatePct: '65.00', avgDurationSec: 41, transferCount: 460 },
      { bucket: '2026-06-29', start: new Date('2026-06-28T17:00:00Z'), end: new Date('2026-06-29T17:00:00Z'), dialed: 1612, answered: 1098, answerRatePct: '68.11', avgDurationSec: 43, transferCount: 642 },
    ]);
  });
});

describe('buildHeatmap', () => {
  it('has 168 cells, Sunday 00:00 first, with the chosen metric as value', () => {
    const cells = buildHeatmap([{ dayOfWeek: 1, hour: 9, dialed: 156, answered: 102 }], 'answer_rate_pct');
    expect(cells).toHaveLength(168);
    expect(cells[0]).toEqual({ dayOfWeek: 0, hour: 0, dialed: 0, answered: 0, answerRatePct: null, value: null });
    expect(cells[33]).toEqual({ dayOfWeek: 1, hour: 9, dialed: 156, answered: 102, answerRatePct: '65.38', value: 65.38 });
    expect(cells[167]).toMatchObject({ dayOfWeek: 6, hour: 23 });
    expect(buildHeatmap([{ dayOfWeek: 1, hour: 9, dialed: 156, answered: 102 }], 'answered')[33]!.value).toBe(102);
    expect(buildHeatmap([], 'dialed')[33]!.value).toBe(0);
  });
});

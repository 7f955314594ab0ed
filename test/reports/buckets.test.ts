import { describe, expect, it } from 'vitest';
import { bucketLabels } from '../../src/reports/buckets.js';
import { buildHeatmap } from '../../src/reports/heatmap.js';
import { buildTrend } from '../../src/reports/trend.js';
import { dayRangeWindow, resolveDayRange, resolveWindow } from '../../src/reports/window.js';

describe('bucketLabels', () => {
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
    const trend = buildTrend(range, 'day', [
      { bucket: '2026-06-28', dialed: 1200, answered: 780, talkSec: 31_980, transfers: 460 },
      { bucket: '2026-06-29', dialed: 1612, answered: 1098, talkSec: 47_214, transfers: 642 },
    ]);
    expect(trend).toEqual([
      { bucket: '2026-06-27', dialed: 0, answered: 0, answerRatePct: null, avgDurationSec: null, transferCount: 0 },
      { bucket: '2026-06-28', dialed: 1200, answered: 780, answerRatePct: '65.00', avgDurationSec: 41, transferCount: 460 },
      { bucket: '2026-06-29', dialed: 1612, answered: 1098, answerRatePct: '68.11', avgDurationSec: 43, transferCount: 642 },
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

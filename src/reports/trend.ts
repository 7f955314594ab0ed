import type { TrendCount } from '../data/report-queries.js';
import { bucketLabels, hourLabel, type Granularity } from './buckets.js';
import { percentage, roundedAverage } from './percent.js';
import { dayRangeWindow, type DayRange } from './window.js';

/** One bucket per day or hour of the range, in order, empty ones included. */
export function buildTrend(range: DayRange, granularity: Granularity, counts: readonly TrendCount[]) {
  const labels = bucketLabels(range, granularity);
  const start = dayRangeWindow(range).from.getTime();
  // Hour rows come back as hours since the window's start; name them like the labels.
  const labelOf = (bucket: string) => (granularity === 'day' ? bucket : hourLabel(start + Number(bucket) * 3_600_000, range.zone));
  const byLabel = new Map(counts.map((count) => [labelOf(count.bucket), count]));
  return labels.map((bucket) => {
    const count = byLabel.get(bucket);
    const dialed = count?.dialed ?? 0;
    const answered = count?.answered ?? 0;
    return {
      bucket,
      dialed,
      answered,
      answerRatePct: percentage(answered, dialed),
      avgDurationSec: roundedAverage(count?.talkSec ?? 0, answered),
      transferCount: count?.transfers ?? 0,
    };
  });
}

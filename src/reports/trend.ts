import type { TrendCount } from '../data/report-queries.js';
import { trendBuckets, type Granularity } from './buckets.js';
import { percentage, roundedAverage } from './percent.js';
import type { DayRange } from './window.js';

/**
 * One bucket per quarter hour, hour, day, week or month of the range, in order, empty ones
 * included. `counts` are the database's rows by local day or by step number (see buckets.ts).
 */
export function buildTrend(range: DayRange, granularity: Granularity, counts: readonly TrendCount[]) {
  const byKey = new Map(counts.map((count) => [count.bucket, count]));
  return trendBuckets(range, granularity).map(({ label, start, end, keys }) => {
    let dialed = 0;
    let answered = 0;
    let talkSec = 0;
    let transfers = 0;
    for (const key of keys) {
      const count = byKey.get(key);
      if (!count) continue;
      dialed += count.dialed;
      answered += count.answered;
      talkSec += count.talkSec;
      transfers += count.transfers;
    }
    return {
      bucket: label,
      start,
      end,
      dialed,
      answered,
      answerRatePct: percentage(answered, dialed),
      avgDurationSec: roundedAverage(talkSec, answered),
      transferCount: transfers,
    };
  });
}

import type { TrendCount } from '../data/report-queries.js';
import type { TrendBucketSpan } from './buckets.js';
import { percentage, roundedAverage } from './percent.js';

/**
 * One bucket per quarter hour, hour, day, week or month of the range, in order, empty ones
 * included. `counts` are the database's rows by step (see TrendPlan).
 */
export function buildTrend(buckets: readonly TrendBucketSpan[], counts: readonly TrendCount[]) {
  const byStep = new Map(counts.map((count) => [count.step, count]));
  return buckets.map(({ label, start, end, steps }) => {
    let dialed = 0;
    let answered = 0;
    let talkSec = 0;
    let transfers = 0;
    for (const step of steps) {
      const count = byStep.get(step);
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

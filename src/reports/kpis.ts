import type { CallTotals, KeyCount } from '../data/report-queries.js';
import { byCountThenKey, percentage, roundedAverage } from './percent.js';
import type { TalkTimePercentiles } from './percentiles.js';

export function sortCounts(counts: readonly KeyCount[]): KeyCount[] {
  return [...counts].sort(byCountThenKey((item) => item.key));
}

/** The KPIs that come from the window's attempts alone. */
export function callKpis(totals: CallTotals) {
  return {
    dialed: totals.dialed,
    answered: totals.answered,
    noAnswer: totals.noAnswer,
    busy: totals.busy,
    failed: totals.failed,
    abandoned: totals.abandoned,
    answerRatePct: percentage(totals.answered, totals.dialed),
    avgCallDurationSec: roundedAverage(totals.talkSec, totals.answered),
    totalTalkTimeSec: totals.talkSec,
    transferToQueueCount: totals.transfersSucceeded,
    transferSuccessRatePct: percentage(totals.transfersSucceeded, totals.transfersAttempted),
  };
}

export type CallKpis = ReturnType<typeof callKpis>;

export type Kpis = CallKpis & { totalLeads: number; dtmfDistribution: KeyCount[]; talkTimePercentiles: TalkTimePercentiles; computedAt: Date };

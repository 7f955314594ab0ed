import type { CallTotals, KeyCount } from '../data/report-queries.js';
import { byCountThenKey, percentage, roundedAverage } from './percent.js';

export function sortCounts(counts: readonly KeyCount[]): KeyCount[] {
  return [...counts].sort(byCountThenKey((item) => item.key));
}

export function buildKpis(totals: CallTotals, totalLeads: number, dtmf: readonly KeyCount[], computedAt: Date) {
  return {
    totalLeads,
    dialed: totals.dialed,
    answered: totals.answered,
    noAnswer: totals.noAnswer,
    busy: totals.busy,
    failed: totals.failed,
    abandoned: totals.abandoned,
    answerRatePct: percentage(totals.answered, totals.dialed),
    avgCallDurationSec: roundedAverage(totals.talkSec, totals.answered),
    totalTalkTimeSec: totals.talkSec,
    dtmfDistribution: sortCounts(dtmf),
    transferToQueueCount: totals.transfersSucceeded,
    transferSuccessRatePct: percentage(totals.transfersSucceeded, totals.transfersAttempted),
    computedAt,
  };
}

export type Kpis = ReturnType<typeof buildKpis>;

import type { CallTotals } from '../data/report-queries.js';
import { averageWithTwoDecimals, percentage } from './percent.js';

export type ComparisonMetric = 'answer_rate_pct' | 'avg_duration_sec' | 'transfer_rate_pct';

export function comparisonValue(totals: CallTotals, metric: ComparisonMetric): string | null {
  switch (metric) {
    case 'answer_rate_pct':
      return percentage(totals.answered, totals.dialed);
    case 'avg_duration_sec':
      return averageWithTwoDecimals(totals.talkSec, totals.answered);
    case 'transfer_rate_pct':
      return percentage(totals.transfersSucceeded, totals.answered);
  }
}

interface Row {
  campaignId: number;
  metricValue: string | null;
}

/** metric_value descending with nulls last, then campaign id ascending. */
export function compareRows(a: Row, b: Row): number {
  if (a.metricValue !== b.metricValue) {
    if (a.metricValue === null) return 1;
    if (b.metricValue === null) return -1;
    const difference = Number(b.metricValue) - Number(a.metricValue);
    if (difference !== 0) return difference;
  }
  return a.campaignId - b.campaignId;
}

import type { KeyCount } from '../data/report-queries.js';
import { sortCounts } from './kpis.js';
import { apportionPercentages, percentage } from './percent.js';

export function buildHangupReport(causes: readonly KeyCount[]) {
  const sorted = sortCounts(causes);
  const pcts = apportionPercentages(sorted.map((cause) => cause.count));
  return {
    totalCalls: sorted.reduce((sum, cause) => sum + cause.count, 0),
    byHangupCause: sorted.map((cause, index) => ({ hangupCause: cause.key, count: cause.count, pct: pcts[index]! })),
  };
}

export const NO_INPUT = 'no_input';

export interface DtmfActionLike {
  digit: string;
  label: string;
}

export function buildDtmfReport(keys: readonly KeyCount[], paths: readonly KeyCount[], actions: readonly DtmfActionLike[]) {
  const totalAnswered = keys.reduce((sum, key) => sum + key.count, 0);
  const noInput = keys.find((key) => key.key === NO_INPUT)?.count ?? 0;
  const digits = sortCounts(keys.filter((key) => key.key !== NO_INPUT));
  const pcts = apportionPercentages(digits.map((digit) => digit.count));
  const labels = new Map(actions.map((action) => [action.digit, action.label]));
  return {
    totalAnswered,
    withDtmfInput: totalAnswered - noInput,
    noInput,
    noInputRatePct: percentage(noInput, totalAnswered),
    byDigit: digits.map((digit, index) => ({
      digit: digit.key,
      count: digit.count,
      pct: pcts[index]!,
      label: labels.get(digit.key) ?? null,
    })),
    byScriptPath: sortCounts(paths).map((path) => ({ path: path.key, count: path.count })),
  };
}

import type { KeyCount } from '../data/report-queries.js';
import { sortCounts } from './kpis.js';
import { apportionPercentages, percentage } from './percent.js';

/** Counts in the contract's order (count descending, then key), with shares summing to 100.00. */
function shares(counts: readonly KeyCount[]) {
  const sorted = sortCounts(counts);
  const pcts = apportionPercentages(sorted.map((item) => item.count));
  return {
    total: sorted.reduce((sum, item) => sum + item.count, 0),
    items: sorted.map((item, index) => ({ key: item.key, count: item.count, pct: pcts[index]! })),
  };
}

export function buildHangupReport(causes: readonly KeyCount[]) {
  const { total, items } = shares(causes);
  return { totalCalls: total, byHangupCause: items.map(({ key, ...share }) => ({ hangupCause: key, ...share })) };
}

export function buildDispositionReport(dispositions: readonly KeyCount[]) {
  const { total, items } = shares(dispositions);
  return { totalDisposed: total, byDisposition: items.map(({ key, ...share }) => ({ disposition: key, ...share })) };
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

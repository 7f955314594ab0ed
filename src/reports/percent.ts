// Exact report arithmetic: integers only, rounded half up, so "64.69" is the same on every run.

/** numerator ÷ denominator × 100 in hundredths of a percent, rounded half up; null when ÷ 0. */
function hundredthsOfPercent(numerator: number, denominator: number): number | null {
  if (denominator === 0) return null;
  return Math.floor((2 * numerator * 10_000 + denominator) / (2 * denominator));
}

/** A number of hundredths as a decimal string with exactly two decimals: 6469 → "64.69". */
export function formatHundredths(hundredths: number): string {
  const sign = hundredths < 0 ? '-' : '';
  const value = Math.abs(hundredths);
  return `${sign}${Math.floor(value / 100)}.${String(value % 100).padStart(2, '0')}`;
}

/** The contract's percentage: "64.69", or null when the denominator is 0. */
export function percentage(numerator: number, denominator: number): string | null {
  const hundredths = hundredthsOfPercent(numerator, denominator);
  return hundredths === null ? null : formatHundredths(hundredths);
}

/** sum ÷ count rounded half up to a whole number; null when there is nothing to average. */
export function roundedAverage(sum: number, count: number): number | null {
  if (count === 0) return null;
  return Math.floor((2 * sum + count) / (2 * count));
}

/** sum ÷ count with two decimals, rounded half up: 131045 ÷ 3120 → "42.00". */
export function averageWithTwoDecimals(sum: number, count: number): string | null {
  if (count === 0) return null;
  return formatHundredths(Math.floor((2 * sum * 100 + count) / (2 * count)));
}

/**
 * Shares of a distribution that sum to exactly 100.00: each item gets its share rounded down, and
 * the hundredths still missing go to the largest remainders, ties to the item listed first.
 */
export function apportionPercentages(counts: readonly number[]): (string | null)[] {
  const total = counts.reduce((sum, count) => sum + count, 0);
  if (total === 0) return counts.map(() => null);
  const shares = counts.map((count, index) => ({
    index,
    hundredths: Math.floor((count * 10_000) / total),
    remainder: (count * 10_000) % total,
  }));
  let missing = 10_000 - shares.reduce((sum, share) => sum + share.hundredths, 0);
  const byRemainder = [...shares].sort((a, b) => b.remainder - a.remainder || a.index - b.index);
  for (const share of byRemainder) {
    if (missing === 0) break;
    share.hundredths += 1;
    missing -= 1;
  }
  return shares.map((share) => formatHundredths(share.hundredths));
}

/** Orders counted keys the contract's way: count descending, then key ascending. */
export function byCountThenKey<T extends { count: number }>(key: (item: T) => string) {
  return (a: T, b: T) => b.count - a.count || (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);
}

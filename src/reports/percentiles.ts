import type { KeyCount } from '../data/report-queries.js';

export interface TalkTimePercentiles {
  p50: number | null;
  p90: number | null;
  p95: number | null;
  p99: number | null;
}

/**
 * Nearest-rank percentiles of a histogram of whole seconds (key: the seconds as text): for each p
 * the smallest value v with at least p % of the values ≤ v, as PostgreSQL's percentile_disc. The
 * rank ⌈p·n/100⌉ is computed in integers, so 95 % of 20 is exactly the 19th value. Null when empty.
 */
export function talkTimePercentiles(histogram: readonly KeyCount[]): TalkTimePercentiles {
  const values = histogram.map((bin) => ({ seconds: Number(bin.key), count: bin.count })).sort((a, b) => a.seconds - b.seconds);
  const total = values.reduce((sum, bin) => sum + bin.count, 0);
  const at = (p: number) => {
    if (total === 0) return null;
    const rank = Math.max(1, Math.ceil((p * total) / 100));
    let seen = 0;
    for (const bin of values) {
      seen += bin.count;
      if (seen >= rank) return bin.seconds;
    }
    return null;
  };
  return { p50: at(50), p90: at(90), p95: at(95), p99: at(99) };
}

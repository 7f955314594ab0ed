import type { HeatmapCount } from '../data/report-queries.js';
import { percentage } from './percent.js';

export type HeatmapMetric = 'dialed' | 'answered' | 'answer_rate_pct';

/** All 168 cells, Sunday (0) to Saturday (6) × hours 0-23, empty ones included. */
export function buildHeatmap(counts: readonly HeatmapCount[], metric: HeatmapMetric) {
  const byCell = new Map(counts.map((count) => [count.dayOfWeek * 24 + count.hour, count]));
  return Array.from({ length: 7 * 24 }, (_, cell) => {
    const dialed = byCell.get(cell)?.dialed ?? 0;
    const answered = byCell.get(cell)?.answered ?? 0;
    const answerRatePct = percentage(answered, dialed);
    const value =
      metric === 'dialed' ? dialed : metric === 'answered' ? answered : answerRatePct === null ? null : Number(answerRatePct);
    return { dayOfWeek: Math.floor(cell / 24), hour: cell % 24, dialed, answered, answerRatePct, value };
  });
}

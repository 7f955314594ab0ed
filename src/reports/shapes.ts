import type { buildDispositionReport, buildDtmfReport, buildHangupReport } from './distributions.js';
import type { buildFunnel } from './funnel.js';
import type { buildHeatmap } from './heatmap.js';
import type { buildTrend } from './trend.js';

export type TrendBucket = ReturnType<typeof buildTrend>[number];
export type HangupReport = ReturnType<typeof buildHangupReport>;
export type DtmfReport = ReturnType<typeof buildDtmfReport>;
export type FunnelStage = ReturnType<typeof buildFunnel>[number];
export type HeatmapCell = ReturnType<typeof buildHeatmap>[number];
export type DispositionReport = ReturnType<typeof buildDispositionReport>;

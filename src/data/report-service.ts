import type { Campaign } from '../db/generated/prisma/client.js';
import { planTrend, type Granularity } from '../reports/buckets.js';
import { comparisonValue, compareRows, type ComparisonMetric } from '../reports/comparison.js';
import { buildDispositionReport, buildDtmfReport, buildHangupReport, type DtmfActionLike } from '../reports/distributions.js';
import { buildFunnel } from '../reports/funnel.js';
import { buildHeatmap, type HeatmapMetric } from '../reports/heatmap.js';
import { callKpis, sortCounts, type CallKpis, type Kpis } from '../reports/kpis.js';
import { talkTimePercentiles, type TalkTimePercentiles } from '../reports/percentiles.js';
import { buildTrend } from '../reports/trend.js';
import { removedCallsOf } from '../reports/removed-calls.js';
import { previousWindow, resolveDayRange, resolveTimezone, resolveWindow, type DayRange, type InstantInput } from '../reports/window.js';
import type { Loaders } from './loaders.js';
import type { CampaignWindow, KeyCount } from './report-queries.js';

export interface WindowArgs {
  from?: InstantInput | null;
  to?: InstantInput | null;
}

export interface ZoneArgs {
  timezone?: string | null;
}

/** The KPIs of one window, each part loaded when first asked for. */
export interface KpiParts {
  calls: () => Promise<CallKpis>;
  totalLeads: () => Promise<number>;
  dtmfDistribution: () => Promise<KeyCount[]>;
  talkTimePercentiles: () => Promise<TalkTimePercentiles>;
  /** The window of equal length just before; null on that inner report. */
  previousPeriod: KpiParts | null;
  computedAt: Date;
}

/**
 * Every report of a campaign: resolves the arguments' defaults, loads the aggregates through the
 * request's loaders and hands them to the pure report math. Bad arguments throw
 * InvalidArgumentError, which the server reports as BAD_USER_INPUT. `largeAnswerTurn` is awaited
 * before building a trend or heatmap, which may hold thousands of buckets (see CpuTurns).
 */
export function createReportService(loaders: Loaders, now: Date, largeAnswerTurn: () => Promise<void> = async () => {}) {
  /** Bounds without an offset are local times in `zone` (the report's timezone, or the default). */
  const windowOf = (campaign: Campaign, args: WindowArgs, zone?: string): CampaignWindow => ({
    campaignId: campaign.id,
    ...resolveWindow(args, campaign.startedAt, now, zone),
    removed: removedCallsOf(campaign),
  });
  const actionsOf = (campaign: Campaign) => campaign.dtmfActions as unknown as DtmfActionLike[];
  /** Trend plans by range and size: a page of campaigns asks for the same one per campaign (a three-year DAY plan: 5 ms). */
  const plans = new Map<string, ReturnType<typeof planTrend>>();
  const planOf = (range: DayRange, granularity: Granularity) => {
    const key = `${range.firstDay} ${range.lastDay} ${range.zone} ${granularity}`;
    let plan = plans.get(key);
    if (!plan) plans.set(key, (plan = planTrend(range, granularity)));
    return plan;
  };

  /**
   * The KPIs in parts, each loaded only when asked for: a query that selects only counts never
   * reads the leads, the keys pressed or the talk-time histogram. The previous period's KPIs are
   * the same parts over the window just before, one level deep.
   */
  const kpiPartsOf = (window: CampaignWindow, withPrevious: boolean): KpiParts => ({
    calls: async () => callKpis(await loaders.callTotals.load(window)),
    totalLeads: () => loaders.leadTotals.load(window),
    dtmfDistribution: async () => sortCounts(await loaders.dtmfCounts.load(window)),
    talkTimePercentiles: async () => talkTimePercentiles(await loaders.talkSecondCounts.load(window)),
    previousPeriod: withPrevious ? kpiPartsOf({ ...window, ...previousWindow(window) }, false) : null,
    computedAt: now,
  });
  const kpiParts = (campaign: Campaign, args: WindowArgs & ZoneArgs) => kpiPartsOf(windowOf(campaign, args, resolveTimezone(args.timezone)), true);

  return {
    kpiParts,

    async kpis(campaign: Campaign, args: WindowArgs & ZoneArgs): Promise<Kpis> {
      const parts = kpiParts(campaign, args);
      const [calls, totalLeads, dtmfDistribution, talkTimePercentiles] = await Promise.all([
        parts.calls(),
        parts.totalLeads(),
        parts.dtmfDistribution(),
        parts.talkTimePercentiles(),
      ]);
      return { totalLeads, ...calls, dtmfDistribution, talkTimePercentiles, computedAt: now };
    },

    async trend(campaign: Campaign, args: { from?: string | null; to?: string | null; granularity: Granularity } & ZoneArgs) {
      const zone = resolveTimezone(args.timezone);
      const range = resolveDayRange(args, zone, campaign.startedAt, now);
      const { buckets, bounds } = planOf(range, args.granularity);
      const window = { campaignId: campaign.id, from: bounds[0]!, to: bounds.at(-1)!, zone, steps: bounds, removed: removedCallsOf(campaign) };
      const counts = await loaders.trendCounts.load(window);
      await largeAnswerTurn();
      return buildTrend(buckets, counts);
    },

    async hangup(campaign: Campaign, args: WindowArgs) {
      return buildHangupReport(await loaders.hangupCauseCounts.load(windowOf(campaign, args)));
    },

    async heatmap(campaign: Campaign, args: WindowArgs & ZoneArgs & { metric: HeatmapMetric }) {
      const zone = resolveTimezone(args.timezone);
      const counts = await loaders.heatmapCounts.load({ ...windowOf(campaign, args, zone), zone });
      await largeAnswerTurn();
      return buildHeatmap(counts, args.metric);
    },

    async dispositions(campaign: Campaign, args: WindowArgs) {
      return buildDispositionReport(await loaders.dispositionCounts.load(windowOf(campaign, args)));
    },

    async dtmf(campaign: Campaign, args: WindowArgs) {
      const window = windowOf(campaign, args);
      const [keys, paths] = await Promise.all([loaders.dtmfCounts.load(window), loaders.scriptPathCounts.load(window)]);
      return buildDtmfReport(keys, paths, actionsOf(campaign));
    },

    async funnel(campaign: Campaign, args: WindowArgs) {
      const digits = actionsOf(campaign).map((action) => action.digit);
      return buildFunnel(await loaders.funnelCounts.load({ ...windowOf(campaign, args), digits }));
    },

    /** One metric per campaign, best first (nulls last, then by id). */
    async comparison(campaigns: Campaign[], metric: ComparisonMetric, args: WindowArgs) {
      const rows = await Promise.all(
        campaigns.map(async (campaign) => ({
          campaignId: campaign.id,
          campaignName: campaign.name,
          metricValue: comparisonValue(await loaders.callTotals.load(windowOf(campaign, args)), metric),
        })),
      );
      return rows.sort(compareRows);
    },
  };
}

export type ReportService = ReturnType<typeof createReportService>;

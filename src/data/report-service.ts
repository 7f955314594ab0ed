import type { Campaign } from '../db/generated/prisma/client.js';
import { checkTrendRange, type Granularity } from '../reports/buckets.js';
import { comparisonValue, compareRows, type ComparisonMetric } from '../reports/comparison.js';
import { buildDtmfReport, buildHangupReport, type DtmfActionLike } from '../reports/distributions.js';
import { buildFunnel } from '../reports/funnel.js';
import { buildHeatmap, type HeatmapMetric } from '../reports/heatmap.js';
import { callKpis, sortCounts, type Kpis } from '../reports/kpis.js';
import { buildTrend } from '../reports/trend.js';
import { dayRangeWindow, resolveDayRange, resolveTimezone, resolveWindow, type InstantInput } from '../reports/window.js';
import type { Loaders } from './loaders.js';
import type { CampaignWindow } from './report-queries.js';

export interface WindowArgs {
  from?: InstantInput | null;
  to?: InstantInput | null;
}

export interface ZoneArgs {
  timezone?: string | null;
}

/**
 * Every report of a campaign: resolves the arguments' defaults, loads the aggregates through the
 * request's loaders and hands them to the pure report math. Bad arguments throw
 * InvalidArgumentError, which the server reports as BAD_USER_INPUT.
 */
export function createReportService(loaders: Loaders, now: Date) {
  /** Bounds without an offset are local times in `zone` (the report's timezone, or the default). */
  const windowOf = (campaign: Campaign, args: WindowArgs, zone?: string): CampaignWindow => ({
    campaignId: campaign.id,
    ...resolveWindow(args, campaign.startedAt, now, zone),
  });
  const actionsOf = (campaign: Campaign) => campaign.dtmfActions as unknown as DtmfActionLike[];

  /**
   * The KPIs in three parts, each loaded only when asked for: a query that selects only counts
   * never reads the leads or the keys pressed.
   */
  const kpiParts = (campaign: Campaign, args: WindowArgs & ZoneArgs) => {
    const window = windowOf(campaign, args, resolveTimezone(args.timezone));
    return {
      calls: async () => callKpis(await loaders.callTotals.load(window)),
      totalLeads: () => loaders.leadTotals.load(window),
      dtmfDistribution: async () => sortCounts(await loaders.dtmfCounts.load(window)),
      computedAt: now,
    };
  };

  return {
    kpiParts,

    async kpis(campaign: Campaign, args: WindowArgs & ZoneArgs): Promise<Kpis> {
      const parts = kpiParts(campaign, args);
      const [calls, totalLeads, dtmfDistribution] = await Promise.all([parts.calls(), parts.totalLeads(), parts.dtmfDistribution()]);
      return { totalLeads, ...calls, dtmfDistribution, computedAt: now };
    },

    async trend(campaign: Campaign, args: { from?: string | null; to?: string | null; granularity: Granularity } & ZoneArgs) {
      const zone = resolveTimezone(args.timezone);
      const range = resolveDayRange(args, zone, campaign.startedAt, now);
      checkTrendRange(range, args.granularity);
      const counts = await loaders.trendCounts[args.granularity].load({ campaignId: campaign.id, ...dayRangeWindow(range), zone });
      return buildTrend(range, args.granularity, counts);
    },

    async hangup(campaign: Campaign, args: WindowArgs) {
      return buildHangupReport(await loaders.hangupCauseCounts.load(windowOf(campaign, args)));
    },

    async heatmap(campaign: Campaign, args: WindowArgs & ZoneArgs & { metric: HeatmapMetric }) {
      const zone = resolveTimezone(args.timezone);
      return buildHeatmap(await loaders.heatmapCounts.load({ ...windowOf(campaign, args, zone), zone }), args.metric);
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

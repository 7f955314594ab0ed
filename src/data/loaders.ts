import DataLoader from 'dataloader';
import type { Campaign, PrismaClient } from '../db/generated/prisma/client.js';
import type { Step } from '../reports/buckets.js';
import * as queries from './report-queries.js';
import type { CampaignWindow, ReportSource } from './report-queries.js';

type WindowQuery<T> = (db: PrismaClient, windows: readonly CampaignWindow[], source: ReportSource) => Promise<T[]>;

const windowKey = (window: CampaignWindow) =>
  JSON.stringify([window.campaignId, window.from.toISOString(), window.to.toISOString(), window.zone, window.digits]);

/**
 * Per-request loaders: built by the context factory, so nothing is cached across requests. Each
 * report kind costs one statement per tick, however many campaigns and windows were asked for.
 */
export function createLoaders(db: PrismaClient, tenantId: string, source: ReportSource = 'rollups') {
  const windowLoader = <T>(query: WindowQuery<T>) =>
    new DataLoader<CampaignWindow, T, string>((windows) => query(db, windows, source), { cacheKeyFn: windowKey });
  return {
    /** The tenant's campaigns by id; another tenant's id loads as null, like a missing one. */
    campaign: new DataLoader<number, Campaign | null>(async (ids) => {
      const rows = await db.campaign.findMany({ where: { id: { in: [...ids] }, tenantId } });
      const byId = new Map(rows.map((row) => [row.id, row]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
    callTotals: windowLoader(queries.callTotals),
    leadTotals: windowLoader(queries.leadTotals),
    dtmfCounts: windowLoader(queries.dtmfCounts),
    hangupCauseCounts: windowLoader(queries.hangupCauseCounts),
    scriptPathCounts: windowLoader(queries.scriptPathCounts),
    dispositionCounts: windowLoader(queries.dispositionCounts),
    talkSecondCounts: windowLoader(queries.talkSecondCounts),
    heatmapCounts: windowLoader(queries.heatmapCounts),
    funnelCounts: windowLoader(queries.funnelCounts),
    trendCounts: {
      day: windowLoader((client, windows, from) => queries.trendCounts(client, windows, 'day', from)),
      hour: windowLoader((client, windows, from) => queries.trendCounts(client, windows, 'hour', from)),
      quarter_hour: windowLoader((client, windows, from) => queries.trendCounts(client, windows, 'quarter_hour', from)),
    } satisfies Record<Step, unknown>,
  };
}

export type Loaders = ReturnType<typeof createLoaders>;

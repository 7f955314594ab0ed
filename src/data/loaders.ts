import DataLoader from 'dataloader';
import type { Campaign, PrismaClient } from '../db/generated/prisma/client.js';
import type { Granularity } from '../reports/buckets.js';
import * as queries from './report-queries.js';
import type { CampaignWindow } from './report-queries.js';

type WindowQuery<T> = (db: PrismaClient, windows: readonly CampaignWindow[]) => Promise<T[]>;

const windowKey = (window: CampaignWindow) =>
  JSON.stringify([window.campaignId, window.from.toISOString(), window.to.toISOString(), window.zone, window.digits]);

/** One statement per report kind per tick, however many campaigns and windows were asked for. */
function windowLoader<T>(db: PrismaClient, query: WindowQuery<T>) {
  return new DataLoader<CampaignWindow, T, string>((windows) => query(db, windows), { cacheKeyFn: windowKey });
}

/** Per-request loaders: built by the context factory, so nothing is cached across requests. */
export function createLoaders(db: PrismaClient, tenantId: string) {
  return {
    /** The tenant's campaigns by id; another tenant's id loads as null, like a missing one. */
    campaign: new DataLoader<number, Campaign | null>(async (ids) => {
      const rows = await db.campaign.findMany({ where: { id: { in: [...ids] }, tenantId } });
      const byId = new Map(rows.map((row) => [row.id, row]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
    callTotals: windowLoader(db, queries.callTotals),
    leadTotals: windowLoader(db, queries.leadTotals),
    dtmfCounts: windowLoader(db, queries.dtmfCounts),
    hangupCauseCounts: windowLoader(db, queries.hangupCauseCounts),
    scriptPathCounts: windowLoader(db, queries.scriptPathCounts),
    heatmapCounts: windowLoader(db, queries.heatmapCounts),
    funnelCounts: windowLoader(db, queries.funnelCounts),
    trendCounts: {
      day: windowLoader(db, (client, windows) => queries.trendCounts(client, windows, 'day')),
      hour: windowLoader(db, (client, windows) => queries.trendCounts(client, windows, 'hour')),
    } satisfies Record<Granularity, unknown>,
  };
}

export type Loaders = ReturnType<typeof createLoaders>;

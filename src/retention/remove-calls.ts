import { setTimeout as sleep } from 'node:timers/promises';
import type { Database } from '../db/client.js';
import { QUERY_LIMITS } from '../server/limits.js';

/** Raw calls deleted a statement: each its own short transaction, so ingests never wait long for them. */
const CALLS_PER_DELETE = 50_000;

export interface RemovalOptions {
  /** Calls started before this instant go. */
  before: Date;
  /** Only these campaigns; default: every campaign (of `tenantId`, when given). */
  campaignIds?: number[];
  tenantId?: string;
  /**
   * How long to wait, once the cutoff is recorded, for reads that began before it (they may still
   * read the calls about to go): a query's deadline by default. Tests pass 0.
   */
  graceMs?: number;
  /** Told each campaign's progress. */
  onProgress?: (message: string) => void;
}

export interface CampaignRemoval {
  campaignId: number;
  /** Raw calls deleted now. */
  removed: number;
  /** The campaign's cutoff: every call before it is gone (a later one of an earlier run stays). */
  before: Date;
}

/**
 * Retention: removes campaigns' raw calls started before `before`, keeping their rollups, which go
 * on counting them. First each campaign records the cutoff and its removed calls' first and last
 * start (under the campaign's lock, as ingests take it): from then on the importer refuses calls
 * before the cutoff, and reports that would read removed raw calls say so. Then, once reads that
 * began before are done (and running exports of those campaigns), the calls are deleted in short
 * transactions; an interrupted run is finished by running it again.
 */
export async function removeCallsBefore(db: Database, { before, campaignIds, tenantId, graceMs = QUERY_LIMITS.executionMs, onProgress }: RemovalOptions): Promise<CampaignRemoval[]> {
  if (Number.isNaN(before.getTime())) throw new Error('the cutoff is not a valid instant');
  if (before.getTime() > Date.now()) throw new Error(`the cutoff ${before.toISOString()} is in the future: only calls that have ended can be removed`);
  const campaigns = await chosenCampaigns(db, campaignIds, tenantId);
  const cutoffs = new Map<number, Date>();
  for (const id of campaigns) cutoffs.set(id, await recordCutoff(db, id, before));
  await sleep(graceMs);
  await runningExportsDone(db, campaigns, onProgress);
  const removals: CampaignRemoval[] = [];
  for (const campaignId of campaigns) {
    const cutoff = cutoffs.get(campaignId)!;
    let removed = 0;
    for (;;) {
      const deleted = await db.prisma.$executeRawUnsafe(
        `DELETE FROM call_attempt WHERE ctid = ANY(ARRAY(SELECT ctid FROM call_attempt WHERE campaign_id = $1 AND started_at < $2 LIMIT ${CALLS_PER_DELETE}))`,
        campaignId,
        cutoff,
      );
      removed += deleted;
      if (deleted < CALLS_PER_DELETE) break;
      onProgress?.(`campaign ${campaignId}: ${removed} calls removed so far`);
    }
    onProgress?.(`campaign ${campaignId}: ${removed} calls started before ${cutoff.toISOString()} removed`);
    removals.push({ campaignId, removed, before: cutoff });
  }
  // The space goes back to the table for new rows (not to the disk), and the planner learns the new sizes.
  if (removals.some(({ removed }) => removed > 0)) await db.prisma.$executeRawUnsafe('VACUUM (ANALYZE) call_attempt');
  return removals;
}

async function chosenCampaigns(db: Database, campaignIds: number[] | undefined, tenantId: string | undefined): Promise<number[]> {
  const found = await db.prisma.campaign.findMany({
    where: { ...(campaignIds ? { id: { in: campaignIds } } : {}), ...(tenantId ? { tenantId } : {}) },
    select: { id: true },
    orderBy: { id: 'asc' },
  });
  const missing = campaignIds?.filter((id) => !found.some((campaign) => campaign.id === id)) ?? [];
  if (missing.length > 0) throw new Error(`no campaign ${missing.join(', ')}${tenantId ? ` of tenant "${tenantId}"` : ''}: nothing was removed`);
  return found.map(({ id }) => id);
}

/**
 * Records the campaign's cutoff (never moved back) and the first and last start among the calls it
 * removes, with the campaign locked as an ingest locks it, so no call before the cutoff is written
 * after; returns the cutoff.
 */
async function recordCutoff(db: Database, campaignId: number, before: Date): Promise<Date> {
  const [row] = await db.writeTransaction((tx) =>
    tx.$queryRawUnsafe<{ before: Date }[]>(
      `WITH locked AS (SELECT id FROM campaign WHERE id = $1 FOR UPDATE),
         removed AS (SELECT min(started_at) AS first, max(started_at) AS last FROM call_attempt WHERE campaign_id = $1 AND started_at < $2)
       UPDATE campaign c
       SET calls_removed_first = least(c.calls_removed_first, removed.first), calls_removed_last = greatest(c.calls_removed_last, removed.last),
         calls_removed_before = greatest(c.calls_removed_before, $2)
       FROM locked, removed WHERE c.id = locked.id
       RETURNING c.calls_removed_before AS "before"`,
      campaignId,
      before,
    ),
  );
  return new Date(row!.before);
}

/** Waits while an export of these campaigns is running: it may be reading the calls about to go. */
async function runningExportsDone(db: Database, campaignIds: number[], onProgress?: (message: string) => void) {
  for (let told = false; ; told = true) {
    const running = await db.prisma.exportJob.count({ where: { campaignId: { in: campaignIds }, status: 'running' } });
    if (running === 0) return;
    if (!told) onProgress?.(`waiting for ${running} running export(s) of these campaigns to end`);
    await sleep(1_000);
  }
}

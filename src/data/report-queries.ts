import type { PrismaClient } from '../db/generated/prisma/client.js';
import type { Granularity } from '../reports/buckets.js';

/** One campaign's report window. Every query below answers many of them in one statement. */
export interface CampaignWindow {
  campaignId: number;
  from: Date;
  to: Date;
  /** IANA zone for local-time bucketing (trend, heatmap). */
  zone?: string;
  /** Digits the campaign's IVR script defines (funnel). */
  digits?: string[];
}

type Db = Pick<PrismaClient, '$queryRawUnsafe'>;
type Keyed = { windowKey: number };

// The windows travel as one JSON parameter and become a table, so N campaigns with N different
// windows still cost one statement. Each window's rows come from a LATERAL subquery, which keeps
// the planner on the (campaign_id, started_at) index whatever it guesses about the JSON's size.
const WINDOWS = `windows AS (
  SELECT * FROM jsonb_to_recordset($1::jsonb)
    AS w(key int, campaign_id int, from_ts timestamptz, to_ts timestamptz, zone text, digits text[])
)`;
const IN_WINDOW = 'c.campaign_id = w.campaign_id AND c.started_at >= w.from_ts AND c.started_at < w.to_ts';

/** Runs `select` (which may refer to the window as `w`) once per window; rows grouped by window. */
async function perWindow<Row>(db: Db, windows: readonly CampaignWindow[], select: string): Promise<Row[][]> {
  const param = JSON.stringify(
    windows.map((w, key) => ({
      key,
      campaign_id: w.campaignId,
      from_ts: w.from.toISOString(),
      to_ts: w.to.toISOString(),
      zone: w.zone ?? 'UTC',
      digits: w.digits ?? [],
    })),
  );
  const rows = await db.$queryRawUnsafe<(Row & Keyed)[]>(
    `WITH ${WINDOWS} SELECT w.key AS "windowKey", r.* FROM windows w CROSS JOIN LATERAL (${select}) r`,
    param,
  );
  const grouped = windows.map((): Row[] => []);
  for (const { windowKey, ...row } of rows) grouped[windowKey]!.push(row as Row);
  return grouped;
}

/** For aggregates without GROUP BY, which yield exactly one row per window. */
const single = <Row>(groups: Row[][]): Row[] => groups.map((group) => group[0]!);

export interface CallTotals {
  dialed: number;
  answered: number;
  noAnswer: number;
  busy: number;
  failed: number;
  abandoned: number;
  talkSec: number;
  transfersSucceeded: number;
  transfersAttempted: number;
}

export async function callTotals(db: Db, windows: readonly CampaignWindow[]): Promise<CallTotals[]> {
  const rows = await perWindow<CallTotals>(
    db,
    windows,
    `SELECT
       count(*)::int AS "dialed",
       count(*) FILTER (WHERE c.result = 'answered')::int AS "answered",
       count(*) FILTER (WHERE c.result = 'no_answer')::int AS "noAnswer",
       count(*) FILTER (WHERE c.result = 'busy')::int AS "busy",
       count(*) FILTER (WHERE c.result = 'failed')::int AS "failed",
       count(*) FILTER (WHERE c.result = 'abandoned')::int AS "abandoned",
       coalesce(sum(c.billsec) FILTER (WHERE c.result = 'answered'), 0)::float8 AS "talkSec",
       count(*) FILTER (WHERE c.transfer_status = 'success')::int AS "transfersSucceeded",
       count(c.transfer_status)::int AS "transfersAttempted"
     FROM call_attempt c WHERE ${IN_WINDOW}`,
  );
  return single(rows);
}

const LEADS_IMPORTED = 'SELECT count(*) FROM lead l WHERE l.campaign_id = w.campaign_id AND l.imported_at < w.to_ts';

export async function leadTotals(db: Db, windows: readonly CampaignWindow[]): Promise<number[]> {
  const rows = await perWindow<{ leads: number }>(db, windows, `SELECT (${LEADS_IMPORTED})::int AS leads`);
  return single(rows).map((row) => row.leads);
}

export interface KeyCount {
  key: string;
  count: number;
}

/** Answered attempts by the key pressed; "no_input" where none was. */
export async function dtmfCounts(db: Db, windows: readonly CampaignWindow[]): Promise<KeyCount[][]> {
  return perWindow<KeyCount>(
    db,
    windows,
    `SELECT coalesce(c.dtmf, 'no_input') AS "key", count(*)::int AS "count"
     FROM call_attempt c WHERE ${IN_WINDOW} AND c.result = 'answered'
     GROUP BY 1`,
  );
}

export async function hangupCauseCounts(db: Db, windows: readonly CampaignWindow[]): Promise<KeyCount[][]> {
  return perWindow<KeyCount>(
    db,
    windows,
    `SELECT c.hangup_cause AS "key", count(*)::int AS "count"
     FROM call_attempt c WHERE ${IN_WINDOW}
     GROUP BY 1`,
  );
}

/** Answered attempts by the IVR nodes they visited, joined with " → ". */
export async function scriptPathCounts(db: Db, windows: readonly CampaignWindow[]): Promise<KeyCount[][]> {
  return perWindow<KeyCount>(
    db,
    windows,
    `SELECT array_to_string(c.script_path, ' → ') AS "key", count(*)::int AS "count"
     FROM call_attempt c WHERE ${IN_WINDOW} AND c.result = 'answered' AND cardinality(c.script_path) > 0
     GROUP BY 1`,
  );
}

export interface HeatmapCount {
  dayOfWeek: number;
  hour: number;
  dialed: number;
  answered: number;
}

export async function heatmapCounts(db: Db, windows: readonly CampaignWindow[]): Promise<HeatmapCount[][]> {
  return perWindow<HeatmapCount>(
    db,
    windows,
    `SELECT
       extract(dow FROM c.started_at AT TIME ZONE w.zone)::int AS "dayOfWeek",
       extract(hour FROM c.started_at AT TIME ZONE w.zone)::int AS "hour",
       count(*)::int AS "dialed",
       count(*) FILTER (WHERE c.result = 'answered')::int AS "answered"
     FROM call_attempt c WHERE ${IN_WINDOW}
     GROUP BY 1, 2`,
  );
}

export interface TrendCount {
  /** A local day "2026-06-28", or for hours the number of whole hours since the window's start. */
  bucket: string;
  dialed: number;
  answered: number;
  talkSec: number;
  transfers: number;
}

export async function trendCounts(db: Db, windows: readonly CampaignWindow[], granularity: Granularity): Promise<TrendCount[][]> {
  const bucket =
    granularity === 'day'
      ? `to_char(c.started_at AT TIME ZONE w.zone, 'YYYY-MM-DD')`
      : `floor(extract(epoch FROM c.started_at - w.from_ts) / 3600)::int::text`;
  return perWindow<TrendCount>(
    db,
    windows,
    `SELECT ${bucket} AS "bucket",
       count(*)::int AS "dialed",
       count(*) FILTER (WHERE c.result = 'answered')::int AS "answered",
       coalesce(sum(c.billsec) FILTER (WHERE c.result = 'answered'), 0)::float8 AS "talkSec",
       count(*) FILTER (WHERE c.transfer_status = 'success')::int AS "transfers"
     FROM call_attempt c WHERE ${IN_WINDOW}
     GROUP BY 1`,
  );
}

export interface FunnelCounts {
  imported: number;
  dialed: number;
  answered: number;
  pressedValidDtmf: number;
  transferred: number;
  disposed: number;
}

/**
 * Distinct leads per stage. A lead reaches a stage only if it reached every stage before it, so the
 * counts never rise even when one lead's attempts tell different stories.
 */
export async function funnelCounts(db: Db, windows: readonly CampaignWindow[]): Promise<FunnelCounts[]> {
  const rows = await perWindow<FunnelCounts>(
    db,
    windows,
    `SELECT
       (${LEADS_IMPORTED})::int AS "imported",
       count(*)::int AS "dialed",
       count(*) FILTER (WHERE d.answered)::int AS "answered",
       count(*) FILTER (WHERE d.answered AND d.pressed)::int AS "pressedValidDtmf",
       count(*) FILTER (WHERE d.answered AND d.pressed AND d.transferred)::int AS "transferred",
       count(*) FILTER (WHERE d.answered AND d.pressed AND d.transferred AND d.disposed)::int AS "disposed"
     FROM (
       SELECT c.lead_id,
         bool_or(c.result = 'answered') AS answered,
         bool_or(c.result = 'answered' AND c.dtmf = ANY(w.digits)) AS pressed,
         bool_or(c.transfer_status = 'success') AS transferred,
         bool_or(c.disposition IS NOT NULL) AS disposed
       FROM call_attempt c WHERE ${IN_WINDOW}
       GROUP BY c.lead_id
     ) d
     WHERE EXISTS (SELECT FROM lead l WHERE l.id = d.lead_id AND l.imported_at < w.to_ts)`,
  );
  return single(rows);
}

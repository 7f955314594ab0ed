import type { PrismaClient } from '../db/generated/prisma/client.js';
import { CALL_SUMS, DTMF_KEYS } from '../import/rollups.js';
import { offsetMinutes } from '../reports/offsets.js';
import { includesRemoved, removedCallsNeeded, type RemovedCalls } from '../reports/removed-calls.js';

/** One campaign's report window. Every query below answers many of them in one statement. */
export interface CampaignWindow {
  campaignId: number;
  from: Date;
  to: Date;
  /** IANA zone for local-time bucketing (trend, heatmap). */
  zone?: string;
  /** Digits the campaign's IVR script defines (funnel). */
  digits?: string[];
  /** The bounds of the steps a trend counts in, from `from` to `to` (see TrendPlan). */
  steps?: Date[];
  /** The campaign's raw calls retention removed, which no statement may need. */
  removed?: RemovedCalls;
}

type Db = Pick<PrismaClient, '$queryRawUnsafe'>;
type Keyed = { windowKey: number };
/** 0001-01-01T00:00:00Z: before any row, for the raw source's empty lead rollup range. */
const EARLIEST = -62135596800000;

/** Where whole 15-minute buckets are read from: the rollups, or (to check them) the raw rows. */
export type ReportSource = 'rollups' | 'raw';

// The windows travel as one JSON parameter and become a table, so N campaigns with N different
// windows still cost one statement. Each window's rows come from a LATERAL subquery, which keeps
// the planner on the (campaign_id, started_at) index whatever it guesses about the JSON's size.
// [roll_from, roll_to) is the part of the window made of whole 15-minute buckets, read from the
// rollups, and [day_from, day_to) the whole UTC days within it, read from the day rollups; the rest,
// at most two partial edges, is read from the raw rows. leads_day_to and leads_roll_to do the same
// for the leads imported before the window's end.
const WINDOWS = `windows AS (
  SELECT * FROM jsonb_to_recordset($1::jsonb)
    AS w(key int, campaign_id int, from_ts timestamptz, to_ts timestamptz, zone text, digits text[], steps timestamptz[],
      roll_from timestamptz, roll_to timestamptz, day_from timestamptz, day_to timestamptz,
      leads_day_to timestamptz, leads_roll_to timestamptz, rollups boolean, profiles boolean)
)`;
const IN_WINDOW = 'c.campaign_id = w.campaign_id AND c.started_at >= w.from_ts AND c.started_at < w.to_ts';
/**
 * The window's calls outside its whole buckets, as `c`: a range of the (campaign_id, started_at)
 * index per edge. OFFSET 0 keeps the planner from folding a report's own conditions into the scan
 * (e.g. `disposition IS NOT NULL`), which can tip it into reading the whole table.
 */
const EDGE_CALLS = `(VALUES (w.from_ts, w.roll_from), (w.roll_to, w.to_ts)) AS e(lo, hi)
  CROSS JOIN LATERAL (
    SELECT * FROM call_attempt c WHERE c.campaign_id = w.campaign_id AND c.started_at >= e.lo AND c.started_at < e.hi OFFSET 0
  ) c`;
/**
 * Rows (`columns`) of a rollup covering the window's whole buckets: whole days from the day table,
 * the rest from the quarter-hour one.
 */
const wholeRows = (quarters: string, days: string, columns: string, where = '') => `(
  SELECT ${columns} FROM ${quarters} WHERE campaign_id = w.campaign_id ${where} AND bucket >= w.roll_from AND bucket < w.day_from
  UNION ALL
  SELECT ${columns} FROM ${days} WHERE campaign_id = w.campaign_id ${where} AND bucket >= w.day_from AND bucket < w.day_to
  UNION ALL
  SELECT ${columns} FROM ${quarters} WHERE campaign_id = w.campaign_id ${where} AND bucket >= w.day_to AND bucket < w.roll_to
)`;
/** The window's whole buckets, as `b`. */
const WHOLE_BUCKETS = `${wholeRows('call_bucket', 'call_day', `campaign_id, bucket, ${CALL_SUMS.join(', ')}`)} b`;
/** A quarter hour's talk-seconds histogram (call_bucket_talk) as the 'talk' key rows a day has in call_day_key. */
const TALK_QUARTERS = `(
  SELECT b.campaign_id, 'talk' AS dimension, b.bucket, h.sec::text COLLATE "C" AS key, h.count
  FROM call_bucket_talk b CROSS JOIN LATERAL unnest(b.talk_secs, b.talk_counts) AS h(sec, count)
) AS talk_quarters`;
const wholeKeyBuckets = (dimension: string) =>
  `${wholeRows(dimension === 'talk' ? TALK_QUARTERS : 'call_bucket_key', 'call_day_key', 'key, count', `AND dimension = '${dimension}'`)} k`;

const QUARTER_MS = 15 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;
/** Since 1972 every zone's offsets are whole quarter hours; before, some were not (local mean time). */
const QUARTER_OFFSETS_SINCE = Date.UTC(1972, 0, 1);

interface SpanNeeds {
  /** The query groups by local time in the window's zone (heatmap). */
  local?: boolean;
}

/** Whether every bound of a trend's steps is on a multiple of `unit` (true where it has none). */
const stepsOn = (window: CampaignWindow, unit: number) => window.steps?.every((bound) => bound.getTime() % unit === 0) ?? true;

/**
 * The whole 15-minute buckets of a window, or none (everything from the raw rows) where a bucket
 * could straddle a boundary the query groups by: an offset that is not whole quarter hours, or a
 * trend step that does not start on a quarter hour.
 */
function rollupSpan(window: CampaignWindow, source: ReportSource, needs: SpanNeeds): [number, number] {
  const from = Math.ceil(window.from.getTime() / QUARTER_MS) * QUARTER_MS;
  const to = Math.floor(window.to.getTime() / QUARTER_MS) * QUARTER_MS;
  const quarterOffsets = (instant: number) => offsetMinutes(window.zone ?? 'UTC', instant) % 15 === 0;
  const usable =
    source === 'rollups' &&
    from < to &&
    stepsOn(window, QUARTER_MS) &&
    (!needs.local || (window.from.getTime() >= QUARTER_OFFSETS_SINCE && quarterOffsets(window.from.getTime()) && quarterOffsets(window.to.getTime())));
  return usable ? [from, to] : [window.to.getTime(), window.to.getTime()];
}

/**
 * The whole UTC days within [from, to), or an empty range at `to` where there are none or a UTC day
 * could straddle what the query groups by: local hours, or a trend's steps unless every one is
 * made of UTC days (a DAY trend in UTC).
 */
function daySpan([from, to]: [number, number], window: CampaignWindow, needs: SpanNeeds): [number, number] {
  const dayFrom = Math.ceil(from / DAY_MS) * DAY_MS;
  const dayTo = Math.floor(to / DAY_MS) * DAY_MS;
  return !needs.local && stepsOn(window, DAY_MS) && dayFrom < dayTo ? [dayFrom, dayTo] : [to, to];
}

/**
 * A trend's steps as the statement's timestamps, written once per plan: a page of campaigns shares
 * its plan's steps (20 three-year DAY trends would write 22,000 timestamps otherwise).
 */
const writtenSteps = new WeakMap<readonly Date[], string[]>();
function stepTimestamps(steps: readonly Date[] | undefined): string[] {
  if (!steps) return [];
  let written = writtenSteps.get(steps);
  if (!written) writtenSteps.set(steps, (written = steps.map((bound) => bound.toISOString())));
  return written;
}

/** What a statement reads of a window's raw calls, checked against the removed ones; returns the window's further fields. */
type RawReads = (window: CampaignWindow, roll: [number, number], source: ReportSource) => Record<string, unknown>;

/** The raw calls outside the window's whole buckets (EDGE_CALLS): refused where retention removed them. */
const edgeReads: RawReads = (window, [rollFrom, rollTo]) => {
  const edges: [string, number, number][] = [
    ['from', window.from.getTime(), rollFrom],
    ['to', rollTo, window.to.getTime()],
  ];
  for (const [argument, from, to] of edges) {
    if (includesRemoved(window.removed, from, to)) throw removedCallsNeeded(argument, window.campaignId, window.removed!, from, to);
  }
  return {};
};

/** For a statement that reads no calls (the window's leads): nothing retention removed can be missing. */
const readsNoCalls: RawReads = () => ({});

/** Runs `select` (which may refer to the window as `w`) once per window; rows grouped by window. */
async function perWindow<Row>(
  db: Db,
  windows: readonly CampaignWindow[],
  select: string,
  source: ReportSource = 'raw',
  needs: SpanNeeds = {},
  rawReads: RawReads = edgeReads,
): Promise<Row[][]> {
  const param = JSON.stringify(
    windows.map((w, key) => {
      const roll = rollupSpan(w, source, needs);
      const further = rawReads(w, roll, source);
      const [dayFrom, dayTo] = daySpan(roll, w, needs);
      const leadsRollTo = source === 'rollups' ? Math.floor(w.to.getTime() / QUARTER_MS) * QUARTER_MS : EARLIEST;
      return {
        key,
        campaign_id: w.campaignId,
        from_ts: w.from.toISOString(),
        to_ts: w.to.toISOString(),
        zone: w.zone ?? 'UTC',
        digits: w.digits ?? [],
        steps: stepTimestamps(w.steps),
        roll_from: new Date(roll[0]).toISOString(),
        roll_to: new Date(roll[1]).toISOString(),
        day_from: new Date(dayFrom).toISOString(),
        day_to: new Date(dayTo).toISOString(),
        leads_day_to: new Date(Math.floor(leadsRollTo / DAY_MS) * DAY_MS).toISOString(),
        leads_roll_to: new Date(leadsRollTo).toISOString(),
        rollups: source === 'rollups',
        ...further,
      };
    }),
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

export async function callTotals(db: Db, windows: readonly CampaignWindow[], source?: ReportSource): Promise<CallTotals[]> {
  const rows = await perWindow<CallTotals>(
    db,
    windows,
    `SELECT
       coalesce(sum(p.dialed), 0)::int AS "dialed",
       coalesce(sum(p.answered), 0)::int AS "answered",
       coalesce(sum(p.no_answer), 0)::int AS "noAnswer",
       coalesce(sum(p.busy), 0)::int AS "busy",
       coalesce(sum(p.failed), 0)::int AS "failed",
       coalesce(sum(p.abandoned), 0)::int AS "abandoned",
       coalesce(sum(p.talk_sec), 0)::float8 AS "talkSec",
       coalesce(sum(p.transfers_succeeded), 0)::int AS "transfersSucceeded",
       coalesce(sum(p.transfers_attempted), 0)::int AS "transfersAttempted"
     FROM (
       SELECT
         count(*) AS dialed,
         count(*) FILTER (WHERE c.result = 'answered') AS answered,
         count(*) FILTER (WHERE c.result = 'no_answer') AS no_answer,
         count(*) FILTER (WHERE c.result = 'busy') AS busy,
         count(*) FILTER (WHERE c.result = 'failed') AS failed,
         count(*) FILTER (WHERE c.result = 'abandoned') AS abandoned,
         sum(c.billsec) FILTER (WHERE c.result = 'answered') AS talk_sec,
         count(*) FILTER (WHERE c.transfer_status = 'success') AS transfers_succeeded,
         count(c.transfer_status) AS transfers_attempted
       FROM ${EDGE_CALLS}
       UNION ALL
       SELECT sum(b.dialed), sum(b.answered), sum(b.no_answer), sum(b.busy), sum(b.failed), sum(b.abandoned),
         sum(b.talk_sec), sum(b.transfers_succeeded), sum(b.transfers_attempted)
       FROM ${WHOLE_BUCKETS}
     ) p`,
    source,
  );
  return single(rows);
}

/** The campaign's leads imported before the window's end: whole days, whole buckets, then the raw rows after them. */
const LEADS_IMPORTED = `(
  (SELECT coalesce(sum(ld.leads), 0) FROM lead_day ld WHERE ld.campaign_id = w.campaign_id AND ld.bucket < w.leads_day_to)
  + (SELECT coalesce(sum(lb.leads), 0) FROM lead_bucket lb
     WHERE lb.campaign_id = w.campaign_id AND lb.bucket >= w.leads_day_to AND lb.bucket < w.leads_roll_to)
  + (SELECT count(*) FROM lead l WHERE l.campaign_id = w.campaign_id AND l.imported_at >= w.leads_roll_to AND l.imported_at < w.to_ts)
)::int`;

export async function leadTotals(db: Db, windows: readonly CampaignWindow[], source?: ReportSource): Promise<number[]> {
  const rows = await perWindow<{ leads: number }>(db, windows, `SELECT ${LEADS_IMPORTED} AS leads`, source, {}, readsNoCalls);
  return single(rows).map((row) => row.leads);
}

export interface KeyCount {
  key: string;
  count: number;
}

/** Counts by key of the window's edge calls (`edgeKey`, null to skip a call) plus its whole buckets. */
function keyCounts(db: Db, windows: readonly CampaignWindow[], dimension: string, edgeKey: string, source?: ReportSource) {
  return perWindow<KeyCount>(
    db,
    windows,
    `SELECT p.key AS "key", sum(p.count)::int AS "count"
     FROM (
       SELECT ${edgeKey} AS key, count(*) AS count FROM ${EDGE_CALLS} GROUP BY 1
       UNION ALL
       SELECT k.key, sum(k.count) FROM ${wholeKeyBuckets(dimension)} GROUP BY 1
     ) p
     WHERE p.key IS NOT NULL
     GROUP BY 1
     HAVING sum(p.count) > 0`,
    source,
  );
}

/** Answered attempts by the key pressed; "no_input" where none was. */
export function dtmfCounts(db: Db, windows: readonly CampaignWindow[], source?: ReportSource): Promise<KeyCount[][]> {
  return keyCounts(db, windows, 'dtmf', `CASE WHEN c.result = 'answered' THEN coalesce(c.dtmf, 'no_input') END`, source);
}

export function hangupCauseCounts(db: Db, windows: readonly CampaignWindow[], source?: ReportSource): Promise<KeyCount[][]> {
  return keyCounts(db, windows, 'cause', 'c.hangup_cause', source);
}

/** Answered attempts by the IVR nodes they visited, joined with " → ". */
export function scriptPathCounts(db: Db, windows: readonly CampaignWindow[], source?: ReportSource): Promise<KeyCount[][]> {
  return keyCounts(
    db,
    windows,
    'path',
    `CASE WHEN c.result = 'answered' AND cardinality(c.script_path) > 0 THEN array_to_string(c.script_path, ' → ') END`,
    source,
  );
}

/** Attempts by the agent disposition they carry. */
export function dispositionCounts(db: Db, windows: readonly CampaignWindow[], source?: ReportSource): Promise<KeyCount[][]> {
  return keyCounts(db, windows, 'disposition', 'c.disposition', source);
}

/** Answered attempts by whole talk seconds (the key, as text): a histogram, exact for percentiles. */
export function talkSecondCounts(db: Db, windows: readonly CampaignWindow[], source?: ReportSource): Promise<KeyCount[][]> {
  return keyCounts(db, windows, 'talk', `CASE WHEN c.result = 'answered' THEN c.billsec::text END`, source);
}

export interface HeatmapCount {
  dayOfWeek: number;
  hour: number;
  dialed: number;
  answered: number;
}

export async function heatmapCounts(db: Db, windows: readonly CampaignWindow[], source?: ReportSource): Promise<HeatmapCount[][]> {
  // date_part's float8, not extract's numeric: the same whole numbers, and three days' calls (about
  // 100,000) grouped so took 51 ms instead of 60.
  const dayOfWeek = (instant: string) => `date_part('dow', ${instant} AT TIME ZONE w.zone)::int`;
  const hour = (instant: string) => `date_part('hour', ${instant} AT TIME ZONE w.zone)::int`;
  return perWindow<HeatmapCount>(
    db,
    windows,
    `SELECT p.dow AS "dayOfWeek", p.hour AS "hour", sum(p.dialed)::int AS "dialed", sum(p.answered)::int AS "answered"
     FROM (
       SELECT ${dayOfWeek('c.started_at')} AS dow, ${hour('c.started_at')} AS hour,
         count(*) AS dialed, count(*) FILTER (WHERE c.result = 'answered') AS answered
       FROM ${EDGE_CALLS} GROUP BY 1, 2
       UNION ALL
       SELECT ${dayOfWeek('b.bucket')}, ${hour('b.bucket')}, sum(b.dialed), sum(b.answered) FROM ${WHOLE_BUCKETS} GROUP BY 1, 2
     ) p
     GROUP BY 1, 2
     HAVING sum(p.dialed) > 0`,
    source,
    { local: true },
  );
}

export interface TrendCount {
  /** The number of the step (see CampaignWindow.steps) the calls started in. */
  step: number;
  dialed: number;
  answered: number;
  talkSec: number;
  transfers: number;
}

export async function trendCounts(db: Db, windows: readonly CampaignWindow[], source?: ReportSource): Promise<TrendCount[][]> {
  // width_bucket numbers [steps[0], steps[1]) 1, and so on: a binary search per row, where
  // formatting each quarter hour's local date cost a month's trend milliseconds.
  const step = (instant: string) => `width_bucket(${instant}, w.steps) - 1`;
  return perWindow<TrendCount>(
    db,
    windows,
    `SELECT p.step AS "step", sum(p.dialed)::int AS "dialed", sum(p.answered)::int AS "answered",
       sum(p.talk_sec)::float8 AS "talkSec", sum(p.transfers)::int AS "transfers"
     FROM (
       SELECT ${step('c.started_at')} AS step, count(*) AS dialed, count(*) FILTER (WHERE c.result = 'answered') AS answered,
         coalesce(sum(c.billsec) FILTER (WHERE c.result = 'answered'), 0) AS talk_sec,
         count(*) FILTER (WHERE c.transfer_status = 'success') AS transfers
       FROM ${EDGE_CALLS} GROUP BY 1
       UNION ALL
       SELECT ${step('b.bucket')}, sum(b.dialed), sum(b.answered), sum(b.talk_sec), sum(b.transfers_succeeded)
       FROM ${WHOLE_BUCKETS} GROUP BY 1
     ) p
     GROUP BY 1
     HAVING sum(p.dialed) > 0`,
    source,
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

/** funnel_profile.keys_pressed's bits of the campaign's valid digits. */
const VALID_KEYS = `(SELECT coalesce(bit_or(1 << (array_position(ARRAY['${DTMF_KEYS.join("', '")}'], d) - 1)), 0) FROM unnest(w.digits) d)`;

/**
 * Whether fewer of the campaign's calls (and leads imported at or after the window's end) lie
 * outside the window than in it, as the day rollups count them (a partial first day counted whole,
 * which is close enough to choose a plan): then the funnel starts from the per-lead state and
 * corrects the leads outside, which costs less than grouping the window's calls.
 */
const FEW_OUTSIDE = `(
  SELECT 2 * inside.calls > total.calls + late.leads
  FROM (SELECT coalesce(sum(d.dialed), 0) AS calls FROM call_day d WHERE d.campaign_id = w.campaign_id) total,
    (SELECT coalesce(sum(d.dialed), 0) AS calls FROM call_day d
     WHERE d.campaign_id = w.campaign_id AND d.bucket > w.from_ts - interval '1 day' AND d.bucket < w.to_ts) inside,
    (SELECT coalesce(sum(ld.leads), 0) AS leads FROM lead_day ld WHERE ld.campaign_id = w.campaign_id AND ld.bucket > w.to_ts - interval '1 day') late
)`;

/** lead_progress row `p`'s answered attempts with one of the window's valid digits. */
const VALID_KEY_COUNT = `coalesce((SELECT sum(p.key_counts[array_position(ARRAY['${DTMF_KEYS.join("', '")}'], d)]) FROM unnest(w.digits) d), 0)`;

/** What call `c` adds to its lead's counts, as lead_progress counts them (after `1 AS attempts`). */
const OUTSIDE_CALL_COUNTS = `(c.result = 'answered')::int AS answered, (c.result = 'answered' AND c.dtmf = ANY(w.digits))::int AS pressed,
  (c.transfer_status = 'success')::int AS transferred, (c.disposition IS NOT NULL)::int AS disposed`;

const STAGES: [name: string, flags: string[]][] = [
  ['dialed', ['dialed']],
  ['answered', ['dialed', 'answered']],
  ['pressedValidDtmf', ['dialed', 'answered', 'pressed']],
  ['transferred', ['dialed', 'answered', 'pressed', 'transferred']],
  ['disposed', ['dialed', 'answered', 'pressed', 'transferred', 'disposed']],
];

/**
 * The five stage counts, each stage a subset of the one before, over per-lead flags (dialed,
 * answered, pressed, transferred, disposed): of rows `f`, or `f` less `less` row by row.
 */
const stageSums = (f: string, less?: string) =>
  STAGES.map(([name, flags]) => {
    const reached = (row: string) => `(${flags.map((flag) => `${row}.${flag}`).join(' AND ')})::int`;
    return `coalesce(sum(${reached(f)}${less ? ` - ${reached(less)}` : ''}), 0)::int AS "${name}"`;
  }).join(',\n  ');

/**
 * What call `c` shows of its lead's stages, as bits: answered 1, a valid key pressed (answered) 2,
 * transferred 4, disposed 8. One bit_or per lead costs grouping a week's calls a quarter less than
 * a bool_or per stage.
 */
const CALL_STAGE_BITS = `CASE WHEN c.result = 'answered' THEN 1 | CASE WHEN c.dtmf = ANY(w.digits) THEN 2 ELSE 0 END ELSE 0 END
  | CASE WHEN c.transfer_status = 'success' THEN 4 ELSE 0 END | CASE WHEN c.disposition IS NOT NULL THEN 8 ELSE 0 END`;

/** The bit of a lead imported at or after a window's end, or'ed with its calls' CALL_STAGE_BITS. */
const LATE = 16;

/** The five stage counts over leads' stage bits `bits` (CALL_STAGE_BITS or'ed): each stage needs every bit before it. */
const bitStageSums = (bits: string) =>
  STAGES.map(([name], index) => {
    const mask = (1 << index) - 1;
    return `count(*)${mask ? ` FILTER (WHERE ${bits} & ${mask} = ${mask})` : ''}::int AS "${name}"`;
  }).join(',\n  ');

/**
 * The funnel reads either the calls outside the window (with the profiles) or those inside it:
 * where retention removed calls, whichever of the two it left whole; refused where it left neither.
 */
const funnelReads: RawReads = (window, _roll, source) => {
  const { removed } = window;
  if (!removed) return { profiles: null };
  const [from, to] = [window.from.getTime(), window.to.getTime()];
  if (source === 'rollups' && !includesRemoved(removed, -Infinity, from) && !includesRemoved(removed, to, Infinity)) return { profiles: true };
  if (!includesRemoved(removed, from, to)) return { profiles: false };
  throw removedCallsNeeded('from', window.campaignId, removed, from, to);
};

/**
 * Distinct leads per stage. A lead reaches a stage only if it reached every stage before it, so the
 * counts never rise even when one lead's attempts tell different stories.
 *
 * From the rollups, when fewer calls of the campaign lie outside the window than in it (the default
 * window, from the campaign's start to now; a month of a campaign calls go on arriving in): the campaign's
 * funnel profiles (every lead's state over all its calls, see src/import/rollups.ts), less the state
 * of each lead with a call outside the window or imported at or after its end, plus that lead's state
 * over its calls inside the window (none for a lead imported at or after the end): its counts
 * (lead_progress) less those of its calls outside. Otherwise, and from the raw rows, the window's
 * calls are grouped by lead.
 */
export async function funnelCounts(db: Db, windows: readonly CampaignWindow[], source?: ReportSource): Promise<FunnelCounts[]> {
  const rows = await perWindow<FunnelCounts>(
    db,
    windows,
    `SELECT ${LEADS_IMPORTED} AS "imported", r.*
     FROM (
       -- OFFSET 0 keeps it computed once. Where retention removed calls, funnelReads chose.
       SELECT coalesce(w.profiles, ${FEW_OUTSIDE}) AS few_outside OFFSET 0
     ) s
     CROSS JOIN LATERAL (
       SELECT whole."dialed" - outside."dialed" AS "dialed", whole."answered" - outside."answered" AS "answered",
         whole."pressedValidDtmf" - outside."pressedValidDtmf" AS "pressedValidDtmf",
         whole."transferred" - outside."transferred" AS "transferred", whole."disposed" - outside."disposed" AS "disposed"
       FROM (
         SELECT
           coalesce(sum(p.leads), 0)::int AS "dialed",
           coalesce(sum(p.leads) FILTER (WHERE p.answered), 0)::int AS "answered",
           coalesce(sum(p.leads) FILTER (WHERE p.answered AND p.keys_pressed & k.valid <> 0), 0)::int AS "pressedValidDtmf",
           coalesce(sum(p.leads) FILTER (WHERE p.answered AND p.keys_pressed & k.valid <> 0 AND p.transferred), 0)::int AS "transferred",
           coalesce(sum(p.leads) FILTER (WHERE p.answered AND p.keys_pressed & k.valid <> 0 AND p.transferred AND p.disposed), 0)::int AS "disposed"
         FROM funnel_profile p, (SELECT ${VALID_KEYS} AS valid) k
         WHERE p.campaign_id = w.campaign_id
       ) whole
       CROSS JOIN (
         -- The leads with a call outside the window, or imported at or after its end, are counted
         -- in the profiles by all their calls: take that off and add what their calls inside the
         -- window reach. Their state is counts, so the calls inside are the lead's counts less its
         -- calls outside, which the same index ranges hold.
         SELECT ${stageSums('a', 'i')}
         FROM (
           SELECT o.lead_id, sum(o.attempts) AS attempts, sum(o.answered) AS answered, sum(o.pressed) AS pressed,
             sum(o.transferred) AS transferred, sum(o.disposed) AS disposed
           FROM (
             SELECT c.lead_id, 1 AS attempts, ${OUTSIDE_CALL_COUNTS} FROM call_attempt c WHERE c.campaign_id = w.campaign_id AND c.started_at < w.from_ts
             UNION ALL
             SELECT c.lead_id, 1, ${OUTSIDE_CALL_COUNTS} FROM call_attempt c WHERE c.campaign_id = w.campaign_id AND c.started_at >= w.to_ts
             UNION ALL
             SELECT l.id, 0, 0, 0, 0, 0 FROM lead l WHERE l.campaign_id = w.campaign_id AND l.imported_at >= w.to_ts
           ) o
           GROUP BY o.lead_id
         ) outside_calls
         CROSS JOIN LATERAL (
           SELECT coalesce(sum(p.attempts), 0) AS attempts, coalesce(sum(p.answered), 0) AS answered,
             coalesce(sum(${VALID_KEY_COUNT}), 0) AS pressed, coalesce(sum(p.transferred), 0) AS transferred,
             coalesce(sum(p.disposed), 0) AS disposed,
             EXISTS (SELECT FROM lead l WHERE l.id = outside_calls.lead_id AND l.imported_at >= w.to_ts) AS late
           FROM lead_progress p WHERE p.lead_id = outside_calls.lead_id AND p.campaign_id = w.campaign_id
         ) counts
         CROSS JOIN LATERAL (
           SELECT counts.attempts > 0 AS dialed, counts.answered > 0 AS answered, counts.pressed > 0 AS pressed,
             counts.transferred > 0 AS transferred, counts.disposed > 0 AS disposed
         ) a
         CROSS JOIN LATERAL (
           SELECT NOT counts.late AND counts.attempts > outside_calls.attempts AS dialed,
             counts.answered > outside_calls.answered AS answered, counts.pressed > outside_calls.pressed AS pressed,
             counts.transferred > outside_calls.transferred AS transferred, counts.disposed > outside_calls.disposed AS disposed
         ) i
       ) outside
       WHERE w.rollups AND s.few_outside
       UNION ALL
       SELECT ${bitStageSums('d.bits')}
       FROM (
         SELECT o.lead_id, bit_or(o.bits) AS bits
         FROM (
           SELECT c.lead_id, ${CALL_STAGE_BITS} AS bits FROM call_attempt c WHERE ${IN_WINDOW}
           UNION ALL
           -- Leads imported at or after the window's end, few however live the ingest (read off
           -- the campaign's imported_at index), are marked LATE and left out: a few more rows to
           -- group instead of looking each of the window's leads up among them.
           SELECT l.id, ${LATE} FROM lead l WHERE l.campaign_id = w.campaign_id AND l.imported_at >= w.to_ts
         ) o
         GROUP BY o.lead_id
       ) d
       WHERE d.bits & ${LATE} = 0
         ${
           // The raw source, which checks the rollups, does not take the importer's word that a call's lead exists.
           source !== 'rollups' ? 'AND EXISTS (SELECT FROM lead l WHERE l.id = d.lead_id AND l.imported_at < w.to_ts)' : ''
         }
         AND NOT (w.rollups AND s.few_outside)
     ) r`,
    source,
    {},
    funnelReads,
  );
  return single(rows);
}

export interface CallSpan {
  first: Date;
  last: Date;
}

/**
 * When each campaign's first and last calls started (null for one without calls): two index probes a
 * campaign, and the calls retention removed (which were all earlier than those kept).
 */
export async function callSpans(db: Db, campaignIds: readonly number[]): Promise<(CallSpan | null)[]> {
  const rows = await db.$queryRawUnsafe<({ campaignId: number } & CallSpan)[]>(
    `SELECT c.id AS "campaignId", coalesce(r.calls_removed_first, f.started_at) AS "first", coalesce(l.started_at, r.calls_removed_last) AS "last"
     FROM unnest($1::int[]) AS c(id)
     LEFT JOIN campaign r ON r.id = c.id
     LEFT JOIN LATERAL (SELECT started_at FROM call_attempt WHERE campaign_id = c.id ORDER BY started_at LIMIT 1) f ON true
     LEFT JOIN LATERAL (SELECT started_at FROM call_attempt WHERE campaign_id = c.id ORDER BY started_at DESC LIMIT 1) l ON true
     WHERE coalesce(r.calls_removed_first, f.started_at) IS NOT NULL`,
    campaignIds,
  );
  const byId = new Map(rows.map(({ campaignId, ...span }) => [campaignId, span]));
  return campaignIds.map((id) => byId.get(id) ?? null);
}

import type { Database } from '../db/client.js';
import type { PrismaClient } from '../db/generated/prisma/client.js';
import type { CampaignWindow } from './report-queries.js';

export type CallRow = [
  id: string,
  leadId: string,
  startedAt: CallTime,
  answeredAt: CallTime | null,
  endedAt: CallTime,
  result: string,
  billsec: number,
  hangupCause: string,
  dtmf: string | null,
  scriptPath: string,
  transferQueue: string | null,
  transferStatus: string | null,
  disposition: string | null,
];

/** ISO 8601 text in UTC (CSV), or an Excel date-time: the serial number of the local time in `zone` (xlsx). */
export type CallTimes = { excelZone?: string };
type CallTime = string | number;

/** A timestamp as JavaScript's toISOString() writes it, formatted by the database (the columns hold milliseconds). */
const iso = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
/** Days since Excel's day 0 (1899-12-30) of the wall-clock time in the zone $5; Excel has no time zones. */
const excelSerial = (column: string) => `extract(epoch FROM ${column} AT TIME ZONE $5)::float8 / 86400 + 25569`;

/**
 * Every attempt of a window in start order, read a page at a time by keyset (started_at, id), so
 * an export of millions of calls holds two pages in memory: the one it writes and the next, which
 * is read meanwhile. The explicit started_at bound lets each page start where the last one ended
 * in the (campaign_id, started_at) index. Rows arrive as arrays of strings and numbers already in
 * export form: no Date or row object is made per call.
 */
export async function* callRows(db: Database, window: CampaignWindow, { excelZone }: CallTimes = {}, pageSize = 5000): AsyncGenerator<CallRow[]> {
  const time = excelZone ? excelSerial : iso;
  // Each row ends with its start as ISO text, the key of the next page, which is cut off before the row is given out.
  const pageAfter = async (startedAt: string, id: string) => {
    const rows = (await db.arrayRows(
      `SELECT id, lead_id, ${time('started_at')}, ${time('answered_at')}, ${time('ended_at')}, result::text, billsec, hangup_cause, dtmf,
         array_to_string(script_path, ' → '), transfer_queue, transfer_status::text, disposition, ${iso('started_at')}
       FROM call_attempt
       WHERE campaign_id = $1 AND started_at >= $2::timestamptz AND started_at < $3::timestamptz
         AND (started_at, id) > ($2::timestamptz, $4)
       ORDER BY started_at, id
       LIMIT ${Number(pageSize)}`,
      [window.campaignId, startedAt, window.to.toISOString(), id, ...(excelZone ? [excelZone] : [])],
    )) as (CallRow | [...CallRow, string])[];
    const last = rows[rows.length - 1] as [...CallRow, string] | undefined;
    const key = last && { startedAt: last[13], id: last[0] };
    for (const row of rows) row.length = 13;
    return { rows: rows as CallRow[], key };
  };
  let next = pageAfter(window.from.toISOString(), '');
  try {
    for (;;) {
      const { rows: page, key } = await next;
      if (!key) return;
      const more = page.length === pageSize;
      if (more) next = pageAfter(key.startedAt, key.id);
      yield page;
      if (!more) return;
    }
  } finally {
    // A reader that stops early (its file failed) leaves the page read ahead unwanted, failed or not.
    next.catch(() => undefined);
  }
}

export async function countCalls(db: PrismaClient, window: CampaignWindow): Promise<number> {
  return db.callAttempt.count({ where: { campaignId: window.campaignId, startedAt: { gte: window.from, lt: window.to } } });
}

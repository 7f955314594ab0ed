import type { Database } from '../db/client.js';
import type { PrismaClient } from '../db/generated/prisma/client.js';
import type { CampaignWindow } from './report-queries.js';

export type CallRow = [
  id: string,
  leadId: string,
  startedAt: string,
  answeredAt: string | null,
  endedAt: string,
  result: string,
  billsec: number,
  hangupCause: string,
  dtmf: string | null,
  scriptPath: string,
  transferQueue: string | null,
  transferStatus: string | null,
  disposition: string | null,
];

/** A timestamp as JavaScript's toISOString() writes it, formatted by the database (the columns hold milliseconds). */
const iso = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * Every attempt of a window in start order, read a page at a time by keyset (started_at, id), so
 * an export of millions of calls holds two pages in memory: the one it writes and the next, which
 * is read meanwhile. The explicit started_at bound lets each page start where the last one ended
 * in the (campaign_id, started_at) index. Rows arrive as arrays of strings and numbers already in
 * export form: no Date or row object is made per call.
 */
export async function* callRows(db: Database, window: CampaignWindow, pageSize = 5000): AsyncGenerator<CallRow[]> {
  const pageAfter = (startedAt: string, id: string) =>
    db.arrayRows(
      `SELECT id, lead_id, ${iso('started_at')}, ${iso('answered_at')}, ${iso('ended_at')}, result::text, billsec, hangup_cause, dtmf,
         array_to_string(script_path, ' → '), transfer_queue, transfer_status::text, disposition
       FROM call_attempt
       WHERE campaign_id = $1 AND started_at >= $2::timestamptz AND started_at < $3::timestamptz
         AND (started_at, id) > ($2::timestamptz, $4)
       ORDER BY started_at, id
       LIMIT ${Number(pageSize)}`,
      [window.campaignId, startedAt, window.to.toISOString(), id],
    ) as Promise<CallRow[]>;
  let next = pageAfter(window.from.toISOString(), '');
  try {
    for (;;) {
      const page = await next;
      if (page.length === 0) return;
      const [id, , startedAt] = page[page.length - 1]!;
      const more = page.length === pageSize;
      if (more) next = pageAfter(startedAt, id);
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

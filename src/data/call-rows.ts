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

/** ISO 8601 text in UTC (CSV), or an Excel date-time: the serial number of the local time in `zone`, as text (xlsx). */
export type CallTimes = { excelZone?: string };
type CallTime = string;

/** A timestamp as JavaScript's toISOString() writes it, formatted by the database (the columns hold milliseconds). */
const iso = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
/**
 * Days since Excel's day 0 (1899-12-30) of the wall-clock time in the zone of parameter `zone` (Excel
 * has no time zones), as text: PostgreSQL writes a float8 as JavaScript does, so the sheet takes
 * the text as it comes instead of a number parsed here and printed again.
 */
const excelSerial = (column: string, zone: string) => `(extract(epoch FROM ${column} AT TIME ZONE ${zone})::float8 / 86400 + 25569)::text`;

/**
 * Every attempt of a window in start order, a page at a time, so an export of millions of calls
 * holds two pages in memory: the one it writes and the next, which is read meanwhile. Rows arrive
 * as arrays of strings and numbers already in export form: no Date or row object is made per call.
 * On PostgreSQL one statement is read through a cursor; PGlite reads page after page by keyset.
 */
export function callRows(db: Database, window: CampaignWindow, { excelZone }: CallTimes = {}, pageSize = 5000): AsyncGenerator<CallRow[]> {
  /** The export's columns, the zone (if any) being parameter `zoneParameter`. */
  const columns = (zoneParameter: string) => {
    const time = (column: string) => (excelZone ? excelSerial(column, zoneParameter) : iso(column));
    return `id, lead_id, ${time('started_at')}, ${time('answered_at')}, ${time('ended_at')}, result::text, billsec, hangup_cause, dtmf,
      array_to_string(script_path, ' → '), transfer_queue, transfer_status::text, disposition`;
  };
  const zone = excelZone ? [excelZone] : [];
  if (db.cursorPages) {
    const pages = db.cursorPages(
      `SELECT ${columns('$4')} FROM call_attempt
       WHERE campaign_id = $1 AND started_at >= $2::timestamptz AND started_at < $3::timestamptz
       ORDER BY started_at, id`,
      [window.campaignId, window.from.toISOString(), window.to.toISOString(), ...zone],
      pageSize,
    );
    return readAhead(pages as AsyncGenerator<CallRow[]>);
  }
  return readAhead(keysetPages(db, columns('$5'), window, zone, pageSize));
}

/**
 * Pages by keyset (started_at, id): the explicit started_at bound lets each page start where the
 * last one ended in the (campaign_id, started_at) index.
 */
async function* keysetPages(db: Database, columns: string, window: CampaignWindow, zone: string[], pageSize: number): AsyncGenerator<CallRow[]> {
  let key = { startedAt: window.from.toISOString(), id: '' };
  for (;;) {
    // Each row ends with its start as ISO text, the key of the next page, cut off before the row is given out.
    const rows = (await db.arrayRows(
      `SELECT ${columns}, ${iso('started_at')}
       FROM call_attempt
       WHERE campaign_id = $1 AND started_at >= $2::timestamptz AND started_at < $3::timestamptz
         AND (started_at, id) > ($2::timestamptz, $4)
       ORDER BY started_at, id
       LIMIT ${Number(pageSize)}`,
      [window.campaignId, key.startedAt, window.to.toISOString(), key.id, ...zone],
    )) as unknown as [...CallRow, string][];
    const last = rows[rows.length - 1];
    if (!last) return;
    key = { startedAt: last[13], id: last[0] };
    for (const row of rows) (row as unknown[]).length = 13;
    yield rows as unknown as CallRow[];
    if (rows.length < pageSize) return;
  }
}

/** Pages of `pages`, the next one asked for before the current one is given out. */
async function* readAhead<T>(pages: AsyncGenerator<T>): AsyncGenerator<T> {
  let next = pages.next();
  try {
    for (;;) {
      const page = await next;
      if (page.done) return;
      next = pages.next();
      yield page.value;
    }
  } finally {
    // A reader that stops early (its file failed) leaves the page read ahead unwanted, failed or not,
    // and the pages' own cleanup (a cursor's connection) to run.
    next.catch(() => undefined);
    await next.then(() => pages.return(undefined)).catch(() => undefined);
  }
}

export async function countCalls(db: PrismaClient, window: CampaignWindow): Promise<number> {
  return db.callAttempt.count({ where: { campaignId: window.campaignId, startedAt: { gte: window.from, lt: window.to } } });
}

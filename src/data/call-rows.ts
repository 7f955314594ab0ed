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

interface CallRecordRow {
  id: string;
  lead_id: string;
  started_at: Date;
  answered_at: Date | null;
  ended_at: Date;
  result: string;
  billsec: number;
  hangup_cause: string;
  dtmf: string | null;
  script_path: string;
  transfer_queue: string | null;
  transfer_status: string | null;
  disposition: string | null;
}

/**
 * Every attempt of a window in start order, read a page at a time by keyset (started_at, id), so
 * an export of millions of calls holds one page in memory. The explicit started_at bound lets each
 * page start where the last one ended in the (campaign_id, started_at) index.
 */
export async function* callRows(db: PrismaClient, window: CampaignWindow, pageSize = 5000): AsyncGenerator<CallRow[]> {
  let after: { startedAt: Date; id: string } = { startedAt: window.from, id: '' };
  for (;;) {
    const page = await db.$queryRawUnsafe<CallRecordRow[]>(
      `SELECT id, lead_id, started_at, answered_at, ended_at, result::text AS result, billsec, hangup_cause, dtmf,
         array_to_string(script_path, ' → ') AS script_path, transfer_queue, transfer_status::text AS transfer_status, disposition
       FROM call_attempt
       WHERE campaign_id = $1 AND started_at >= $2::timestamptz AND started_at < $3::timestamptz
         AND (started_at, id) > ($2::timestamptz, $4)
       ORDER BY started_at, id
       LIMIT ${Number(pageSize)}`,
      window.campaignId,
      after.startedAt.toISOString(),
      window.to.toISOString(),
      after.id,
    );
    if (page.length === 0) return;
    yield page.map((call) => [
      call.id,
      call.lead_id,
      call.started_at.toISOString(),
      call.answered_at?.toISOString() ?? null,
      call.ended_at.toISOString(),
      call.result,
      call.billsec,
      call.hangup_cause,
      call.dtmf,
      call.script_path,
      call.transfer_queue,
      call.transfer_status,
      call.disposition,
    ]);
    const last = page[page.length - 1]!;
    after = { startedAt: last.started_at, id: last.id };
    if (page.length < pageSize) return;
  }
}

export async function countCalls(db: PrismaClient, window: CampaignWindow): Promise<number> {
  return db.callAttempt.count({ where: { campaignId: window.campaignId, startedAt: { gte: window.from, lt: window.to } } });
}

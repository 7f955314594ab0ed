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

/**
 * Every attempt of a window in start order, read a page at a time by keyset (started_at, id), so
 * an export of millions of calls holds one page in memory.
 */
export async function* callRows(db: PrismaClient, window: CampaignWindow, pageSize = 5000): AsyncGenerator<CallRow[]> {
  let after: { startedAt: Date; id: string } | undefined;
  for (;;) {
    const page = await db.callAttempt.findMany({
      where: {
        campaignId: window.campaignId,
        startedAt: { gte: window.from, lt: window.to },
        ...(after && {
          OR: [{ startedAt: { gt: after.startedAt } }, { startedAt: after.startedAt, id: { gt: after.id } }],
        }),
      },
      orderBy: [{ startedAt: 'asc' }, { id: 'asc' }],
      take: pageSize,
    });
    if (page.length === 0) return;
    yield page.map((call) => [
      call.id,
      call.leadId,
      call.startedAt.toISOString(),
      call.answeredAt?.toISOString() ?? null,
      call.endedAt.toISOString(),
      call.result,
      call.billsec,
      call.hangupCause,
      call.dtmf,
      call.scriptPath.join(' → '),
      call.transferQueue,
      call.transferStatus,
      call.disposition,
    ]);
    const last = page[page.length - 1]!;
    after = { startedAt: last.startedAt, id: last.id };
    if (page.length < pageSize) return;
  }
}

export async function countCalls(db: PrismaClient, window: CampaignWindow): Promise<number> {
  return db.callAttempt.count({ where: { campaignId: window.campaignId, startedAt: { gte: window.from, lt: window.to } } });
}

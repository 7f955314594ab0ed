import type { Database } from '../db/client.js';

/** Calls of June re-posted per ingest, as dispositions arriving late rewrite them. */
const REWRITTEN = 5;
/** New leads, each with a call, per ingest, as a dialer posts the calls it has just made. */
const NEW_CALLS = 5;

interface StoredCall {
  id: string;
  campaign_id: number;
  lead_id: string;
  started_at: Date;
  answered_at: Date | null;
  ended_at: Date;
  result: string;
  billsec: number;
  hangup_cause: string;
  dtmf: string | null;
  script_path: string[] | null;
  transfer_queue: string | null;
  transfer_status: string | null;
  disposition: string | null;
}

/**
 * A gateway as a live dialer keeps it: each call of the returned function POSTs one ingest of a few
 * new leads with a call each (imported and made now) and a few calls of June posted again as they
 * are stored (new row versions on their pages, as late dispositions make, with the numbers
 * unchanged). Reports timed after it meet the tables in the state live ingest leaves them in.
 */
export async function liveIngests(db: Database, origin: string, token: string): Promise<() => Promise<void>> {
  const june = await db.prisma.$queryRawUnsafe<StoredCall[]>(
    `SELECT * FROM call_attempt WHERE campaign_id = 5 AND started_at >= '2026-06-01' AND started_at < '2026-07-01' ORDER BY md5(id) LIMIT 5000`,
  );
  const run = Date.now().toString(36);
  let posted = 0;
  return async () => {
    const now = new Date().toISOString();
    const records: object[] = [];
    for (let n = 0; n < NEW_CALLS; n += 1) {
      const id = `STREAM-${run}-${(posted += 1)}`;
      records.push({ type: 'lead', id, campaign_id: 5, phone: '+84900000000', imported_at: now });
      records.push({ type: 'call', id, campaign_id: 5, lead_id: id, started_at: now, ended_at: now, result: 'no_answer', billsec: 0, hangup_cause: 'NO_ANSWER' });
    }
    for (let n = 0; n < REWRITTEN; n += 1) records.push(asPosted(june[(posted + n) % june.length]!));
    const response = await fetch(`${origin}/ingest`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-ndjson', authorization: `Bearer ${token}` },
      body: records.map((record) => JSON.stringify(record)).join('\n'),
    });
    if (response.status !== 200) throw new Error(`a live ingest answered ${response.status}: ${await response.text()}`);
  };
}

function asPosted(call: StoredCall) {
  return {
    type: 'call',
    id: call.id,
    campaign_id: call.campaign_id,
    lead_id: call.lead_id,
    started_at: call.started_at.toISOString(),
    answered_at: call.answered_at?.toISOString() ?? null,
    ended_at: call.ended_at.toISOString(),
    result: call.result,
    billsec: call.billsec,
    hangup_cause: call.hangup_cause,
    dtmf: call.dtmf,
    script_path: call.script_path,
    transfer: call.transfer_status ? { queue: call.transfer_queue, status: call.transfer_status } : null,
    disposition: call.disposition,
  };
}

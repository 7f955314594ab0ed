import type { PrismaClient } from '../db/generated/prisma/client.js';
import type { CallRecord, CampaignRecord, LeadRecord } from './records.js';

type Tx = Pick<PrismaClient, '$executeRawUnsafe' | '$queryRawUnsafe'>;

// Each batch travels as one JSON parameter and is unpacked by PostgreSQL: one round trip per
// table per batch, whatever the batch size, on both the embedded and the server database.

export async function upsertCampaigns(tx: Tx, campaigns: CampaignRecord[]): Promise<void> {
  if (campaigns.length === 0) return;
  const rows = JSON.stringify(campaigns);
  await tx.$executeRawUnsafe(
    `INSERT INTO tenant (id)
     SELECT DISTINCT r.tenant_id FROM jsonb_to_recordset($1::jsonb) AS r(tenant_id text)
     ON CONFLICT (id) DO NOTHING`,
    rows,
  );
  await tx.$executeRawUnsafe(
    `INSERT INTO campaign (id, tenant_id, name, started_at, dtmf_actions)
     SELECT r.id, r.tenant_id, r.name, r.started_at, r.dtmf_actions
     FROM jsonb_to_recordset($1::jsonb) AS r(id int, tenant_id text, name text, started_at timestamptz, dtmf_actions jsonb)
     ON CONFLICT (id) DO UPDATE SET tenant_id = EXCLUDED.tenant_id, name = EXCLUDED.name,
       started_at = EXCLUDED.started_at, dtmf_actions = EXCLUDED.dtmf_actions`,
    rows,
  );
}

export async function upsertLeads(tx: Tx, leads: LeadRecord[]): Promise<void> {
  if (leads.length === 0) return;
  await tx.$executeRawUnsafe(
    `INSERT INTO lead (id, campaign_id, phone, imported_at)
     SELECT r.id, r.campaign_id, r.phone, r.imported_at
     FROM jsonb_to_recordset($1::jsonb) AS r(id text, campaign_id int, phone text, imported_at timestamptz)
     ON CONFLICT (id) DO UPDATE SET campaign_id = EXCLUDED.campaign_id, phone = EXCLUDED.phone,
       imported_at = EXCLUDED.imported_at`,
    JSON.stringify(leads),
  );
}

export async function upsertCalls(tx: Tx, calls: CallRecord[]): Promise<void> {
  if (calls.length === 0) return;
  const rows = calls.map(({ transfer, ...call }) => ({
    ...call,
    transfer_queue: transfer?.queue ?? null,
    transfer_status: transfer?.status ?? null,
  }));
  await tx.$executeRawUnsafe(
    `INSERT INTO call_attempt (id, campaign_id, lead_id, started_at, answered_at, ended_at, result, billsec,
       hangup_cause, dtmf, script_path, transfer_queue, transfer_status, disposition)
     SELECT r.id, r.campaign_id, r.lead_id, r.started_at, r.answered_at, r.ended_at, r.result::call_result,
       r.billsec, r.hangup_cause, r.dtmf, coalesce(r.script_path, '{}'),
       r.transfer_queue, r.transfer_status::transfer_status, r.disposition
     FROM jsonb_to_recordset($1::jsonb) AS r(id text, campaign_id int, lead_id text, started_at timestamptz,
       answered_at timestamptz, ended_at timestamptz, result text, billsec int, hangup_cause text, dtmf text,
       script_path text[], transfer_queue text, transfer_status text, disposition text)
     ON CONFLICT (id) DO UPDATE SET campaign_id = EXCLUDED.campaign_id, lead_id = EXCLUDED.lead_id,
       started_at = EXCLUDED.started_at, answered_at = EXCLUDED.answered_at, ended_at = EXCLUDED.ended_at,
       result = EXCLUDED.result, billsec = EXCLUDED.billsec, hangup_cause = EXCLUDED.hangup_cause,
       dtmf = EXCLUDED.dtmf, script_path = EXCLUDED.script_path, transfer_queue = EXCLUDED.transfer_queue,
       transfer_status = EXCLUDED.transfer_status, disposition = EXCLUDED.disposition`,
    JSON.stringify(rows),
  );
}

/** The campaign of each lead id that exists in the database. */
export async function findLeadCampaigns(tx: Tx, leadIds: string[]): Promise<Map<string, number>> {
  if (leadIds.length === 0) return new Map();
  const rows = await tx.$queryRawUnsafe<{ id: string; campaign_id: number }[]>(
    'SELECT id, campaign_id FROM lead WHERE id = ANY(SELECT jsonb_array_elements_text($1::jsonb))',
    JSON.stringify(leadIds),
  );
  return new Map(rows.map((row) => [row.id, row.campaign_id]));
}

export async function findCampaignIds(tx: Tx): Promise<Set<number>> {
  const rows = await tx.$queryRawUnsafe<{ id: number }[]>('SELECT id FROM campaign');
  return new Set(rows.map((row) => row.id));
}

import pg from 'pg';
import type { Database, SqlTransaction } from '../db/client.js';
import {
  callColumns,
  beginBatch,
  findCallsAndLeads,
  findStoredLeads,
  leadColumns,
  markCampaignsChanged,
  upsertCampaigns,
  writeCalls,
  writeLeads,
  type Columns,
  type Rows,
} from './batch-writer.js';
import type { CallRecord, CampaignRecord, LeadRecord, RecordType } from './records.js';

/** A record read from a line of the input. */
export interface Pending<T> {
  record: T;
  line: number;
  /** The only tenant the input may write (POST /ingest); undefined for any (the import command). */
  tenantId: string | undefined;
}

/** Whether an input scoped to `tenantId` may write into a campaign owned by `owner` (undefined: no such campaign). */
export const writable = (owner: string | undefined, tenantId: string | undefined) =>
  owner !== undefined && (tenantId === undefined || owner === tenantId);

/** With a tenant scope, another tenant's campaign is as good as unknown: the same words either way. */
export const unknownCampaign = (campaignId: number) => `unknown campaign ${campaignId}`;
export const notYours = (campaign: CampaignRecord) => `campaign ${campaign.id} of tenant "${campaign.tenant_id}" cannot be written with this token`;

/** A record the database would not take, and why. */
export interface Refusal {
  pending: Pending<unknown>;
  type: RecordType;
  reason: string;
}

export interface Batch {
  campaigns: Pending<CampaignRecord>[];
  leads: Pending<LeadRecord>[];
  calls: Pending<CallRecord>[];
  /** All of the batch's leads and calls, as the statements that write them take them. */
  encoded?: { leads: Columns; calls: Columns };
}

/** The columns of `some` of a batch's records (in their order): those encoded already when they are all of them. */
function columnsOf<T>(some: T[], all: unknown[], encoded: Columns | undefined, encode: (records: T[]) => Columns): Columns {
  return encoded && some.length === all.length ? encoded : encode(some);
}

export function changedCampaigns(batch: Batch): number[] {
  const ids = new Set([
    ...batch.campaigns.map(({ record }) => record.id),
    ...batch.leads.map(({ record }) => record.campaign_id),
    ...batch.calls.map(({ record }) => record.campaign_id),
  ]);
  return [...ids].sort((a, b) => a - b);
}

/** Whether a batch holds calls alone (no campaign or lead records): a dialer's live ingest. */
export const callsAlone = (batch: Batch) => batch.campaigns.length === 0 && batch.leads.length === 0;

/** One batch of several, in order (a later record with the same id replaces an earlier one); encoded anew when there is more than one. */
export function joinBatches(batches: Batch[]): Batch {
  if (batches.length === 1) return batches[0]!;
  const byId = <T extends { id: string | number }>(pick: (batch: Batch) => Pending<T>[]) => {
    const records = new Map<string | number, Pending<T>>();
    for (const batch of batches) for (const pending of pick(batch)) records.set(pending.record.id, pending);
    return [...records.values()];
  };
  return { campaigns: byId((batch) => batch.campaigns), leads: byId((batch) => batch.leads), calls: byId((batch) => batch.calls) };
}

/**
 * Batches of calls alone, of (some of) these campaigns, that came in while a transaction waited for
 * their lock: it writes them too (see writeBatch). Undefined when none did.
 */
export type TopUp = (lockedCampaignIds: number[]) => Batch | undefined;

/** What a group commit hears from its transaction as it is written. */
export interface BatchHooks {
  /** Adds the calls that came in while the campaigns' locks were awaited. */
  topUp?: TopUp;
  /** Called once the campaigns are locked (the transaction's first round trip, lock waits included, has ended). */
  locked?: () => void;
}

/**
 * Writes a batch (topped up by `hooks.topUp`) in one transaction; if the database refuses it, writes
 * its records one by one (campaigns, then leads, then calls, as they depend on each other) and
 * reports those it refuses.
 */
export async function writeBatchOrEach(db: Database, batch: Batch, { topUp, locked }: BatchHooks = {}): Promise<Refusal[]> {
  let all = batch;
  const topUpAll: TopUp | undefined =
    topUp &&
    ((campaignIds) => {
      const more = topUp(campaignIds);
      if (more) all = joinBatches([all, more]);
      return more;
    });
  try {
    return await writeBatch(db, batch, { topUp: topUpAll, locked });
  } catch {
    const refusals: Refusal[] = [];
    const none: Batch = { campaigns: [], leads: [], calls: [] };
    const singles = [
      ...all.campaigns.map((one) => ({ single: { ...none, campaigns: [one] }, pending: one, type: 'campaign' as const })),
      ...all.leads.map((one) => ({ single: { ...none, leads: [one] }, pending: one, type: 'lead' as const })),
      ...all.calls.map((one) => ({ single: { ...none, calls: [one] }, pending: one, type: 'call' as const })),
    ];
    for (const { single, pending, type } of singles) {
      try {
        refusals.push(...(await writeBatch(db, single)));
      } catch (error) {
        refusals.push({ pending, type, reason: `refused by the database: ${databaseReason(error)}` });
      }
    }
    return refusals;
  }
}

/** PostgreSQL's own words (e.g. "value too long for type ..."), without the query or driver wrapping. */
function databaseReason(error: unknown): string {
  // The driver's error is PostgreSQL's message; Prisma's (the embedded database) quotes it.
  if (error instanceof pg.DatabaseError) return error.message;
  const message = error instanceof Error ? error.message : String(error);
  return /Message: `([^`]*)`/.exec(message)?.[1] ?? 'the record could not be stored';
}

/** Writes one batch (and for calls alone, what `topUp` adds) in one transaction; returns the leads and calls refused for their lead. */
function writeBatch(db: Database, batch: Batch, { topUp, locked }: BatchHooks = {}): Promise<Refusal[]> {
  return db.writeTransaction(
    async (tx) => {
      const campaignIds = changedCampaigns(batch);
      // Writers of a campaign take turns, and a turn is as long as its round trips. A batch of calls
      // alone (a dialer's live ingest) looks its calls and leads up in the round trip that locks its
      // campaigns, the lookup sent right behind the lock. Every call is looked up, those of
      // campaigns the scope cannot write too (they lock nothing anyone waits for).
      const [{ owners, removedBefore }, lookedUp] = await Promise.all([
        // The owners as the locked rows say, whatever the importer believed when it read the lines.
        beginBatch(tx, campaignIds, batch.campaigns.length > 0),
        callsAlone(batch) ? lookUpCalls(tx, batch.calls, new Map()) : undefined,
      ]);
      locked?.();
      // The calls that came in while the lock was awaited (another gateway's turn) join this turn
      // instead of waiting for a turn of their own: under contention, fewer and larger transactions.
      const more = lookedUp && topUp?.(campaignIds);
      if (more) {
        const found = await lookUpCalls(tx, more.calls, lookedUp.leadCampaigns);
        for (const id of found.storedCalls) lookedUp.storedCalls.add(id);
        batch = joinBatches([batch, more]);
      }
      const refused: Refusal[] = [];
      const campaigns: CampaignRecord[] = [];
      for (const pending of batch.campaigns) {
        const { record } = pending;
        const owner = owners.get(record.id);
        if (pending.tenantId !== undefined && owner !== undefined && owner !== pending.tenantId) {
          refused.push({ pending, type: 'campaign', reason: notYours(record) });
        } else {
          campaigns.push(record);
          owners.set(record.id, record.tenant_id);
        }
      }
      if (batch.campaigns.length > 0) {
        await upsertCampaigns(tx, campaigns);
        await markCampaignsChanged(tx, campaignIds);
      }
      const ownedByScope = <T extends { campaign_id: number }>(type: 'lead' | 'call', all: Pending<T>[]) =>
        all.filter((pending) => {
          if (writable(owners.get(pending.record.campaign_id), pending.tenantId)) return true;
          refused.push({ pending, type, reason: unknownCampaign(pending.record.campaign_id) });
          return false;
        });
      const batchLeads = ownedByScope('lead', batch.leads);
      const batchCalls = ownedByScope('call', batch.calls);
      // A lead that has calls stays in their campaign: calls and their lead always share one, which
      // the funnel's per-lead state (lead_progress) relies on.
      const storedLeads = await findStoredLeads(tx, batchLeads.map((lead) => lead.record.id));
      const leads: LeadRecord[] = [];
      for (const pending of batchLeads) {
        const { record } = pending;
        const dialedIn = storedLeads.get(record.id);
        if (dialedIn != null && dialedIn !== record.campaign_id) {
          refused.push({ pending, type: 'lead', reason: `lead "${record.id}" has calls in campaign ${dialedIn}; it cannot move to campaign ${record.campaign_id}` });
        } else {
          leads.push(record);
        }
      }
      for (const [rows, some] of byStored(leads, (lead) => storedLeads.has(lead.id))) {
        await writeLeads(tx, columnsOf(some, batch.leads, batch.encoded?.leads, leadColumns), rows);
      }
      const { leadCampaigns, storedCalls } = lookedUp ?? (await lookUpCalls(tx, batchCalls, new Map(leads.map((lead) => [lead.id, lead.campaign_id]))));
      const accepted: CallRecord[] = [];
      for (const pending of batchCalls) {
        const { record } = pending;
        const leadCampaign = leadCampaigns.get(record.lead_id);
        const cutoff = removedBefore.get(record.campaign_id);
        if (cutoff !== undefined && Date.parse(record.started_at) < cutoff) {
          refused.push({ pending, type: 'call', reason: removedBeforeCutoff(record, cutoff) });
        } else if (leadCampaign === undefined) {
          refused.push({ pending, type: 'call', reason: `unknown lead "${record.lead_id}"` });
        } else if (leadCampaign !== record.campaign_id) {
          refused.push({
            pending,
            type: 'call',
            reason: `lead "${record.lead_id}" belongs to campaign ${leadCampaign}, not ${record.campaign_id}`,
          });
        } else {
          accepted.push(record);
        }
      }
      for (const [rows, some] of byStored(accepted, (call) => storedCalls.has(call.id))) {
        tx.commitBehind(writeCalls(tx, columnsOf(some, batch.calls, batch.encoded?.calls, callColumns), rows));
      }
      return refused;
    },
  );
}

/**
 * A call started before its campaign's retention cutoff: its raw calls there are gone, so a call
 * sent again could not be told from a new one, and the rollups would count it twice.
 */
const removedBeforeCutoff = (record: CallRecord, cutoff: number) =>
  `call "${record.id}" started before ${new Date(cutoff).toISOString()}, and campaign ${record.campaign_id}'s calls before then were removed (retention): it cannot be written`;

/**
 * The campaign of each lead of `calls` (those of `leadCampaigns`, the batch's own leads, as given;
 * the others as stored) and which of the calls are stored already, in one statement.
 */
async function lookUpCalls(tx: SqlTransaction, calls: Pending<CallRecord>[], leadCampaigns: Map<string, number>) {
  const unseen = [...new Set(calls.map((call) => call.record.lead_id).filter((id) => !leadCampaigns.has(id)))];
  const found = await findCallsAndLeads(tx, unseen, calls.map((call) => call.record.id));
  for (const [id, campaignId] of found.leadCampaigns) leadCampaigns.set(id, campaignId);
  return { leadCampaigns, storedCalls: found.storedCalls };
}

/** Records split into those not yet in the database and those that replace stored rows. */
function byStored<T>(records: T[], isStored: (record: T) => boolean): [Rows, T[]][] {
  return [
    ['new', records.filter((record) => !isStored(record))],
    ['stored', records.filter(isStored)],
  ];
}

import type { Database } from '../db/client.js';
import {
  callColumns,
  findCampaignTenants,
  findLeadCampaigns,
  findStoredCalls,
  findStoredLeads,
  leadColumns,
  lockCampaigns,
  markCampaignsChanged,
  upsertCampaigns,
  writeCalls,
  writeLeads,
  type Columns,
  type Rows,
} from './batch-writer.js';
import { UnreadableLine } from './lines.js';
import { parseLine, recordTypes, type CallRecord, type CampaignRecord, type LeadRecord, type RecordType } from './records.js';

export interface Rejection {
  line: number;
  type: RecordType | undefined;
  reason: string;
}

export interface ImportSummary {
  imported: Record<RecordType, number>;
  rejected: Record<RecordType | 'unknown', number>;
}

export interface ImportOptions {
  batchSize?: number;
  /** Write only this tenant's data (POST /ingest); unset, any tenant's (the import command). */
  tenantId?: string;
  onRejected?: (rejection: Rejection) => void;
  /** Called after each batch is written, with the number of lines read so far. */
  onProgress?: (linesRead: number) => void;
  /**
   * Called once each batch has committed, with the campaigns whose data it changed and whether it
   * wrote campaign records (a campaign added or renamed); the next batch waits for what it returns.
   */
  onCommitted?: (campaignIds: number[], campaignRecords: boolean) => void | Promise<void>;
}

/**
 * Records per batch. The larger a batch, the more of its calls share a rollup row, which is written
 * once per batch: on PostgreSQL 100,000 import a million calls 25 % faster than 20,000. PGlite's
 * memory grows to its largest statement and never shrinks, so the embedded database takes less.
 */
const defaultBatchSize = (db: Database) => (db.kind === 'postgres' ? 100_000 : 20_000);

/** How long a batch may wait for more lines before it is written anyway. */
const MAX_BATCH_AGE_MS = 1000;

interface Pending<T> {
  record: T;
  line: number;
}

/**
 * Imports NDJSON records in order. A record may reference a campaign or lead that is in the
 * database or earlier in the input. Later records with the same id replace earlier ones.
 * Each batch is written in one transaction, so a failure never leaves half a batch behind; a batch
 * the database refuses is written again one record at a time, so only the records it refuses are
 * lost, each reported with its line.
 */
export async function importNdjson(
  db: Database,
  lines: AsyncIterable<string | UnreadableLine>,
  { batchSize = defaultBatchSize(db), tenantId, onRejected, onProgress, onCommitted }: ImportOptions = {},
): Promise<ImportSummary> {
  const summary: ImportSummary = {
    imported: { campaign: 0, lead: 0, call: 0 },
    rejected: { campaign: 0, lead: 0, call: 0, unknown: 0 },
  };
  const reject = (line: number, type: RecordType | undefined, reason: string) => {
    summary.rejected[type ?? 'unknown'] += 1;
    onRejected?.({ line, type, reason });
  };

  // Campaign id -> tenant. With a tenant scope, another tenant's campaign is as good as unknown.
  const campaignTenants = await findCampaignTenants(db.prisma);
  const writable = (campaignId: number) => {
    const owner = campaignTenants.get(campaignId);
    return owner !== undefined && (tenantId === undefined || owner === tenantId);
  };
  let campaigns = new Map<number, Pending<CampaignRecord>>();
  let leads = new Map<string, Pending<LeadRecord>>();
  let calls = new Map<string, Pending<CallRecord>>();
  let pendingCount = 0;
  let lineNumber = 0;
  let writing = Promise.resolve();
  let batchStartedAt = 0;

  const flush = async () => {
    if (pendingCount === 0) return;
    const batch: Batch = { campaigns: [...campaigns.values()], leads: [...leads.values()], calls: [...calls.values()] };
    // Encoded now, while the batch before is being written, and not in the transaction, where the
    // database would wait for it: in the common case all of a batch's leads and calls are new.
    batch.encoded = {
      leads: leadColumns(batch.leads.map(({ record }) => record)),
      calls: callColumns(batch.calls.map(({ record }) => record)),
    };
    campaigns = new Map();
    leads = new Map();
    calls = new Map();
    pendingCount = 0;
    const linesRead = lineNumber;
    // Batches are written one after another, in order; one is written while the next is parsed, so
    // the database and the parser each get a core.
    const previous = writing;
    writing = previous
      .then(() => writeBatchOrEach(db, batch))
      .then((refusals) => {
        for (const refusal of refusals) {
          summary.imported[refusal.type!] -= 1;
          reject(refusal.line, refusal.type, refusal.reason);
        }
        onProgress?.(linesRead);
        return onCommitted?.(changedCampaigns(batch), batch.campaigns.length > 0);
      });
    // A failure surfaces at the next await of `writing`, not as an unhandled rejection meanwhile.
    writing.catch(() => {});
    await previous;
  };
  // A slow stream (an ingest that sends a few lines at a time) still commits what it sent within
  // about a second, instead of waiting for a full batch.
  const ageFlush = setInterval(() => {
    if (pendingCount > 0 && performance.now() - batchStartedAt >= MAX_BATCH_AGE_MS) flush().catch(() => {});
  }, MAX_BATCH_AGE_MS / 4);

  try {
    for await (const raw of lines) {
      lineNumber += 1;
      // Parsing never waits on I/O, so without a pause now and then the batch being written would
      // not get its next statement sent until this batch is parsed.
      if (lineNumber % 500 === 0) await new Promise(setImmediate);
      if (raw instanceof UnreadableLine) {
        reject(lineNumber, undefined, raw.reason);
        continue;
      }
      if (raw.trim() === '') continue;
      const parsed = parseLine(raw);
      if (!parsed.ok) {
        reject(lineNumber, parsed.type, parsed.reason);
        continue;
      }
      const record = parsed.record;
      if (record.type === 'campaign') {
        const owner = campaignTenants.get(record.id);
        if (tenantId !== undefined && (record.tenant_id !== tenantId || (owner !== undefined && owner !== tenantId))) {
          // The same words whether the id is free or another tenant's: nothing leaks.
          reject(lineNumber, record.type, `campaign ${record.id} of tenant "${record.tenant_id}" cannot be written with this token`);
          continue;
        }
        campaigns.set(record.id, { record, line: lineNumber });
        campaignTenants.set(record.id, record.tenant_id);
      } else if (!writable(record.campaign_id)) {
        reject(lineNumber, record.type, `unknown campaign ${record.campaign_id}`);
        continue;
      } else if (record.type === 'lead') {
        leads.set(record.id, { record, line: lineNumber });
      } else {
        calls.set(record.id, { record, line: lineNumber });
      }
      summary.imported[record.type] += 1;
      if (pendingCount === 0) batchStartedAt = performance.now();
      pendingCount += 1;
      if (pendingCount >= batchSize) await flush();
    }
    await flush();
    await writing;
  } finally {
    clearInterval(ageFlush);
  }
  return summary;
}

interface Batch {
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

function changedCampaigns(batch: Batch): number[] {
  const ids = new Set([
    ...batch.campaigns.map(({ record }) => record.id),
    ...batch.leads.map(({ record }) => record.campaign_id),
    ...batch.calls.map(({ record }) => record.campaign_id),
  ]);
  return [...ids].sort((a, b) => a - b);
}

/**
 * Writes a batch in one transaction; if the database refuses it, writes its records one by one
 * (campaigns, then leads, then calls, as they depend on each other) and reports those it refuses.
 */
async function writeBatchOrEach(db: Database, batch: Batch): Promise<Rejection[]> {
  try {
    return await writeBatch(db, batch);
  } catch {
    const refusals: Rejection[] = [];
    const none: Batch = { campaigns: [], leads: [], calls: [] };
    const singles = [
      ...batch.campaigns.map((one) => ({ single: { ...none, campaigns: [one] }, line: one.line, type: 'campaign' as const })),
      ...batch.leads.map((one) => ({ single: { ...none, leads: [one] }, line: one.line, type: 'lead' as const })),
      ...batch.calls.map((one) => ({ single: { ...none, calls: [one] }, line: one.line, type: 'call' as const })),
    ];
    for (const { single, line, type } of singles) {
      try {
        refusals.push(...(await writeBatch(db, single)));
      } catch (error) {
        refusals.push({ line, type, reason: `refused by the database: ${databaseReason(error)}` });
      }
    }
    return refusals.sort((a, b) => a.line - b.line);
  }
}

/** PostgreSQL's own words (e.g. "value too long for type ..."), without the query or driver wrapping. */
function databaseReason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return /Message: `([^`]*)`/.exec(message)?.[1] ?? 'the record could not be stored';
}

/** Writes one batch in one transaction; returns the calls refused for their lead. */
function writeBatch(db: Database, batch: Batch): Promise<Rejection[]> {
  return db.prisma.$transaction(
    async (tx) => {
      // Waiting for the WAL flush of each batch buys nothing here: a re-import repairs any loss.
      await tx.$executeRawUnsafe('SET LOCAL synchronous_commit TO OFF');
      const campaignIds = changedCampaigns(batch);
      await lockCampaigns(tx, campaignIds);
      await upsertCampaigns(tx, batch.campaigns.map((campaign) => campaign.record));
      await markCampaignsChanged(tx, campaignIds);
      // A lead that has calls stays in their campaign: calls and their lead always share one, which
      // the funnel's per-lead state (lead_progress) relies on.
      const storedLeads = await findStoredLeads(tx, batch.leads.map((lead) => lead.record.id));
      const refused: Rejection[] = [];
      const leads: LeadRecord[] = [];
      for (const { record, line } of batch.leads) {
        const dialedIn = storedLeads.get(record.id);
        if (dialedIn != null && dialedIn !== record.campaign_id) {
          refused.push({ line, type: 'lead', reason: `lead "${record.id}" has calls in campaign ${dialedIn}; it cannot move to campaign ${record.campaign_id}` });
        } else {
          leads.push(record);
        }
      }
      for (const [rows, some] of byStored(leads, (lead) => storedLeads.has(lead.id))) {
        await writeLeads(tx, columnsOf(some, batch.leads, batch.encoded?.leads, leadColumns), rows);
      }
      const leadCampaigns = new Map(leads.map((lead) => [lead.id, lead.campaign_id]));
      const unseen = [...new Set(batch.calls.map((c) => c.record.lead_id).filter((id) => !leadCampaigns.has(id)))];
      for (const [id, campaignId] of await findLeadCampaigns(tx, unseen)) leadCampaigns.set(id, campaignId);
      const accepted: CallRecord[] = [];
      for (const { record, line } of batch.calls) {
        const leadCampaign = leadCampaigns.get(record.lead_id);
        if (leadCampaign === undefined) {
          refused.push({ line, type: 'call', reason: `unknown lead "${record.lead_id}"` });
        } else if (leadCampaign !== record.campaign_id) {
          refused.push({
            line,
            type: 'call',
            reason: `lead "${record.lead_id}" belongs to campaign ${leadCampaign}, not ${record.campaign_id}`,
          });
        } else {
          accepted.push(record);
        }
      }
      const storedCalls = await findStoredCalls(tx, accepted.map((call) => call.id));
      for (const [rows, some] of byStored(accepted, (call) => storedCalls.has(call.id))) {
        await writeCalls(tx, columnsOf(some, batch.calls, batch.encoded?.calls, callColumns), rows);
      }
      return refused.sort((a, b) => a.line - b.line);
    },
    { timeout: 120_000 },
  );
}

/** Records split into those not yet in the database and those that replace stored rows. */
function byStored<T>(records: T[], isStored: (record: T) => boolean): [Rows, T[]][] {
  return [
    ['new', records.filter((record) => !isStored(record))],
    ['stored', records.filter(isStored)],
  ];
}

export function formatSummary(summary: ImportSummary): string {
  const rows = recordTypes.map(
    (type) => `${type.padEnd(9)} ${String(summary.imported[type]).padStart(9)} imported ${String(summary.rejected[type]).padStart(7)} rejected`,
  );
  if (summary.rejected.unknown > 0) rows.push(`${'unknown'.padEnd(9)} ${''.padStart(9)}          ${String(summary.rejected.unknown).padStart(7)} rejected`);
  return rows.join('\n');
}

export function hasRejections(summary: ImportSummary): boolean {
  return Object.values(summary.rejected).some((count) => count > 0);
}

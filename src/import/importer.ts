import { ROOT_CONTEXT, type Context } from '@opentelemetry/api';
import type { Database } from '../db/client.js';
import { changedCampaigns, notYours, unknownCampaign, writable, type Batch, type Pending } from './batch-transaction.js';
import { callColumns, leadColumns } from './batch-writer.js';
import { campaignOwnersOf } from './campaign-owners.js';
import { groupCommitOf } from './group-commit.js';
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
  /** The trace context of the request ingesting (POST /ingest): its transactions' spans hang under it. */
  trace?: Context;
}

/**
 * Records per batch. The larger a batch, the more of its calls share a rollup row, which is written
 * once per batch: on PostgreSQL 100,000 import a million calls 25 % faster than 20,000. PGlite's
 * memory grows to its largest statement and never shrinks, so the embedded database takes less.
 */
const defaultBatchSize = (db: Database) => (db.kind === 'postgres' ? 100_000 : 20_000);

/** How long a batch may wait for more lines before it is written anyway. */
const MAX_BATCH_AGE_MS = 1000;

/**
 * Imports NDJSON records in order. A record may reference a campaign or lead that is in the
 * database or earlier in the input. Later records with the same id replace earlier ones.
 * Each batch is written in one transaction (shared with the batches other imports and ingests hand
 * in meanwhile: see GroupCommit), so a failure never leaves half a batch behind; a batch the
 * database refuses is written again one record at a time, so only the records it refuses are lost,
 * each reported with its line.
 */
export async function importNdjson(
  db: Database,
  lines: AsyncIterable<string | UnreadableLine>,
  { batchSize = defaultBatchSize(db), tenantId, onRejected, onProgress, onCommitted, trace = ROOT_CONTEXT }: ImportOptions = {},
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
  const owners = campaignOwnersOf(db);
  await owners.ready();
  /** Campaign records of this input, not yet committed. */
  const ownersHere = new Map<number, string>();
  let reread = false;
  const knownOwner = (campaignId: number) => ownersHere.get(campaignId) ?? owners.get(campaignId);
  /** Perhaps added by another instance since this process read the table: read it again, once. */
  const ownerAfterRereading = async (campaignId: number) => {
    if (reread) return undefined;
    reread = true;
    await owners.reload();
    return owners.get(campaignId);
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
      .then(() => groupCommitOf(db).write(batch, trace))
      .then((refusals) => {
        for (const { pending, type, reason } of refusals.sort((a, b) => a.pending.line - b.pending.line)) {
          summary.imported[type] -= 1;
          reject(pending.line, type, reason);
        }
        const refused = new Set(refusals.map((refusal) => refusal.pending));
        for (const campaign of batch.campaigns) if (!refused.has(campaign)) owners.set(campaign.record.id, campaign.record.tenant_id);
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
      const pending = { line: lineNumber, tenantId };
      if (record.type === 'campaign') {
        const owner = knownOwner(record.id);
        if (tenantId !== undefined && (record.tenant_id !== tenantId || (owner !== undefined && owner !== tenantId))) {
          reject(lineNumber, record.type, notYours(record));
          continue;
        }
        campaigns.set(record.id, { ...pending, record });
        ownersHere.set(record.id, record.tenant_id);
      } else if (!writable(knownOwner(record.campaign_id) ?? (await ownerAfterRereading(record.campaign_id)), tenantId)) {
        reject(lineNumber, record.type, unknownCampaign(record.campaign_id));
        continue;
      } else if (record.type === 'lead') {
        leads.set(record.id, { ...pending, record });
      } else {
        calls.set(record.id, { ...pending, record });
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

import { performance } from 'node:perf_hooks';
import { trace, type Context } from '@opentelemetry/api';
import { inSpan } from '../tracing/tracing.js';
import type { Database } from '../db/client.js';
import { callsAlone, changedCampaigns, joinBatches, writeBatchOrEach, type Batch, type Pending, type Refusal } from './batch-transaction.js';

/**
 * Records a group may hold: small batches of concurrent ingests are joined up to this many, while a
 * batch as large as an import's is written on its own (with the columns it was encoded into).
 */
const MAX_GROUP_RECORDS = 20_000;

/** A group-commit transaction, as its observers hear of it. */
export interface CommittedTransaction {
  records: number;
  /** From its start to its commit. */
  seconds: number;
  /** From its start until its campaigns were locked: the wait for other writers' turns, and one round trip. */
  lockSeconds: number;
}

interface Queued {
  batch: Batch;
  /** Where the batch came from (an ingest's request span), for the transaction's span. */
  origin: Context;
  resolve: (refusals: Refusal[]) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit: the batches that imports and ingests hand in while a transaction is being written
 * wait, and are then written together in the next one. Each transaction locks its campaigns, so
 * concurrent writers of one campaign take turns; one transaction a turn for every waiting request,
 * instead of one each, is what lets a gateway take thousands of one-call ingests a second. While a
 * transaction waits for its campaigns (another gateway's turn), the calls queued meanwhile join it.
 * Batches are written in the order they came, and a later record with the same id replaces an
 * earlier one, as within one import.
 */
export class GroupCommit {
  readonly #db: Database;
  #queue: Queued[] = [];
  #writing = false;
  readonly #observers = new Set<(transaction: CommittedTransaction) => void>();

  constructor(db: Database) {
    this.#db = db;
  }

  /** Calls `observer` after each transaction (metrics); returns the function that stops it. */
  observe(observer: (transaction: CommittedTransaction) => void): () => void {
    this.#observers.add(observer);
    return () => this.#observers.delete(observer);
  }

  /** Resolves, once the batch has committed, with the records of it the database refused; `origin`: the trace context of the request writing it. */
  write(batch: Batch, origin: Context): Promise<Refusal[]> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ batch, origin, resolve, reject });
      if (!this.#writing) void this.#writeQueued();
    });
  }

  async #writeQueued() {
    this.#writing = true;
    while (this.#queue.length > 0) {
      const group = this.#takeGroup();
      // Taken once the campaigns are locked: the batches queued next, while they are calls alone of
      // those campaigns and the group stays within MAX_GROUP_RECORDS (in order, as ever).
      const topUp = (campaignIds: number[]) => {
        const locked = new Set(campaignIds);
        let records = group.reduce((sum, { batch }) => sum + size(batch), 0);
        let count = 0;
        for (const { batch } of this.#queue) {
          if (!callsAlone(batch) || !changedCampaigns(batch).every((id) => locked.has(id)) || records + size(batch) > MAX_GROUP_RECORDS) break;
          records += size(batch);
          count += 1;
        }
        if (count === 0) return undefined;
        const more = this.#queue.splice(0, count);
        group.push(...more);
        return joinBatches(more.map(({ batch }) => batch));
      };
      try {
        const started = performance.now();
        let lockedAt = started;
        // A span for the transaction, child of the first batch's request, linked to the others'.
        const links = group.slice(1).flatMap(({ origin }) => {
          const span = trace.getSpanContext(origin);
          return span ? [{ context: span }] : [];
        });
        const hooks = { topUp, locked: () => (lockedAt = performance.now()) };
        const refusals = await inSpan('ingest transaction', { 'autocall.batches': group.length }, () => writeBatchOrEach(this.#db, joinBatches(group.map(({ batch }) => batch)), hooks), {
          parent: group[0]!.origin,
          links,
        });
        const records = group.reduce((sum, { batch }) => sum + size(batch), 0);
        const transaction = { records, seconds: (performance.now() - started) / 1000, lockSeconds: (lockedAt - started) / 1000 };
        for (const observer of this.#observers) observer(transaction);
        for (const { batch, resolve } of group) {
          const own = new Set<Pending<unknown>>([...batch.campaigns, ...batch.leads, ...batch.calls]);
          resolve(refusals.filter((refusal) => own.has(refusal.pending)));
        }
      } catch (error) {
        for (const { reject } of group) reject(error);
      }
    }
    this.#writing = false;
  }

  /** The first queued batch, and those after it while the group stays within MAX_GROUP_RECORDS. */
  #takeGroup(): Queued[] {
    let records = 0;
    let count = 0;
    for (const { batch } of this.#queue) {
      if (count > 0 && records + size(batch) > MAX_GROUP_RECORDS) break;
      records += size(batch);
      count += 1;
    }
    return this.#queue.splice(0, count);
  }
}

const size = (batch: Batch) => batch.campaigns.length + batch.leads.length + batch.calls.length;

const writers = new WeakMap<object, GroupCommit>();

/** The database's one group commit (keyed by its client: tests spread Database objects). */
export function groupCommitOf(db: Database): GroupCommit {
  let writer = writers.get(db.prisma);
  if (!writer) writers.set(db.prisma, (writer = new GroupCommit(db)));
  return writer;
}

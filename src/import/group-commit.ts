import type { Database } from '../db/client.js';
import { writeBatchOrEach, type Batch, type Pending, type Refusal } from './batch-transaction.js';

/**
 * Records a group may hold: small batches of concurrent ingests are joined up to this many, while a
 * batch as large as an import's is written on its own (with the columns it was encoded into).
 */
const MAX_GROUP_RECORDS = 20_000;

interface Queued {
  batch: Batch;
  resolve: (refusals: Refusal[]) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit: the batches that imports and ingests hand in while a transaction is being written
 * wait, and are then written together in the next one. Each transaction locks its campaigns, so
 * concurrent writers of one campaign take turns; one transaction a turn for every waiting request,
 * instead of one each, is what lets a gateway take thousands of one-call ingests a second.
 * Batches are written in the order they came, and a later record with the same id replaces an
 * earlier one, as within one import.
 */
export class GroupCommit {
  readonly #db: Database;
  #queue: Queued[] = [];
  #writing = false;

  constructor(db: Database) {
    this.#db = db;
  }

  /** Resolves, once the batch has committed, with the records of it the database refused. */
  write(batch: Batch): Promise<Refusal[]> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ batch, resolve, reject });
      if (!this.#writing) void this.#writeQueued();
    });
  }

  async #writeQueued() {
    this.#writing = true;
    while (this.#queue.length > 0) {
      const group = this.#takeGroup();
      try {
        const refusals = await writeBatchOrEach(this.#db, joined(group.map(({ batch }) => batch)));
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
      const size = batch.campaigns.length + batch.leads.length + batch.calls.length;
      if (count > 0 && records + size > MAX_GROUP_RECORDS) break;
      records += size;
      count += 1;
    }
    return this.#queue.splice(0, count);
  }
}

/** One batch of several, in order; encoded anew when there is more than one. */
function joined(batches: Batch[]): Batch {
  if (batches.length === 1) return batches[0]!;
  const byId = <T extends { id: string | number }>(pick: (batch: Batch) => Pending<T>[]) => {
    const records = new Map<string | number, Pending<T>>();
    for (const batch of batches) for (const pending of pick(batch)) records.set(pending.record.id, pending);
    return [...records.values()];
  };
  return { campaigns: byId((batch) => batch.campaigns), leads: byId((batch) => batch.leads), calls: byId((batch) => batch.calls) };
}

const writers = new WeakMap<object, GroupCommit>();

/** The database's one group commit (keyed by its client: tests spread Database objects). */
export function groupCommitOf(db: Database): GroupCommit {
  let writer = writers.get(db.prisma);
  if (!writer) writers.set(db.prisma, (writer = new GroupCommit(db)));
  return writer;
}

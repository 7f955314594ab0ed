import type { Database } from './client.js';

/** A WAL position as PostgreSQL writes it ("16/B374D848"), as a number that compares. */
export function walPosition(lsn: string): bigint {
  const [high, low] = lsn.split('/');
  return (BigInt(`0x${high}`) << 32n) + BigInt(`0x${low}`);
}

export interface ReplicaHealth {
  name: string;
  state: 'ok' | 'lagging' | 'unreachable';
  /** How far behind the primary it replays, ms (0 when it has replayed everything); null when unreachable. */
  lagMs: number | null;
}

interface Replica {
  name: string;
  db: Database;
  /** It did not catch up within the bound last time: it is asked once per read, not waited for. */
  lagging: boolean;
  /** It did not answer: not asked again before then. */
  downUntil: number;
}

/** How often a read waiting for a replica asks it how far it has replayed. */
const POLL_MS = 2;
/** A replica that did not answer is left alone this long. */
const DOWN_MS = 5_000;

const firstText = async (db: Database, sql: string) => {
  const [row] = await db.arrayRows(sql, []);
  const value = row?.[0];
  if (typeof value !== 'string') throw new Error(`${sql} answered ${String(value)}: not a streaming replica`);
  return value;
};
// The insert position: a transaction that committed without waiting for its WAL to be written (the
// ingest's batches do) is visible on the primary before pg_current_wal_lsn() has passed its commit.
const currentPosition = (primary: Database) => firstText(primary, 'SELECT pg_current_wal_insert_lsn()::text');
const replayedPosition = (replica: Database) => firstText(replica, 'SELECT pg_last_wal_replay_lsn()::text');

/**
 * Where reports read: a streaming replica that has replayed everything the primary had committed
 * when the read began, else the primary. Each reading (a request, a push, an export) asks the
 * primary for its WAL position first and the replica how far it has replayed (a small round trip
 * each), then takes the next replica in turn that has replayed up to it, waiting up to `maxLagMs` for one that is close; so a read never
 * shows numbers from before a write that was committed, and answered, before it began (an ingest,
 * the push that follows it, a response-cache fill after its invalidation). A replica that lags
 * past the bound is asked once per read until it has caught up; one that does not answer is left
 * alone for 5 s. Reads go to the primary whenever no replica will do.
 */
export class ReadRouting {
  readonly #replicas: Replica[];
  #next = 0;

  constructor(
    private readonly primary: Database,
    replicas: Database[],
    private readonly maxLagMs: number,
  ) {
    this.#replicas = replicas.map((db, index) => ({ name: `replica ${index + 1}`, db, lagging: false, downUntil: 0 }));
  }

  /** The database a reading should use. */
  async reader(): Promise<Database> {
    if (this.#replicas.length === 0) return this.primary;
    let fence: bigint;
    try {
      fence = walPosition(await currentPosition(this.primary));
    } catch {
      // The primary's trouble shows in the read itself, with the usual masked error.
      return this.primary;
    }
    for (let tried = 0; tried < this.#replicas.length; tried += 1) {
      const replica = this.#replicas[this.#next++ % this.#replicas.length]!;
      // Asked every time, never taken on its last answer: so a replica that went down is noticed here, not by the report.
      if (replica.downUntil <= Date.now() && (await this.#catchesUp(replica, fence))) return replica.db;
    }
    return this.primary;
  }

  async #catchesUp(replica: Replica, fence: bigint): Promise<boolean> {
    const deadline = Date.now() + (replica.lagging ? 0 : this.maxLagMs);
    for (;;) {
      let replayed: bigint;
      try {
        replayed = walPosition(await replayedPosition(replica.db));
      } catch {
        replica.downUntil = Date.now() + DOWN_MS;
        return false;
      }
      if (replayed >= fence) {
        replica.lagging = false;
        return true;
      }
      if (Date.now() >= deadline) {
        replica.lagging = true;
        return false;
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }

  /** Each replica's state for /healthz: its lag behind the primary, by the time of the last transaction it replayed. */
  async health(): Promise<ReplicaHealth[]> {
    const fence = await currentPosition(this.primary).then(walPosition, () => undefined);
    return Promise.all(
      this.#replicas.map(async ({ name, db }): Promise<ReplicaHealth> => {
        try {
          const [[replayed, behindMs]] = (await db.arrayRows(
            `SELECT pg_last_wal_replay_lsn()::text, (extract(epoch FROM clock_timestamp() - pg_last_xact_replay_timestamp()) * 1000)::float8`,
            [],
          )) as [[string | null, number | null]];
          if (replayed === null) return { name, state: 'unreachable', lagMs: null };
          const lagMs = fence === undefined || walPosition(replayed) >= fence ? 0 : Math.max(0, Math.round(behindMs ?? 0));
          return { name, state: lagMs > this.maxLagMs ? 'lagging' : 'ok', lagMs };
        } catch {
          return { name, state: 'unreachable', lagMs: null };
        }
      }),
    );
  }

  async close(): Promise<void> {
    await Promise.all(this.#replicas.map(({ db }) => db.close()));
  }
}

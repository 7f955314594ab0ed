import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import Cursor from 'pg-cursor';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { lockEmbeddedDatabase } from './embedded-lock.js';
import { Prisma, PrismaClient } from './generated/prisma/client.js';
import { QueryLog } from './query-log.js';
import { ReadRouting, type ReplicaHealth } from './read-routing.js';
import { errorField, logger } from '../logging/logger.js';

/** One connection that can run multi-statement scripts; the migrator needs it for session locks. */
export interface SqlSession {
  exec(script: string): Promise<void>;
  rows<T>(sql: string, params?: unknown[]): Promise<T[]>;
  release(): Promise<void>;
}

/** Raw statements inside a transaction: Prisma's transaction client, or a driver connection in the same shape. */
export interface SqlTransaction {
  $executeRawUnsafe(sql: string, ...params: unknown[]): Promise<number>;
  $queryRawUnsafe<T = unknown>(sql: string, ...params: unknown[]): Promise<T>;
  /**
   * Takes one of the transaction's last statements, already sent and not awaited: COMMIT follows it
   * without waiting for its answer (PostgreSQL commits nothing if it failed), and its failure fails
   * the transaction. A writer that holds a lock to its commit holds it a round trip less.
   */
  commitBehind(statement: Promise<unknown>): void;
}

export interface Database {
  prisma: PrismaClient;
  /** Every statement the Prisma client sends passes here (tests count them). */
  queryLog: QueryLog;
  kind: 'embedded' | 'postgres';
  /** Connections of the pool that Prisma and the reports share (PGlite: one). */
  poolSize: number;
  session(): Promise<SqlSession>;
  /**
   * Rows as arrays of driver values, past Prisma: for reading millions of rows a page at a time,
   * where Prisma's per-row objects cost an export most of its time and garbage.
   */
  arrayRows(sql: string, params: unknown[]): Promise<unknown[][]>;
  /**
   * A report statement's rows as objects. On PostgreSQL, past Prisma and prepared once per connection
   * (the texts are a few fixed ones, the windows a parameter): Prisma's raw query cost a report
   * 0.2-0.3 ms and its planning 0.3-0.4 ms more, each time. Counts (int8, numeric) arrive as numbers.
   */
  reportRows<T>(sql: string, params: unknown[]): Promise<T[]>;
  /**
   * Runs `work` in a transaction of raw statements, committed when it resolves. On PostgreSQL a
   * pooled connection of the driver's, past Prisma: the importer's and ingests' writes are raw SQL
   * already, and Prisma's interactive transaction cost a one-call ingest a fifth of its time.
   */
  writeTransaction<T>(work: (tx: SqlTransaction) => Promise<T>): Promise<T>;
  /**
   * One statement's rows as arrays, `pageSize` at a time, read through a cursor over a connection
   * of its own (no statement timeout: an export reads for many seconds). PostgreSQL only: PGlite's
   * one connection cannot hold a cursor open while it serves others.
   */
  cursorPages?(sql: string, params: unknown[], pageSize: number): AsyncGenerator<unknown[][]>;
  ping(): Promise<void>;
  /**
   * Where a reading (a request's report statements, an export) should read: a streaming replica
   * that has replayed everything committed so far (DATABASE_READ_URL), else this database itself.
   */
  reader(): Promise<Database>;
  /** The report pool's connections: all, idle, and requests waiting for one (PostgreSQL). */
  poolStats?(): { total: number; idle: number; waiting: number };
  /** Each replica's state and lag, when there are replicas. */
  replicaHealth?(): Promise<ReplicaHealth[]>;
  close(): Promise<void>;
}

export interface PostgresTimeouts {
  /** Connecting, and waiting for a free pooled connection. */
  connectMs: number;
  /** One statement, enforced by the server and, for a socket that went silent, by the client too; 0 for none. */
  queryMs: number;
}

const DEFAULT_TIMEOUTS: PostgresTimeouts = { connectMs: 5_000, queryMs: 5_000 };

/**
 * Settings of every connection the gateway and the importer open. Report statements are short, but
 * the planner prices them by its guess of the windows' JSON size and would JIT-compile them: 200-300
 * ms of compiling to save nothing. A funnel over a window groups up to one row per lead, which spills
 * to disk under the default 4 MB work_mem.
 */
export const POSTGRES_SESSION_OPTIONS = '-c jit=off -c work_mem=64MB';

/** Connections of the pool Prisma and the report statements share, unless DATABASE_POOL_SIZE says otherwise. */
export const DEFAULT_POOL_SIZE = 10;

/** How pg_stat_activity names the health probe's connection. */
export const PROBE_APPLICATION_NAME = 'autocall health';

/** How pg_stat_activity names the connection a cursor reads through (an export's calls). */
export const CURSOR_APPLICATION_NAME = 'autocall cursor';

export type DatabaseLocation =
  | { kind: 'postgres'; url: string; timeouts?: PostgresTimeouts; poolSize?: number; replicas?: { urls: string[]; maxLagMs: number } }
  | { kind: 'embedded'; dataDir?: string };

export async function openDatabase(location: DatabaseLocation): Promise<Database> {
  if (location.kind === 'embedded') return openEmbedded(location.dataDir);
  const primary = await openPostgres(location.url, location.timeouts, location.poolSize);
  if (!location.replicas?.urls.length) return primary;
  const replicas = await Promise.all(location.replicas.urls.map((url) => openPostgres(url, location.timeouts, location.poolSize)));
  const routing = new ReadRouting(primary, replicas, location.replicas.maxLagMs);
  return {
    ...primary,
    reader: () => routing.reader(),
    replicaHealth: () => routing.health(),
    close: async () => {
      await Promise.all([routing.close(), primary.close()]);
    },
  };
}

/**
 * What a connection sends when it starts. Behind PgBouncer (`?pgbouncer=true` on the URL, Prisma's
 * convention) it sends no server settings, which PgBouncer refuses as unknown startup parameters:
 * jit and work_mem are then set on the database (see docs/operations/fleet.md), and statements are
 * bounded by the client's own timer alone.
 */
export function connectionSettings(url: string, { connectMs, queryMs }: PostgresTimeouts) {
  const parsed = new URL(url);
  const pgbouncer = parsed.searchParams.get('pgbouncer') === 'true';
  parsed.searchParams.delete('pgbouncer');
  return {
    pgbouncer,
    config: {
      connectionString: parsed.toString(),
      connectionTimeoutMillis: connectMs,
      query_timeout: queryMs || undefined,
      keepAlive: true,
      ...(pgbouncer ? {} : { statement_timeout: queryMs || undefined, options: POSTGRES_SESSION_OPTIONS }),
    } satisfies pg.ClientConfig,
  };
}

/**
 * A pool whose every wait is bounded: a stalled server (socket open, nothing coming back) fails
 * queries after the timeouts instead of hanging them, the failed connections are dropped by the
 * pool, and fresh ones are made once the server answers again.
 */
async function openPostgres(url: string, timeouts = DEFAULT_TIMEOUTS, poolSize = DEFAULT_POOL_SIZE): Promise<Database> {
  const { pgbouncer, config: connection } = connectionSettings(url, timeouts);
  const openPool = (config: pg.PoolConfig) => {
    const opened = new pg.Pool({ ...connection, ...config });
    // An idle pooled connection the server closes (a restart, pg_terminate_backend) is dropped by the
    // pool, which connects anew when asked; without a listener its 'error' event would end the process.
    opened.on('error', (error) => logger.warn({ error: errorField(error) }, 'PostgreSQL closed an idle connection'));
    return opened;
  };
  const pool = openPool({ max: poolSize });
  // /healthz's own connection: its probe never waits behind report statements for a pooled one.
  const probes = openPool({ max: 1, application_name: PROBE_APPLICATION_NAME });
  // The batch writer's own connections, in pg's pipeline mode: a statement sent while the one before
  // is still running goes out at once, not after its answer (see SqlTransaction.commitBehind). A
  // process writes one transaction at a time (GroupCommit), so two connections are plenty.
  const writers = openPool({ max: 2, pipeline: true });
  const queryLog = new QueryLog();
  const prisma = new PrismaClient({ adapter: queryLog.wrap(new PrismaPg(pool)) });
  const db: Database = {
    prisma,
    queryLog,
    kind: 'postgres',
    poolSize,
    async session() {
      const client = await pool.connect();
      return {
        exec: async (script) => void (await client.query(script)),
        rows: async <T>(sql: string, params: unknown[] = []) => (await client.query(sql, params)).rows as T[],
        release: async () => client.release(),
      };
    },
    arrayRows: async (sql, params) => (await pool.query<unknown[]>({ text: sql, values: params, rowMode: 'array' })).rows,
    async reportRows<T>(sql: string, params: unknown[]) {
      queryLog.record(sql, params);
      // PgBouncer in transaction mode keeps no prepared statement from one transaction to the next.
      const name = pgbouncer ? undefined : preparedName(sql, 'report');
      return (await pool.query({ name, text: sql, values: params, types: COUNTS_AS_NUMBERS })).rows as T[];
    },
    async writeTransaction(work) {
      const client = await writers.connect();
      const run = (sql: string, params: unknown[]) => {
        queryLog.record(sql, params);
        // PgBouncer in transaction mode keeps no prepared statement from one transaction to the next.
        return client.query({ name: pgbouncer ? undefined : preparedName(sql, 'write'), text: sql, values: params });
      };
      const behind = new StatementsBehind();
      const tx: SqlTransaction = {
        $executeRawUnsafe: async (sql, ...params) => (await run(sql, params)).rowCount ?? 0,
        $queryRawUnsafe: async <T>(sql: string, ...params: unknown[]) => (await run(sql, params)).rows as T,
        commitBehind: (statement) => behind.add(statement),
      };
      let broken: Error | undefined;
      try {
        await client.query('BEGIN');
        const result = await work(tx);
        await behind.settled(client.query('COMMIT'));
        return result;
      } catch (error) {
        // A connection that cannot even roll back is dropped from the pool, not reused.
        await client.query('ROLLBACK').catch((rollbackError: Error) => (broken = rollbackError));
        throw error;
      } finally {
        client.release(broken);
      }
    },
    async *cursorPages(sql, params, pageSize) {
      // No statement timeout: an export reads for many seconds.
      const client = new pg.Client({ ...connection, query_timeout: undefined, statement_timeout: undefined, application_name: CURSOR_APPLICATION_NAME });
      await client.connect();
      try {
        const cursor = client.query(new Cursor<unknown[]>(sql, params, { rowMode: 'array' }));
        for (let rows = await cursor.read(pageSize); rows.length > 0; rows = await cursor.read(pageSize)) yield rows;
      } finally {
        // Ending the connection also ends a cursor left open by a reader that stopped early.
        await client.end();
      }
    },
    ping: async () => void (await probes.query('SELECT 1')),
    poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    reader: async () => db,
    async close() {
      await prisma.$disconnect();
      await Promise.all([pool.end(), writers.end(), probes.end()]);
    },
  };
  return db;
}

/**
 * The writer's and the reports' statements are prepared on each connection, once per text (their
 * texts are a few fixed ones): planning the statement that writes calls and their rollups took
 * about as long as running it for one call (0.9 of 2.3 ms), and every ingest paid it.
 */
const preparedNames = new Map<string, string>();
function preparedName(sql: string, kind: 'write' | 'report'): string {
  let name = preparedNames.get(sql);
  if (!name) preparedNames.set(sql, (name = `autocall_${kind}_${preparedNames.size + 1}`));
  return name;
}

/** int8 and numeric (sums and counts) as JavaScript numbers: a report's counts stay far below 2^53. */
const COUNTS_AS_NUMBERS = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === pg.types.builtins.INT8 || oid === pg.types.builtins.NUMERIC ? Number : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

/** SqlTransaction.commitBehind's statements. */
class StatementsBehind {
  readonly #statements: Promise<unknown>[] = [];

  add(statement: Promise<unknown>) {
    // Handled now: a failure is thrown by settled(), or the transaction failed before it anyway.
    statement.catch(() => {});
    this.#statements.push(statement);
  }

  /** Resolves when the statements (and `commit`, if given) have; rejects with the first failure. */
  async settled(commit?: Promise<unknown>) {
    await Promise.all([...this.#statements, commit]);
  }
}

/** Where the embedded database of a DATA_DIR lives. */
export const embeddedStorage = (dataDir: string) => path.join(dataDir, 'pglite');

/** PostgreSQL's shared_buffers in the embedded database. */
const EMBEDDED_SHARED_BUFFERS = '16MB';

/** PGlite in DATA_DIR/pglite, or in memory when no directory is given (tests). */
async function openEmbedded(dataDir?: string): Promise<Database> {
  let storage: string | undefined;
  let unlock = async () => {};
  if (dataDir) {
    storage = embeddedStorage(dataDir);
    fs.mkdirSync(storage, { recursive: true });
    unlock = await lockEmbeddedDatabase(storage);
  }
  // PostgreSQL's default 128 MB of shared buffers would be half of the embedded gateway's memory;
  // the data files sit in the operating system's page cache anyway.
  const pglite = await PGlite.create(storage, { startParams: [...PGlite.defaultStartParams, '-c', `shared_buffers=${EMBEDDED_SHARED_BUFFERS}`] });
  const queryLog = new QueryLog();
  const prisma = new PrismaClient({ adapter: queryLog.wrap(new PrismaPGlite(pglite)) });
  const db: Database = {
    prisma,
    queryLog,
    kind: 'embedded',
    poolSize: 1,
    // PGlite is a single connection already, so a session is the instance itself.
    async session() {
      return {
        exec: async (script) => void (await pglite.exec(script)),
        rows: async <T>(sql: string, params: unknown[] = []) => (await pglite.query<T>(sql, params)).rows,
        release: async () => {},
      };
    },
    arrayRows: async (sql, params) => (await pglite.query<unknown[]>(sql, params, { rowMode: 'array' })).rows,
    reportRows: async <T>(sql: string, params: unknown[]) => countsAsNumbers(await prisma.$queryRawUnsafe<T[]>(sql, ...params)),
    writeTransaction: (work) =>
      prisma.$transaction(
        async (tx) => {
          const behind = new StatementsBehind();
          const result = await work({
            $executeRawUnsafe: (sql, ...params) => tx.$executeRawUnsafe(sql, ...params),
            $queryRawUnsafe: (sql, ...params) => tx.$queryRawUnsafe(sql, ...params),
            commitBehind: (statement) => behind.add(statement),
          });
          // Prisma commits when this returns: the statements must have been answered by then.
          await behind.settled();
          return result;
        },
        { timeout: 120_000 },
      ),
    ping: async () => void (await pglite.query('SELECT 1')),
    reader: async () => db,
    async close() {
      await prisma.$disconnect();
      await pglite.close();
      await unlock();
    },
  };
  return db;
}

/** Prisma's raw rows with its bigint and Decimal counts as numbers, as PostgreSQL's report rows have them. */
function countsAsNumbers<T>(rows: T[]): T[] {
  for (const row of rows as Record<string, unknown>[]) {
    for (const [column, value] of Object.entries(row)) {
      if (typeof value === 'bigint' || Prisma.Decimal.isDecimal(value)) row[column] = Number(value);
    }
  }
  return rows;
}

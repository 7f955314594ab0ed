import { useReadinessCheck, type Plugin } from 'graphql-yoga';
import type { ReplicaHealth } from '../db/read-routing.js';

/** Each dependency gets this long to answer, so /healthz answers within about 2 s whatever hangs. */
const PROBE_TIMEOUT_MS = 2_000;

export interface HealthProbes {
  /** Which database this gateway uses, embedded or postgres, and whether it answers. */
  databaseKind: string;
  database: () => Promise<void>;
  /** Only when REDIS_URL is configured. */
  redis?: () => Promise<void>;
  /** Only when DATABASE_READ_URL is configured. */
  replicas?: () => Promise<ReplicaHealth[]>;
}

type ProbeState = 'ok' | 'unreachable';

/** What `check` answers within PROBE_TIMEOUT_MS, else (or if it fails) `otherwise`. */
async function withinProbeTime<T>(check: () => Promise<T>, otherwise: T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timed out')), PROBE_TIMEOUT_MS);
  });
  try {
    return await Promise.race([check(), timeout]);
  } catch {
    // Only the state is reported: addresses and driver messages stay in the server.
    return otherwise;
  } finally {
    clearTimeout(timer);
  }
}

const probe = (check: () => Promise<void>) => withinProbeTime<ProbeState>(async () => (await check(), 'ok'), 'unreachable');

/** How long the database's answer to a probe stands for it: /healthz under load asks it no more than this often. */
const DATABASE_ANSWER_KEPT_MS = 1_000;

/**
 * The database's probe, its last success reused for DATABASE_ANSWER_KEPT_MS: under load a liveness
 * check then waits for no statement at all (the "or a recent probe result"), while a failure
 * is never reused, so an outage shows at the next check.
 */
export function recentDatabaseAnswer(ping: () => Promise<void>): () => Promise<void> {
  let answeredAt = -Infinity;
  return async () => {
    if (Date.now() - answeredAt < DATABASE_ANSWER_KEPT_MS) return;
    await ping();
    answeredAt = Date.now();
  };
}

/**
 * GET /healthz: 200 {"status":"ok","database":"postgres"} when the database (and Redis, if
 * configured) answer; 503 "unavailable" when the database does not, since no report can be served;
 * 200 "degraded" when only Redis or a read replica does not (or a replica lags past the bound),
 * since reports still are (exports and cross-instance pushes wait for Redis, reads go to the
 * primary). `replicas` names each replica's state and lag; `error` names what did not answer or
 * keep up, nothing more.
 */
export function useHealthCheck(probes: HealthProbes): Plugin {
  return useReadinessCheck({
    endpoint: '/healthz',
    check: async () => {
      const [database, redis, replicas] = await Promise.all([
        probe(probes.database),
        probes.redis ? probe(probes.redis) : undefined,
        probes.replicas ? withinProbeTime(probes.replicas, undefined) : undefined,
      ]);
      const troubles = [
        ...(database === 'ok' ? [] : ['database unreachable']),
        ...(redis === 'unreachable' ? ['redis unreachable'] : []),
        ...(probes.replicas && !replicas ? ['replicas unreachable'] : []),
        ...(replicas ?? []).filter((replica) => replica.state !== 'ok').map((replica) => `${replica.name} ${replica.state}`),
      ];
      const status = database !== 'ok' ? 'unavailable' : troubles.length > 0 ? 'degraded' : 'ok';
      return Response.json(
        {
          status,
          database: probes.databaseKind,
          ...(redis ? { redis } : {}),
          ...(replicas ? { replicas } : {}),
          ...(troubles.length > 0 ? { error: joined(troubles) } : {}),
        },
        { status: status === 'unavailable' ? 503 : 200, headers: { 'cache-control': 'no-store' } },
      );
    },
  });
}

/** "a", "a and b", "a, b and c". */
const joined = (parts: string[]) => (parts.length > 1 ? `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}` : parts[0]!);

export interface ReadinessProbes {
  database: () => Promise<void>;
  /** Report statements waiting for their turn at the database. */
  queue: () => { waiting: number; oldestWaitMs: number };
  /** Past this wait, the instance says it is saturated. */
  saturatedAfterMs: number;
}

/**
 * GET /readyz: whether this instance should be sent more work. 200 {"status":"ready"}; 503
 * {"status":"saturated"} while report statements have waited for a turn longer than
 * `saturatedAfterMs` (a load balancer then prefers other instances; the instance is alive, so
 * /healthz stays 200), and 503 {"status":"unavailable"} when the database does not answer.
 */
export function useReadiness({ database, queue, saturatedAfterMs }: ReadinessProbes): Plugin {
  return useReadinessCheck({
    endpoint: '/readyz',
    check: async () => {
      const headers = { 'cache-control': 'no-store' };
      if ((await probe(database)) !== 'ok') return Response.json({ status: 'unavailable', error: 'database unreachable' }, { status: 503, headers });
      const { waiting, oldestWaitMs } = queue();
      if (oldestWaitMs > saturatedAfterMs) return Response.json({ status: 'saturated', waiting, oldestWaitMs }, { status: 503, headers });
      return Response.json({ status: 'ready', waiting }, { headers });
    },
  });
}

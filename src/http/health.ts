import { useReadinessCheck, type Plugin } from 'graphql-yoga';

/** Each dependency gets this long to answer, so /healthz answers within about 2 s whatever hangs. */
const PROBE_TIMEOUT_MS = 2_000;

export interface HealthProbes {
  /** Which database this gateway uses, embedded or postgres, and whether it answers. */
  databaseKind: string;
  database: () => Promise<void>;
  /** Only when REDIS_URL is configured. */
  redis?: () => Promise<void>;
}

type ProbeState = 'ok' | 'unreachable';

async function probe(check: () => Promise<void>): Promise<ProbeState> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timed out')), PROBE_TIMEOUT_MS);
  });
  try {
    await Promise.race([check(), timeout]);
    return 'ok';
  } catch {
    // Only the state is reported: addresses and driver messages stay in the server.
    return 'unreachable';
  } finally {
    clearTimeout(timer);
  }
}

/**
 * GET /healthz: 200 {"status":"ok","database":"postgres"} when the database (and Redis, if
 * configured) answer; 503 "unavailable" when the database does not, since no report can be served;
 * 200 "degraded" when only Redis does not, since reports still are (exports and cross-instance
 * pushes wait for it). `error` names what did not answer, nothing more.
 */
export function useHealthCheck(probes: HealthProbes): Plugin {
  return useReadinessCheck({
    endpoint: '/healthz',
    check: async () => {
      const [database, redis] = await Promise.all([probe(probes.database), probes.redis ? probe(probes.redis) : undefined]);
      const status = database !== 'ok' ? 'unavailable' : redis === 'unreachable' ? 'degraded' : 'ok';
      const unreachable = [...(database === 'ok' ? [] : ['database']), ...(redis === 'unreachable' ? ['redis'] : [])];
      return Response.json(
        {
          status,
          database: probes.databaseKind,
          ...(redis ? { redis } : {}),
          ...(unreachable.length > 0 ? { error: `${unreachable.join(' and ')} unreachable` } : {}),
        },
        { status: status === 'unavailable' ? 503 : 200, headers: { 'cache-control': 'no-store' } },
      );
    },
  });
}

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

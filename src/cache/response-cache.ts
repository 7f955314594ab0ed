import { createRedisCache } from '@envelop/response-cache-redis';
import { createInMemoryCache, useResponseCache, type Cache } from '@graphql-yoga/plugin-response-cache';
import { defaultBuildResponseCacheKey } from '@envelop/response-cache';
import type { Plugin } from 'graphql-yoga';
import { Redis } from 'ioredis';
import type { Viewer } from '../auth/tokens.js';
import { REDIS_FAIL_FAST } from '../events/pubsub.js';
import { errorField, logger } from '../logging/logger.js';

/** Entries kept in memory when there is no Redis. */
const IN_MEMORY_ENTRIES = 10_000;

/**
 * Counts invalidations. A query remembers the count before it reads the database, and its answer
 * is kept only if no invalidation happened meanwhile: otherwise it may hold numbers read before a
 * commit whose invalidation has already run, and would stay stale until the next one.
 */
interface Generation {
  current(): number | Promise<number>;
  advance(): void | Promise<unknown>;
}

export interface ResponseCacheOptions {
  /** How long an answer is kept at most, even if nothing changes (defaults such as "to = now" move). */
  ttlSeconds: number;
  /** With Redis the cache is shared by every instance, and any of them (or an import) invalidates it. */
  redisUrl?: string;
  namespace: string;
}

export interface ResponseCache {
  /** How long an answer is kept at most; 0: the cache is off. */
  ttlSeconds: number;
  /** The yoga plugin; `viewerOf` authenticates a request (the scope of its answers). */
  plugin(viewerOf: (request: Request) => Promise<Viewer>): Plugin;
  /** Drops the answers that read these campaigns; with `listsToo`, every answer that read any campaign (a campaign was added or renamed). */
  invalidateCampaigns(campaignIds: readonly number[], listsToo: boolean): Promise<void>;
  close(): Promise<void>;
}

/** Whose answers may be shared: the same tenant with the same permissions. */
const scopeOf = (viewer: Viewer) => JSON.stringify([viewer.tenantId, [...viewer.permissions].sort()]);

/**
 * The stores and invalidation of the response cache: graphql-yoga's response-cache plugin keeps
 * each query's answer per document, variables and access scope, and records the campaigns it read
 * (entities Campaign:<id>, and CampaignMetricValue:<id> for campaignComparison's rows). Export jobs,
 * which change without an ingest, are never cached; nor are operations over graphql-ws, which do
 * not pass yoga's HTTP hooks.
 */
export function createResponseCache({ ttlSeconds, redisUrl, namespace }: ResponseCacheOptions): ResponseCache {
  // Commands fail fast rather than queue or wait while Redis is away: the cache is then bypassed.
  const redis = redisUrl && ttlSeconds > 0 ? new Redis(redisUrl, { keyPrefix: `${namespace}:response-cache:`, ...REDIS_FAIL_FAST }) : undefined;
  redis?.on('error', () => {}); // it reconnects by itself; /healthz reports Redis
  let local = 0;
  const generation: Generation = redis
    ? { current: async () => Number((await redis.get('generation')) ?? 0), advance: () => redis.incr('generation') }
    : { current: () => local, advance: () => void (local += 1) };
  const store = guarded(redis ? createRedisCache({ redis }) : createInMemoryCache({ max: IN_MEMORY_ENTRIES }), generation, redis);

  return {
    ttlSeconds,
    plugin(viewerOf) {
      if (ttlSeconds <= 0) return {};
      /** The invalidation count each HTTP query started at; set for HTTP requests only. */
      const startedAt = new WeakMap<Request, number>();
      return useResponseCache({
        cache: store,
        ttl: ttlSeconds * 1000,
        session: async (request) => scopeOf(await viewerOf(request)),
        enabled: (request) => startedAt.has(request),
        idFields: ['id', 'campaignId'],
        ttlPerSchemaCoordinate: { ExportJob: 0, 'Query.exportJob': 0 },
        includeExtensionMetadata: true,
        buildResponseCacheKey: async (params) => {
          try {
            startedAt.set(params.request, await generation.current());
          } catch {
            // Redis is away: this query neither reads nor keeps a cached answer (see `enabled`).
          }
          return defaultBuildResponseCacheKey(params);
        },
        // Called right before the answer is stored, with nothing awaited in between: hand over the
        // count this query started at to the store's set().
        onTtl: ({ ttl, context }) => {
          store.startedAt = startedAt.get((context as { request: Request }).request);
          return ttl;
        },
      });
    },
    async invalidateCampaigns(campaignIds, listsToo) {
      if (ttlSeconds <= 0) return;
      const entities = listsToo
        ? [{ typename: 'Campaign' }, { typename: 'CampaignMetricValue' }]
        : campaignIds.flatMap((id) => [{ typename: 'Campaign', id: String(id) }, { typename: 'CampaignMetricValue', id: String(id) }]);
      try {
        // First the count, then the entries: a query storing between the two sees the new count.
        await generation.advance();
        await store.invalidate(entities);
      } catch (error) {
        // The data is committed whatever happens here; answers already kept lapse within the TTL.
        logger.error({ error: errorField(error) }, 'invalidating cached answers failed');
      }
    },
    close: async () => void redis?.disconnect(),
  };
}

/**
 * The store, storing an answer only if no invalidation happened since its query started (see
 * Generation). With Redis, another process may invalidate between the check and the write, so the
 * count is checked again after writing and the answer removed if it moved.
 */
function guarded(inner: Cache, generation: Generation, redis: Redis | undefined): Cache & { startedAt?: number } {
  const store: Cache & { startedAt?: number } = {
    // A store that fails (Redis away) is a miss, and an answer it cannot keep is not kept.
    get: async (key) => {
      try {
        return await inner.get(key);
      } catch {
        return undefined;
      }
    },
    invalidate: (entities) => inner.invalidate(entities),
    set(key, result, read, ttl) {
      // Every answer kept is about the tenant's campaigns: one that lists them (campaigns {
      // totalCount }) names none, so each is also filed under the type, which adding a campaign drops.
      const entities = [...read, { typename: 'Campaign' }];
      const started = store.startedAt;
      store.startedAt = undefined;
      if (started === undefined) return;
      if (!redis) {
        if (generation.current() === started) return inner.set(key, result, entities, ttl);
        return;
      }
      return (async () => {
        if ((await generation.current()) !== started) return;
        await inner.set(key, result, entities, ttl);
        if ((await generation.current()) !== started) await redis.del(key);
      })().catch(() => redis.del(key).then(() => undefined, () => undefined));
    },
  };
  return store;
}

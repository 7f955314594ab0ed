import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { jobQueueFor } from '../exports/job-queue.js';
import { startHousekeeping } from '../exports/housekeeping.js';
import { ExportWorker } from '../exports/worker.js';
import { drainable } from '../http/drain.js';
import { keepVisibility } from '../db/visibility.js';
import { DEFAULT_INGEST_MAX_BYTES, DEFAULT_REDIS_NAMESPACE, type CostBudgetConfig, type FairShareConfig, type RateLimitOptions, type TrustedDocumentsConfig } from '../config.js';
import { createCostBudgets } from '../fair-share/cost-budgets.js';
import { TenantQueue } from '../fair-share/tenant-queue.js';
import { CpuTurns } from '../fair-share/cpu-turns.js';
import { directIngest, ingestHandler } from '../ingest/endpoint.js';
import { createTopics } from '../events/pubsub.js';
import { attachGraphqlWs } from './websocket.js';
import { buildYoga, type YogaOptions } from './yoga.js';
import { createRateLimits } from './rate-limits.js';
import { createResponseCache, type ResponseCache } from '../cache/response-cache.js';
import { observeHttp, serveMetricsOn } from '../metrics/http-metrics.js';
import { metricObservers, watchSources } from '../metrics/observers.js';
import { logRequests, logSocketOperations } from '../logging/access-log.js';
import { traceRequests } from '../tracing/tracing.js';
import { errorField, logger } from '../logging/logger.js';
import { createApqStore } from '../documents/apq-store.js';
import { BUILT_IN_DOCUMENTS } from '../documents/built-ins.js';
import { Manifests } from '../documents/manifests.js';
import { documentRules } from '../documents/plugin.js';
import { TrustedDocuments } from '../documents/trusted-documents.js';

export interface AppOptions extends Omit<YogaOptions, 'worker' | 'pubsub' | 'redisPing' | 'responseCache' | 'rateLimits' | 'costBudgets' | 'queue' | 'turns' | 'ingest' | 'documents'> {
  /** POST /ingest refuses bodies larger than this (INGEST_MAX_BYTES). */
  ingestMaxBytes?: number;
  /** With Redis, events and export jobs are shared by every instance. */
  redisUrl?: string;
  /** Export jobs this instance runs at once (EXPORT_WORKERS; one at a time without Redis); 0: it queues them for worker processes. Default 1. */
  exportWorkers?: number;
  /** Names the Redis channels and the export queue; instances that share a database share it. */
  redisNamespace?: string;
  /** How long an answer may be reused while its campaigns' data does not change; 0: never. Default 0. */
  responseCacheSeconds?: number;
  /** Budgets per token and per tenant; default: none. */
  rateLimits?: RateLimitOptions;
  /** Cost budgets per token and per tenant; default: none. */
  costBudgets?: CostBudgetConfig;
  /** How report statements share the database between tenants; default: DEFAULT_FAIR_SHARE. */
  fairShare?: FairShareConfig;
  /** Where GET /metrics is answered: its own port (METRICS_PORT); undefined: the gateway's port. Only with `metrics`. */
  metricsPort?: number;
  /** PERSISTED_DOCUMENTS and PERSISTED_DOCUMENTS_APQ; default: allow, without APQ. `lookupCacheMs`: tests see a publish at once with 0. */
  trustedDocuments?: TrustedDocumentsConfig & { lookupCacheMs?: number };
}

export const DEFAULT_FAIR_SHARE: FairShareConfig = { perTenant: 4, contendedPerTenant: 1, maxWaitMs: 5_000 };

/**
 * Turns for report statements: on PostgreSQL all but two of the pool's connections, so the reads a
 * resolver sends itself (a campaign, a page of them) always find one; PGlite runs one statement at
 * a time whatever, and is given two turns so that one tenant's statement is always next.
 */
const reportTurns = (db: AppOptions['db'], { perTenant, contendedPerTenant, maxWaitMs }: FairShareConfig) => {
  const total = db.kind === 'postgres' ? db.poolSize - 2 : 2;
  const most = db.kind === 'postgres' ? total : 1;
  return new TenantQueue({ total, perTenant: Math.min(perTenant, most), contendedPerTenant: Math.min(contendedPerTenant, most), maxWaitMs, maxWaiting: 1_000 });
};

export interface App {
  yoga: ReturnType<typeof buildYoga>;
  worker: ExportWorker;
  responseCache: ResponseCache;
  server: http.Server;
  /** Listens on the port (0 picks a free one) and resolves to the URL it serves. */
  start(port: number): Promise<string>;
  /**
   * Stops accepting, closes WebSockets with 1001 and ends event streams, lets in-flight requests
   * finish for up to `graceMs`, stops running exports (their jobs are queued again); resolves with
   * how many requests had to be cut.
   */
  stop(options?: { graceMs?: number }): Promise<{ cut: number }>;
}

export function buildApp({
  exportStore,
  redisUrl,
  exportWorkers = 1,
  redisNamespace = DEFAULT_REDIS_NAMESPACE,
  responseCacheSeconds = 0,
  ingestMaxBytes = DEFAULT_INGEST_MAX_BYTES,
  rateLimits: budgets = { perToken: 0, perTenant: 0 },
  costBudgets: costBudgetConfig,
  fairShare = DEFAULT_FAIR_SHARE,
  metricsPort,
  trustedDocuments: trustedDocumentsConfig = { mode: 'allow', apq: false },
  ...options
}: AppOptions): App {
  const { metrics } = options;
  const observers = metrics && metricObservers(metrics);
  const topics = createTopics(redisUrl, redisNamespace);
  const responseCache = createResponseCache({ ttlSeconds: responseCacheSeconds, redisUrl, namespace: redisNamespace });
  const rateLimits = createRateLimits(budgets, redisUrl, redisNamespace);
  const costBudgets = costBudgetConfig && createCostBudgets(costBudgetConfig, redisUrl, redisNamespace);
  const queue = reportTurns(options.db, fairShare);
  const pubsub = topics.pubsub;
  const worker = new ExportWorker(options.db, pubsub, exportStore, jobQueueFor(redisUrl, redisNamespace, exportWorkers), observers?.exportEnded);
  const redis = 'redis' in topics ? topics.redis : undefined;
  // Jobs accepted while Redis was away are in PostgreSQL only: queue them as soon as it is back.
  redis?.onReconnected(() => void worker.resume().catch((error) => logger.error({ error: errorField(error) }, 'queueing waiting export jobs failed')));
  const visibility = keepVisibility(options.db, observers?.vacuumed);
  const ingest = ingestHandler({
    db: options.db,
    jwtKey: options.jwtKey,
    maxBytes: ingestMaxBytes,
    onIngested: observers?.ingested,
    onCommitted: async (campaignIds, campaignRecords) => {
      const committedAt = Date.now();
      visibility.wrote();
      // Cached answers go before anyone hears of the change, and before the ingest answers.
      await responseCache.invalidateCampaigns(campaignIds, campaignRecords);
      for (const id of campaignIds) void pubsub.publish('campaign', String(id), { id: String(id), committedAt });
    },
  });
  const apqStore = createApqStore(trustedDocumentsConfig.apq ? redisUrl : undefined, redisNamespace);
  const trustedDocuments = new TrustedDocuments({ ...trustedDocumentsConfig, manifests: new Manifests(options.db), builtIns: BUILT_IN_DOCUMENTS, apqStore });
  const documents = documentRules(trustedDocuments, { metrics, logger: options.accessLog });
  const yoga = buildYoga({ ...options, exportStore, worker, pubsub, redisPing: redis?.ping, responseCache, rateLimits, costBudgets, queue, turns: new CpuTurns(), ingest, documents });
  const ingestDirectly = directIngest(ingest);
  let handle: http.RequestListener = (request, response) => void (ingestDirectly(request, response) || yoga(request, response));
  if (metrics) handle = observeHttp(metrics, { serveMetrics: metricsPort === undefined })(handle);
  if (options.accessLog) handle = logRequests(options.accessLog)(handle);
  if (options.tracing) handle = traceRequests()(handle);
  const server = http.createServer(handle);
  const stopWatching = metrics && watchSources(metrics, options.db, queue);
  let metricsServer: Awaited<ReturnType<typeof serveMetricsOn>> | undefined;
  const requests = drainable(server);
  const graphqlWs = attachGraphqlWs(server, yoga, { jwtKey: options.jwtKey, limits: rateLimits, documents, log: options.accessLog && logSocketOperations(options.accessLog) });
  let stopHousekeeping: (() => void) | undefined;
  return {
    yoga,
    worker,
    responseCache,
    server,
    start: async (port) => {
      // An instance that runs no jobs leaves their housekeeping to the processes that do.
      if (exportWorkers > 0) stopHousekeeping ??= await startHousekeeping(worker);
      if (metrics && metricsPort !== undefined) metricsServer ??= await serveMetricsOn(metrics, metricsPort);
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, () => {
          const { port: bound } = server.address() as AddressInfo;
          resolve(`http://localhost:${bound}`);
        });
      });
    },
    stop: async ({ graceMs = 10_000 } = {}) => {
      stopHousekeeping?.();
      stopWatching?.();
      await metricsServer?.close();
      // WebSockets are told 1001 (going away) while HTTP requests finish and exports hand their
      // jobs back, so every kind of client learns at once that it should go elsewhere.
      const [, drained] = await Promise.all([graphqlWs.dispose(), requests.drain(graceMs), worker.close()]);
      await Promise.all([topics.close(), responseCache.close(), rateLimits.close(), costBudgets?.close(), visibility.stop(), apqStore.close()]);
      return drained;
    },
  };
}

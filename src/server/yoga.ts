import { createYoga, type GraphiQLOptions, type YogaServerInstance } from 'graphql-yoga';
import type { Database } from '../db/client.js';
import type { ReportSource } from '../data/report-queries.js';
import { useDashboard } from '../dashboard/serve.js';
import { useExportDownloads } from '../exports/download.js';
import type { ExportStore } from '../exports/store.js';
import type { Metrics } from '../metrics/registry.js';
import { useGraphqlMetrics } from '../metrics/graphql-metrics.js';
import { metricObservers } from '../metrics/observers.js';
import { useAccessLogNotes } from '../logging/access-log.js';
import { operationTrace, useGraphqlSpans } from '../tracing/graphql-spans.js';
import type { DocumentRules } from '../documents/plugin.js';
import type { Logger } from '../logging/logger.js';
import { SAME_ORIGIN_ONLY, type CorsPolicy } from '../config.js';
import { useIngest, type IngestHandler } from '../ingest/endpoint.js';
import { useSharedSubscriptions } from '../live/shared-subscriptions.js';
import { useRestDocs } from '../rest/docs.js';
import { useRestRoutes } from '../rest/handler.js';
import { REST_ROUTES } from '../rest/routes.js';
import type { ExportWorker } from '../exports/worker.js';
import { schema } from '../schema/index.js';
import { useEarlyAuthentication } from './authentication.js';
import { useSubscriptionExpiry } from './token-expiry.js';
import { createContext, type Context } from '../schema/context.js';
import { corsFor, useFormPostRefusal } from '../http/cross-origin.js';
import type { PubSub } from '../events/pubsub.js';
import { recentDatabaseAnswer, useHealthCheck, useReadiness } from '../http/health.js';
import { useRateLimits, type RateLimits } from './rate-limits.js';
import { useCostBudgets, type CostBudgets } from '../fair-share/cost-budgets.js';
import type { TenantQueue } from '../fair-share/tenant-queue.js';
import type { CpuTurns } from '../fair-share/cpu-turns.js';
import type { ResponseCache } from '../cache/response-cache.js';
import { QUERY_LIMITS, useQueryLimits, type QueryLimits } from './limits.js';
import { useArgumentNamingValidation, useUserInputErrors } from './validation.js';

export interface YogaOptions {
  db: Database;
  jwtKey: Uint8Array;
  worker: ExportWorker;
  /** Where export files are: download links are answered from it. */
  exportStore: ExportStore;
  pubsub: PubSub;
  /** Base of download links; undefined: the origin each request came in on. */
  publicUrl?: string;
  /** The development token (embedded mode only): GraphiQL sends it, the dashboard at / uses it. */
  developmentToken?: string;
  /** Answers when Redis does; set when REDIS_URL is configured, for /healthz. */
  redisPing?: () => Promise<void>;
  /** Where reports read whole buckets: the rollups (default), or the raw rows (tests compare both). */
  reportSource?: ReportSource;
  /** Which other sites' pages may call the gateway; default: none (same origin only). */
  cors?: CorsPolicy;
  /** Overrides of the query limits (tests use a short deadline). */
  queryLimits?: Partial<QueryLimits>;
  /** Answers kept until their campaigns' data changes. */
  responseCache: ResponseCache;
  /** Budgets per token and tenant. */
  rateLimits: RateLimits;
  /** Cost budgets per token and tenant; undefined: none. */
  costBudgets?: CostBudgets;
  /** Turns at the database for report statements, fair between tenants. */
  queue?: TenantQueue;
  /** Turns on the event loop for building large answers, fair between tenants. */
  turns?: CpuTurns;
  /** Answers POST /ingest (see app.ts, which also routes servers' ingests to it past the GraphQL server). */
  ingest: IngestHandler;
  /** Prometheus metrics; undefined: none are kept. */
  metrics?: Metrics;
  /** Where each request's access line goes (see app.ts); undefined: none are written. */
  accessLog?: Logger;
  /** OpenTelemetry tracing is on (startTracing): spans for requests and their GraphQL phases. */
  tracing?: boolean;
  /** Which operation texts run: trusted documents by id, raw text, or both (see app.ts). */
  documents: DocumentRules;
}

export type Yoga = YogaServerInstance<Record<string, unknown>, Context>;

export const GRAPHQL_PATH = '/graphql';

export function buildYoga({ db, jwtKey, worker, exportStore, pubsub, publicUrl, developmentToken, redisPing, queryLimits, cors = SAME_ORIGIN_ONLY, reportSource, responseCache, rateLimits, costBudgets, queue, turns, ingest, metrics, accessLog, tracing, documents }: YogaOptions): Yoga {
  const authentication = useEarlyAuthentication(jwtKey);
  const observers = metrics && metricObservers(metrics);
  return createYoga<Record<string, unknown>, Context>({
    schema,
    graphqlEndpoint: GRAPHQL_PATH,
    landingPage: false,
    maskedErrors: true,
    // useRequestBodyLimit (in useQueryLimits) in its place: see there.
    maxRequestBodySize: false,
    cors: corsFor(cors),
    graphiql: {
      title: 'AutoCall Reports',
      headers: developmentToken ? JSON.stringify({ Authorization: `Bearer ${developmentToken}` }) : undefined,
      defaultQuery: DEFAULT_QUERY,
    },
    renderGraphiQL: offlineGraphiQL(),
    context: async ({ request, req }) =>
      createContext({
        db,
        reportSource,
        queue,
        turns,
        observeStatement: observers?.statement,
        observePush: observers?.push,
        authorization: request.headers.get('authorization'),
        viewer: await authentication.viewerOf(request),
        exports: { worker, pubsub, downloadKey: jwtKey, publicUrl: publicUrl ?? new URL(request.url).origin },
        // Node's request, the key its trace is kept under (see traceRequests); none over yoga.fetch.
        tracing: operationTrace(req as object | undefined),
      }),
    // documentId is a parameter of GraphQL over HTTP's persisted documents (the plugin below reads it).
    extraParamNames: ['documentId'],
    plugins: [
      // First, so every later hook (the access log's hash, the response cache's key) sees the text that runs.
      documents.plugin(authentication.viewerOf, responseCache.ttlSeconds),
      ...(metrics ? [useGraphqlMetrics(metrics)] : []),
      ...(accessLog ? [useAccessLogNotes()] : []),
      ...(tracing ? [useGraphqlSpans()] : []),
      useDashboard({ developmentToken }),
      useRestDocs(REST_ROUTES, { developmentToken }),
      // Each REST route runs its saved operation as a request to /graphql, plugins and all.
      useRestRoutes(REST_ROUTES, GRAPHQL_PATH),
      useExportDownloads(db, exportStore, jwtKey),
      useIngest(ingest),
      useSharedSubscriptions(new Set(['campaignUpdated'])),
      useSubscriptionExpiry(),
      useFormPostRefusal(),
      authentication.plugin,
      useRateLimits(rateLimits, authentication.viewerOf),
      // Charged as it executes; an answer the response cache serves before execution costs nothing.
      ...(costBudgets ? [useCostBudgets(costBudgets, authentication.viewerOf)] : []),
      responseCache.plugin(authentication.viewerOf),
      ...useQueryLimits({ ...QUERY_LIMITS, ...queryLimits }),
      useArgumentNamingValidation(),
      useUserInputErrors(),
      useHealthCheck({ databaseKind: db.kind, database: recentDatabaseAnswer(() => db.ping()), redis: redisPing, replicas: db.replicaHealth }),
      ...(queue ? [useReadiness({ database: () => db.ping(), queue: () => queue.stats(), saturatedAfterMs: queue.options.maxWaitMs / 2 })] : []),
    ],
  });
}

const DEFAULT_QUERY = `# Your campaigns with their headline numbers. Press the play button (or Ctrl+Enter) to run;
# the Docs panel on the left lists every report (kpis, trend, hangup, heatmap, dtmf, funnel).
query Campaigns {
  campaigns(first: 10) {
    totalCount
    edges {
      node {
        id
        name
        startedAt
        kpis {
          dialed
          answered
          answerRatePct
          avgCallDurationSec
          transferSuccessRatePct
        }
        funnel { stage count dropRatePct }
      }
    }
  }
}
`;

/**
 * GraphiQL from the installed @graphql-yoga/render-graphiql (scripts, styles and editor workers
 * inlined), not from a CDN, so it works on a network without internet. The page is about 9 MB of
 * text and its package about 45 MB of memory: both are loaded on the first visit, not at start, and
 * the page is rendered once per set of options rather than on every visit.
 */
function offlineGraphiQL() {
  const pages = new Map<string, Promise<string>>();
  return (options?: GraphiQLOptions) => {
    const key = JSON.stringify(options ?? {});
    let page = pages.get(key);
    if (page === undefined) {
      pages.set(key, (page = import('@graphql-yoga/render-graphiql').then(({ renderGraphiQL }) => renderGraphiQL(options))));
    }
    return page;
  };
}

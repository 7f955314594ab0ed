import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry, type RegistryContentType } from 'prom-client';

/** Latency buckets, seconds: from a cached answer (1 ms) to a report past its deadline (10 s). */
export const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * Every metric the gateway exports, in a registry of its own per instance (tests run several in one
 * process). Labels are bounded: route templates, operation names of validated documents (see
 * OperationNames), status, error codes and a few fixed kinds; never a URL, header, variable or tenant.
 */
export function createMetrics({ exemplars = false } = {}) {
  const registry = new Registry<RegistryContentType>();
  // Exemplars exist in the OpenMetrics format only (Prometheus reads both).
  if (exemplars) registry.setContentType(Registry.OPENMETRICS_CONTENT_TYPE);
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  /** Gauges read from their source at each scrape (pools, queues), rather than kept up to date. */
  const refreshers: (() => void | Promise<void>)[] = [];
  return {
    registry,
    /** Latency buckets carry the trace id of a request they counted (with tracing on). */
    exemplars,
    /** Runs `refresh` before every scrape. */
    onScrape(refresh: () => void | Promise<void>) {
      refreshers.push(refresh);
    },
    /** The exposition text, gauges refreshed (a refresher that fails leaves its gauge as it was). */
    async scrape(): Promise<string> {
      await Promise.all(refreshers.map(async (refresh) => refresh()).map((done) => done.catch(() => undefined)));
      return registry.metrics();
    },
    http: {
      requests: new Counter({ name: 'autocall_http_requests_total', help: 'HTTP requests answered, by route template, method and status', labelNames: ['route', 'method', 'status'], registers }),
      duration: new Histogram({
        name: 'autocall_http_request_duration_seconds',
        help: 'Time from a request to its answer, by route template, method and status',
        labelNames: ['route', 'method', 'status'],
        buckets: LATENCY_BUCKETS,
        registers,
        enableExemplars: exemplars,
      }),
      inFlight: new Gauge({ name: 'autocall_http_requests_in_flight', help: 'HTTP requests being answered', registers }),
    },
    graphql: {
      // The names graphql-yoga's Prometheus plugin gives them, which dashboards for Yoga and Envelop expect.
      requests: new Counter({ name: 'graphql_envelop_request_total', help: 'GraphQL operations run, by operation name and type', labelNames: ['operationName', 'operationType'], registers }),
      duration: new Histogram({
        name: 'graphql_envelop_request_duration',
        help: 'Time a GraphQL operation took from parsing to its result, by operation name and type',
        labelNames: ['operationName', 'operationType'],
        buckets: LATENCY_BUCKETS,
        registers,
      }),
      parse: phaseHistogram('parse', 'Time spent parsing documents', registers),
      validate: phaseHistogram('validate', 'Time spent validating documents', registers),
      execute: phaseHistogram('execute', 'Time spent executing operations', registers),
      subscribe: phaseHistogram('subscribe', 'Time spent starting subscriptions', registers),
    },
    errors: new Counter({ name: 'autocall_graphql_errors_total', help: 'Errors in GraphQL answers (REST included), by error code', labelNames: ['code'], registers }),
    live: {
      subscriptions: new Gauge({ name: 'autocall_subscriptions_open', help: 'Subscriptions open, by transport', labelNames: ['transport'], registers }),
      pushes: new Counter({ name: 'autocall_subscription_pushes_total', help: 'Events sent to subscribers, by transport', labelNames: ['transport'], registers }),
      pushLatency: new Histogram({
        name: 'autocall_subscription_push_latency_seconds',
        help: 'Time from a committed change of a campaign to its campaignUpdated push computed and handed to every subscriber of it (the 1 s throttle included)',
        buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 1.5, 2, 3, 5, 10],
        registers,
      }),
    },
    ingest: {
      calls: new Counter({ name: 'autocall_ingest_records_total', help: 'Records posted to /ingest, by outcome (accepted, rejected, refused)', labelNames: ['outcome'], registers }),
      batchSize: new Histogram({ name: 'autocall_ingest_batch_records', help: 'Records per group-commit transaction', buckets: [1, 2, 5, 10, 25, 50, 100, 250, 1000, 5000], registers }),
      transaction: new Histogram({ name: 'autocall_ingest_transaction_seconds', help: 'Time a group-commit transaction took', buckets: LATENCY_BUCKETS, registers }),
      lockWait: new Histogram({
        name: 'autocall_ingest_lock_wait_seconds',
        help: "Time a group-commit transaction waited for its campaigns' locks (other writers' turns), its first round trip included",
        buckets: LATENCY_BUCKETS,
        registers,
      }),
      vacuum: new Histogram({
        name: 'autocall_ingest_vacuum_seconds',
        help: 'Time a VACUUM of the call and lead tables kept after live writes took (their visibility map, for index-only reports)',
        buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
        registers,
      }),
    },
    exports: {
      jobs: new Counter({ name: 'autocall_export_jobs_total', help: 'Export jobs that reached a state, by state', labelNames: ['status'], registers }),
      duration: new Histogram({ name: 'autocall_export_duration_seconds', help: 'Time from claiming an export job to its file stored', buckets: [0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300], registers }),
      bytes: new Counter({ name: 'autocall_export_bytes_total', help: 'Bytes of export files stored', registers }),
      queued: new Gauge({ name: 'autocall_export_jobs_queued', help: 'Export jobs waiting for a worker (QUEUED in the database)', registers }),
    },
    documents: {
      resolved: new Counter({
        name: 'autocall_documents_total',
        help: 'Operations by where their text came from (persisted, apq, raw, raw_unknown in audit mode) or refused by the trusted-documents rule',
        labelNames: ['source'],
        registers,
      }),
      untrusted: new Counter({
        name: 'autocall_untrusted_operations_total',
        help: 'Operations run from text no published manifest holds, by operation name (PERSISTED_DOCUMENTS=audit)',
        labelNames: ['operationName'],
        registers,
      }),
    },
    data: {
      batchSize: new Histogram({ name: 'autocall_dataloader_batch_windows', help: 'Campaign windows per report statement (a DataLoader batch), by kind', labelNames: ['kind'], buckets: [1, 2, 5, 10, 20, 50, 100], registers }),
      statement: new Histogram({ name: 'autocall_report_statement_seconds', help: 'Time a report statement took, its turn included, by kind', labelNames: ['kind'], buckets: LATENCY_BUCKETS, registers }),
      pool: new Gauge({ name: 'autocall_db_pool_connections', help: 'Connections of the report pool, by state (total, idle, waiting)', labelNames: ['state'], registers }),
      queue: new Gauge({ name: 'autocall_report_turns', help: 'Report statements running or waiting for their turn', labelNames: ['state'], registers }),
      cache: new Counter({ name: 'autocall_response_cache_total', help: 'Response cache lookups, by result (hit, miss)', labelNames: ['result'], registers }),
      refusals: new Counter({ name: 'autocall_rate_limit_refusals_total', help: 'Operations refused by a budget, by kind (requests, cost, overloaded)', labelNames: ['kind'], registers }),
    },
  };
}

export type Metrics = ReturnType<typeof createMetrics>;

const phaseHistogram = (phase: string, help: string, registers: Registry<RegistryContentType>[]) =>
  new Histogram({ name: `graphql_envelop_phase_${phase}`, help, labelNames: ['operationType'], buckets: LATENCY_BUCKETS, registers });

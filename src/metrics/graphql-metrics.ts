import { createCounter, createHistogram, usePrometheus, type FillLabelsFnParams } from '@graphql-yoga/plugin-prometheus';
import { isAsyncIterable, type Plugin } from 'graphql-yoga';
import type { Registry } from 'prom-client';
import { LATENCY_BUCKETS, type Metrics } from './registry.js';

/** Distinct operation names a gateway labels metrics with; later ones are counted as "other". */
const MOST_OPERATION_NAMES = 100;

/**
 * Operation names as metric labels, bounded: a name becomes a label value only once a document
 * carrying it has passed validation (so text nobody could run never makes a series), and only the
 * first MOST_OPERATION_NAMES do; an unnamed operation is "anonymous", any other "other".
 */
export class OperationNames {
  readonly #known = new Set<string>();

  admit(name: string | undefined) {
    if (name && this.#known.size < MOST_OPERATION_NAMES) this.#known.add(name);
  }

  label(name: string | undefined): string {
    if (name && this.#known.has(name)) return name;
    // The Prometheus plugin names an unnamed operation "Anonymous".
    return !name || name === 'Anonymous' ? 'anonymous' : 'other';
  }
}

/** How a subscription reaches its client. */
const transportOf = (context: Record<string, unknown>) => ('extra' in context && context.extra ? 'graphql-ws' : 'sse');

/**
 * GraphQL's metrics: graphql-yoga's Prometheus plugin for operations (count and duration by
 * operation name and type) and their phases (parse, validate, execute, subscribe), with bounded
 * labels and without its HTTP histogram (whose labels are the raw URL); then errors by code,
 * response-cache hits and misses, and open subscriptions and their pushes by transport.
 */
export function useGraphqlMetrics(metrics: Metrics): Plugin[] {
  const names = new OperationNames();
  // The plugin's typings know the text format's registry only; it just registers metrics, which either format writes.
  const registry = metrics.registry as Registry;
  const operationLabels = (params: FillLabelsFnParams) => ({
    operationName: names.label(params.operationName),
    operationType: params.operationType ?? 'unknown',
  });
  const phase = <Phase extends string>(name: string, help: string) =>
    createHistogram<Phase, 'operationType'>({ registry, histogram: { name, help, labelNames: ['operationType'], buckets: LATENCY_BUCKETS }, fillLabelsFn: (params) => ({ operationType: params.operationType ?? 'unknown' }) });
  return [
    usePrometheus({
      registry,
      endpoint: false,
      metrics: {
        graphql_envelop_request: createCounter({
          registry,
          counter: { name: 'graphql_envelop_request_total', help: 'GraphQL operations run, by operation name and type', labelNames: ['operationName', 'operationType'] },
          fillLabelsFn: operationLabels,
        }),
        graphql_envelop_request_duration: createHistogram({
          registry,
          histogram: { name: 'graphql_envelop_request_duration', help: 'Time a GraphQL operation took, by operation name and type', labelNames: ['operationName', 'operationType'], buckets: LATENCY_BUCKETS },
          fillLabelsFn: operationLabels,
        }),
        graphql_envelop_phase_parse: phase<'parse'>('graphql_envelop_phase_parse', 'Time spent parsing documents'),
        graphql_envelop_phase_validate: phase<'validate'>('graphql_envelop_phase_validate', 'Time spent validating documents'),
        graphql_envelop_phase_context: false,
        graphql_envelop_phase_execute: phase<'execute'>('graphql_envelop_phase_execute', 'Time spent executing operations'),
        graphql_envelop_phase_subscribe: phase<'subscribe'>('graphql_envelop_phase_subscribe', 'Time spent starting subscriptions'),
        graphql_envelop_request_time_summary: false,
        graphql_envelop_error_result: false,
        graphql_envelop_deprecated_field: false,
        graphql_envelop_schema_change: false,
        graphql_envelop_execute_resolver: false,
        graphql_yoga_http_duration: false,
      },
    }),
    {
      onValidate: ({ params }) => ({ valid }) => {
        if (!valid) return;
        for (const definition of params.documentAST.definitions) {
          if (definition.kind === 'OperationDefinition') names.admit(definition.name?.value);
        }
      },
      onResultProcess: ({ result }) => {
        for (const each of Array.isArray(result) ? result : [result]) {
          if (isAsyncIterable(each)) continue;
          for (const error of each.errors ?? []) metrics.errors.inc({ code: String(error.extensions?.code ?? 'INTERNAL_SERVER_ERROR') });
          const cache = each.extensions?.responseCache as { hit?: boolean } | undefined;
          if (cache) metrics.data.cache.inc({ result: cache.hit ? 'hit' : 'miss' });
        }
      },
      onSubscribe: ({ args }) => {
        const transport = transportOf(args.contextValue as unknown as Record<string, unknown>);
        return {
          onSubscribeResult: ({ result }) => {
            if (!isAsyncIterable(result)) return undefined;
            metrics.live.subscriptions.inc({ transport });
            return {
              onNext: () => void metrics.live.pushes.inc({ transport }),
              onEnd: () => void metrics.live.subscriptions.dec({ transport }),
            };
          },
        };
      },
    },
  ];
}

import { performance } from 'node:perf_hooks';
import { getOperationAST, type DocumentNode } from 'graphql';
import { isAsyncIterable, type Plugin } from 'graphql-yoga';
import type { Histogram } from 'prom-client';
import type { Metrics } from './registry.js';

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
    return name ? 'other' : 'anonymous';
  }
}

/** How a subscription reaches its client. */
const transportOf = (context: Record<string, unknown>) => ('extra' in context && context.extra ? 'graphql-ws' : 'sse');

/** A metric's child for one set of label values, made once: prom-client hashes the labels on every call otherwise. */
function childrenOf<Child>(make: (...values: string[]) => Child) {
  const children = new Map<string, Child>();
  return (...values: string[]) => {
    const key = values.join('\0');
    let child = children.get(key);
    if (!child) children.set(key, (child = make(...values)));
    return child;
  };
}

interface Operation {
  name: string | undefined;
  type: string;
}

/** What the metrics know of a running operation, by its context. */
interface Running {
  started: number;
  operation: Operation;
}

/**
 * GraphQL's metrics, on prom-client: operations by name and type (count, and time from parsing to
 * the result), each phase's time (parse, validate, execute, subscribe) by operation type, under the
 * names graphql-yoga's Prometheus plugin uses; then errors by code, response-cache hits and misses,
 * and open subscriptions and their pushes by transport. Labels are bounded (see OperationNames).
 * Not the plugin itself: it cost a `{ __typename }` 34 µs of CPU (7 % of the whole request), these
 * hooks a fraction of it (docs/bench.md).
 */
export function useGraphqlMetrics(metrics: Metrics): Plugin {
  const names = new OperationNames();
  const { graphql } = metrics;
  const requests = childrenOf((name, type) => graphql.requests.labels(name, type));
  const durations = childrenOf((name, type) => graphql.duration.labels(name, type));
  const phase = (histogram: Histogram) => childrenOf((type) => histogram.labels(type));
  const [parse, validate, execute, subscribe] = [phase(graphql.parse), phase(graphql.validate), phase(graphql.execute), phase(graphql.subscribe)];
  // Documents are parsed once and cached by yoga: their operations are looked up once too.
  const operations = new WeakMap<DocumentNode, Map<string, Operation>>();
  const operationOf = (document: DocumentNode, operationName: string | null | undefined): Operation => {
    let byName = operations.get(document);
    if (!byName) operations.set(document, (byName = new Map()));
    let operation = byName.get(operationName ?? '');
    if (!operation) {
      const ast = getOperationAST(document, operationName);
      byName.set(operationName ?? '', (operation = { name: ast?.name?.value, type: ast?.operation ?? 'unknown' }));
    }
    return operation;
  };
  const running = new WeakMap<object, Running>();
  /** Counts the operation as it starts to run; returns what observes its end. */
  const run = (context: object, timer: (type: string) => { observe(seconds: number): void }) => {
    const state = running.get(context);
    if (!state) return undefined;
    const { name, type } = state.operation;
    const label = names.label(name);
    requests(label, type).inc();
    const started = performance.now();
    return () => {
      const now = performance.now();
      timer(type).observe((now - started) / 1000);
      durations(label, type).observe((now - state.started) / 1000);
    };
  };
  return {
    onParse({ context }) {
      const started = performance.now();
      return ({ result }) => {
        const seconds = (performance.now() - started) / 1000;
        if (result instanceof Error || !result) return void parse('unknown').observe(seconds);
        const operation = operationOf(result as DocumentNode, (context as { params?: { operationName?: string } }).params?.operationName);
        parse(operation.type).observe(seconds);
        running.set(context, { started, operation });
      };
    },
    onValidate({ context, params }) {
      const started = performance.now();
      return ({ valid }) => {
        validate(running.get(context)?.operation.type ?? 'unknown').observe((performance.now() - started) / 1000);
        if (!valid) return;
        for (const definition of params.documentAST.definitions) {
          if (definition.kind === 'OperationDefinition') names.admit(definition.name?.value);
        }
      };
    },
    onExecute({ args }) {
      const done = run(args.contextValue as object, execute);
      return done && { onExecuteDone: done };
    },
    onSubscribe({ args }) {
      const done = run(args.contextValue as object, subscribe);
      const transport = transportOf(args.contextValue as unknown as Record<string, unknown>);
      return {
        onSubscribeResult: ({ result }) => {
          done?.();
          if (!isAsyncIterable(result)) return undefined;
          metrics.live.subscriptions.inc({ transport });
          return {
            onNext: () => void metrics.live.pushes.inc({ transport }),
            onEnd: () => void metrics.live.subscriptions.dec({ transport }),
          };
        },
      };
    },
    onResultProcess: ({ result }) => {
      for (const each of Array.isArray(result) ? result : [result]) {
        if (isAsyncIterable(each)) continue;
        for (const error of each.errors ?? []) metrics.errors.inc({ code: String(error.extensions?.code ?? 'INTERNAL_SERVER_ERROR') });
        const cache = each.extensions?.responseCache as { hit?: boolean } | undefined;
        if (cache) metrics.data.cache.inc({ result: cache.hit ? 'hit' : 'miss' });
      }
    },
  };
}

import { trace, type Context } from '@opentelemetry/api';
import { getOperationAST, type DocumentNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { records, requestTrace, tracer } from './tracing.js';

/**
 * Where a GraphQL operation's spans hang: its request's span, then its graphql.execute (or
 * graphql.subscribe) span while that runs. Held in the operation's context, so its loaders and
 * resolvers name their spans' parent (see tracing.ts for why nothing finds it implicitly).
 */
export interface OperationTrace {
  context: Context;
}

export const operationTrace = (request: object | undefined): OperationTrace => ({ context: requestTrace(request) });

/** The operation's trace, from the context it was built with; before that (parse, validate), its request's. */
const traceOf = (context: { req?: object; tracing?: OperationTrace }) => context.tracing?.context ?? requestTrace(context.req);

/**
 * Spans for the GraphQL phases (parse, validate, execute, subscribe), each a child of the request's;
 * execute carries the operation's name and type, never its text or variables. Made in the phases'
 * hooks, which return at once for an operation that is not sampled (yoga's instrumentation API,
 * wrapping every phase of every operation in promises of its own, cost each of them more).
 */
export function useGraphqlSpans(): Plugin<{ req?: object; tracing?: OperationTrace }> {
  const phase = (name: string) => ({ context }: { context: { req?: object; tracing?: OperationTrace } }) => {
    const parent = traceOf(context);
    if (!records(parent)) return undefined;
    const span = tracer.startSpan(name, {}, parent);
    return () => span.end();
  };
  // The operation's span is where its loaders' and resolvers' spans hang while it runs.
  const operation = (name: string, { document, operationName, contextValue }: { document: DocumentNode; operationName?: string | null; contextValue?: unknown }) => {
    const { tracing } = contextValue as { tracing?: OperationTrace };
    if (!tracing || !records(tracing.context)) return undefined;
    const ast = getOperationAST(document, operationName);
    const span = tracer.startSpan(name, { attributes: { 'graphql.operation.type': ast?.operation ?? 'unknown', 'graphql.operation.name': ast?.name?.value ?? 'anonymous' } }, tracing.context);
    const parent = tracing.context;
    tracing.context = trace.setSpan(parent, span);
    return () => {
      tracing.context = parent;
      span.end();
    };
  };
  const parse = phase('graphql.parse');
  const validate = phase('graphql.validate');
  return {
    onParse: parse,
    onValidate: validate,
    onExecute: ({ args }) => {
      const end = operation('graphql.execute', args);
      return end && { onExecuteDone: end };
    },
    onSubscribe: ({ args }) => {
      const end = operation('graphql.subscribe', args);
      return end && { onSubscribeResult: end, onSubscribeError: end };
    },
  };
}

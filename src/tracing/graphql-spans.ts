import { ROOT_CONTEXT, trace, type Context } from '@opentelemetry/api';
import { getOperationAST, type DocumentNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { inSpan, records, requestTrace, tracer } from './tracing.js';

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
 * execute carries the operation's name and type, never its text or variables.
 */
export function useGraphqlSpans(): Plugin<{ req?: object; tracing?: OperationTrace }> {
  const phase =
    (name: string) =>
    ({ context }: { context: { req?: object; tracing?: OperationTrace } }, wrapped: () => void) => {
      const parent = traceOf(context);
      if (!records(parent)) return wrapped();
      const span = tracer.startSpan(name, {}, parent);
      try {
        wrapped();
      } finally {
        span.end();
      }
    };
  const operation =
    (name: string) =>
    ({ context }: { context: { req?: object; tracing?: OperationTrace } }, wrapped: () => Promise<void> | void) => {
      const { tracing } = context;
      if (!tracing || !records(tracing.context)) return wrapped();
      return inSpan(
        name,
        {},
        async (operationContext) => {
          const parent = tracing.context;
          tracing.context = operationContext;
          try {
            await wrapped();
          } finally {
            tracing.context = parent;
          }
        },
        { parent: tracing.context },
      );
    };
  // onExecute and onSubscribe run inside the wrapped phase, with its span the operation's.
  const nameTheOperation = ({ args }: { args: { document: DocumentNode; operationName?: string | null; contextValue: { tracing?: OperationTrace } } }) => {
    const ast = getOperationAST(args.document, args.operationName);
    trace.getSpan(args.contextValue.tracing?.context ?? ROOT_CONTEXT)?.setAttributes({ 'graphql.operation.type': ast?.operation ?? 'unknown', 'graphql.operation.name': ast?.name?.value ?? 'anonymous' });
  };
  return {
    instrumentation: {
      parse: phase('graphql.parse'),
      validate: phase('graphql.validate'),
      execute: operation('graphql.execute'),
      subscribe: operation('graphql.subscribe'),
    },
    onExecute: nameTheOperation,
    onSubscribe: nameTheOperation,
  };
}

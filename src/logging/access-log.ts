import { createHash, randomUUID } from 'node:crypto';
import type http from 'node:http';
import { performance } from 'node:perf_hooks';
import { getOperationAST } from 'graphql';
import { isAsyncIterable, type Plugin } from 'graphql-yoga';
import { routeTemplate } from '../metrics/routes.js';
import type { Logger } from './logger.js';
import { activeTraceId } from '../tracing/tracing.js';

/** What the GraphQL server learns about a request, for its access line. */
interface RequestNotes {
  tenant?: string;
  operation?: string;
  operationHash?: string;
  errorCodes: Set<string>;
}

const notes = new WeakMap<http.IncomingMessage, RequestNotes>();

/** An incoming x-request-id is kept when it looks like one (no spaces or control characters, at most 128). */
const REQUEST_ID = /^[\w.:/+=-]{1,128}$/;

/**
 * One JSON access line per HTTP request, when it is answered: request_id (the client's
 * `x-request-id` if it sent a usable one, else a new UUID; echoed in the answer's `x-request-id`),
 * trace_id (when tracing samples the request), method, route template, status, duration, and what
 * the GraphQL server noted (tenant, operation name and the SHA-256 of its text, error codes). Never
 * a token, a variable or a query string.
 */
export function logRequests(logger: Logger) {
  return (handler: http.RequestListener): http.RequestListener =>
    (request, response) => {
      const incoming = request.headers['x-request-id'];
      const requestId = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
      response.setHeader('x-request-id', requestId);
      const noted: RequestNotes = { errorCodes: new Set() };
      const traceId = activeTraceId();
      notes.set(request, noted);
      const started = performance.now();
      response.once('close', () => {
        const pathname = (request.url ?? '/').split('?', 1)[0]!;
        logger.info(
          {
            request_id: requestId,
            ...(traceId ? { trace_id: traceId } : {}),
            method: request.method,
            route: routeTemplate(pathname),
            status: response.statusCode,
            duration_ms: Math.round((performance.now() - started) * 10) / 10,
            ...(noted.tenant ? { tenant: noted.tenant } : {}),
            ...(noted.operation ? { operation: noted.operation } : {}),
            ...(noted.operationHash ? { operation_hash: noted.operationHash } : {}),
            ...(noted.errorCodes.size > 0 ? { error_codes: [...noted.errorCodes] } : {}),
          },
          'request',
        );
      });
      handler(request, response);
    };
}

const notesOf = (context: unknown) => {
  const request = (context as { req?: http.IncomingMessage } | undefined)?.req;
  return request && notes.get(request);
};

/** Notes the tenant, the operation and the errors of each GraphQL request for its access line. */
export function useAccessLogNotes(): Plugin {
  return {
    onParams({ params, context }) {
      const noted = notesOf(context);
      if (!noted || !params.query) return;
      noted.operationHash = createHash('sha256').update(params.query).digest('hex').slice(0, 16);
      if (params.operationName) noted.operation = params.operationName;
    },
    onExecute({ args }) {
      const noted = notesOf(args.contextValue);
      if (!noted) return;
      const context = args.contextValue as { viewer?: { tenantId: string } };
      noted.tenant = context.viewer?.tenantId;
      noted.operation ??= getOperationAST(args.document, args.operationName)?.name?.value ?? 'anonymous';
    },
    onResultProcess({ result, serverContext }) {
      const noted = notesOf(serverContext);
      if (!noted) return;
      for (const each of Array.isArray(result) ? result : [result]) {
        if (isAsyncIterable(each)) continue;
        for (const error of each.errors ?? []) noted.errorCodes.add(String(error.extensions?.code ?? 'INTERNAL_SERVER_ERROR'));
      }
    },
  };
}

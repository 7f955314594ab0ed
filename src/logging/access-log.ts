import { randomUUID } from 'node:crypto';
import type http from 'node:http';
import { performance } from 'node:perf_hooks';
import { getOperationAST, type DocumentNode, type GraphQLError } from 'graphql';
import { isAsyncIterable, type Plugin } from 'graphql-yoga';
import { routeTemplate } from '../metrics/routes.js';
import type { Logger } from './logger.js';
import { requestTrace, traceIdOf } from '../tracing/tracing.js';
import { documentHash } from '../documents/document-ids.js';

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
      const traceId = traceIdOf(requestTrace(request));
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

/** The SHA-256 of an operation's text, its first 16 hex digits (those of its document id): which document it was, without the text. */
const operationHash = (query: string) => documentHash(query).slice(0, 16);

const errorCodesOf = (errors: readonly { extensions?: Record<string, unknown> }[]) => errors.map((error) => String(error.extensions?.code ?? 'INTERNAL_SERVER_ERROR'));

interface SocketOperation extends RequestNotes {
  requestId: string;
  started: number;
  pushes: number;
}

/**
 * One access line per graphql-ws operation, when it ends (completes, fails or is stopped): its own
 * request_id, the transport, the socket's tenant, the operation name and hash, how long it ran, the
 * results sent, and the error codes; never the text or its variables.
 */
export function logSocketOperations(logger: Logger) {
  const open = new WeakMap<object, Map<string, SocketOperation>>();
  const operationsOf = (socket: object) => {
    let operations = open.get(socket);
    if (!operations) open.set(socket, (operations = new Map()));
    return operations;
  };
  return {
    started(socket: object, id: string, payload: { operationName?: string | null }, tenant: string | undefined) {
      operationsOf(socket).set(id, {
        requestId: randomUUID(),
        started: performance.now(),
        pushes: 0,
        tenant,
        operation: payload.operationName ?? undefined,
        errorCodes: new Set(),
      });
    },
    /** The operation's name and hash once its text (sent, or named by its id) is parsed; an unnamed one is "anonymous". */
    parsed(socket: object, id: string, text: string, document: DocumentNode) {
      const noted = open.get(socket)?.get(id);
      if (!noted) return;
      noted.operationHash = operationHash(text);
      noted.operation ??= getOperationAST(document, noted.operation)?.name?.value ?? 'anonymous';
    },
    sent(socket: object, id: string, errors: readonly GraphQLError[] = []) {
      const noted = open.get(socket)?.get(id);
      if (!noted) return;
      noted.pushes += 1;
      for (const code of errorCodesOf(errors)) noted.errorCodes.add(code);
    },
    ended(socket: object, id: string, errors: readonly GraphQLError[] = []) {
      const noted = open.get(socket)?.get(id);
      if (!noted) return;
      open.get(socket)!.delete(id);
      for (const code of errorCodesOf(errors)) noted.errorCodes.add(code);
      logger.info(
        {
          request_id: noted.requestId,
          transport: 'graphql-ws',
          route: '/graphql',
          operation_id: id,
          duration_ms: Math.round((performance.now() - noted.started) * 10) / 10,
          results: noted.pushes,
          ...(noted.tenant ? { tenant: noted.tenant } : {}),
          ...(noted.operation ? { operation: noted.operation } : {}),
          ...(noted.operationHash ? { operation_hash: noted.operationHash } : {}),
          ...(noted.errorCodes.size > 0 ? { error_codes: [...noted.errorCodes] } : {}),
        },
        'operation',
      );
    },
  };
}

export type SocketOperationLog = ReturnType<typeof logSocketOperations>;

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
      noted.operationHash = operationHash(params.query);
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
        for (const code of errorCodesOf(each.errors ?? [])) noted.errorCodes.add(code);
      }
    },
  };
}

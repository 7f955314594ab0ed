import type http from 'node:http';
import { GraphQLError, type DocumentNode, type ExecutionArgs } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer, type WebSocket } from 'ws';
import { authenticate, type Viewer } from '../auth/tokens.js';
import { runAt, type LongTimeout } from '../http/long-timeout.js';
import type { SocketOperationLog } from '../logging/access-log.js';
import type { DocumentRules } from '../documents/plugin.js';
import type { OperationParams } from '../documents/trusted-documents.js';
import { rateLimited, type RateLimits } from './rate-limits.js';
import { GRAPHQL_PATH, type Yoga } from './yoga.js';

type Enveloped = ReturnType<Yoga['getEnveloped']>;
type EnvelopedArgs = ExecutionArgs & { rootValue: { execute: Enveloped['execute']; subscribe: Enveloped['subscribe'] } };

const authorizationOf = (params: Record<string, unknown> | undefined) => {
  const value = params?.Authorization ?? params?.authorization;
  return typeof value === 'string' ? value : undefined;
};

/** Yoga marks request errors with the HTTP status they get over HTTP; a socket message has none. */
function withoutHttpStatus(error: GraphQLError): GraphQLError {
  const { http: _http, ...extensions } = error.extensions;
  return new GraphQLError(error.message, { nodes: error.nodes, source: error.source, positions: error.positions, extensions });
}

/**
 * graphql-ws (subprotocol graphql-transport-ws) on the GraphQL path of the same server. Operations
 * go through yoga's envelop, so they get the same plugins, context, auth and error masking as HTTP.
 * The token travels in connection_init ({ "Authorization": "Bearer …" }): a missing or bad one
 * closes the socket with 4403, and the socket is closed when the token expires.
 */
export interface GraphqlWsOptions {
  jwtKey: Uint8Array;
  limits: RateLimits;
  /** The trusted-documents rule, the same as HTTP's. */
  documents: DocumentRules;
  log?: SocketOperationLog;
}

export function attachGraphqlWs(server: http.Server, yoga: Yoga, { jwtKey, limits, documents, log }: GraphqlWsOptions) {
  const wsServer = new WebSocketServer({ server, path: GRAPHQL_PATH });
  const expiryTimers = new WeakMap<WebSocket, LongTimeout>();
  const viewers = new WeakMap<WebSocket, Viewer>();
  const disposable = useServer<Record<string, unknown>>(
    {
      onConnect: async (ctx) => {
        try {
          const viewer = await authenticate(authorizationOf(ctx.connectionParams), jwtKey);
          const socket = ctx.extra.socket;
          viewers.set(socket, viewer);
          expiryTimers.set(socket, runAt(viewer.expiresAt, () => socket.close(4403, 'Token expired')));
          return true;
        } catch {
          return false;
        }
      },
      onClose: (ctx) => expiryTimers.get(ctx.extra.socket)?.clear(),
      onNext: (ctx, id, _payload, _args, result) => log?.sent(ctx.extra.socket, id, result.errors),
      onError: (ctx, id, _payload, errors) => log?.ended(ctx.extra.socket, id, errors),
      onComplete: (ctx, id) => log?.ended(ctx.extra.socket, id),
      execute: (args) => (args as EnvelopedArgs).rootValue.execute(args),
      subscribe: (args) => (args as EnvelopedArgs).rootValue.subscribe(args),
      onSubscribe: async (ctx, id, payload) => {
        const viewer = viewers.get(ctx.extra.socket)!;
        log?.started(ctx.extra.socket, id, payload, viewer.tenantId);
        // Every operation counts against the budgets, a subscription once, when it starts.
        const wait = await limits.take(viewer, authorizationOf(ctx.connectionParams));
        if (wait !== null) return [withoutHttpStatus(rateLimited(wait))];
        // The context factory reads the same Authorization header an HTTP request would carry. As a
        // POST: yoga refuses mutations in GET requests, and graphql-ws carries mutations too (the
        // token rides in connection_init, never in a cookie, so no other site can send one for a user).
        const request = new Request(`http://${ctx.extra.request.headers.host ?? 'localhost'}${GRAPHQL_PATH}`, {
          method: 'POST',
          headers: { authorization: authorizationOf(ctx.connectionParams) ?? '' },
        });
        let document: DocumentNode;
        let params: typeof payload;
        try {
          // The text an id names (graphql-ws carries "" beside it), or the raw text the mode allows.
          const { query } = await documents.resolve(request, payload as OperationParams, viewer);
          params = { ...payload, query };
        } catch (error) {
          return [withoutHttpStatus(error as GraphQLError)];
        }
        const { schema, execute, subscribe, contextFactory, parse, validate } = yoga.getEnveloped({ ...ctx, request, params });
        try {
          // Parsing applies the token limit, which refuses a document by throwing.
          document = parse(params.query);
        } catch (error) {
          return [withoutHttpStatus(error as GraphQLError)];
        }
        log?.parsed(ctx.extra.socket, id, params.query, document);
        const args: EnvelopedArgs = {
          schema,
          operationName: params.operationName,
          document,
          variableValues: params.variables,
          contextValue: await contextFactory(),
          rootValue: { execute, subscribe },
        };
        const errors = validate(args.schema, args.document);
        return errors.length > 0 ? errors.map(withoutHttpStatus) : args;
      },
    },
    wsServer,
  );
  return {
    async dispose() {
      await disposable.dispose();
      await new Promise<void>((resolve) => wsServer.close(() => resolve()));
    },
  };
}

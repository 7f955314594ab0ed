import type { Plugin } from 'graphql-yoga';
import { documentHash } from '../documents/document-ids.js';
import { entityTag, matchesAny } from '../http/etag.js';
import { errorResponse, fromGraphQLError, RestError, type GraphQLErrorLike } from './errors.js';
import { readInput } from './request-input.js';
import { pathPattern, type Route, type RouteInput } from './route.js';

export const REST_PREFIX = '/api/autocall/';

/**
 * The REST document's paths, each answered by its route's saved GraphQL operation: the request
 * becomes a POST of that operation to the GraphQL endpoint, which the gateway then handles as any
 * other (authentication, rate limits, the response cache, query limits, tenant scoping), and its
 * answer is translated back. Nothing but the shapes differs. (No CORS headers: the REST document's
 * clients call from their servers.)
 */
export function useRestRoutes(routes: readonly Route[], graphqlPath: string): Plugin {
  const matchers = routes.map((route) => ({ route, pattern: pathPattern(route.path) }));
  // Sent by id: the saved operations are trusted documents of the gateway's own (documents/built-ins.ts).
  const documentIds = new Map(routes.map((route) => [route, `sha256:${documentHash(route.document)}`]));
  return {
    async onRequest({ url, request, fetchAPI, endResponse, setRequest, requestHandler, setRequestHandler }) {
      if (!url.pathname.startsWith(REST_PREFIX)) return;
      const matches = matchers.flatMap(({ route, pattern }) => {
        const found = pattern.exec(url.pathname);
        return found ? [{ route, values: decodeAll(found.groups ?? {}) }] : [];
      });
      const match = matches.find(({ route }) => route.method === request.method);
      if (!match) {
        endResponse(
          matches.length === 0
            ? errorResponse(new RestError(404, 'NOT_FOUND', `No such path: ${url.pathname}`))
            : withHeaders(errorResponse(new RestError(405, 'METHOD_NOT_ALLOWED', `${request.method} is not allowed on ${url.pathname}`)), {
                allow: matches.map(({ route }) => route.method).join(', '),
              }),
        );
        return;
      }
      const { route } = match;
      let input: RouteInput<unknown, unknown, unknown>;
      try {
        input = await readInput(route, match.values, url, request);
      } catch (error) {
        if (!(error instanceof RestError)) throw error;
        endResponse(errorResponse(error));
        return;
      }
      const authorization = request.headers.get('authorization');
      // The server's own Request class: a few µs, where the global one takes tens.
      setRequest(
        new fetchAPI.Request(new URL(graphqlPath, url), {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/json', ...(authorization ? { authorization } : {}) },
          body: JSON.stringify({ documentId: documentIds.get(route), variables: route.variables(input) }),
          signal: request.signal,
        }),
      );
      setRequestHandler(async (graphqlRequest, serverContext) => {
        const response = await requestHandler(graphqlRequest, serverContext);
        let rest: Response;
        try {
          rest = await answer(route, input, request, response);
        } catch (error) {
          if (!(error instanceof RestError)) throw error;
          rest = errorResponse(error);
        }
        // The operation's cost and budget (X-Cost-*), as a GraphQL answer has them in extensions.cost.
        for (const [name, value] of response.headers) if (name.startsWith('x-cost-')) rest.headers.set(name, value);
        return rest;
      });
    },
  };

  async function answer(route: Route, input: RouteInput<unknown, unknown, unknown>, request: Request, response: Response): Promise<Response> {
    const result = (await response.json()) as { data?: unknown; errors?: GraphQLErrorLike[] };
    if (result.errors?.length) throw fromGraphQLError(result.errors[0]!, response.status, route);
    const data = route.answer(result.data, input);
    if (data === null) {
      const { parameter, message } = route.notFound?.(input) ?? campaignNotFound(input);
      throw new RestError(404, 'NOT_FOUND', message, parameter);
    }
    const body = JSON.stringify({ data });
    if (route.method !== 'GET') {
      const location = route.location?.(data, input);
      return new Response(body, {
        status: route.status,
        headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...(location ? { location } : {}) },
      });
    }
    const tag = entityTag(data, route.volatile);
    const headers = { etag: tag, 'cache-control': 'private, no-cache' };
    // Checked after the operation ran: only a caller who may read the answer learns it is unchanged.
    if (matchesAny(request.headers.get('if-none-match'), tag)) return new Response(null, { status: 304, headers });
    return new Response(body, { status: route.status, headers: { ...headers, 'content-type': 'application/json; charset=utf-8' } });
  }
}

const campaignNotFound = ({ path }: RouteInput<unknown, unknown, unknown>) => ({
  parameter: 'id',
  message: `Campaign "${(path as { id: string }).id}" not found`,
});

function decodeAll(values: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).map(([name, value]) => [name, safeDecode(value)]));
}

/** A segment with a broken %-escape is kept as sent: the route's schema then refuses it by name. */
function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

function withHeaders(response: Response, headers: Record<string, string>): Response {
  for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
  return response;
}

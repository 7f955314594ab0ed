import type { z } from 'zod';

/** What a REST request carries once its path, query string and body are parsed. */
export interface RouteInput<P, Q, B> {
  path: P;
  query: Q;
  body: B;
}

/**
 * One path of the REST document: the saved GraphQL operation that answers it, how the request's
 * parameters become the operation's variables, and how the operation's data becomes the document's
 * `data`. The zod schemas parse requests and are also what the OpenAPI document is generated from.
 */
export interface Route<P = any, Q = any, B = any, D = any> {
  operationId: string;
  method: 'GET' | 'POST';
  /** OpenAPI's template, e.g. /api/autocall/campaigns/{id}/reports/kpis. */
  path: string;
  summary: string;
  description: string;
  /** The GraphQL field the route reads, for the docs, e.g. Campaign.kpis. */
  graphqlField: string;
  /** Needs autocall_export_report besides autocall_api_access. */
  exportPermission?: boolean;
  params: { path: z.ZodType<P>; query: z.ZodType<Q> };
  body?: z.ZodType<B>;
  /** 200, or 202 for a request that starts work. */
  status: 200 | 202;
  /** The answer's `data`. */
  data: z.ZodType<D>;
  /** A saved GraphQL operation; aliases give its fields the document's snake_case names. */
  document: string;
  variables(input: RouteInput<P, Q, B>): Record<string, unknown>;
  /** The document's `data` from the operation's; null when the campaign or job is not the caller's. */
  answer(data: any, input: RouteInput<P, Q, B>): D | null;
  /** Which REST parameter a GraphQL argument or variable of the operation stands for, where the snake_case name is not it. */
  parameterNames?: Record<string, string>;
  /** What a null answer says; default: the path's campaign was not found. */
  notFound?: (input: RouteInput<P, Q, B>) => { parameter: string; message: string };
  /** Where the resource a 202 started can be read. */
  location?: (data: D, input: RouteInput<P, Q, B>) => string;
  /** Fields left out of the ETag: they change on every request while the numbers stay the same. */
  volatile?: string[];
}

/** Keeps each route's parameter, body and data types checked against its own functions. */
export const defineRoute = <P, Q, B, D>(route: Route<P, Q, B, D>): Route<P, Q, B, D> => route;

/** A matcher for the route's template: {name} is one path segment. */
export function pathPattern(template: string): RegExp {
  const source = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{(\w+)\}/g, '(?<$1>[^/]+)');
  return new RegExp(`^${source}$`);
}

import type { Route } from './route.js';

/** A REST error: an HTTP status and `{"error": {"code", "message", "parameter"?}}`. */
export class RestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly parameter?: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** The HTTP status of each `extensions.code` the GraphQL side answers with. */
const STATUS_BY_CODE: Record<string, number> = {
  BAD_USER_INPUT: 400,
  QUERY_TOO_COMPLEX: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  UNSUPPORTED_CONTENT_TYPE: 415,
  RATE_LIMITED: 429,
  OVERLOADED: 503,
  QUERY_TIMEOUT: 504,
};

export const badParameter = (parameter: string, message: string) =>
  new RestError(400, 'BAD_USER_INPUT', `Parameter "${parameter}" ${message}`, parameter);

export interface GraphQLErrorLike {
  message: string;
  extensions?: { code?: string; argumentName?: string; retryAfterSeconds?: number };
}

/**
 * The REST form of the first error of a GraphQL answer. A message about an argument or variable of
 * the operation (`Argument "campaignIds" …`, `Variable "$from" got …`) is about the parameter that
 * carried it, and says so by the parameter's name.
 */
export function fromGraphQLError(error: GraphQLErrorLike, httpStatus: number, route: Route): RestError {
  const code = error.extensions?.code ?? (httpStatus >= 400 && httpStatus < 500 ? 'BAD_USER_INPUT' : 'INTERNAL_SERVER_ERROR');
  const status = STATUS_BY_CODE[code] ?? (code === 'INTERNAL_SERVER_ERROR' ? 500 : httpStatus >= 400 ? httpStatus : 500);
  const named = /^(?:Argument "(\w+)"|Variable "\$(\w+)")/.exec(error.message);
  const graphqlName = error.extensions?.argumentName ?? named?.[1] ?? named?.[2];
  const parameter = graphqlName === undefined ? undefined : (route.parameterNames?.[graphqlName] ?? snakeCase(graphqlName));
  const message = named && parameter ? `Parameter "${parameter}"${error.message.slice(named[0].length)}` : error.message;
  const retryAfter = error.extensions?.retryAfterSeconds;
  return new RestError(status, code, message, parameter, retryAfter === undefined ? {} : { 'retry-after': String(retryAfter) });
}

const snakeCase = (name: string) => name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);

export function errorResponse(error: RestError): Response {
  const body = { error: { code: error.code, message: error.message, ...(error.parameter ? { parameter: error.parameter } : {}) } };
  const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...error.headers };
  if (error.status === 401) headers['www-authenticate'] = 'Bearer';
  return new Response(JSON.stringify(body), { status: error.status, headers });
}

import { createGraphQLError } from 'graphql-yoga';

/** The closed set of error codes this API returns in `extensions.code`. */
export type ErrorCode = 'UNAUTHENTICATED' | 'FORBIDDEN' | 'NOT_FOUND' | 'BAD_USER_INPUT' | 'QUERY_TOO_COMPLEX' | 'QUERY_TIMEOUT' | 'RATE_LIMITED' | 'OVERLOADED';

export function apiError(code: ErrorCode, message: string, extensions: Record<string, unknown> = {}) {
  return createGraphQLError(message, { extensions: { code, ...extensions } });
}

export function badUserInput(argumentName: string, message: string) {
  return apiError('BAD_USER_INPUT', `Argument "${argumentName}" ${message}`, { argumentName });
}

export function unauthenticated(message: string) {
  return apiError('UNAUTHENTICATED', message, { http: { status: 401 } });
}

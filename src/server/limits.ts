import { costLimitPlugin } from '@escape.tech/graphql-armor-cost-limit';
import { maxAliasesPlugin } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthPlugin } from '@escape.tech/graphql-armor-max-depth';
import { maxTokensPlugin } from '@escape.tech/graphql-armor-max-tokens';
import { GraphQLError } from 'graphql';
import { createGraphQLError, type FetchAPI, type Plugin } from 'graphql-yoga';
import { apiError } from '../errors.js';

/**
 * What one operation may ask for, checked before it runs (graphql-armor) and while it runs (the
 * deadline). Tuned so that every README query and GraphiQL's introspection pass with room to spare:
 * the README's queries have at most 42 tokens, depth 5 and cost 532.
 */
export interface QueryLimits {
  maxTokens: number;
  maxDepth: number;
  maxAliases: number;
  maxCost: number;
  executionMs: number;
}

export const QUERY_LIMITS: QueryLimits = {
  /** Lexical tokens of the document: bounds parsing work and document size. */
  maxTokens: 2_000,
  /** Nesting of selections. */
  maxDepth: 10,
  /** Aliased fields: the cheap way to ask for one expensive report hundreds of times. */
  maxAliases: 20,
  /** graphql-armor's static cost: objects 2, scalars 1, ×1.5 per level, × a literal `first`. */
  maxCost: 20_000,
  /** Wall time of one query or mutation; past it the answer is an error and the work stops. */
  executionMs: 10_000,
};

const LIMITS_BY_ARMOR_NAME: Record<string, [name: keyof QueryLimits, measure: string]> = {
  Token: ['maxTokens', 'token count'],
  'Query depth': ['maxDepth', 'depth'],
  Aliases: ['maxAliases', 'alias count'],
  'Query Cost': ['maxCost', 'estimated cost'],
};
const ARMOR_MESSAGE = /^Syntax Error: (Token|Query depth|Aliases|Query Cost) limit of (\d+) exceeded(?:, found ([\d.]+))?\.?$/;

/** graphql-armor says "Syntax Error: Aliases limit of 20 exceeded, found 500."; we name the limit and give a code. */
function relabel(error: unknown): unknown {
  const match = error instanceof GraphQLError ? ARMOR_MESSAGE.exec(error.message) : null;
  if (!match) return error;
  const [name, measure] = LIMITS_BY_ARMOR_NAME[match[1]!]!;
  const maximum = Number(match[2]);
  const found = match[3] === undefined ? undefined : Math.ceil(Number(match[3]));
  const message =
    found === undefined
      ? `Query refused: its ${measure} exceeds the limit of ${maximum} (${name})`
      : `Query refused: its ${measure} is ${found}, the limit is ${maximum} (${name})`;
  return apiError('QUERY_TOO_COMPLEX', message, { limit: name, maximum, ...(found === undefined ? {} : { found }) });
}

/** armor's checks throw from the parser and the validation rules; their errors get a code here. */
function useLimitErrors(): Plugin {
  return {
    onParse({ parseFn, setParseFn }) {
      setParseFn((...args) => {
        try {
          return parseFn(...args);
        } catch (error) {
          throw relabel(error);
        }
      });
    },
    onValidate({ validateFn, setValidationFn }) {
      setValidationFn((...args) => {
        try {
          return validateFn(...args);
        } catch (error) {
          return [relabel(error) as GraphQLError];
        }
      });
    },
  };
}

/**
 * Ends a query or mutation that runs past the deadline, or whose client went away: the executor
 * stops resolving further fields and the answer is a QUERY_TIMEOUT error. Subscriptions are
 * long-lived by design and have no deadline.
 */
function useExecutionDeadline(ms: number): Plugin {
  return {
    onExecute({ args }) {
      const deadline = new AbortController();
      const timer = setTimeout(
        () => deadline.abort(apiError('QUERY_TIMEOUT', `Query stopped: it ran longer than the ${ms / 1000} s limit`, { limit: 'executionMs', maximum: ms })),
        ms,
      );
      // The client's going away ends it too. A listener rather than AbortSignal.any, which makes
      // two more native signals a request (the server's own is a light one until something combines it).
      const client = (args.contextValue as { request?: Request }).request?.signal;
      const clientGone = () => deadline.abort(client!.reason);
      if (client?.aborted) clientGone();
      else client?.addEventListener('abort', clientGone, { once: true });
      (args as { signal?: AbortSignal }).signal = deadline.signal;
      return {
        onExecuteDone: () => {
          clearTimeout(timer);
          client?.removeEventListener('abort', clientGone);
        },
      };
    },
  };
}

/** The most a GraphQL request's body may hold: yoga's own default. */
const MAX_REQUEST_BODY_BYTES = 25_000_000;

const bodyTooLarge = () => createGraphQLError('Request body too large', { extensions: { http: { status: 413 }, code: 'REQUEST_ENTITY_TOO_LARGE' } });

/**
 * Refuses a GraphQL request body over `maxBytes` with 413, in place of yoga's maxRequestBodySize
 * (turned off in buildYoga), which pipes every body through a counting stream: a Node pipeline a
 * request, a tenth of the CPU a `{ __typename }` took here. A body that says its Content-Length
 * cannot be longer (HTTP/1.1 frames it so): that number is checked; only a body without one
 * (chunked) is counted as it is read.
 */
function useRequestBodyLimit(maxBytes = MAX_REQUEST_BODY_BYTES): Plugin {
  return {
    onRequestParse({ request, requestParser, setRequestParser, fetchAPI }) {
      const length = request.headers.get('content-length');
      if (length !== null) {
        if (!/^\d+$/.test(length)) throw createGraphQLError('Content-Length header is invalid.', { extensions: { http: { status: 400 }, code: 'BAD_REQUEST' } });
        if (Number(length) > maxBytes) throw bodyTooLarge();
        return;
      }
      if (!requestParser || !request.body) return;
      setRequestParser((unread) => requestParser(withCountedBody(unread, maxBytes, fetchAPI)));
    },
  };
}

/**
 * The request with its body errored once more than `maxBytes` have been read. The server's requests
 * are the fetch ponyfill's, whose streams do not mix with Node's own (as yoga does, graphql-yoga#4583).
 */
function withCountedBody(request: Request, maxBytes: number, fetchAPI: FetchAPI): Request {
  let read = 0;
  const Transform = request.body instanceof ReadableStream ? TransformStream : fetchAPI.TransformStream;
  const counted = request.body!.pipeThrough(
    new Transform<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        read += chunk.byteLength;
        if (read > maxBytes) controller.error(bodyTooLarge());
        else controller.enqueue(chunk);
      },
    }),
  );
  return new fetchAPI.Request(request.url, { method: request.method, headers: request.headers, signal: request.signal, body: counted, duplex: 'half' } as RequestInit);
}

export function useQueryLimits(limits: QueryLimits): Plugin[] {
  return [
    useRequestBodyLimit(),
    maxTokensPlugin({ n: limits.maxTokens }),
    maxDepthPlugin({ n: limits.maxDepth, flattenFragments: true }),
    maxAliasesPlugin({ n: limits.maxAliases }),
    costLimitPlugin({ maxCost: limits.maxCost }),
    useLimitErrors(),
    useExecutionDeadline(limits.executionMs),
  ];
}

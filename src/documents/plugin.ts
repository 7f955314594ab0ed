import { getOperationAST, type DocumentNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Viewer } from '../auth/tokens.js';
import { entityTag, matchesAny } from '../http/etag.js';
import type { Logger } from '../logging/logger.js';
import type { Metrics } from '../metrics/registry.js';
import { documentHash } from './document-ids.js';
import type { OperationParams, ResolvedOperation, TrustedDocuments } from './trusted-documents.js';

/** Distinct operation names the audit counts by; later ones are counted as "other". */
const MOST_AUDITED_NAMES = 100;

/** A browser or private cache may reuse an answer to a GET by id this long at most (and no longer than the response cache would). */
const MOST_GET_MAX_AGE_SECONDS = 10;

export interface DocumentRulesOptions {
  metrics?: Metrics;
  /** Where audit mode writes each unknown operation (once per text and process). */
  logger?: Logger;
}

/**
 * The trusted-documents rule for every transport: `resolve` turns a request's parameters into the
 * text to run (or the error to answer), counting where it came from; the yoga plugin applies it to
 * HTTP and SSE requests, and the graphql-ws server calls `resolve` itself. In audit mode, operations
 * that are no published document are counted by name (once validated) and logged.
 */
export function documentRules(trusted: TrustedDocuments, { metrics, logger }: DocumentRulesOptions = {}) {
  /** Requests that run text no manifest holds, with the text's hash. */
  const unknown = new WeakMap<Request, string>();
  const auditedNames = new Set<string>();
  const logged = new Set<string>();

  async function resolve(request: Request, params: OperationParams, viewer: Viewer | undefined): Promise<ResolvedOperation> {
    let resolved: ResolvedOperation;
    try {
      resolved = await trusted.resolve(params, viewer);
    } catch (error) {
      metrics?.documents.resolved.inc({ source: 'refused' });
      throw error;
    }
    metrics?.documents.resolved.inc({ source: resolved.source });
    if (resolved.source === 'raw_unknown') unknown.set(request, documentHash(resolved.query));
    return resolved;
  }

  /** Counts and logs an operation that runs from raw text no manifest holds (audit mode). */
  function audit({ args }: { args: { document: DocumentNode; operationName?: string | null; contextValue: unknown } }) {
    const { request, viewer } = args.contextValue as { request?: Request; viewer?: Viewer };
    const hash = request && unknown.get(request);
    if (hash === undefined) return;
    const name = getOperationAST(args.document, args.operationName)?.name?.value ?? 'anonymous';
    const tenant = viewer?.tenantId;
    if (auditedNames.size < MOST_AUDITED_NAMES) auditedNames.add(name);
    metrics?.documents.untrusted.inc({ operationName: auditedNames.has(name) ? name : 'other' });
    if (logged.has(hash) || !logger) return;
    logged.add(hash);
    logger.warn({ operation: name, operation_hash: hash.slice(0, 16), tenant }, 'an operation that no published manifest holds ran from its text (PERSISTED_DOCUMENTS=audit)');
  }

  /**
   * HTTP and SSE: the document named by `documentId` (POST body or GET query string) or
   * `extensions.persistedQuery.sha256Hash` becomes the request's text before yoga parses it. A
   * query by id over GET is cacheable: an ETag of its data, `Cache-Control: private, max-age=…`
   * (within the response cache's time), 304 on If-None-Match, and its canonical URL in
   * Content-Location.
   */
  function plugin(viewerOf: (request: Request) => Promise<Viewer>, responseCacheSeconds: number): Plugin {
    const cacheable = new WeakSet<Request>();
    const maxAge = Math.min(MOST_GET_MAX_AGE_SECONDS, responseCacheSeconds);
    return {
      async onParams({ request, params, setParams }) {
        const byGet = request.method === 'GET' ? new URL(request.url).searchParams.get('documentId') ?? undefined : undefined;
        const documentId = byGet ?? (params as { documentId?: unknown }).documentId;
        // The same rejection as authentication's own hook, when the token is bad.
        const viewer = await viewerOf(request);
        const { query } = await resolve(request, { query: params.query, documentId, extensions: params.extensions }, viewer);
        // A request with neither text nor id keeps its missing query, for yoga's own "Must provide query string".
        setParams({ query: query || params.query, operationName: params.operationName, variables: params.variables, extensions: params.extensions });
        if (byGet !== undefined) cacheable.add(request);
      },
      // After validation, on both transports (graphql-ws runs operations through the same envelop).
      onExecute: audit,
      onSubscribe: audit,
      async onResponse({ request, response, setResponse }) {
        if (!cacheable.has(request) || response.status !== 200 || !response.headers.get('content-type')?.includes('json')) return;
        const body = await response.text();
        const result = JSON.parse(body) as { data?: unknown; errors?: unknown[] };
        const headers = new Headers(response.headers);
        if (result.errors?.length) {
          headers.set('cache-control', 'no-store');
          setResponse(new Response(body, { status: 200, headers }));
          return;
        }
        // The data alone: extensions (the operation's cost, a cache hit) differ between equal answers.
        const cacheHeaders = {
          etag: entityTag(result.data),
          'cache-control': maxAge > 0 ? `private, max-age=${maxAge}` : 'private, no-cache',
          vary: 'Authorization',
          'content-location': canonicalUrl(new URL(request.url)),
        };
        for (const [name, value] of Object.entries(cacheHeaders)) headers.set(name, value);
        const unchanged = matchesAny(request.headers.get('if-none-match'), cacheHeaders.etag);
        setResponse(unchanged ? new Response(null, { status: 304, headers: cacheHeaders }) : new Response(body, { status: 200, headers }));
      },
    };
  }

  return { resolve, plugin };
}

export type DocumentRules = ReturnType<typeof documentRules>;

/** The one URL of a GET by id: its parameters in a fixed order, the variables' keys sorted, so equal requests share a cache entry. */
function canonicalUrl(url: URL): string {
  const given = url.searchParams;
  const canonical = new URLSearchParams();
  canonical.set('documentId', `sha256:${given.get('documentId')!.replace(/^sha256:/, '').toLowerCase()}`);
  if (given.get('operationName')) canonical.set('operationName', given.get('operationName')!);
  const variables = given.get('variables');
  if (variables) canonical.set('variables', JSON.stringify(sortKeys(JSON.parse(variables))));
  return `${url.pathname}?${canonical}`;
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([key, each]) => [key, sortKeys(each)]));
}

import { createGraphQLError } from 'graphql-yoga';
import { PERMISSIONS, type Viewer } from '../auth/tokens.js';
import type { TrustedDocumentsConfig } from '../config.js';
import type { ApqStore } from './apq-store.js';
import { documentHash, hashOfDocumentId } from './document-ids.js';
import type { ManifestEntry, Manifests } from './manifests.js';

/** What a request (HTTP or a graphql-ws subscribe message) carries to name its operation. */
export interface OperationParams {
  query?: string | null;
  documentId?: unknown;
  extensions?: Record<string, unknown> | null;
}

/**
 * Where an operation's text came from: a trusted document named by its id, a text registered by
 * automatic persisted queries, or raw text in the request (`raw_unknown`, in audit mode: text that is
 * no published document).
 */
export type DocumentSource = 'persisted' | 'apq' | 'raw' | 'raw_unknown';

export interface ResolvedOperation {
  query: string;
  source: DocumentSource;
}

/** How long a lookup's answer (found or not) is reused before the database is asked again. */
export const DEFAULT_LOOKUP_CACHE_MS = 5_000;

/** Lookups whose answers are kept at once, found or not. */
const MOST_LOOKUPS_KEPT = 10_000;

// The messages and codes Apollo Client's persisted query link and urql's persisted exchange act on.
const error = (message: string, code: string, status: number, extensions: Record<string, unknown> = {}) =>
  createGraphQLError(message, { extensions: { code, http: { status }, ...extensions } });
const notFound = (hash: string) => error('PersistedQueryNotFound', 'PERSISTED_QUERY_NOT_FOUND', 200, { documentId: `sha256:${hash}` });
const notSupported = () => error('PersistedQueryNotSupported', 'PERSISTED_QUERY_NOT_SUPPORTED', 200);
const persistedOnly = () =>
  error(
    'PersistedQueryOnly: this gateway runs trusted documents only; send the documentId of a published document (npm run documents), not query text',
    'PERSISTED_QUERY_ONLY',
    400,
  );
const hashMismatch = () => error('provided sha does not match query', 'PERSISTED_QUERY_HASH_MISMATCH', 400);

export interface TrustedDocumentsOptions extends TrustedDocumentsConfig {
  manifests: Manifests;
  /** Documents of the gateway's own (the REST routes' and the dashboard's): always trusted. */
  builtIns: readonly ManifestEntry[];
  apqStore: ApqStore;
  lookupCacheMs?: number;
}

/**
 * The rule every transport applies before it parses an operation (see documents/plugin.ts for HTTP
 * and SSE, server/websocket.ts for graphql-ws), by PERSISTED_DOCUMENTS:
 * - `off`: raw text only; an id gets PersistedQueryNotSupported (Apollo Client then stops sending them);
 * - `audit` and `allow`: ids of published documents and raw text both run (audit tells raw text that
 *   is no published document apart, for the counts and the log);
 * - `require`: ids only; raw text is refused with PERSISTED_QUERY_ONLY, unless the token carries
 *   autocall_explore (GraphiQL, for the developers of the apps).
 * With PERSISTED_DOCUMENTS_APQ=1 a client may also register a text under its hash and send the hash
 * alone afterwards (Apollo's automatic persisted queries), except in `require` mode, where a
 * registration would let any text in.
 */
export class TrustedDocuments {
  readonly mode: TrustedDocumentsConfig['mode'];
  readonly #options: TrustedDocumentsOptions;
  readonly #builtIns: Map<string, string>;
  readonly #looked = new Map<string, { text: string | undefined; until: number }>();

  constructor(options: TrustedDocumentsOptions) {
    this.mode = options.mode;
    this.#options = options;
    this.#builtIns = new Map(options.builtIns.map(({ hash, body }) => [hash, body]));
  }

  /** The operation's text and where it came from; throws the error the client should get. */
  async resolve(params: OperationParams, viewer: Viewer | undefined): Promise<ResolvedOperation> {
    const text = params.query || undefined; // graphql-ws carries "" with an id
    const { documentId } = params;
    if (documentId != null && typeof documentId !== 'string') throw error('documentId must be a string: sha256:<64 hex digits>', 'PERSISTED_QUERY_ID_INVALID', 400, { argumentName: 'documentId' });
    const persistedQuery = params.extensions?.persistedQuery as { sha256Hash?: unknown } | undefined;
    const apqHash = typeof persistedQuery?.sha256Hash === 'string' ? hashOfDocumentId(persistedQuery.sha256Hash, 'extensions.persistedQuery.sha256Hash') : undefined;
    const id = typeof documentId === 'string' ? hashOfDocumentId(documentId, 'documentId') : apqHash;
    const { mode, apq } = this.#options;
    // Never in require mode: a registration would let any text in (an explorer's text runs unregistered).
    const mayRegister = apq && apqHash !== undefined && mode !== 'require';

    if (mode === 'off') {
      if (text === undefined && id !== undefined) throw notSupported();
      return { query: text ?? '', source: 'raw' };
    }
    if (id === undefined) {
      if (!this.#mayRunRawText(viewer)) throw persistedOnly();
      // Only audit tells raw text apart: allow never pays for the lookup.
      const known = mode === 'audit' && text !== undefined && (await this.#trusted(documentHash(text))) !== undefined;
      return { query: text ?? '', source: mode === 'audit' && !known ? 'raw_unknown' : 'raw' };
    }
    const trusted = await this.#trusted(id);
    if (text !== undefined) {
      if (documentHash(text) !== id) throw hashMismatch();
      if (trusted !== undefined) return { query: trusted, source: 'persisted' };
      if (!this.#mayRunRawText(viewer)) throw persistedOnly();
      if (mayRegister) await this.#options.apqStore.set(id, text);
      return { query: text, source: mode === 'audit' ? 'raw_unknown' : 'raw' };
    }
    if (trusted !== undefined) return { query: trusted, source: 'persisted' };
    const registered = mayRegister ? await this.#options.apqStore.get(id) : undefined;
    if (registered !== undefined) return { query: registered, source: 'apq' };
    throw notFound(id);
  }

  #mayRunRawText(viewer: Viewer | undefined) {
    return this.mode !== 'require' || viewer?.permissions.has(PERMISSIONS.explore) === true;
  }

  async #trusted(hash: string): Promise<string | undefined> {
    const builtIn = this.#builtIns.get(hash);
    if (builtIn !== undefined) return builtIn;
    const now = Date.now();
    const cached = this.#looked.get(hash);
    if (cached && cached.until > now) return cached.text;
    const text = await this.#options.manifests.trusted(hash);
    const lookupCacheMs = this.#options.lookupCacheMs ?? DEFAULT_LOOKUP_CACHE_MS;
    if (lookupCacheMs > 0) {
      // Ids anyone may send: the answers kept stay bounded, however many unknown ones arrive.
      if (this.#looked.size >= MOST_LOOKUPS_KEPT) this.#looked.clear();
      this.#looked.set(hash, { text, until: now + lookupCacheMs });
    }
    return text;
  }
}

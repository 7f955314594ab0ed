import type { Context } from '@opentelemetry/api';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Plugin } from 'graphql-yoga';
import type { Database } from '../db/client.js';
import { importNdjson, type ImportSummary, type Rejection } from '../import/importer.js';
import { readLines } from '../import/lines.js';
import { authenticate, PERMISSIONS, type Viewer } from '../auth/tokens.js';
import { errorField, logger } from '../logging/logger.js';
import { requestTrace } from '../tracing/tracing.js';

export const INGEST_PATH = '/ingest';

/** How many rejected lines an answer lists (to an ingest token); rejectedCount covers them all. */
const LISTED_REJECTIONS = 1_000;

export interface IngestOptions {
  db: Database;
  jwtKey: Uint8Array;
  /** A body larger than this is refused (413): at once when Content-Length says so, else where it crosses it. */
  maxBytes: number;
  /** Told after each committed batch which campaigns it changed (see importNdjson). */
  onCommitted: (campaignIds: number[], campaignRecords: boolean) => void | Promise<void>;
  /** Told what each ingest stored and rejected (metrics). */
  onIngested?: (summary: ImportSummary) => void;
}

/** What answering an ingest needs of its request, whether a Fetch Request or Node's own. */
export interface IngestRequest {
  method: string;
  header(name: string): string | null | undefined;
  body: AsyncIterable<Uint8Array> | null;
  /** The request's trace context (see requestTrace): its transactions' spans hang under it. */
  trace: Context;
}

export interface IngestResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export type IngestHandler = (request: IngestRequest) => Promise<IngestResponse>;

/**
 * POST /ingest: NDJSON in the import format, streamed through the importer a batch at a time (a
 * body is never held in memory). A token with autocall_ingest writes only its own tenant.
 */
export function ingestHandler({ db, jwtKey, maxBytes, onCommitted, onIngested }: IngestOptions): IngestHandler {
  return async function ingest(request) {
    if (request.method !== 'POST') return answer(405, { error: 'POST NDJSON to /ingest' }, { allow: 'POST' });
    let viewer: Viewer;
    try {
      viewer = await authenticate(request.header('authorization') ?? null, jwtKey);
    } catch (error) {
      return answer(401, { error: (error as Error).message });
    }
    const anyTenant = viewer.permissions.has(PERMISSIONS.importAnyTenant);
    if (!anyTenant && !viewer.permissions.has(PERMISSIONS.ingest)) {
      return answer(403, { error: `The token lacks the permission ${PERMISSIONS.ingest}` });
    }
    const type = request.header('content-type')?.split(';')[0]?.trim().toLowerCase();
    if (type !== 'application/x-ndjson') {
      return answer(415, { error: 'Send the body as Content-Type: application/x-ndjson (one JSON record per line)' });
    }
    const declared = Number(request.header('content-length') ?? NaN);
    if (declared > maxBytes) return answer(413, { error: tooLarge(maxBytes) });

    let bytes = 0;
    let cut = false;
    const rejected: Rejection[] = [];
    const summary = await importNdjson(db, readLines(upTo(request.body), (n) => (bytes += n)), {
      tenantId: anyTenant ? undefined : viewer.tenantId,
      // The import command (any tenant) prints every rejected line; others get the first ones.
      onRejected: (rejection) => (anyTenant || rejected.length < LISTED_REJECTIONS) && rejected.push(rejection),
      onCommitted,
      trace: request.trace,
    });
    onIngested?.(summary);
    const body = answerBody(summary, rejected);
    if (cut) return answer(413, { ...body, error: `${tooLarge(maxBytes)}; the lines before that point were taken` });
    return answer(rejected.length > 0 ? 422 : 200, body);

    /** The body's chunks until they would pass maxBytes; the rest is read and dropped, so the client gets the answer. */
    async function* upTo(stream: AsyncIterable<Uint8Array> | null) {
      if (!stream) return;
      for await (const chunk of stream) {
        if (cut || bytes + chunk.byteLength > maxBytes) {
          cut = true;
          continue;
        }
        yield Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      }
    }
  };
}

/** The gateway's route to `ingest` for the requests the direct one leaves to it (see directIngest). */
export function useIngest(ingest: IngestHandler): Plugin {
  return {
    async onRequest({ url, request, serverContext, endResponse }) {
      if (url.pathname !== INGEST_PATH) return;
      const { status, headers, body } = await ingest({
        method: request.method,
        header: (name) => request.headers.get(name),
        body: request.body as AsyncIterable<Uint8Array> | null,
        trace: requestTrace((serverContext as { req?: object } | undefined)?.req),
      });
      endResponse(new Response(body, { status, headers }));
    },
  };
}

/**
 * A dialer posts a call a request as its calls end, thousands a second, and the Fetch API's request
 * and response that the GraphQL server makes of each cost about 80 µs of the gateway's CPU (an echo
 * handler answers 6,500-9,600 requests/s inside graphql-yoga, 18,800-24,200 on Node's own). So a
 * POST /ingest without an Origin (a server's, not a page's, which needs the CORS headers of the
 * GraphQL server's pipeline) is answered from Node's own request; the handler returns false for
 * any other request.
 */
export function directIngest(ingest: IngestHandler) {
  return (request: IncomingMessage, response: ServerResponse): boolean => {
    if (request.method !== 'POST' || request.headers.origin !== undefined || request.url?.split('?')[0] !== INGEST_PATH) return false;
    ingest({ method: 'POST', header: (name) => headerValue(request.headers[name]), body: request, trace: requestTrace(request) }).then(
      ({ status, headers, body }) => response.writeHead(status, { ...headers, 'content-length': Buffer.byteLength(body) }).end(body),
      (error: unknown) => {
        logger.error({ error: errorField(error) }, 'POST /ingest failed');
        if (!response.headersSent) response.writeHead(500, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ error: 'Unexpected error.' }));
      },
    );
    return true;
  };
}

const headerValue = (value: string | string[] | undefined) => (Array.isArray(value) ? value.join(', ') : value);

/** What POST /ingest answers (JSON). */
export interface IngestAnswer {
  imported: ImportSummary['imported'];
  rejected: { line: number; type: Rejection['type'] | null; reason: string }[];
  rejectedCount?: number;
  error?: string;
}

const tooLarge = (maxBytes: number) => `The body is larger than ${maxBytes} bytes (INGEST_MAX_BYTES)`;

function answerBody(summary: ImportSummary, rejected: Rejection[]): IngestAnswer {
  const rejectedCount = Object.values(summary.rejected).reduce((sum, n) => sum + n, 0);
  return {
    imported: summary.imported,
    rejected: rejected.map(({ line, type, reason }) => ({ line, type: type ?? null, reason })),
    ...(rejectedCount > rejected.length ? { rejectedCount } : {}),
  };
}

function answer(status: number, body: object, headers: Record<string, string> = {}): IngestResponse {
  return { status, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) };
}

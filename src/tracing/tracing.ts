import type http from 'node:http';
import { context, INVALID_SPAN_CONTEXT, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Context, type Link, type Span } from '@opentelemetry/api';
import type { Plugin } from 'graphql-yoga';
import { getOperationAST, type DocumentNode } from 'graphql';
import { routeTemplate } from '../metrics/routes.js';

/** Every span of the gateway's own. With tracing off (no OTEL_* endpoint) it is OpenTelemetry's no-op tracer. */
export const tracer = trace.getTracer('autocall-reports-gateway');

/**
 * Starts tracing when the standard variables ask for it: an OTLP endpoint
 * (OTEL_EXPORTER_OTLP_ENDPOINT or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT), and not OTEL_SDK_DISABLED or
 * OTEL_TRACES_EXPORTER=none. The SDK reads the rest itself: OTEL_SERVICE_NAME, OTEL_TRACES_SAMPLER
 * and its argument, the exporter's headers and timeouts. Spans go out over OTLP/HTTP in batches;
 * W3C traceparent is read from requests; Prisma Client's operations get spans of their own
 * (@prisma/instrumentation, Prisma's official one). Returns the function that flushes and stops it (SIGTERM).
 */
export async function startTracing(env: NodeJS.ProcessEnv = process.env): Promise<(() => Promise<void>) | undefined> {
  const traces = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || (env.OTEL_EXPORTER_OTLP_ENDPOINT && `${env.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/+$/, '')}/v1/traces`);
  if (!traces || env.OTEL_SDK_DISABLED === 'true' || env.OTEL_TRACES_EXPORTER === 'none') return undefined;
  // Loaded only when tracing is on: a gateway without it never pays for the SDK.
  const [{ NodeTracerProvider }, { BatchSpanProcessor }, { OTLPTraceExporter }, { W3CTraceContextPropagator }, { defaultResource, resourceFromAttributes }, prisma] = await Promise.all([
    import('@opentelemetry/sdk-trace-node'),
    import('@opentelemetry/sdk-trace-base'),
    import('@opentelemetry/exporter-trace-otlp-http'),
    import('@opentelemetry/core'),
    import('@opentelemetry/resources'),
    import('@prisma/instrumentation'),
  ]);
  const provider = new NodeTracerProvider({
    resource: defaultResource().merge(resourceFromAttributes({ 'service.name': env.OTEL_SERVICE_NAME ?? 'autocall-reports-gateway' })),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: traces }))],
  });
  provider.register({ propagator: new W3CTraceContextPropagator() });
  // Prisma's own spans (prisma:client:operation and its db_query, the SQL with placeholders, never
  // the values) for the reads a resolver sends itself: a campaign, a page of them, a job.
  const stopPrismaSpans = prisma.registerInstrumentations({ tracerProvider: provider, instrumentations: [new prisma.PrismaInstrumentation()] });
  prismaSpansWhenSampled();
  return async () => {
    stopPrismaSpans();
    await provider.shutdown();
    trace.disable();
    propagation.disable();
    context.disable();
  };
}

/**
 * Prisma Client asks the helper @prisma/instrumentation installs (globalThis.PRISMA_INSTRUMENTATION)
 * whether tracing is on and to run each step in a span; it would make its spans for every query,
 * sampled or not. Answered per query instead: only inside a span that records.
 */
function prismaSpansWhenSampled() {
  const { helper } = ((globalThis as Record<string, unknown>).PRISMA_INSTRUMENTATION ?? {}) as { helper?: PrismaTracingHelper };
  if (!helper) return;
  const runInChildSpan = helper.runInChildSpan.bind(helper);
  helper.isEnabled = recording;
  helper.runInChildSpan = (options, callback) => {
    const parent = typeof options === 'object' && options.context ? trace.getSpan(options.context) : trace.getActiveSpan();
    return parent?.isRecording() ? runInChildSpan(options, callback) : callback();
  };
}

interface PrismaTracingHelper {
  isEnabled(): boolean;
  runInChildSpan(options: string | { context?: Context }, callback: (...args: unknown[]) => unknown): unknown;
}

/** The W3C trace context of the active span, to carry in a job (see ExportWorker). */
export function currentTraceContext(): Record<string, string> {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier;
}

/** A link to the span a carried trace context names; none when it names none. */
export function linkTo(carrier: Record<string, string> | undefined): Link[] {
  const span = carrier && trace.getSpanContext(propagation.extract(ROOT_CONTEXT, carrier));
  return span ? [{ context: span }] : [];
}

/** The trace id of the active span, for a metric's exemplar and a log line; undefined without one. */
export function activeTraceId(): string | undefined {
  const span = trace.getActiveSpan()?.spanContext();
  return span && trace.isSpanContextValid(span) && span.traceFlags & 1 ? span.traceId : undefined;
}

/**
 * Whether the active span records. A child of a span that does not (a request the sampler left out,
 * or tracing off) would be dropped: none is made, so an unsampled request pays for no span but its own.
 */
const recording = () => trace.getActiveSpan()?.isRecording() === true;

const NOT_RECORDING = trace.wrapSpanContext(INVALID_SPAN_CONTEXT);

/** Runs `work` in a span of its own, child of the active one (if that one records); the span records a thrown error. */
export async function inSpan<T>(name: string, attributes: Record<string, string | number | boolean>, work: (span: Span) => Promise<T>, links?: Link[]): Promise<T> {
  if (!recording()) return work(NOT_RECORDING);
  return tracer.startActiveSpan(name, { attributes, links }, async (span) => {
    try {
      return await work(span);
    } catch (error) {
      span.recordException(error as Error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
      throw error;
    } finally {
      span.end();
    }
  });
}

/**
 * A server span per HTTP request, continuing the caller's trace when it sent a W3C traceparent, named
 * by its route template; everything the request does runs in its context.
 */
export function traceRequests() {
  return (handler: http.RequestListener): http.RequestListener =>
    (request, response) => {
      const parent: Context = propagation.extract(ROOT_CONTEXT, request.headers);
      const route = routeTemplate((request.url ?? '/').split('?', 1)[0]!);
      const span = tracer.startSpan(`${request.method} ${route}`, { kind: SpanKind.SERVER, attributes: { 'http.request.method': request.method ?? '', 'http.route': route } }, parent);
      // A request the sampler left out runs outside any trace context: nothing of it is recorded, and
      // entering one (AsyncLocalStorage) would cost every one of its promises.
      if (!span.isRecording()) return handler(request, response);
      response.once('close', () => {
        span.setAttribute('http.response.status_code', response.statusCode);
        if (response.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
        span.end();
      });
      context.with(trace.setSpan(parent, span), () => handler(request, response));
    };
}

/**
 * Spans for the GraphQL phases (parse, validate, execute, subscribe), each a child of the request's;
 * execute carries the operation's name and type, never its text or variables.
 */
export function useGraphqlSpans(): Plugin {
  const phase = (name: string) => (_payload: unknown, wrapped: () => void) => {
    if (!recording()) return wrapped();
    const span = tracer.startSpan(name);
    try {
      context.with(trace.setSpan(context.active(), span), wrapped);
    } finally {
      span.end();
    }
  };
  const operation = (name: string) => (_payload: unknown, wrapped: () => Promise<void> | void) => (recording() ? inSpan(name, {}, async () => void (await wrapped())) : wrapped());
  // onExecute and onSubscribe run inside the wrapped phase, with its span active.
  const nameTheOperation = ({ args }: { args: { document: DocumentNode; operationName?: string | null } }) => {
    const ast = getOperationAST(args.document, args.operationName);
    trace.getActiveSpan()?.setAttributes({ 'graphql.operation.type': ast?.operation ?? 'unknown', 'graphql.operation.name': ast?.name?.value ?? 'anonymous' });
  };
  return {
    instrumentation: {
      parse: phase('graphql.parse'),
      validate: phase('graphql.validate'),
      execute: operation('graphql.execute'),
      subscribe: operation('graphql.subscribe'),
    },
    onExecute: nameTheOperation,
    onSubscribe: nameTheOperation,
  };
}

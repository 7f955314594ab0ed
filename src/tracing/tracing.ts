import type http from 'node:http';
import { INVALID_SPAN_CONTEXT, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Context, type Link, type Span } from '@opentelemetry/api';
import { routeTemplate } from '../metrics/routes.js';

/**
 * The gateway's spans, and how their trace context travels.
 *
 * No context manager is registered: on Node 20 the one OpenTelemetry offers (AsyncLocalStorage)
 * hooks every promise of the process once any span is active, whether its request is sampled or
 * not: at 10 % sampling that cost `{ __typename }` a quarter more CPU; the sampled requests' own
 * spans cost a few per cent.
 * So the context is handed on explicitly instead: an HTTP request's is kept beside the request
 * (requestTrace), a GraphQL operation's in its context (OperationTrace), and a job or an ingest
 * carries the one it came with. Every span here names its parent.
 */
export const tracer = trace.getTracer('autocall-reports-gateway');

/**
 * Starts tracing when the standard variables ask for it: an OTLP endpoint
 * (OTEL_EXPORTER_OTLP_ENDPOINT or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT), and not OTEL_SDK_DISABLED or
 * OTEL_TRACES_EXPORTER=none. The SDK reads the rest itself: OTEL_SERVICE_NAME, OTEL_TRACES_SAMPLER
 * and its argument, the exporter's headers and timeouts. Spans go out over OTLP/HTTP in batches;
 * W3C traceparent is read from requests. Returns the function that flushes and stops it (SIGTERM).
 */
export async function startTracing(env: NodeJS.ProcessEnv = process.env): Promise<(() => Promise<void>) | undefined> {
  const traces = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || (env.OTEL_EXPORTER_OTLP_ENDPOINT && `${env.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/+$/, '')}/v1/traces`);
  if (!traces || env.OTEL_SDK_DISABLED === 'true' || env.OTEL_TRACES_EXPORTER === 'none') return undefined;
  // Loaded only when tracing is on: a gateway without it never pays for the SDK.
  const [{ BasicTracerProvider, BatchSpanProcessor }, { OTLPTraceExporter }, { W3CTraceContextPropagator }, { defaultResource, resourceFromAttributes }] = await Promise.all([
    import('@opentelemetry/sdk-trace-base'),
    import('@opentelemetry/exporter-trace-otlp-http'),
    import('@opentelemetry/core'),
    import('@opentelemetry/resources'),
  ]);
  const provider = new BasicTracerProvider({
    resource: defaultResource().merge(resourceFromAttributes({ 'service.name': env.OTEL_SERVICE_NAME ?? 'autocall-reports-gateway' })),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: traces }))],
  });
  trace.setGlobalTracerProvider(provider);
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  return async () => {
    await provider.shutdown();
    trace.disable();
    propagation.disable();
  };
}

/** Whether a span made under `parent` would be recorded: not under a request the sampler left out, nor with tracing off. */
export const records = (parent: Context) => trace.getSpan(parent)?.isRecording() === true;

const NOT_RECORDING = trace.wrapSpanContext(INVALID_SPAN_CONTEXT);

export interface SpanOptions {
  /** The context the span is a child of; ROOT_CONTEXT starts nothing (a job's own trace uses `root`). */
  parent: Context;
  links?: Link[];
  /** A trace of its own, linked rather than parented (an export job). */
  root?: boolean;
}

/**
 * Runs `work` in a span of its own, child of `parent` (if that one records; else no span is made,
 * so an unsampled request pays for none); `work` gets the span's context to hand on to its own
 * children. The span records a thrown error.
 */
export async function inSpan<T>(name: string, attributes: Record<string, string | number | boolean>, work: (context: Context, span: Span) => Promise<T>, { parent, links, root }: SpanOptions): Promise<T> {
  if (!root && !records(parent)) return work(parent, NOT_RECORDING);
  const span = tracer.startSpan(name, { attributes, links, root }, parent);
  try {
    return await work(trace.setSpan(parent, span), span);
  } catch (error) {
    span.recordException(error as Error);
    span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
    throw error;
  } finally {
    span.end();
  }
}

/** Each traced HTTP request's context (its server span), kept beside the request while it lives. */
const requestTraces = new WeakMap<object, Context>();

/** The trace context of a request traceRequests saw; ROOT_CONTEXT (nothing recorded) for any other. */
export const requestTrace = (request: object | undefined): Context => (request && requestTraces.get(request)) || ROOT_CONTEXT;

/** The sampled trace id of a context, for a metric's exemplar and a log line; undefined without one. */
export function traceIdOf(parent: Context): string | undefined {
  const span = trace.getSpanContext(parent);
  return span && trace.isSpanContextValid(span) && span.traceFlags & 1 ? span.traceId : undefined;
}

/** The W3C trace context of `parent`, to carry in a job (see ExportWorker). */
export function traceCarrier(parent: Context): Record<string, string> {
  const carrier: Record<string, string> = {};
  propagation.inject(parent, carrier);
  return carrier;
}

/** A link to the span a carried trace context names; none when it names none. */
export function linkTo(carrier: Record<string, string> | undefined): Link[] {
  const span = carrier && trace.getSpanContext(propagation.extract(ROOT_CONTEXT, carrier));
  return span ? [{ context: span }] : [];
}

/**
 * A server span per HTTP request, continuing the caller's trace when it sent a W3C traceparent, named
 * by its route template; kept beside the request (requestTrace) for everything the request does.
 */
export function traceRequests() {
  return (handler: http.RequestListener): http.RequestListener =>
    (request, response) => {
      const parent: Context = propagation.extract(ROOT_CONTEXT, request.headers);
      const route = routeTemplate((request.url ?? '/').split('?', 1)[0]!);
      const span = tracer.startSpan(`${request.method} ${route}`, { kind: SpanKind.SERVER, attributes: { 'http.request.method': request.method ?? '', 'http.route': route } }, parent);
      if (span.isRecording()) {
        requestTraces.set(request, trace.setSpan(parent, span));
        response.once('close', () => {
          span.setAttribute('http.response.status_code', response.statusCode);
          if (response.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
          span.end();
        });
      }
      handler(request, response);
    };
}

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { Metrics } from './registry.js';
import { routeTemplate } from './routes.js';
import { requestTrace, traceIdOf } from '../tracing/tracing.js';

export const METRICS_PATH = '/metrics';

const METHODS = new Set(['GET', 'HEAD', 'POST', 'OPTIONS']);

/** Answers a scrape. */
async function answerScrape(metrics: Metrics, response: http.ServerResponse) {
  try {
    const body = await metrics.scrape();
    response.writeHead(200, { 'content-type': metrics.registry.contentType, 'cache-control': 'no-store' });
    response.end(body);
  } catch {
    response.writeHead(500).end();
  }
}

/**
 * Counts and times every HTTP request by route template, method and status (a latency bucket
 * carrying, with tracing on, the trace id of a request it counted), and keeps the number in flight; with `serveMetrics`, answers GET /metrics on the same server (otherwise METRICS_PORT does).
 * At the HTTP server itself, so ingests (which skip the GraphQL server) and REST paths (which become
 * GraphQL requests inside it) are counted once, by the path the client asked for.
 */
export function observeHttp(metrics: Metrics, { serveMetrics }: { serveMetrics: boolean }) {
  // One child per label set, made once: prom-client would hash the labels on every call.
  const children = new Map<string, { requests: { inc(): void }; duration: { observe(seconds: number): void } }>();
  const childrenOf = (route: string, method: string, status: string) => {
    const key = `${route} ${method} ${status}`;
    let child = children.get(key);
    if (!child) children.set(key, (child = { requests: metrics.http.requests.labels(route, method, status), duration: metrics.http.duration.labels(route, method, status) }));
    return child;
  };
  return (handler: http.RequestListener): http.RequestListener =>
    (request, response) => {
      const pathname = (request.url ?? '/').split('?', 1)[0]!;
      if (serveMetrics && pathname === METRICS_PATH && request.method === 'GET') return void answerScrape(metrics, response);
      const route = routeTemplate(pathname);
      const method = METHODS.has(request.method ?? '') ? request.method! : 'other';
      const started = performance.now();
      const traceId = metrics.exemplars ? traceIdOf(requestTrace(request)) : undefined;
      metrics.http.inFlight.inc();
      response.once('close', () => {
        metrics.http.inFlight.dec();
        const status = String(response.statusCode);
        const value = (performance.now() - started) / 1000;
        const child = childrenOf(route, method, status);
        child.requests.inc();
        // prom-client's typings take the metric's own label names for an exemplar's; any name is valid.
        if (metrics.exemplars) metrics.http.duration.observe({ labels: { route, method, status }, value, exemplarLabels: (traceId ? { trace_id: traceId } : {}) as Record<string, string> });
        else child.duration.observe(value);
      });
      handler(request, response);
    };
}

/** GET /metrics on a port of its own (METRICS_PORT), so the metrics need not be public; resolves with its URL. */
export async function serveMetricsOn(metrics: Metrics, port: number): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((request, response) => {
    if (request.url?.split('?', 1)[0] === METRICS_PATH && request.method === 'GET') return void answerScrape(metrics, response);
    response.writeHead(404).end();
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, resolve));
  return {
    url: `http://localhost:${(server.address() as AddressInfo).port}${METRICS_PATH}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

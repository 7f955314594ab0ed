import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PERMISSIONS } from '../../src/auth/tokens.js';
import { startTracing } from '../../src/tracing/tracing.js';
import { createMetrics } from '../../src/metrics/registry.js';
import { call, lead } from '../support/fixtures.js';
import { REPORT_FIXTURE } from '../support/report-fixture.js';
import { createTestkit, type Testkit } from '../support/testkit.js';

interface ReceivedSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  attributes: { key: string; value: Record<string, unknown> }[];
  links?: { traceId: string; spanId: string }[];
}

const CALLER_TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const CALLER_SPAN = '00f067aa0ba902b7';
const UNSAMPLED_TRACE = '5bf92f3577b34da6a3ce929d0e0e4737';

// An OTLP/HTTP receiver of the test's own gets what the gateway's exporter sends.
describe('OpenTelemetry traces', () => {
  let kit: Testkit;
  let receiver: http.Server;
  let stopTracing: (() => Promise<void>) | undefined;
  const bodies: string[] = [];

  beforeAll(async () => {
    receiver = http.createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => (body += chunk));
      request.on('end', () => {
        if (request.url === '/v1/traces') bodies.push(body);
        response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const endpoint = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
    stopTracing = await startTracing({ OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_SERVICE_NAME: 'autocall-test' });
    kit = await createTestkit(REPORT_FIXTURE, { tracing: true, metrics: createMetrics({ exemplars: true }) });
  });
  afterAll(async () => {
    await kit?.close();
    await stopTracing?.();
    receiver?.close();
  });

  const spans = () =>
    bodies.flatMap((body) =>
      (JSON.parse(body) as { resourceSpans: { scopeSpans: { spans: ReceivedSpan[] }[] }[] }).resourceSpans.flatMap((resource) => resource.scopeSpans.flatMap((scope) => scope.spans)),
    );
  const attribute = (span: ReceivedSpan, key: string) => Object.values(span.attributes.find((each) => each.key === key)?.value ?? {})[0];

  it('traces a request from HTTP through its GraphQL phases to the report statements, continuing the caller\'s traceparent, and links the export job and the ingest transaction', async () => {
    expect(stopTracing).toBeDefined();
    const token = await kit.token({ permissions: [PERMISSIONS.apiAccess, PERMISSIONS.exportReport] });
    const post = (query: string, headers: Record<string, string> = {}) =>
      fetch(kit.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...headers }, body: JSON.stringify({ query, variables: { secret: 'VAR-SECRET-456' } }) });
    const answered = await post('query Kpis { campaign(id: "5") { kpis(from: "2026-06-01T00:00:00Z", to: "2026-07-01T00:00:00Z") { dialed } } }', {
      traceparent: `00-${CALLER_TRACE}-${CALLER_SPAN}-01`,
    });
    expect(answered.status).toBe(200);
    // The latency bucket that counted it carries its trace id (OpenMetrics exemplars).
    const scrape = await fetch(kit.url.replace('/graphql', '/metrics'));
    expect(scrape.headers.get('content-type')).toMatch(/^application\/openmetrics-text/);
    expect(await scrape.text()).toMatch(new RegExp(`autocall_http_request_duration_seconds_bucket\\{[^}]*route="/graphql"[^}]*\\} 1 # \\{trace_id="${CALLER_TRACE}"\\}`));
    // A caller that sampled its trace out: nothing of it is recorded, its Prisma reads included.
    expect((await post('query Unsampled { campaign(id: "5") { name kpis { dialed } } campaigns(first: 1) { totalCount } }', { traceparent: `00-${UNSAMPLED_TRACE}-${CALLER_SPAN}-00` })).status).toBe(200);
    // A page of campaigns: Prisma's reads, each in a span under the operation.
    expect((await post('query Page { campaigns(first: 2) { totalCount edges { node { id } } } }')).status).toBe(200);
    const exported = await (await post('mutation MakeExport { exportReport(input: { campaignId: "5", reportType: KPIS, format: CSV }) { id } }')).json();
    await kit.app.worker.idle();
    expect(await kit.ingest(lead('TR-1', 5), call('TR-C1', 5, 'TR-1'))).toBe(200);
    await stopTracing!();
    stopTracing = undefined;

    const all = spans();
    const byId = new Map(all.map((span) => [span.spanId, span]));
    // The request continues the caller's trace, as a child of the caller's span.
    const server = all.find((span) => span.name === 'POST /graphql' && span.traceId === CALLER_TRACE)!;
    expect(server).toMatchObject({ parentSpanId: CALLER_SPAN });
    expect(attribute(server, 'http.response.status_code')).toBe(200);
    const children = all.filter((span) => span.parentSpanId === server.spanId).map((span) => span.name);
    expect(children).toEqual(expect.arrayContaining(['graphql.parse', 'graphql.validate', 'graphql.execute']));
    const execute = all.find((span) => span.name === 'graphql.execute' && span.parentSpanId === server.spanId)!;
    expect(attribute(execute, 'graphql.operation.name')).toBe('Kpis');
    expect(attribute(execute, 'graphql.operation.type')).toBe('query');
    const statement = all.find((span) => span.name === 'report statement callTotals' && span.traceId === CALLER_TRACE)!;
    // Its ancestors lead back to graphql.execute.
    const ancestors: string[] = [];
    for (let at = byId.get(statement.parentSpanId!); at; at = at.parentSpanId ? byId.get(at.parentSpanId) : undefined) ancestors.push(at.name);
    expect(ancestors).toContain('graphql.execute');
    expect(ancestors.at(-1)).toBe('POST /graphql');

    // The campaign the report is of is read in the trace too, down to its SQL.
    const ancestry = (span: ReceivedSpan) => {
      const names: string[] = [];
      for (let at = byId.get(span.parentSpanId!); at; at = at.parentSpanId ? byId.get(at.parentSpanId) : undefined) names.push(at.name);
      return names;
    };
    const lookup = all.find((span) => span.traceId === CALLER_TRACE && /FROM campaign WHERE id = ANY/.test(String(attribute(span, 'db.query.text'))))!;
    expect(lookup.name).toBe('db query');
    expect(ancestry(lookup)).toContain('graphql.execute');
    expect(ancestry(lookup)).not.toContain('report statement callTotals');
    const statementSql = all.find((span) => span.traceId === CALLER_TRACE && /^WITH windows AS/.test(String(attribute(span, 'db.query.text'))))!;
    expect(ancestry(statementSql)).toContain('report statement callTotals');
    // Prisma's reads of a page of campaigns, under graphql.execute, by model and operation.
    const page = all.find((span) => span.name === 'graphql.execute' && attribute(span, 'graphql.operation.name') === 'Page')!;
    const prismaReads = all.filter((span) => span.parentSpanId === page.spanId && span.name.startsWith('prisma '));
    expect(prismaReads.map((span) => span.name).sort()).toEqual(['prisma Campaign.count', 'prisma Campaign.findMany']);
    expect(prismaReads.map((span) => attribute(span, 'db.collection.name'))).toEqual(['Campaign', 'Campaign']);
    // The export job runs in a trace of its own, linked to the request that made it.
    const mutation = all.find((span) => span.name === 'graphql.execute' && attribute(span, 'graphql.operation.name') === 'MakeExport')!;
    const job = all.find((span) => span.name === 'export job' && attribute(span, 'autocall.export.job') === exported.data.exportReport.id)!;
    expect(job.parentSpanId ?? '').toBe('');
    expect(job.traceId).not.toBe(mutation.traceId);
    expect(job.links?.map((link) => link.traceId)).toEqual([mutation.traceId]);
    // Its report statements are its children: the job carries its own trace to its reads.
    expect(all.filter((span) => span.parentSpanId === job.spanId).map((span) => span.name)).toContain('report statement callTotals');

    // The ingest's transaction is a child of its request.
    const ingest = all.find((span) => span.name === 'POST /ingest')!;
    expect(all.some((span) => span.name === 'ingest transaction' && span.parentSpanId === ingest.spanId)).toBe(true);

    expect(all.filter((span) => span.traceId === UNSAMPLED_TRACE)).toEqual([]);

    // No document text or variable in any span.
    expect(bodies.join('')).not.toMatch(/VAR-SECRET-456|kpis\(from|campaign\(id/);
  });
});

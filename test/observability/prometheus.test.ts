import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PERMISSIONS } from '../../src/auth/tokens.js';
import { freePort } from '../../src/http/free-port.js';
import { createMetrics } from '../../src/metrics/registry.js';
import { call, lead } from '../support/fixtures.js';
import { REPORT_FIXTURE } from '../support/report-fixture.js';
import { readSse } from '../support/sse.js';
import { createTestkit, type Testkit } from '../support/testkit.js';

const PROMETHEUS = '/usr/bin/prometheus';
const RULES = path.resolve('ops/prometheus-alerts.yml');
const DASHBOARD = path.resolve('ops/grafana-dashboard.json');

/** The routes a label may name: templates and fixed paths, never a path with an id in it. */
const ROUTES = /^(\/graphql|\/ingest|\/healthz|\/readyz|\/|\/api\/docs|\/api\/openapi\.json|\/dashboard\/\*|\/exports\/\{id\}\/download|\/api\/autocall\/[a-z_/{}-]+|other)$/;

// Debian's Prometheus, started by the test, scrapes a gateway every second; the figures are read
// back with PromQL through its HTTP API, as a dashboard or an alert would read them.
describe.skipIf(!fs.existsSync(PROMETHEUS))('metrics, scraped by a real Prometheus', () => {
  let kit: Testkit;
  let prometheus: ChildProcess;
  let promUrl: string;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'autocall-prometheus-'));

  beforeAll(async () => {
    kit = await createTestkit(REPORT_FIXTURE, { metrics: createMetrics() });
    const target = new URL(kit.url).host.replace('localhost', '127.0.0.1');
    fs.writeFileSync(
      path.join(dir, 'prometheus.yml'),
      [
        'global: { scrape_interval: 1s, evaluation_interval: 1s }',
        `rule_files: [${JSON.stringify(RULES)}]`,
        'scrape_configs:',
        `  - { job_name: autocall, metrics_path: /metrics, static_configs: [{ targets: [${JSON.stringify(target)}] }] }`,
        '',
      ].join('\n'),
    );
    const port = await freePort();
    promUrl = `http://127.0.0.1:${port}`;
    prometheus = spawn(PROMETHEUS, [`--config.file=${dir}/prometheus.yml`, `--storage.tsdb.path=${dir}/data`, `--web.listen-address=127.0.0.1:${port}`], { stdio: 'ignore' });
    for (let waited = 0; (await fetch(`${promUrl}/-/ready`).then((response) => response.status, () => 0)) !== 200; waited += 200) {
      if (waited > 30_000) throw new Error('Prometheus did not become ready within 30 s');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }, 60_000);
  afterAll(async () => {
    prometheus?.kill('SIGTERM');
    await kit?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** The value of an instant PromQL query with one series, or the series of one with several. */
  const promql = async (query: string) => {
    const response = await fetch(`${promUrl}/api/v1/query?${new URLSearchParams({ query })}`);
    const body = (await response.json()) as { status: string; data: { result: { metric: Record<string, string>; value: [number, string] }[] } };
    expect(body.status).toBe('success');
    return body.data.result;
  };
  const value = async (query: string) => Number((await promql(query))[0]?.value[1] ?? NaN);
  /** Waits until Prometheus has scraped the gateway after this moment. */
  const scrapedAfterNow = async () => {
    const now = Date.now() / 1000;
    await expect.poll(async () => value('max(timestamp(up{job="autocall"}))'), { timeout: 15_000, interval: 250 }).toBeGreaterThan(now + 0.1);
  };

  it('counts known traffic by route, operation, outcome and transport, with every label bounded', async () => {
    const token = await kit.token({ permissions: [PERMISSIONS.apiAccess, PERMISSIONS.exportReport] });
    const kpis = 'query Kpis { campaign(id: "5") { kpis(from: "2026-06-01T00:00:00Z", to: "2026-07-01T00:00:00Z") { dialed } } }';
    for (let n = 0; n < 3; n += 1) expect((await kit.execute(kpis, { token })).status).toBe(200);
    for (let n = 0; n < 2; n += 1) await kit.execute('{ campaign(id: "5") { name } }', { token });
    // A document that fails validation: its name must never become a label.
    expect((await kit.execute('query NobodyCouldRunThis { campaign(id: "5") { noSuchField } }', { token })).errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const rest = kit.url.replace('/graphql', '/api/autocall/campaigns/5/reports/kpis?from=2026-06-01&to=2026-06-30');
    for (let n = 0; n < 2; n += 1) expect((await fetch(rest, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    expect(await kit.ingest(lead('PM-1', 5), call('PM-C1', 5, 'PM-1'))).toBe(200);
    const exported = await kit.execute('mutation { exportReport(input: { campaignId: "5", reportType: KPIS, format: CSV }) { id } }', { token });
    expect(exported.errors).toBeUndefined();
    await kit.app.worker.idle();
    // A subscription over SSE, open while Prometheus scrapes.
    const controller = new AbortController();
    const stream = await fetch(kit.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: 'subscription { campaignUpdated(id: "5") { id } }' }),
      signal: controller.signal,
    });
    let pushes = 0;
    const reading = readSse(stream, () => void (pushes += 1)).catch(() => undefined);
    await expect.poll(() => pushes).toBe(1);
    // A change pushed to it: one push latency observed, from the ingest's commit to the push.
    const ingested = Date.now();
    expect(await kit.ingest(call('PM-C2', 5, 'PM-1'))).toBe(200);
    await expect.poll(() => pushes, { timeout: 5_000 }).toBe(2);
    const pushedWithin = (Date.now() - ingested) / 1000;
    // And one over graphql-ws, counted under its own transport.
    const socket = createClient({ url: kit.url.replace(/^http/, 'ws'), webSocketImpl: WebSocket, connectionParams: { Authorization: `Bearer ${token}` }, retryAttempts: 0 });
    let socketPushes = 0;
    socket.subscribe({ query: 'subscription { campaignUpdated(id: "5") { name } }' }, { next: () => void (socketPushes += 1), error: () => {}, complete: () => {} });
    await expect.poll(() => socketPushes).toBe(1);
    await scrapedAfterNow();

    expect(await value('sum(graphql_envelop_request_total{operationName="Kpis",operationType="query"})')).toBe(3);
    // The REST path runs its own saved operation: counted under the route's template, once each.
    expect(await value('sum(autocall_http_requests_total{route="/api/autocall/campaigns/{id}/reports/kpis",method="GET",status="200"})')).toBe(2);
    expect(await value('sum(autocall_http_requests_total{route="/ingest",status="200"})')).toBe(2);
    expect(await value('sum(autocall_ingest_records_total{outcome="accepted"})')).toBe(3);
    expect(await value('sum(autocall_ingest_batch_records_count)')).toBeGreaterThanOrEqual(2);
    expect(await value('sum(autocall_ingest_lock_wait_seconds_count)')).toBe(await value('sum(autocall_ingest_transaction_seconds_count)'));
    expect(await value('sum(autocall_ingest_lock_wait_seconds_sum)')).toBeLessThanOrEqual(await value('sum(autocall_ingest_transaction_seconds_sum)'));
    expect(await value('sum(autocall_subscription_push_latency_seconds_count)')).toBe(1);
    const latency = await value('sum(autocall_subscription_push_latency_seconds_sum)');
    expect(latency).toBeGreaterThan(0);
    expect(latency).toBeLessThanOrEqual(pushedWithin);
    expect(await value('sum(autocall_subscriptions_open{transport="graphql-ws"})')).toBe(1);
    expect(await value('sum(autocall_export_jobs_total{status="ready"})')).toBe(1);
    expect(await value('sum(autocall_export_bytes_total)')).toBeGreaterThan(0);
    expect(await value('sum(autocall_subscriptions_open{transport="sse"})')).toBe(1);
    expect(await value('sum(autocall_graphql_errors_total{code="GRAPHQL_VALIDATION_FAILED"})')).toBe(1);
    expect(await value('sum(autocall_dataloader_batch_windows_count{kind="callTotals"})')).toBeGreaterThanOrEqual(4);
    expect(await value('sum(autocall_http_request_duration_seconds_count{route="/graphql"})')).toBeGreaterThanOrEqual(7);
    expect(await value('sum(graphql_envelop_phase_parse_count)')).toBeGreaterThanOrEqual(6);
    expect(await value('sum(process_resident_memory_bytes)')).toBeGreaterThan(0);

    // Bounded labels: operation names of validated documents only, routes as templates.
    const operations = (await promql('count by (operationName) (graphql_envelop_request_total)')).map((series) => series.metric.operationName).sort();
    // RestKpis: the REST path's saved operation.
    expect(operations).toEqual(['Kpis', 'RestKpis', 'anonymous']);
    for (const { metric } of await promql('count by (route) (autocall_http_requests_total)')) expect(metric.route).toMatch(ROUTES);
    for (const { metric } of await promql('{__name__=~"autocall_.*|graphql_.*"}')) {
      for (const [label, text] of Object.entries(metric)) {
        if (label !== '__name__') expect(text, `${metric.__name__} ${label}`).not.toMatch(/Bearer|eyJ|campaigns\/5|PM-/);
      }
    }

    controller.abort();
    await socket.dispose();
    await reading;
    await expect.poll(async () => (await scrapedAfterNow(), value('sum(autocall_subscriptions_open)')), { timeout: 15_000 }).toBe(0);
  });

  it('loads the alert rules it ships, which promtool accepts', async () => {
    const { stdout } = await promisify(execFile)('/usr/bin/promtool', ['check', 'rules', RULES]);
    expect(stdout).toMatch(/SUCCESS: 7 rules found/);
    const rules = (await (await fetch(`${promUrl}/api/v1/rules`)).json()) as { data: { groups: { rules: { name: string; health: string }[] }[] } };
    const loaded = rules.data.groups.flatMap((group) => group.rules);
    expect(loaded.map((rule) => rule.name)).toContain('AutocallExportFailures');
    expect(loaded.every((rule) => rule.health !== 'err')).toBe(true);
  });

  it('ships a Grafana dashboard whose every query Prometheus accepts, on metrics the gateway exports', async () => {
    const dashboard = JSON.parse(fs.readFileSync(DASHBOARD, 'utf8')) as { panels: { title: string; targets: { expr: string }[] }[] };
    const exported = await (await fetch(kit.url.replace('/graphql', '/metrics'))).text();
    expect(dashboard.panels.length).toBeGreaterThanOrEqual(20);
    for (const panel of dashboard.panels) {
      for (const { expr } of panel.targets) {
        const query = expr.replaceAll('$__rate_interval', '1m');
        const answer = (await (await fetch(`${promUrl}/api/v1/query?${new URLSearchParams({ query })}`)).json()) as { status: string; error?: string };
        expect(answer, `${panel.title}: ${query}`).toMatchObject({ status: 'success' });
        for (const name of query.match(/\b(autocall|graphql|process|nodejs)_[a-z_0-9]+/g) ?? []) {
          expect(exported, `${panel.title}: ${name}`).toContain(`# TYPE ${name.replace(/_(bucket|count|sum)$/, '')} `);
        }
      }
    }
  });
});

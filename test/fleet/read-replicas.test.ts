import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { openDatabase, type Database } from '../../src/db/client.js';
import { migrate } from '../../src/db/migrator.js';
import { importNdjson } from '../../src/import/importer.js';
import { LocalExportStore } from '../../src/exports/local-store.js';
import { buildApp, type App } from '../../src/server/app.js';
import { PERMISSIONS, signToken } from '../../src/auth/tokens.js';
import { call, lead } from '../support/fixtures.js';
import { REPORT_FIXTURE } from '../support/report-fixture.js';
import { readSse } from '../support/sse.js';
import { canStartPostgres, startPostgresCluster, type PostgresCluster } from '../../src/bench/postgres-cluster.js';
import { jwtKey } from '../support/testkit.js';

const MAX_LAG_MS = 300;

/** Every report kind of campaign 5 for June, one query. */
const REPORTS = `{ campaign(id: "5") {
  kpis(from: "2026-06-01T00:00:00Z", to: "2026-07-01T00:00:00Z") { dialed answered answerRatePct avgCallDurationSec totalLeads dtmfDistribution { key count } }
  trend(from: "2026-06-01", to: "2026-06-30", granularity: DAY) { bucket dialed answered answerRatePct }
  hangup(from: "2026-06-01T00:00:00Z", to: "2026-07-01T00:00:00Z") { totalCalls byHangupCause { hangupCause count pct } }
  heatmap(from: "2026-06-01T00:00:00Z", to: "2026-07-01T00:00:00Z") { dayOfWeek hour value }
  funnel(from: "2026-06-01T00:00:00Z", to: "2026-07-01T00:00:00Z") { stage count }
} }`;
const DIALED = '{ campaign(id: "5") { kpis(from: "2026-06-01T00:00:00Z", to: "2026-07-01T00:00:00Z") { dialed } } }';

// A streaming replica of the test's own (pg_basebackup -R from a primary started from the binaries).
describe.skipIf(!canStartPostgres)('reports from a read replica (DATABASE_READ_URL)', () => {
  let cluster: PostgresCluster;
  let routed: Database;
  let primaryOnly: Database;
  let app: App;
  let plain: App;
  let url: string;
  let plainUrl: string;
  let replicaAdmin: pg.Client;
  const dirs = [0, 1].map(() => fs.mkdtempSync(path.join(os.tmpdir(), 'autocall-replica-')));

  beforeAll(async () => {
    cluster = await startPostgresCluster({ replica: true });
    const loading = await openDatabase({ kind: 'postgres', url: cluster.primary.url() });
    await migrate(loading);
    await importNdjson(loading, (async function* () { yield* REPORT_FIXTURE; })());
    await loading.close();
    routed = await openDatabase({ kind: 'postgres', url: cluster.primary.url(), replicas: { urls: [cluster.replica!.url()], maxLagMs: MAX_LAG_MS } });
    primaryOnly = await openDatabase({ kind: 'postgres', url: cluster.primary.url() });
    app = buildApp({ db: routed, jwtKey, exportStore: new LocalExportStore(dirs[0]!) });
    plain = buildApp({ db: primaryOnly, jwtKey, exportStore: new LocalExportStore(dirs[1]!) });
    url = `${await app.start(0)}`;
    plainUrl = `${await plain.start(0)}`;
    replicaAdmin = new pg.Client({ connectionString: cluster.replica!.url() });
    await replicaAdmin.connect();
  }, 120_000);
  afterAll(async () => {
    await replicaAdmin?.end().catch(() => undefined);
    await app?.stop();
    await plain?.stop();
    await routed?.close();
    await primaryOnly?.close();
    await cluster?.close();
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  const token = (permissions: string[] = [PERMISSIONS.apiAccess]) => signToken(jwtKey, { sub: 'replica-test', tenantId: 'acme', permissions });
  const graphql = async (base: string, query: string) => {
    const response = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await token()}` },
      body: JSON.stringify({ query }),
    });
    const body = (await response.json()) as { data?: any; errors?: unknown[] };
    expect(body.errors).toBeUndefined();
    return body.data;
  };
  const health = async () => {
    const response = await fetch(`${url}/healthz`);
    return { status: response.status, body: (await response.json()) as any };
  };
  const ingest = async (...records: object[]) => {
    const response = await fetch(`${url}/ingest`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-ndjson', authorization: `Bearer ${await token([PERMISSIONS.ingest])}` },
      body: records.map((record) => JSON.stringify(record)).join('\n'),
    });
    await response.body?.cancel();
    expect(response.status).toBe(200);
  };
  /** When the replica last started a report statement (its sessions' last statements, pg_stat_activity); null: never. */
  const lastReportOnReplica = async () =>
    (
      await replicaAdmin.query<{ at: Date | null }>(
        "SELECT max(query_start) AS at FROM pg_stat_activity WHERE backend_type = 'client backend' AND query LIKE '%jsonb_to_recordset%' AND pid <> pg_backend_pid()",
      )
    ).rows[0]!.at;

  it('answers every report from the replica with the primary\'s numbers, and says how the replica is', async () => {
    const [fromReplica, fromPrimary] = [await graphql(url, REPORTS), await graphql(plainUrl, REPORTS)];
    expect(fromReplica).toEqual(fromPrimary);
    expect(fromReplica.campaign.kpis.dialed).toBe(10);
    expect(await lastReportOnReplica()).not.toBeNull();
    // REST too.
    const rest = await fetch(`${url}/api/autocall/campaigns/5/reports/kpis?from=2026-06-01&to=2026-06-30`, { headers: { authorization: `Bearer ${await token()}` } });
    expect(((await rest.json()) as any).data.dialed).toBe(10);
    expect(await health()).toEqual({
      status: 200,
      body: { status: 'ok', database: 'postgres', replicas: [{ name: 'replica 1', state: 'ok', lagMs: 0 }] },
    });
  });

  it('never shows numbers from before an ingest: not in its push, nor in the next read, even while the replica stands still', async () => {
    const controller = new AbortController();
    const stream = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${await token()}` },
      body: JSON.stringify({ query: 'subscription { campaignUpdated(id: "5") { kpis(from: "2026-06-01T00:00:00Z", to: "2026-07-01T00:00:00Z") { dialed } } }' }),
      signal: controller.signal,
    });
    const pushes: number[] = [];
    const reading = readSse(stream, (event) => pushes.push(event.data.campaignUpdated.kpis.dialed)).catch(() => {});
    await expect.poll(() => pushes).toEqual([10]);

    // The replica stops replaying: whatever is written now, it does not have.
    await replicaAdmin.query('SELECT pg_wal_replay_pause()');
    await ingest(lead('RR-1', 5), call('RR-C1', 5, 'RR-1', { started_at: '2026-06-21T02:00:00Z', answered_at: null, ended_at: '2026-06-21T02:00:20Z', result: 'no_answer', billsec: 0 }));
    expect((await graphql(url, DIALED)).campaign.kpis.dialed).toBe(11);
    await expect.poll(() => pushes, { timeout: 5_000 }).toEqual([10, 11]);
    const lagging = await health();
    expect(lagging.status).toBe(200);
    expect(lagging.body).toMatchObject({ status: 'degraded', replicas: [{ name: 'replica 1', state: 'lagging' }], error: 'replica 1 lagging' });
    expect(lagging.body.replicas[0].lagMs).toBeGreaterThan(MAX_LAG_MS);

    // Replaying again, it catches up, and reads go back to it.
    await replicaAdmin.query('SELECT pg_wal_replay_resume()');
    await expect.poll(async () => (await health()).body.status, { timeout: 10_000 }).toBe('ok');
    const before = await lastReportOnReplica();
    // A window no one asked for yet, so the answer is read now (the primary's answer beside it).
    const since21st = '{ campaign(id: "5") { kpis(from: "2026-06-21T00:00:00Z", to: "2026-07-01T00:00:00Z") { dialed } } }';
    expect(await graphql(url, since21st)).toEqual(await graphql(plainUrl, since21st));
    expect((await graphql(url, since21st)).campaign.kpis.dialed).toBeGreaterThanOrEqual(1);
    expect((await lastReportOnReplica())!.getTime()).toBeGreaterThan(before!.getTime());
    controller.abort();
    await reading;
  });

  it('answers from the primary while the replica is down, and says so in /healthz', async () => {
    await replicaAdmin.end();
    await cluster.replica!.stop();
    expect((await graphql(url, REPORTS)).campaign.kpis.dialed).toBe(11);
    expect(await health()).toEqual({
      status: 200,
      body: { status: 'degraded', database: 'postgres', replicas: [{ name: 'replica 1', state: 'unreachable', lagMs: null }], error: 'replica 1 unreachable' },
    });
    // Started again, it is used again.
    await cluster.replica!.start();
    await expect.poll(async () => (await health()).body.status, { timeout: 15_000 }).toBe('ok');
    expect((await graphql(url, REPORTS)).campaign.kpis.dialed).toBe(11);
  });
});

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { buildApp, type App } from '../../src/server/app.js';
import { PERMISSIONS } from '../../src/auth/tokens.js';
import { call, lead, TENANTS_FIXTURE } from '../support/fixtures.js';
import { createTestkit, jwtKey, redisOptions, type Testkit } from '../support/testkit.js';
import { LocalExportStore } from '../../src/exports/local-store.js';

// Answers are reused for the same document, variables and access scope until an ingest changes a
// campaign they read. With REDIS_URL (the PostgreSQL run) the store is Redis, shared by instances.

const NAMESPACE = `autocall-test-cache-${process.pid}-${Date.now()}`;
let kit: Testkit;
beforeAll(async () => {
  kit = await createTestkit(TENANTS_FIXTURE, { ...redisOptions(NAMESPACE), responseCacheSeconds: 300 });
});
afterAll(() => kit.close());

type Answer = { status: number; data?: any; errors?: unknown[]; extensions?: { responseCache?: { hit: boolean; didCache?: boolean } } };
async function ask(query: string, token?: string, url = kit.url): Promise<Answer> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token ?? (await kit.token())}` },
    body: JSON.stringify({ query }),
  });
  return { status: response.status, ...((await response.json()) as object) };
}

const ingest = async (...records: object[]) => expect(await kit.ingest(...records)).toBe(200);
const busy = (id: string, campaignId: number, leadId: string) =>
  call(id, campaignId, leadId, {
    started_at: '2026-06-02T03:00:00Z', answered_at: null, ended_at: '2026-06-02T03:00:10Z', result: 'busy', hangup_cause: 'USER_BUSY',
    billsec: 0, dtmf: null, script_path: null, transfer: null, disposition: null,
  });

const KPIS = (id: string) => `{ campaign(id: "${id}") { kpis(from: "2026-06-01T00:00:00Z", to: "2026-07-01T00:00:00Z") { dialed busy } } }`;

describe('the response cache', () => {
  it('answers the same query from the cache, and says so', async () => {
    const first = await ask(KPIS('5'));
    expect(first.extensions?.responseCache).toMatchObject({ hit: false, didCache: true });
    const second = await ask(KPIS('5'));
    expect(second.extensions?.responseCache).toMatchObject({ hit: true });
    expect(second.data).toEqual(first.data);
    expect(second.data).toEqual({ campaign: { kpis: { dialed: 1, busy: 0 } } });
  });

  it('never serves another tenant\'s or another permission set\'s entry', async () => {
    const list = '{ campaigns { totalCount edges { node { id name } } } }';
    const acme = await ask(list);
    expect(acme.data.campaigns.totalCount).toBe(3);
    expect((await ask(list)).extensions?.responseCache?.hit).toBe(true);
    const globex = await ask(list, await kit.token({ tenantId: 'globex' }));
    expect(globex.extensions?.responseCache?.hit).toBe(false);
    expect(globex.data.campaigns).toEqual({ totalCount: 1, edges: [{ node: { id: '12', name: 'Win-back churned' } }] });
    const exporter = await ask(list, await kit.token({ permissions: [PERMISSIONS.apiAccess, PERMISSIONS.exportReport] }));
    expect(exporter.extensions?.responseCache?.hit).toBe(false);
    // Another tenant asking for campaign 5 gets null from its own entry, never acme's numbers.
    expect((await ask(KPIS('5'), await kit.token({ tenantId: 'globex' }))).data).toEqual({ campaign: null });
  });

  it('drops exactly the entries of the campaigns an ingest changed, before the ingest answers', async () => {
    await ask(KPIS('5'));
    await ask(KPIS('8'));
    const comparison = '{ campaignComparison(campaignIds: ["5", "8"], metric: ANSWER_RATE_PCT, from: "2026-06-01T00:00:00Z", to: "2026-07-01T00:00:00Z") { campaignId metricValue } }';
    await ask(comparison);
    expect((await ask(KPIS('5'))).extensions?.responseCache?.hit).toBe(true);
    expect((await ask(comparison)).extensions?.responseCache?.hit).toBe(true);

    await ingest(lead('RC-1', 5), busy('RC-C1', 5, 'RC-1'));
    const after = await ask(KPIS('5'));
    expect(after.extensions?.responseCache?.hit).toBe(false);
    expect(after.data).toEqual({ campaign: { kpis: { dialed: 2, busy: 1 } } });
    const compared = await ask(comparison);
    expect(compared.extensions?.responseCache?.hit).toBe(false);
    expect(compared.data.campaignComparison).toEqual([
      { campaignId: '5', metricValue: '50.00' },
      { campaignId: '8', metricValue: null },
    ]);
    // Campaign 8 did not change: its entry stays.
    expect((await ask(KPIS('8'))).extensions?.responseCache?.hit).toBe(true);
  });

  it('lists a campaign an ingest adds', async () => {
    const list = '{ campaigns { totalCount } }';
    expect((await ask(list)).data.campaigns.totalCount).toBe(3);
    expect((await ask(list)).extensions?.responseCache?.hit).toBe(true);
    await ingest({ type: 'campaign', id: 31, tenant_id: 'acme', name: 'Added', started_at: '2026-06-01T00:00:00Z', dtmf_actions: [] });
    expect((await ask(list)).data.campaigns.totalCount).toBe(4);
    expect((await ask('{ campaign(id: "31") { name } }')).data).toEqual({ campaign: { name: 'Added' } });
  });

  it('does not keep an answer whose query was running when the data changed', async () => {
    const query = KPIS('8').replace('2026-07-01', '2026-06-30');
    // As the report's statement runs, a change of campaign 8 commits and invalidates.
    const unobserve = kit.db.queryLog.observe((sql) => {
      if (/call_day|call_bucket|call_attempt/.test(sql)) void kit.app.responseCache.invalidateCampaigns([8], false);
    });
    try {
      expect((await ask(query)).extensions?.responseCache).toMatchObject({ hit: false, didCache: true });
    } finally {
      unobserve();
    }
    expect((await ask(query)).extensions?.responseCache?.hit).toBe(false);
    expect((await ask(query)).extensions?.responseCache?.hit).toBe(true);
  });

  it('never keeps export jobs, which change without an ingest', async () => {
    const exporter = await kit.token({ permissions: [PERMISSIONS.apiAccess, PERMISSIONS.exportReport] });
    const started = await ask('mutation { exportReport(input: { campaignId: "5", reportType: KPIS }) { id } }', exporter);
    const job = `{ exportJob(id: "${started.data.exportReport.id}") { status } }`;
    await ask(job, exporter);
    await kit.app.worker.idle();
    const done = await ask(job, exporter);
    expect(done.extensions?.responseCache?.hit).toBe(false);
    expect(done.data.exportJob.status).toBe('READY');
  });

  it.runIf(process.env.REDIS_URL)('is shared by the instances on one Redis, and an ingest on one drops the entries of all', async () => {
    const exportsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'autocall-cache-b-'));
    const other: App = buildApp({ db: kit.db, jwtKey, exportStore: new LocalExportStore(exportsDir), ...redisOptions(NAMESPACE), responseCacheSeconds: 300 });
    const otherUrl = `${await other.start(0)}/graphql`;
    try {
      const query = KPIS('5').replace('2026-06-01', '2026-05-31');
      const first = await ask(query, undefined, otherUrl);
      expect(first.extensions?.responseCache?.hit).toBe(false);
      expect((await ask(query)).extensions?.responseCache?.hit).toBe(true);
      await ingest(busy('RC-C2', 5, 'RC-1'));
      const fresh = await ask(query, undefined, otherUrl);
      expect(fresh.extensions?.responseCache?.hit).toBe(false);
      expect(fresh.data.campaign.kpis.dialed).toBe(first.data.campaign.kpis.dialed + 1);
    } finally {
      await other.stop();
    }
  });
});

describe('RESPONSE_CACHE_TTL_SECONDS', () => {
  const base = { AUTH_JWT_SECRET: 'x'.repeat(32), DATABASE_URL: 'postgresql://db/x' };
  it('defaults to 5 minutes, and to off on PostgreSQL without Redis, where an import cannot reach the gateways', () => {
    expect(loadConfig({}).responseCacheSeconds).toBe(300);
    expect(loadConfig({ ...base, REDIS_URL: 'redis://127.0.0.1:6379' }).responseCacheSeconds).toBe(300);
    expect(loadConfig(base).responseCacheSeconds).toBe(0);
    expect(loadConfig({ ...base, RESPONSE_CACHE_TTL_SECONDS: '60' }).responseCacheSeconds).toBe(60);
    expect(() => loadConfig({ RESPONSE_CACHE_TTL_SECONDS: '-1' })).toThrow('RESPONSE_CACHE_TTL_SECONDS');
  });
});

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/db/client.js';
import { importNdjson } from '../../src/import/importer.js';
import { buildApp, type App } from '../../src/server/app.js';
import { PERMISSIONS, signToken } from '../../src/auth/tokens.js';
import { openTestDatabase, type TestDatabase } from '../support/database.js';
import { REPORT_FIXTURE } from '../support/report-fixture.js';
import { startStallProxy } from '../support/stall-proxy.js';
import { jwtKey } from '../support/testkit.js';
import { LocalExportStore } from '../../src/exports/local-store.js';

// A silent database needs a network between gateway and database: PostgreSQL only.
describe.skipIf(!process.env.TEST_DATABASE_URL)('a stalled PostgreSQL server', () => {
  let direct: TestDatabase;
  let proxy: Awaited<ReturnType<typeof startStallProxy>>;
  let db: Database;
  let app: App;
  let base: string;
  let token: string;
  const exportsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'autocall-stall-'));

  beforeAll(async () => {
    direct = await openTestDatabase();
    await importNdjson(direct, (async function* () { yield* REPORT_FIXTURE; })());
    proxy = await startStallProxy(direct.url!);
    db = await openDatabase({ kind: 'postgres', url: proxy.url, timeouts: { connectMs: 2_000, queryMs: 2_000 } });
    app = buildApp({ db, jwtKey, exportStore: new LocalExportStore(exportsDir) });
    base = await app.start(0);
    token = await signToken(jwtKey, { sub: 'tester', tenantId: 'acme', permissions: [PERMISSIONS.apiAccess] });
  });
  afterAll(async () => {
    await app.stop();
    await db.close();
    await proxy.close();
    await direct.dispose();
    fs.rmSync(exportsDir, { recursive: true, force: true });
  });

  const kpis = async () => {
    const response = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: '{ campaign(id: "5") { kpis(from: "2026-06-01T00:00:00Z", to: "2026-07-01T00:00:00Z") { dialed } } }' }),
    });
    return (await response.json()) as { data?: any; errors?: { message: string; extensions: Record<string, unknown> }[] };
  };
  const health = async () => {
    const response = await fetch(`${base}/healthz`);
    return { status: response.status, body: await response.text() };
  };
  const timed = async <T>(run: () => Promise<T>) => {
    const started = Date.now();
    const value = await run();
    return { value, ms: Date.now() - started };
  };

  it('fails queries within seconds with a masked error, answers /healthz 503 without internals, and recovers by itself', async () => {
    expect((await kpis()).data.campaign.kpis.dialed).toBe(10);
    expect(await health()).toEqual({ status: 200, body: '{"status":"ok","database":"postgres"}' });

    proxy.stall();
    // Bounds against hanging, not speed figures: without timeouts both waited forever.
    const failed = await timed(kpis);
    expect(failed.value.errors).toEqual([expect.objectContaining({ message: 'Unexpected error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } })]);
    expect(failed.ms).toBeLessThan(8_000);
    const unhealthy = await timed(health);
    expect(unhealthy.value).toEqual({ status: 503, body: '{"status":"unavailable","database":"postgres","error":"database unreachable"}' });
    expect(unhealthy.ms).toBeLessThan(5_000);
    // Every pooled connection is now stuck: a new query must not wait for one of them forever.
    const again = await timed(kpis);
    expect(again.value.errors?.[0]?.extensions.code).toBe('INTERNAL_SERVER_ERROR');
    expect(again.ms).toBeLessThan(8_000);

    proxy.resume();
    let recovered: Awaited<ReturnType<typeof kpis>> | undefined;
    for (let attempt = 0; attempt < 20 && !recovered?.data?.campaign; attempt += 1) {
      recovered = await kpis();
      if (!recovered.data?.campaign) await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(recovered?.data.campaign.kpis.dialed).toBe(10);
    expect(await health()).toEqual({ status: 200, body: '{"status":"ok","database":"postgres"}' });
  });

  it('outlives PostgreSQL closing its idle connections, and answers on new ones', async () => {
    expect((await kpis()).data.campaign.kpis.dialed).toBe(10);
    const session = await direct.session();
    const [terminated] = await session.rows<{ closed: number }>(
      'SELECT count(pg_terminate_backend(pid))::int AS closed FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
    );
    await session.release();
    expect(terminated?.closed).toBeGreaterThan(0);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await kpis()).data.campaign.kpis.dialed).toBe(10);
  });
});

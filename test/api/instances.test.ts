import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJob } from '../../src/exports/jobs.js';
import { buildApp, type App } from '../../src/server/app.js';
import { PERMISSIONS } from '../../src/auth/tokens.js';
import { call, lead } from '../support/fixtures.js';
import { REPORT_FIXTURE } from '../support/report-fixture.js';
import { readSse } from '../support/sse.js';
import { createTestkit, jwtKey, redisOptions, type Testkit } from '../support/testkit.js';
import { LocalExportStore } from '../../src/exports/local-store.js';

// Instance A takes requests and queues jobs but runs none; instance B runs them. Both share the
// database and Redis, as two gateway processes behind a load balancer would.
describe.skipIf(!process.env.REDIS_URL)('several gateway instances (REDIS_URL)', () => {
  let kit: Testkit;
  let a: App;
  let b: App;
  let aUrl: string;
  let bUrl: string;
  const dirs = [0, 1].map(() => fs.mkdtempSync(path.join(os.tmpdir(), 'autocall-instance-')));

  beforeAll(async () => {
    kit = await createTestkit(REPORT_FIXTURE);
    const shared = redisOptions();
    a = buildApp({ db: kit.db, jwtKey, exportStore: new LocalExportStore(dirs[0]!), ...shared, exportWorkers: 0 });
    b = buildApp({ db: kit.db, jwtKey, exportStore: new LocalExportStore(dirs[1]!), ...shared });
    aUrl = `${await a.start(0)}/graphql`;
    bUrl = `${await b.start(0)}/graphql`;
  });
  afterAll(async () => {
    await a.stop();
    await b.stop();
    await kit.close();
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('lets a client subscribed on instance A follow a job that instance B runs', async () => {
    const token = await kit.token({ permissions: [PERMISSIONS.apiAccess, PERMISSIONS.exportReport] });
    const post = (body: object, accept = 'application/json') =>
      fetch(aUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept, authorization: `Bearer ${token}` },
        body: JSON.stringify(body),
      });
    // Stored as exportReport stores it, and queued only once the subscriber has seen it QUEUED, so
    // every later state can only reach instance A through Redis.
    const { id } = await createJob(kit.db.prisma, {
      tenantId: 'acme', campaignId: 5, reportType: 'full', format: 'xlsx', fromDate: '2026-06-01', toDate: '2026-06-30',
      timezone: 'Asia/Ho_Chi_Minh', estimatedSeconds: 3,
    });
    const stream = await post({ query: `subscription { exportJobUpdated(id: "${id}") { status downloadUrl } }` }, 'text/event-stream');
    const updates: { status: string; downloadUrl: string | null }[] = [];
    await readSse(stream, (data) => {
      updates.push(data.data.exportJobUpdated);
      if (updates.length === 1) void a.worker.enqueue(id);
    });
    expect(updates.map((update) => update.status).filter((s, i, all) => s !== all[i - 1])).toEqual(['QUEUED', 'RUNNING', 'READY']);
    const job = await kit.db.prisma.exportJob.findUniqueOrThrow({ where: { id } });
    expect(path.dirname(job.filePath!)).toBe(dirs[1]);
    const download = updates.at(-1)!.downloadUrl!;
    expect(download.startsWith(aUrl.replace('/graphql', '/exports/'))).toBe(true);
    expect((await fetch(download)).status).toBe(200);
  });

  it('pushes campaignUpdated on instance B after an ingest through instance A', async () => {
    const controller = new AbortController();
    const stream = await fetch(bUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${await kit.token()}` },
      body: JSON.stringify({ query: 'subscription { campaignUpdated(id: "5") { kpis(from: "2026-06-01T00:00:00Z", to: "2026-07-01T00:00:00Z") { dialed } } }' }),
      signal: controller.signal,
    });
    const dialed: number[] = [];
    const reading = readSse(stream, (data) => dialed.push(data.data.campaignUpdated.kpis.dialed)).catch(() => {});
    await expect.poll(() => dialed).toEqual([10]);
    const ingest = await fetch(aUrl.replace('/graphql', '/ingest'), {
      method: 'POST',
      headers: { 'content-type': 'application/x-ndjson', authorization: `Bearer ${await kit.token({ permissions: [PERMISSIONS.ingest] })}` },
      body: [lead('IB-1', 5), call('IB-C1', 5, 'IB-1', { started_at: '2026-06-15T02:00:00Z', answered_at: '2026-06-15T02:00:05Z', ended_at: '2026-06-15T02:01:00Z' })]
        .map((record) => JSON.stringify(record))
        .join('\n'),
    });
    expect(ingest.status).toBe(200);
    await expect.poll(() => dialed, { timeout: 5_000 }).toEqual([10, 11]);
    controller.abort();
    await reading;
  });
});

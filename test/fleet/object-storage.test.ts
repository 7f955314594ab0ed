import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { openDatabase } from '../../src/db/client.js';
import { migrate } from '../../src/db/migrator.js';
import { importNdjson } from '../../src/import/importer.js';
import { PERMISSIONS, signToken } from '../../src/auth/tokens.js';
import { REPORT_FIXTURE } from '../support/report-fixture.js';
import { canStartPostgres, startPostgresCluster, type PostgresCluster } from '../../src/bench/postgres-cluster.js';
import { S3_KEYS, startS3Server, type S3Server } from '../../src/bench/s3-server.js';
import { gatewayBase, startScript, type Started } from '../support/processes.js';
import { jwtKey, TEST_SECRET } from '../support/testkit.js';
import { freePort } from '../../src/http/free-port.js';

const BUCKET = 'exports';
const PREFIX = 'fleet';

// Two gateways and a worker, each process on a disk of its own (the same DATA_DIR path, a tmpfs of
// its own in a mount namespace of its own), sharing a PostgreSQL of the test's own, an S3-protocol
// server (s3rver) and, when REDIS_URL is set, Redis.
describe.skipIf(!canStartPostgres)('a fleet with exports in object storage', () => {
  let cluster: PostgresCluster;
  let s3: S3Server;
  let gateways: Started[] = [];
  let worker: Started;
  let bases: string[];
  let workerMetrics: number;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'autocall-fleet-data-'));

  beforeAll(async () => {
    [cluster, s3] = await Promise.all([startPostgresCluster(), startS3Server([BUCKET])]);
    const db = await openDatabase({ kind: 'postgres', url: cluster.primary.url() });
    await migrate(db);
    await importNdjson(db, (async function* () { yield* REPORT_FIXTURE; })());
    await db.close();
    const env = {
      DATABASE_URL: cluster.primary.url(),
      AUTH_JWT_SECRET: TEST_SECRET,
      DATA_DIR: dataDir,
      EXPORT_STORAGE_URL: `s3://${BUCKET}/${PREFIX}`,
      AWS_ENDPOINT_URL: s3.endpoint,
      ...S3_KEYS,
      REDIS_URL: process.env.REDIS_URL ?? '',
      REDIS_NAMESPACE: `autocall-fleet-${randomBytes(4).toString('hex')}`,
      PORT: '0',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    };
    gateways = await Promise.all(
      [0, 1].map(() => startScript('src/main.ts', { ...env, EXPORT_WORKERS: '0' }, { ready: /gateway on http/, privateDir: dataDir })),
    );
    workerMetrics = await freePort();
    worker = await startScript('src/worker.ts', { ...env, METRICS_PORT: String(workerMetrics) }, { ready: /export worker/, privateDir: dataDir });
    bases = gateways.map(gatewayBase);
  }, 120_000);
  afterAll(async () => {
    await Promise.all([...gateways, worker].filter(Boolean).map((started) => started.stop()));
    await Promise.all([cluster?.close(), s3?.stop()]);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const graphql = async (base: string, query: string, variables: Record<string, unknown> = {}) => {
    const token = await signToken(jwtKey, { sub: 'fleet', tenantId: 'acme', permissions: [PERMISSIONS.apiAccess, PERMISSIONS.exportReport] });
    const response = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { data?: any; errors?: unknown[] };
    expect(body.errors).toBeUndefined();
    return body.data;
  };
  const JOB = 'query ($id: ID!) { exportJob(id: $id) { status downloadUrl fileSize error } }';

  /** Asks `via` for the export and waits, asking the other gateway, until the worker made it. */
  async function exportThrough(via: number, input: Record<string, unknown>) {
    const { exportReport } = await graphql(bases[via]!, 'mutation ($input: ExportReportInput!) { exportReport(input: $input) { id status } }', { input });
    expect(exportReport.status).toBe('QUEUED');
    for (let attempt = 0; attempt < 150; attempt += 1) {
      const { exportJob } = await graphql(bases[1 - via]!, JOB, { id: exportReport.id });
      if (exportJob.status === 'READY' || exportJob.status === 'FAILED') return { id: exportReport.id as string, ...exportJob };
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error(`export ${exportReport.id} did not finish`);
  }

  it('serves every export made through either gateway through either gateway, by a redirect to the object, the same bytes', async () => {
    const jobs = [
      await exportThrough(0, { campaignId: '5', reportType: 'FULL', from: '2026-06-01', to: '2026-06-30' }),
      await exportThrough(1, { campaignId: '5', reportType: 'KPIS', format: 'CSV', from: '2026-06-01', to: '2026-06-30' }),
      await exportThrough(0, { campaignId: '5', reportType: 'FULL', format: 'CSV', from: '2026-06-01', to: '2026-06-30' }),
      await exportThrough(1, { campaignId: '5', reportType: 'HEATMAP', from: '2026-06-01', to: '2026-06-30' }),
    ];
    // No gateway holds a file: each saw only its own empty DATA_DIR, and the worker wrote none there either.
    const keys = s3.keys(BUCKET);
    expect(keys).toHaveLength(4);
    for (const job of jobs) expect(keys.filter((key) => new RegExp(`^${PREFIX}/${job.id}-[0-9a-f]{8}\\.(xlsx|csv|zip)$`).test(key))).toHaveLength(1);
    for (const job of jobs) {
      expect(job).toMatchObject({ status: 'READY', error: null });
      const link = new URL(job.downloadUrl);
      const bodies: Buffer[] = [];
      for (const base of bases) {
        const url = `${base}${link.pathname}${link.search}`;
        const redirect = await fetch(url, { redirect: 'manual' });
        expect(redirect.status).toBe(302);
        const location = new URL(redirect.headers.get('location')!);
        expect(location.origin).toBe(s3.endpoint);
        expect(location.pathname).toMatch(new RegExp(`^/${BUCKET}/${PREFIX}/${job.id}-[0-9a-f]{8}\\.`));
        expect(location.searchParams.get('X-Amz-Expires')).toBe('60');
        const followed = await fetch(url);
        expect(followed.status).toBe(200);
        expect(followed.headers.get('content-disposition')).toMatch(/^attachment; filename="renewal-q3_/);
        bodies.push(Buffer.from(await followed.arrayBuffer()));
      }
      expect(bodies[0]!.length).toBe(job.fileSize);
      expect(bodies[1]!.equals(bodies[0]!)).toBe(true);
    }
    // The workbook is whole: every sheet a FULL export has.
    const workbook = new ExcelJS.Workbook();
    const full = new URL(jobs[0]!.downloadUrl);
    await workbook.xlsx.load((await (await fetch(`${bases[1]}${full.pathname}${full.search}`)).arrayBuffer()) as never);
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(['KPIs', 'Trend', 'Hangup', 'DTMF', 'Funnel', 'Dispositions', 'Heatmap', 'Heatmap data', 'Calls']);
    // The worker ran them all, and says so on its METRICS_PORT.
    const scraped = await (await fetch(`http://127.0.0.1:${workerMetrics}/metrics`)).text();
    expect(scraped).toMatch(/^autocall_export_jobs_total\{status="ready"\} 4$/m);
    // A tampered link is refused the same way by both, without a redirect.
    for (const base of bases) {
      const tampered = `${base}${full.pathname}${full.search.replace(/signature=./, 'signature=0')}`;
      expect((await fetch(tampered, { redirect: 'manual' })).status).toBe(403);
    }
  }, 120_000);
});
